"""``pager-lab why DRILL.json PAGE_ID``: the chain behind a page of a terminal drill."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import DATA, one_line_error, pager_lab

BUSINESS = str(DATA / "schedules" / "business-hours.toml")
AT = ("--at", "2026-11-27T03:00+00:00")  # a Friday, 03:00 UTC


def _drill(tmp_path: Path, stdin: str, *options: str) -> Path:
    out = tmp_path / "drill.json"
    done = pager_lab("drill", "--plain", "--json", str(out), *AT, *options, stdin=stdin)
    assert out.exists(), done.stderr
    return out


def _why(path: Path, page: str) -> list[str]:
    done = pager_lab("why", str(path), page)
    assert done.returncode == 0, done.stderr
    assert "note:" not in done.stdout
    return done.stdout.splitlines()


def test_a_schedule_page_names_the_layer_and_an_escalation_page_its_history(tmp_path: Path):
    out = _drill(tmp_path, "ignore\n" * 4, "--schedule", BUSINESS, "--escalation", "Bob,Charlie")
    timeline = json.loads(out.read_text())["timeline"]
    paged = [e["detail"]["responder"] for e in timeline if e["kind"] == "paged"]
    first = "\n".join(_why(out, "0"))
    assert first.startswith(f"Why was {paged[0]} paged? (page 0, INC-1)")
    assert "schedule 'business-hours'" in first
    assert "layer 'days' (layer 2) did not decide" in first  # 03:00 is outside 09:00-17:00
    assert "is sleep" in first
    last = "\n".join(_why(out, str(len(paged) - 1)))
    assert f"Why was {paged[-1]} paged?" in last
    assert "Charlie is named in the policy" in last
    assert "level 1, loop 0: Bob did not answer by minute 5" in last


def test_a_help_page_says_who_asked(tmp_path: Path):
    out = _drill(tmp_path, "ack\n\nyes\nrestart\n", "--escalation", "Alice,Bob")
    text = "\n".join(_why(out, "1"))
    assert "Why was Bob paged? (page 1, INC-1)" in text
    assert "Alice acknowledged at minute 1" in text
    assert "Alice asked for help: level 2 is the next level" in text


def test_bad_drill_files(tmp_path: Path):
    out = _drill(tmp_path, "ignore\n" * 3)
    line = one_line_error(pager_lab("why", str(out), "7"), "PAGE_ID", "'7'")
    assert "from 0 to 2 (pages of the drill's timeline)" in line
    old = json.loads(out.read_text())
    del old["setup"]  # a timeline written before `why` existed
    (tmp_path / "old.json").write_text(json.dumps(old))
    line = one_line_error(pager_lab("why", str(tmp_path / "old.json"), "0"), "setup")
    assert "run the drill again with --json" in line
    (tmp_path / "cut.json").write_text('{"id": "INC-1"')
    one_line_error(pager_lab("why", str(tmp_path / "cut.json"), "0"), "cut.json", "RUN")
    moved = json.loads(out.read_text())
    moved["setup"]["data"] = str(tmp_path / "gone")
    (tmp_path / "moved.json").write_text(json.dumps(moved))
    one_line_error(pager_lab("why", str(tmp_path / "moved.json"), "0"), "setup", "gone")


def test_a_drill_library_file_is_recognised_and_why_says_what_it_explains(tmp_path: Path):
    out = tmp_path / "d.json"
    done = pager_lab("drill", "--scenario", "db-runaway-query", "--plain", "--json", str(out),
                     stdin="ack\nwait\nwait\nwait\n" * 30)  # fmt: skip
    assert out.exists(), done.stderr
    why = pager_lab("why", str(out), "0")
    assert why.returncode != 0 and "Traceback" not in why.stderr
    lines = why.stderr.strip().splitlines()
    assert len(lines) == 1, why.stderr
    assert "is a drill-library file" in lines[0] and "--scenario db-runaway-query" in lines[0]
    assert "explains the seed drill's pages only" in lines[0]
    assert "'missing'" not in lines[0]
