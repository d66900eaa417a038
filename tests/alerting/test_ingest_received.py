"""Replays with the time each event was received: acks and resolves no longer borrow times.

The issue's case: a trigger at 03:00 acknowledged at 03:02 and resolved at 03:05. Events v2
acknowledge and resolve events carry no timestamp, so without received times they borrow
the time of the event before and MTTA/MTTR come out wrong.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pager_lab.alerting.ingest import EventError, EventReplay, parse_line
from tests.helpers import pager_lab

START = "2026-11-27T03:00:00+00:00"
TRIGGER = {
    "routing_key": "R0UT1NGKEY",
    "event_action": "trigger",
    "dedup_key": "db",
    "payload": {"summary": "DB down", "source": "db-1", "severity": "critical", "timestamp": START},
}
ACK = {"routing_key": "R0UT1NGKEY", "event_action": "acknowledge", "dedup_key": "db"}
RESOLVE = {"routing_key": "R0UT1NGKEY", "event_action": "resolve", "dedup_key": "db"}


def replay(lines: list[str], field: str | None = None) -> EventReplay:
    events = [e for line in lines for e in parse_line(line, field)]
    stamps = [e.received_at or e.timestamp for e in events]
    out = EventReplay(min(s for s in stamps if s is not None))
    for event in events:
        out.apply(event)
    return out


def wrapped(at: str, event: dict) -> str:
    return json.dumps({"received_at": at, "event": event})


def test_received_at_gives_the_true_mtta_and_mttr():
    done = replay(
        [
            wrapped(START, TRIGGER),
            wrapped("2026-11-27T03:02:00Z", ACK),
            wrapped("2026-11-27T03:05:00Z", RESOLVE),
        ]
    )
    incident = done.incidents[0]
    assert (incident.time_to_acknowledge, incident.time_to_resolve) == (2.0, 5.0)
    assert done.borrowed == 0


def test_without_received_times_the_replay_counts_what_it_borrowed():
    done = replay([json.dumps(TRIGGER), json.dumps(ACK), json.dumps(RESOLVE)])
    assert done.borrowed == 2  # the ack and the resolve took the trigger's time
    assert done.incidents[0].time_to_resolve == 0.0  # what borrowing does: why it is counted


def test_a_named_field_beside_the_event_is_its_received_time():
    lines = [
        json.dumps(TRIGGER | {"seen": START}),
        json.dumps(ACK | {"seen": "2026-11-27T03:02:00Z"}),
        json.dumps(RESOLVE | {"seen": "2026-11-27T03:05:00Z"}),
    ]
    done = replay(lines, "seen")
    assert done.incidents[0].time_to_resolve == 5.0
    with pytest.raises(EventError, match="seen"):  # not named: an unknown Events v2 field
        parse_line(lines[1])


def test_a_wrapper_line_is_checked():
    with pytest.raises(EventError, match="received_at = 'soon'"):
        parse_line(wrapped("soon", ACK))
    with pytest.raises(EventError, match="received_at = '2026-11-27T03:02:00'"):
        parse_line(wrapped("2026-11-27T03:02:00", ACK))  # no offset
    with pytest.raises(EventError, match="only received_at and event"):
        parse_line(json.dumps({"received_at": START, "event": ACK, "extra": 1}))


def test_an_unknown_dedup_key_is_accepted_with_no_effect():
    done = replay([wrapped(START, TRIGGER), wrapped(START, ACK | {"dedup_key": "nope"})])
    assert done.unmatched == 1 and done.incidents[0].acknowledged_at is None


def test_cli_ingest_warns_but_does_not_fail_on_an_unknown_key(tmp_path: Path):
    file = tmp_path / "replay.jsonl"
    file.write_text(
        "\n".join(
            [
                wrapped(START, TRIGGER),
                wrapped("2026-11-27T03:02:00Z", ACK),
                wrapped("2026-11-27T03:05:00Z", RESOLVE),
                wrapped("2026-11-27T03:06:00Z", RESOLVE | {"dedup_key": "nope"}),
            ]
        )
        + "\n"
    )
    out = pager_lab("ingest", str(file))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[1].split()[:5] == ["INC-1", "resolved", "1", "2.0", "5.0"]
    assert out.stderr.strip().splitlines() == [
        f"warning: {file}:4: dedup_key = 'nope': no open incident to resolve "
        "(accepted with no effect, as PagerDuty does)"
    ]
