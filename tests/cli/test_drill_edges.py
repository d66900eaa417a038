"""`pager-lab drill` at its edges: the last level, a coverage gap, --timeout, unwritable files."""

from __future__ import annotations

import json
from pathlib import Path

from pager_lab.cli.terminal import write_outputs
from pager_lab.core.drill import Drill
from tests.helpers import pager_lab

OFFICE_HOURS = (
    'name = "office"\ntime_zone = "UTC"\n[[layers]]\nname = "o"\nresponders = ["Ann"]\n'
    'turn_length = 1\nturn_unit = "weeks"\nhandoff = "2026-11-02T09:00"\n'
    '[[layers.restrictions]]\nstart = "09:00"\nend = "17:00"\n'
)
"""A schedule with Ann on call 09:00-17:00 UTC only: 03:00 is a coverage gap."""


def test_the_last_level_does_not_claim_to_escalate():
    out = pager_lab("drill", "--escalation", "Alice", stdin="ignore\n")
    assert out.returncode == 0, out.stderr
    assert "Escalating" not in out.stdout
    assert "❌ Alice did not answer.\n💀 Major Outage! No one answered." in out.stdout


def test_a_coverage_gap_says_so_instead_of_no_one_answered(tmp_path: Path):
    schedule = tmp_path / "office.toml"
    schedule.write_text(OFFICE_HOURS, "utf-8")
    timeline = tmp_path / "t.json"
    out = pager_lab(
        "drill",
        "--schedule",
        str(schedule),
        "--at",
        "2026-11-27T03:00+00:00",
        "--json",
        str(timeline),
    )
    assert out.returncode == 0, out.stderr
    assert (
        "Nobody was paged: the schedule office has a coverage gap at 2026-11-27T03:00:00+00:00"
        in out.stdout
    )
    assert "Major Outage" not in out.stdout and "Paging" not in out.stdout
    assert json.loads(timeline.read_text("utf-8"))["outcome"] == "nobody on call"


def test_timeout_without_escalation_applies_to_the_alerts_policy():
    out = pager_lab("drill", "--timeout", "2", stdin="ignore\nack\n\n\nrestart\n")
    assert out.returncode == 0, out.stderr
    assert "Time to acknowledge: 3.0 min" in out.stdout  # 2 min timeout + 1 min to answer


def test_a_file_that_cannot_be_written_does_not_stop_the_other(tmp_path: Path):
    drill = Drill()
    for answer in ("ack", "", "", "restart"):
        drill.answer(answer)
    gone = tmp_path / "removed-meanwhile" / "t.json"
    postmortem = tmp_path / "pm.md"
    problems = write_outputs(drill, gone, postmortem)
    assert problems == [f"--json {str(gone)!r} could not be written (No such file or directory)"]
    assert postmortem.read_text("utf-8").startswith("# Post-mortem (draft)")
