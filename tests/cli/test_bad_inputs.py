"""The catalogue of bad inputs a student or instructor types, through the real CLI.

Each row runs ``python -m pager_lab ARGS`` in a subprocess and asserts what the user
sees: a non-zero exit, exactly one line on stderr, no traceback, and that the line
names the flag or file and the bad value. Placeholders in ``{braces}`` are files and
folders made fresh for each test (see ``places``).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from tests.helpers import DATA, pager_lab

BUSINESS = str(DATA / "schedules" / "business-hours.toml")
AT = ("--at", "2026-11-27T03:00+00:00")
SCENARIO_A = "ack\n\n\nrestart\n"
"""Answers that finish the drill: ack, default severity, no help, restart."""


class Case(NamedTuple):
    """One bad input: the arguments, what the error line must (not) say, and stdin."""

    args: tuple[str, ...]
    names: tuple[str, ...]
    stdin: str = ""
    absent: tuple[str, ...] = ()


def case(*args: str, names: tuple[str, ...], stdin: str = "", absent: tuple[str, ...] = ()) -> Case:
    return Case(args, names, stdin, absent)


CASES: dict[str, Case] = {
    # simulate: the horizon, the seed, the scenario file, the output folder
    "simulate-weeks-1e9": case("simulate", "baseline", "--weeks", "1e9", names=("--weeks", "1e9")),
    "simulate-weeks-nan": case("simulate", "baseline", "--weeks", "nan", names=("--weeks", "nan")),
    "simulate-weeks-inf": case("simulate", "baseline", "--weeks", "inf", names=("--weeks", "inf")),
    "simulate-weeks-0": case("simulate", "baseline", "--weeks", "0", names=("--weeks", "0")),
    "simulate-weeks-negative": case(
        "simulate", "baseline", "--weeks", "-1", names=("--weeks", "-1")
    ),
    "simulate-weeks-word": case(
        "simulate", "baseline", "--weeks", "four", names=("--weeks", "four")
    ),
    "simulate-weeks-empty": case("simulate", "baseline", "--weeks", "", names=("--weeks", "''")),
    "simulate-weeks-inside-warmup": case(
        "simulate", "textbook-mm1", "--weeks", "1", names=("--weeks", "warm-up of 2 weeks")
    ),
    "compare-weeks-inside-warmup": case(
        "compare", "textbook-mm1", "textbook-mmc", "--weeks", "1", names=("--weeks", "warm-up")
    ),
    "simulate-seed-negative": case("simulate", "baseline", "--seed", "-1", names=("--seed", "-1")),
    "simulate-seed-float": case("simulate", "baseline", "--seed", "1.5", names=("--seed", "1.5")),
    "simulate-seed-word": case("simulate", "baseline", "--seed", "abc", names=("--seed", "abc")),
    "simulate-scenario-folder": case("simulate", "{folder}", names=("{folder}", "folder")),
    "simulate-scenario-binary": case("simulate", "{binary}", names=("{binary}",)),
    "simulate-scenario-not-utf8": case("simulate", "{latin1}", names=("{latin1}", "UTF-8")),
    "simulate-scenario-unknown-name": case("simulate", "baseline2", names=("baseline2",)),
    "simulate-scenario-empty": case("simulate", "", names=("SCENARIO", "''")),
    "simulate-scenario-missing": case("simulate", names=("scenario",)),
    "simulate-out-is-a-file": case(
        "simulate", "textbook-mm1", "--weeks", "1", "--out", "{text}", names=("--out", "{text}")
    ),
    "simulate-rate-1e9": case("simulate", "{huge_rate}", names=("rate_per_hour", "1000000000")),
    "simulate-team-size-0": case("simulate", "{team_zero}", names=("team_size", "0")),
    "simulate-team-size-0-beside-a-team": case(
        "simulate", "{team_zero_and_team}", names=("team_size", "0"), absent=("either",)
    ),
    "simulate-scenario-syntax-error": case("simulate", "{text}", names=("{text}", "TOML")),
    "simulate-team-size-negative": case("simulate", "{team_negative}", names=("team_size", "-2")),
    "simulate-typo": case("simulat", "baseline", names=("simulat",)),
    "simulate-unknown-option": case("simulate", "baseline", "--wekes", "4", names=("--wekes",)),
    # compare / sweep: existing options only
    "compare-unknown-scenario": case("compare", "baseline", "nosuch", names=("nosuch",)),
    "compare-replications-0": case(
        "compare", "baseline", "noisy", "--replications", "0", names=("--replications", "0")
    ),
    "compare-workers-negative": case(
        "compare", "baseline", "noisy", "--workers", "-2", names=("--workers", "-2")
    ),
    "sweep-set-unknown-key": case(
        "sweep", "baseline", "--set", "nokey=1", names=("--set", "nokey")
    ),
    "sweep-set-no-values": case(
        "sweep", "baseline", "--set", "team_size=", names=("--set", "team_size=")
    ),
    "sweep-set-bad-value": case(
        "sweep", "baseline", "--set", "team_size=0,3", names=("--set", "team_size")
    ),
    # schedule
    "schedule-export-to-missing-folder": case(
        "schedule", "export", BUSINESS, "--out", "{missing}/out.ics", names=("--out", "{missing}")
    ),
    "schedule-export-to-a-folder": case(
        "schedule", "export", BUSINESS, "--out", "{folder}", names=("--out", "{folder}")
    ),
    "schedule-export-weeks-0": case(
        "schedule",
        "export",
        BUSINESS,
        "--to",
        "{tmp}/x.ics",
        "--weeks",
        "0",
        names=("--weeks", "0"),
    ),
    "schedule-export-weeks-negative": case(
        "schedule",
        "export",
        BUSINESS,
        "--to",
        "{tmp}/x.ics",
        "--weeks",
        "-3",
        names=("--weeks", "-3"),
    ),
    "schedule-export-weeks-huge": case(
        "schedule",
        "export",
        BUSINESS,
        "--to",
        "{tmp}/x.ics",
        "--weeks",
        "500000",
        names=("--weeks", "500000"),
    ),
    "schedule-export-weeks-word": case(
        "schedule",
        "export",
        BUSINESS,
        "--to",
        "{tmp}/x.ics",
        "--weeks",
        "four",
        names=("--weeks", "four"),
    ),
    "schedule-show-8000-years": case(
        "schedule",
        "show",
        BUSINESS,
        "--from",
        "2000-01-01T00:00+00:00",
        "--to",
        "9999-01-01T00:00+00:00",
        names=("--to", "9999-01-01"),
    ),
    "schedule-check-8000-years": case(
        "schedule",
        "check",
        BUSINESS,
        "--from",
        "2000-01-01T00:00+00:00",
        "--to",
        "9999-01-01T00:00+00:00",
        names=("--to", "9999-01-01"),
    ),
    "schedule-show-end-before-start": case(
        "schedule",
        "show",
        BUSINESS,
        "--from",
        "2026-11-27T00:00+00:00",
        "--to",
        "2026-11-20T00:00+00:00",
        names=("--to", "2026-11-20"),
    ),
    "schedule-who-at-without-zone": case(
        "schedule",
        "who",
        BUSINESS,
        "--at",
        "2026-11-27T03:00",
        names=("--at", "2026-11-27T03:00", "+00:00"),
        absent=("ZoneInfo",),
    ),
    "schedule-who-at-not-a-time": case(
        "schedule", "who", BUSINESS, "--at", "tomorrow", names=("--at", "tomorrow")
    ),
    "schedule-who-at-year-1": case(
        "schedule",
        "who",
        BUSINESS,
        "--at",
        "0001-01-01T00:00+00:00",
        names=("--at", "0001-01-01T00:00+00:00"),
    ),
    "schedule-show-from-year-9999": case(
        "schedule",
        "show",
        BUSINESS,
        "--from",
        "9999-12-30T00:00+00:00",
        names=("--from", "9999-12-30T00:00+00:00"),
    ),
    "drill-at-year-9999": case(
        "drill",
        "--at",
        "9999-12-31T23:59+00:00",
        names=("--at", "9999-12-31T23:59+00:00"),
        stdin="ignore\n",
    ),
    "schedule-who-at-empty": case("schedule", "who", BUSINESS, "--at", "", names=("--at", "''")),
    "schedule-who-folder": case("schedule", "who", "{folder}", *AT, names=("{folder}", "folder")),
    "schedule-who-binary": case("schedule", "who", "{binary}", *AT, names=("{binary}",)),
    "schedule-who-missing-file": case(
        "schedule", "who", "{missing}.toml", *AT, names=("{missing}.toml",)
    ),
    "schedule-who-empty-path": case("schedule", "who", "", *AT, names=("file", "''")),
    "schedule-typo": case("schedule", "whom", BUSINESS, names=("whom",)),
    "schedule-no-action": case("schedule", names=("action",)),
    # drill
    "drill-step-minutes-negative": case(
        "drill", "--step-minutes", "-1", names=("--step-minutes", "-1")
    ),
    "drill-step-minutes-nan": case(
        "drill", "--step-minutes", "nan", names=("--step-minutes", "nan")
    ),
    # --notify's companions are never silently ignored (without --notify, with a scenario)
    "drill-outbox-without-notify": case(
        "drill", "--outbox", "x.db", names=("--outbox x.db", "only goes with --notify")
    ),
    "drill-retries-without-notify": case(
        "drill", "--notify-retries", "2", names=("--notify-retries 2", "only goes with --notify")
    ),
    "drill-port-with-slack": case(
        "drill",
        "--notify",
        "slack",
        "--notify-port",
        "9000",
        names=("--notify-port 9000", "--notify local or pagerduty-local"),
    ),
    "drill-scenario-with-outbox": case(
        "drill",
        "--scenario",
        "memory-leak",
        "--outbox",
        "x.db",
        names=("--outbox 'x.db'", "seed drill's option"),
    ),
    "drill-scenario-with-notify-port": case(
        "drill",
        "--scenario",
        "memory-leak",
        "--notify-port",
        "9000",
        names=("--notify-port 9000", "seed drill's option"),
    ),
    "drill-timeout-negative": case("drill", "--timeout", "-5", names=("--timeout", "-5")),
    "drill-timeout-with-escalation": case(
        "drill",
        "--escalation",
        "Alice,Bob",
        "--timeout",
        "-5",
        names=("--timeout", "-5"),
        absent=("timeout_minutes",),
    ),
    "drill-timeout-inf": case("drill", "--timeout", "inf", names=("--timeout", "inf")),
    "drill-pace-negative": case("drill", "--pace", "-1", names=("--pace", "-1")),
    "drill-pace-nan": case("drill", "--pace", "nan", names=("--pace", "nan")),
    "drill-escalation-unknown-person": case(
        "drill", "--escalation", "Alice,Zed", names=("--escalation", "Zed")
    ),
    "drill-escalation-empty-name": case(
        "drill", "--escalation", "Alice,,Bob", names=("--escalation", "Alice,,Bob")
    ),
    "drill-escalation-empty": case("drill", "--escalation", "", names=("--escalation", "''")),
    "drill-at-without-zone": case(
        "drill",
        "--at",
        "2026-11-27T03:00",
        names=("--at", "2026-11-27T03:00", "+00:00"),
        absent=("ZoneInfo",),
    ),
    "drill-alert-name-unknown": case(
        "drill", "--alert-name", "disk-full", names=("--alert-name", "disk-full")
    ),
    "drill-runbook-folder": case("drill", "--runbook", "{folder}", names=("{folder}", "folder")),
    "drill-runbook-binary": case("drill", "--runbook", "{binary}", names=("{binary}",)),
    "drill-runbook-missing": case("drill", "--runbook", "{missing}.md", names=("{missing}.md",)),
    "drill-schedule-folder": case("drill", "--schedule", "{folder}", names=("{folder}",)),
    "drill-schedule-binary": case("drill", "--schedule", "{binary}", names=("{binary}",)),
    "drill-data-missing": case("drill", "--data", "{missing}", names=("{missing}",)),
    "drill-data-is-a-file": case("drill", "--data", "{text}", names=("--data", "{text}")),
    "drill-json-into-missing-folder": case(
        "drill", "--json", "{missing}/t.json", names=("--json", "{missing}"), stdin=SCENARIO_A
    ),
    "drill-json-is-a-folder": case(
        "drill", "--json", "{folder}", names=("--json", "{folder}"), stdin=SCENARIO_A
    ),
    "drill-postmortem-into-missing-folder": case(
        "drill",
        "--postmortem",
        "{missing}/pm.md",
        names=("--postmortem", "{missing}"),
        stdin=SCENARIO_A,
    ),
    "drill-unknown-option": case("drill", "--escalate", "Bob", names=("--escalate",)),
    # runbook lint
    "runbook-lint-a-file": case("runbook", "lint", "{text}", names=("{text}", "folder")),
    "runbook-lint-missing-folder": case("runbook", "lint", "{missing}", names=("{missing}",)),
    "runbook-typo": case("runbook", "lnt", "data", names=("lnt",)),
    # the command itself
    "no-command": case(names=("command",)),
    "unknown-command": case("simulation", names=("simulation",)),
}


def make_places(tmp_path: Path) -> dict[str, str]:
    """The files behind the placeholders: a folder, a binary file, bad scenarios..."""
    folder = tmp_path / "a-folder"
    folder.mkdir()
    binary = tmp_path / "image.toml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00")
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes('name = "café"\n'.encode("latin-1"))
    text = tmp_path / "notes.txt"
    text.write_text("just some notes\n", "utf-8")
    mm1 = (DATA / "scenarios" / "textbook-mm1.toml").read_text("utf-8")
    huge_rate = tmp_path / "huge-rate.toml"
    huge_rate.write_text(mm1.replace("rate_per_hour = 0.8", "rate_per_hour = 1e9"), "utf-8")
    team_zero = tmp_path / "team-zero.toml"
    team_zero.write_text(mm1.replace("team_size = 1", "team_size = 0"), "utf-8")
    team_zero_and_team = tmp_path / "team-zero-and-team.toml"
    baseline = (DATA / "scenarios" / "baseline.toml").read_text("utf-8")
    team_zero_and_team.write_text(baseline.replace("[team]", "team_size = 0\n[team]"), "utf-8")
    team_negative = tmp_path / "team-negative.toml"
    team_negative.write_text(mm1.replace("team_size = 1", "team_size = -2"), "utf-8")
    paths = {
        "tmp": tmp_path,
        "folder": folder,
        "binary": binary,
        "latin1": latin1,
        "text": text,
        "missing": tmp_path / "no-such-folder",
        "huge_rate": huge_rate,
        "team_zero": team_zero,
        "team_zero_and_team": team_zero_and_team,
        "team_negative": team_negative,
    }
    return {name: str(path) for name, path in paths.items()}


@pytest.fixture
def places(tmp_path: Path) -> dict[str, str]:
    return make_places(tmp_path)


def test_the_catalogue_is_large_enough():
    assert len(CASES) >= 50


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gets_one_clear_line(name: str, places: dict[str, str]):
    bad = CASES[name]
    out = pager_lab(*(a.format(**places) for a in bad.args), stdin=bad.stdin)
    lines = out.stderr.splitlines()
    assert out.returncode != 0, (out.stdout[-500:], out.stderr)
    assert "Traceback" not in out.stderr, out.stderr
    assert len(lines) == 1, out.stderr
    for fragment in bad.names:
        assert fragment.format(**places) in lines[0], (fragment, lines[0])
    for fragment in bad.absent:
        assert fragment not in lines[0], (fragment, lines[0])
