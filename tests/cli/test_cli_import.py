"""`pager-lab import` and `pager-lab calibrate` through the real CLI, good and bad inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import DATA, pager_lab

SAMPLE = str(DATA / "imports" / "pagerduty-synthetic-sample.json")


def test_import_writes_the_tables_and_says_what_it_detected(tmp_path: Path):
    out = pager_lab("import", SAMPLE, "--zone", "Europe/Dublin", "--out", str(tmp_path / "imp"))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("format: pagerduty-json (detected:")
    assert "450 incidents imported" in lines[1] and "1 still open at export time" in lines[1]
    assert "Kaplan-Meier" in out.stdout
    assert {p.name for p in (tmp_path / "imp").iterdir()} == {
        "incidents.csv",
        "rejects.csv",
        "import.json",
        "extras.csv",
    }


def test_import_counts_rejected_rows_and_exits_1(tmp_path: Path):
    body = json.loads(Path(SAMPLE).read_text())
    body["data"][3]["created_at"] = "not a time"
    body["data"][4]["id"] = body["data"][0]["id"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(body))
    out = pager_lab("import", str(bad), "--out", str(tmp_path / "imp"))
    assert out.returncode == 1
    assert "rejected 1 row(s): unparseable-timestamp" in out.stderr
    assert "rejected 1 row(s): duplicate-id" in out.stderr
    assert "448 incidents imported" in out.stdout
    assert "Traceback" not in out.stderr


def test_pseudonymise_reads_the_salt_from_a_file_and_never_writes_it(tmp_path: Path):
    salt = tmp_path / "salt.txt"
    salt.write_text("s3cret-salt-value\n")
    out = pager_lab(
        "import", SAMPLE, "--pseudonymise", "--salt-file", str(salt), "--out", str(tmp_path / "o")
    )
    assert out.returncode == 0, out.stderr
    assert "s3cret" not in out.stdout + out.stderr
    for file in (tmp_path / "o").iterdir():
        text = file.read_text()
        assert "s3cret" not in text and "database" not in text, file.name


def test_calibrate_writes_a_scenario_simulate_accepts_and_checks_it(tmp_path: Path):
    scenario = tmp_path / "ours.toml"
    out = pager_lab("calibrate", SAMPLE, "--zone", "Europe/Dublin", "--out", str(scenario))
    assert out.returncode == 0, out.stderr
    assert scenario.read_text().startswith("# ours: calibrated by `pager-lab calibrate`")
    run = pager_lab("simulate", str(scenario), "--weeks", "2", "--seed", "3")
    assert run.returncode == 0, run.stderr
    check = pager_lab(
        "calibrate", SAMPLE, "--zone", "Europe/Dublin", "--check", "--seeds", "2",
        "--plots", str(tmp_path / "plots"),
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert "hourly profile" in check.stdout and "p < 0.01 -> differs" in check.stdout
    assert (tmp_path / "plots" / "fit-check.png").read_bytes().startswith(b"\x89PNG")


def _places(tmp: Path) -> dict[str, str]:
    (tmp / "plain.csv").write_text("when,what\n2026-01-01,x\n")
    (tmp / "map.toml").write_text('[columns]\ncreated = "when"\n[timestamps]\nzone = "Mars/Base"\n')
    (tmp / "nothing.json").write_text('{"data": []}')
    (tmp / "short-salt").write_text("abc")
    return {"tmp": str(tmp)}


BAD = {
    "missing file": (("import", "{tmp}/nope.json", "--out", "{tmp}/o"), ("nope.json",)),
    "a folder": (("import", "{tmp}", "--out", "{tmp}/o"), ("{tmp}",)),
    "unknown format": (
        ("import", SAMPLE, "--format", "pd", "--out", "{tmp}/o"),
        ("--format", "'pd'"),
    ),
    "csv without a mapping": (("import", "{tmp}/plain.csv", "--out", "{tmp}/o"), ("--mapping",)),
    "bad zone in mapping": (
        ("import", "{tmp}/plain.csv", "--mapping", "{tmp}/map.toml", "--out", "{tmp}/o"),
        ("timestamps.zone", "Mars/Base"),
    ),
    "bad --zone": (
        ("import", SAMPLE, "--zone", "Dublin", "--out", "{tmp}/o"),
        ("--zone", "Dublin"),
    ),
    "no incidents": (
        ("import", "{tmp}/nothing.json", "--out", "{tmp}/o"),
        ("nothing.json", "data"),
    ),
    "pseudonymise without salt": (
        ("import", SAMPLE, "--pseudonymise", "--out", "{tmp}/o"),
        ("PAGER_LAB_PSEUDONYM_SALT",),
    ),
    "short salt file": (
        ("import", SAMPLE, "--pseudonymise", "--salt-file", "{tmp}/short-salt", "--out", "{tmp}/o"),
        ("short-salt", "at least 8"),
    ),
    "salt file without --pseudonymise": (
        ("import", SAMPLE, "--salt-file", "{tmp}/short-salt", "--out", "{tmp}/o"),
        ("--salt-file", "--pseudonymise"),
    ),
    "out is a file": (("import", SAMPLE, "--out", SAMPLE), ("--out",)),
    "calibrate without --out or --check": (("calibrate", SAMPLE), ("--out", "--check")),
    "calibrate team size 0": (
        ("calibrate", SAMPLE, "--check", "--team-size", "0"),
        ("--team-size", "'0'"),
    ),
    "calibrate seeds 2.5": (
        ("calibrate", SAMPLE, "--check", "--seeds", "2.5"),
        ("--seeds", "'2.5'"),
    ),
    "calibrate team size 3.5": (
        ("calibrate", SAMPLE, "--out", "{tmp}/x.toml", "--team-size", "3.5"),
        ("--team-size", "'3.5'"),
    ),
    "calibrate seed -1": (("calibrate", SAMPLE, "--check", "--seed", "-1"), ("--seed", "'-1'")),
    "empty --zone": (("import", SAMPLE, "--zone", "", "--out", "{tmp}/o"), ("--zone", "''")),
    "a scenario file is no export": (
        ("import", str(DATA / "scenarios" / "baseline.toml"), "--out", "{tmp}/o"),
        ("baseline.toml", "--mapping FILE"),
    ),
    "calibrate seeds 1": (("calibrate", SAMPLE, "--check", "--seeds", "1"), ("--seeds", "'1'")),
    "calibrate out in a missing folder": (
        ("calibrate", SAMPLE, "--out", "{tmp}/no/such/x.toml"),
        ("--out", "does not exist"),
    ),
}


@pytest.mark.parametrize("name", BAD)
def test_bad_inputs_get_one_line_naming_what_is_wrong(name: str, tmp_path: Path):
    places = _places(tmp_path)
    args, names = BAD[name]
    out = pager_lab(*(a.format(**places) for a in args))
    lines = out.stderr.strip().splitlines()
    assert out.returncode != 0 and len(lines) == 1, out.stderr
    assert "Traceback" not in out.stderr
    for expected in names:
        assert expected.format(**places) in lines[0], (expected, lines[0])


def test_zone_less_timestamps_are_read_in_the_zone_given_with_zone(tmp_path: Path):
    body = json.loads(Path(SAMPLE).read_text())
    row = body["data"][379]  # PSYN00380, 2026-06-10T15:08:31Z: Dublin is at +01:00 then
    assert row["id"] == "PSYN00380"
    row["created_at"] = row["created_at"].removesuffix("Z")
    row["resolved_at"] = row["resolved_at"].removesuffix("Z")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(body))
    out = pager_lab("import", str(bad), "--zone", "Europe/Dublin", "--out", str(tmp_path / "z"))
    assert out.returncode == 0, out.stderr
    assert "450 incidents imported" in out.stdout
    assert "PSYN00380" not in (tmp_path / "z" / "rejects.csv").read_text()
    incidents = (tmp_path / "z" / "incidents.csv").read_text().splitlines()
    line = next(x for x in incidents if x.startswith("PSYN00380,"))
    assert "2026-06-10 15:08:31+01:00" in line, line  # read in Dublin, not as UTC (16:08:31)
    without = pager_lab("import", str(bad), "--out", str(tmp_path / "n"))
    assert without.returncode == 1 and "zone-less-timestamp" in without.stderr
    rejects = (tmp_path / "n" / "rejects.csv").read_text()
    assert "PSYN00380" in rejects and "a zone given with --zone" in rejects
