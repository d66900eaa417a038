"""Events API v2 and Alertmanager v4: validation, dedup semantics, and `pager-lab ingest`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pager_lab.alerting.ingest import (
    EventError,
    EventReplay,
    parse_alertmanager,
    parse_event,
    parse_line,
)
from tests.helpers import DATA, pager_lab

TRIGGER = {
    "routing_key": "K",
    "event_action": "trigger",
    "dedup_key": "db",
    "payload": {
        "summary": "DB down",
        "source": "db-1",
        "severity": "critical",
        "timestamp": "2026-11-27T03:00:00Z",
    },
}


def with_payload(**changes):
    event = json.loads(json.dumps(TRIGGER))
    event["payload"].update(changes)
    return event


def test_a_valid_trigger_round_trips():
    event = parse_event(TRIGGER)
    assert (event.action, event.dedup_key, event.severity) == ("trigger", "db", "critical")
    assert event.timestamp == datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
    assert parse_event(event.to_dict("K")) == event


@pytest.mark.parametrize(
    ("event", "match"),
    [
        (
            {**TRIGGER, "event_action": "snooze"},
            r"event_action = 'snooze': expected trigger \| acknowledge \| resolve",
        ),
        (with_payload(severity="urgent"), r"payload\.severity = 'urgent'"),
        (
            with_payload(summary="x" * 1025),
            r"payload\.summary = '<1025 characters>': expected "
            r"at most 1024",
        ),
        ({**TRIGGER, "dedup_key": "k" * 256}, r"dedup_key = '<256 characters>'"),
        ({k: v for k, v in TRIGGER.items() if k != "routing_key"}, r"routing_key = None"),
        ({**TRIGGER, "payload": {"summary": "s", "severity": "info"}}, r"payload\.source"),
        ({"routing_key": "K", "event_action": "resolve"}, r"dedup_key = None"),
        ({**TRIGGER, "colour": "red"}, r"colour = 'red': expected one of the Events v2 fields"),
        (with_payload(timestamp="yesterday"), r"payload\.timestamp = 'yesterday'"),
    ],
)
def test_malformed_events_name_the_field(event, match):
    with pytest.raises(EventError, match=match):
        parse_event(event)


def test_invalid_json_is_a_clear_error():
    with pytest.raises(EventError, match=r"expected valid JSON"):
        parse_line('{"event_action": ')


def test_dedup_joins_open_incidents_and_reopens_after_resolve():
    replay = EventReplay(datetime(2026, 11, 27, 3, tzinfo=UTC))
    first = replay.apply(parse_event(TRIGGER))
    again = replay.apply(parse_event(with_payload(timestamp="2026-11-27T03:02:00Z")))
    assert again is first and replay.alerts[first.id] == 2
    replay.apply(
        parse_event({"routing_key": "K", "event_action": "acknowledge", "dedup_key": "db"})
    )
    replay.apply(parse_event({"routing_key": "K", "event_action": "resolve", "dedup_key": "db"}))
    assert first.state.value == "resolved" and first.time_to_acknowledge == 2
    reopened = replay.apply(parse_event(with_payload(timestamp="2026-11-27T04:00:00Z")))
    assert reopened is not first and len(replay.incidents) == 2
    nokey = {k: v for k, v in TRIGGER.items() if k != "dedup_key"}
    generated = replay.apply(parse_event(nokey))
    assert generated.timeline[0].detail["dedup_key"].startswith("generated-")


def test_alertmanager_bodies_become_events_with_runbook_links():
    body = json.loads((DATA / "events" / "alertmanager.jsonl").read_text().splitlines()[0])
    events = parse_alertmanager(body)
    assert [e.action for e in events] == ["trigger", "trigger"]
    assert events[0].dedup_key == "a1b2c3d4" and events[0].severity == "critical"
    assert events[0].links == (
        {"href": "https://runbooks.example/high-error-rate", "text": "runbook"},
    )
    assert events[0].summary == "5xx above 5% on web-1"
    body["alerts"][0]["labels"]["severity"] = "sev-ish"
    assert parse_alertmanager(body)[0].custom_details["original_severity"] == "sev-ish"
    with pytest.raises(EventError, match=r"alerts\[0\]\.status = 'burning'"):
        parse_alertmanager(
            {"version": "4", "alerts": [{"status": "burning", "labels": {"alertname": "X"}}]}
        )
    with pytest.raises(EventError, match=r"version = '3'"):
        parse_alertmanager({"version": "3", "alerts": []})


def test_cli_ingest_prints_incidents_with_mtta_and_mttr():
    out = pager_lab("ingest", str(DATA / "events" / "events-v2.jsonl"))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[1].split()[:5] == ["INC-1", "resolved", "3", "2.0", "20.0"]
    assert "runbook: runbooks/database-connection-failed.md" in lines[1]
    assert lines[-1] == "8 events, 3 incidents, 0 problems, 1 warnings (times in minutes)"
    assert "3 of 8 events had no time of their own" in out.stderr


def test_cli_ingest_reports_every_bad_line_and_keeps_going(tmp_path: Path):
    out = pager_lab("ingest", str(DATA / "events" / "broken.jsonl"))
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    errors = [line for line in lines if not line.startswith("warning:")]
    assert [e.split(":")[1] for e in errors] == ["2", "3", "4", "5", "6"]
    assert (
        lines[len(errors) :]
        == [  # the resolve without a time borrowed one, and says so
            lines[-1]
        ]
        and "1 of 2 events had no time of their own" in lines[-1]
    )
    assert "payload.summary = None" in errors[0]
    assert "payload.severity = 'urgent'" in errors[1]
    assert "at most 1024 characters" in errors[2]
    assert "valid JSON" in errors[3]
    assert "INC-1    resolved" in out.stdout  # the good lines still replayed
    assert "Traceback" not in out.stderr
