"""`pager-lab schedule ...` and `drill --schedule` through real subprocesses."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import DATA, pager_lab

BUSINESS = str(DATA / "schedules" / "business-hours.toml")


def test_who_is_on_call():
    out = pager_lab("schedule", "who", BUSINESS, "--at", "2026-11-27T03:00+00:00")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Fri 2026-11-27 03:00 GMT: Bob"
    out = pager_lab("schedule", "who", BUSINESS, "--at", "2026-11-27T09:00+00:00")
    assert out.stdout.strip().endswith(": Alice")


def test_show_lists_shifts_and_hours_by_window():
    out = pager_lab(
        "schedule",
        "show",
        str(DATA / "schedules" / "primary.toml"),
        "--from",
        "2026-12-20T00:00+00:00",
        "--to",
        "2026-12-29T00:00+00:00",
    )
    assert out.returncode == 0, out.stderr
    assert "Thu 2026-12-24 17:00 GMT -> Sun 2026-12-27 09:00 GMT  Dana" in out.stdout
    assert "override" in out.stdout
    assert "responder  business  off-hours  sleep  total" in out.stdout


def test_check_exits_1_listing_gaps(tmp_path: Path):
    path = tmp_path / "office.toml"
    path.write_text(
        'name = "office"\ntime_zone = "UTC"\n[[layers]]\nname = "o"\nresponders = ["Ann"]\n'
        'turn_length = 1\nturn_unit = "weeks"\nhandoff = "2026-11-02T09:00"\n'
        '[[layers.restrictions]]\nstart = "09:00"\nend = "17:00"\n'
    )
    out = pager_lab(
        "schedule",
        "check",
        str(path),
        "--from",
        "2026-11-02T00:00+00:00",
        "--to",
        "2026-11-03T00:00+00:00",
    )
    assert out.returncode == 1
    assert out.stdout.splitlines() == [
        "gap: Mon 2026-11-02 00:00 UTC -> Mon 2026-11-02 09:00 UTC (9.0 h): nobody on call",
        "gap: Mon 2026-11-02 17:00 UTC -> Tue 2026-11-03 00:00 UTC (7.0 h): nobody on call",
    ]
    ok = pager_lab("schedule", "check", BUSINESS, "--from", "2026-11-02T00:00+00:00")
    assert ok.returncode == 0 and ok.stdout.startswith("ok: business-hours covers")


@pytest.mark.parametrize("flag", ["--out", "--to"])  # --to: its first name, still accepted
def test_export_writes_an_ics_file(tmp_path: Path, flag: str):
    out = pager_lab(
        "schedule",
        "export",
        BUSINESS,
        flag,
        str(tmp_path / "c.ics"),
        "--from",
        "2026-11-30T00:00+00:00",
        "--weeks",
        "1",
    )
    assert out.returncode == 0, out.stderr
    text = (tmp_path / "c.ics").read_text()
    assert text.count("BEGIN:VEVENT") == 15  # Bob, then Alice/Bob for each of 7 days
    assert out.stdout.strip() == f"wrote 15 shifts to {tmp_path / 'c.ics'}"


def test_drill_pages_whoever_the_schedule_has_on_call():
    out = pager_lab(
        "drill",
        "--schedule",
        BUSINESS,
        "--at",
        "2026-11-27T03:00+00:00",
        stdin="ack\n\n\nrestart\n",
    )
    assert out.returncode == 0, out.stderr
    assert "📟 Paging Bob..." in out.stdout and "Acknowledged by Bob" in out.stdout
    out = pager_lab(
        "drill",
        "--schedule",
        BUSINESS,
        "--escalation",
        "Charlie",
        "--at",
        "2026-11-27T10:00+00:00",
        stdin="i\na\n\n\nr\n",
    )
    assert "📟 Paging Alice..." in out.stdout and "Acknowledged by Charlie" in out.stdout


def test_bad_schedule_input_is_one_line():
    out = pager_lab(
        "schedule", "who", str(DATA / "schedules" / "nope.toml"), "--at", "2026-11-27T03:00+00:00"
    )
    assert out.returncode == 2 and "nope.toml" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    out = pager_lab("schedule", "who", BUSINESS, "--at", "2026-11-27 03:00")
    assert out.returncode == 2 and "has no UTC offset" in out.stderr
    out = pager_lab(
        "schedule",
        "show",
        BUSINESS,
        "--from",
        "2026-11-27T03:00+00:00",
        "--to",
        "2026-11-26T03:00+00:00",
    )
    assert out.returncode == 2 and "must be after" in out.stderr
