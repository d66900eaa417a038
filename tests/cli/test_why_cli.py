"""``pager-lab why RUN PAGE_ID`` through the real CLI: a run folder, good and bad inputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers import ROOT, one_line_error, pager_lab

CASES = ROOT / "tests" / "sim" / "why_scenario.toml"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("run")
    done = pager_lab("simulate", str(CASES), "--out", str(folder), "--weeks", "1", "--seed", "4")
    assert done.returncode == 0, done.stderr
    return folder


def test_simulate_out_keeps_the_scenario_and_the_seed(run_dir: Path):
    run = (run_dir / "run.toml").read_text()
    assert "seed = 4" in run and 'scenario = "why-cases"' in run
    scenario = (run_dir / "scenario.toml").read_text()
    assert "weeks = 1.0" in scenario  # --weeks is what ran, not the file's 2
    again = pager_lab("simulate", str(run_dir / "scenario.toml"), "--seed", "4", "--json")
    assert again.returncode == 0, again.stderr


def test_why_prints_the_chain_of_a_page(run_dir: Path):
    pages = pd.read_csv(run_dir / "pages.csv")
    page_id = int(pages.index[pages["level"] == 3][0])
    done = pager_lab("why", str(run_dir), str(page_id))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    responder = pages["responder"].iloc[page_id]
    assert (
        lines[0]
        == f"Why was {responder} paged? (page {page_id}, {pages['incident_id'].iloc[page_id]})"
    )
    steps = [line.split()[1] for line in lines if line[:1].isdigit()]
    assert steps == ["alert", "dedup", "urgency", "escalation", "schedule", "window"]
    assert responder == "Dev" and "Dev is named in the policy (no schedule)" in done.stdout
    assert "note:" not in done.stdout


def test_why_json(run_dir: Path):
    done = pager_lab("why", str(run_dir), "0", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["page_id"] == 0
    assert [link["step"] for link in data["chain"]] == [
        "alert",
        "dedup",
        "urgency",
        "escalation",
        "schedule",
        "window",
    ]


def test_an_unknown_page_id_names_it_and_the_valid_range(run_dir: Path):
    count = len(pd.read_csv(run_dir / "pages.csv"))
    for bad in (str(count), "-1", "abc", "1.5"):
        line = one_line_error(pager_lab("why", str(run_dir), bad), "PAGE_ID", repr(bad))
        assert f"from 0 to {count - 1}" in line


def test_a_missing_run_folder(tmp_path: Path):
    missing = tmp_path / "nowhere"
    one_line_error(pager_lab("why", str(missing), "0"), "RUN_DIR", str(missing))


def test_a_folder_without_the_scenario(run_dir: Path, tmp_path: Path):
    old = tmp_path / "old-run"
    shutil.copytree(run_dir, old)
    (old / "scenario.toml").unlink()
    line = one_line_error(pager_lab("why", str(old), "0"), "scenario.toml", str(old))
    assert "run the simulation again with --out" in line


def test_a_folder_without_a_table(run_dir: Path, tmp_path: Path):
    old = tmp_path / "no-pages"
    shutil.copytree(run_dir, old)
    (old / "pages.csv").unlink()
    one_line_error(pager_lab("why", str(old), "0"), "pages.csv", "missing")


def test_a_table_missing_a_column(run_dir: Path, tmp_path: Path):
    old = tmp_path / "cut"
    shutil.copytree(run_dir, old)
    pages = pd.read_csv(old / "pages.csv").drop(columns="level")
    pages.to_csv(old / "pages.csv", index=False)
    one_line_error(pager_lab("why", str(old), "0"), "pages.csv", "level")


def test_a_bad_seed_in_run_toml(run_dir: Path, tmp_path: Path):
    old = tmp_path / "seedless"
    shutil.copytree(run_dir, old)
    (old / "run.toml").write_text('seed = "four"\n')
    one_line_error(pager_lab("why", str(old), "0"), "run.toml", "seed", "four")


def test_no_arguments():
    one_line_error(pager_lab("why"), "RUN", "PAGE_ID")


EVENTS = ROOT / "data" / "events" / "events-v2.jsonl"


def test_an_ingest_replay_routed_through_a_scenario_is_explained(tmp_path: Path):
    out = tmp_path / "replay"
    done = pager_lab("ingest", str(EVENTS), "--scenario", "baseline", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert f"wrote {out / 'pages.csv'}" in done.stdout
    pages = pd.read_csv(out / "pages.csv")
    assert len(pages) > 0
    why = pager_lab("why", str(out), "0")
    assert why.returncode == 0, why.stderr
    assert "from the ingest stream" in why.stdout and "note:" not in why.stdout
    assert why.stdout.startswith(f"Why was {pages['responder'].iloc[0]} paged? (page 0,")


@pytest.mark.parametrize(
    ("options", "names"),
    [
        (("--out", "{tmp}/x"), ("--out", "--scenario as well")),
        (("--scenario", "baseline"), ("--scenario", "'baseline'", "--out as well")),
        (("--scenario", "nope", "--out", "{tmp}/x"), ("--scenario", "'nope'", "baseline")),
    ],
)
def test_ingest_routing_options_are_checked_before_the_replay(tmp_path: Path, options, names):
    args = [o.replace("{tmp}", str(tmp_path)) for o in options]
    done = pager_lab("ingest", str(EVENTS), *args)
    one_line_error(done, *names)
    assert done.stdout == ""  # refused before anything was replayed
