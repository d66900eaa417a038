"""An ingest replay paged through a scenario (pager_lab.analysis.replay_routing)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pager_lab.alerting.ingest import Event
from pager_lab.analysis.replay_routing import route_events
from pager_lab.sim.scenario_io import load_scenario
from tests.helpers import DATA

FRIDAY = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # Europe/Dublin is UTC in November


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(DATA / "scenarios" / "baseline.toml")


def _trigger(key: str, at: datetime, severity: str = "critical") -> Event:
    return Event("trigger", key, f"{key} is down", "db-1.prod", severity, at)


def test_pages_walk_the_policy_until_the_acknowledgement(baseline):
    events = [
        _trigger("A", FRIDAY),
        _trigger("A", FRIDAY + timedelta(minutes=1)),  # joins INC-1
        Event("acknowledge", "A", timestamp=FRIDAY + timedelta(minutes=12)),
        Event("resolve", "A", timestamp=FRIDAY + timedelta(minutes=30)),
    ]
    result = route_events(events, baseline)
    primary = baseline.schedules["primary"].on_call(FRIDAY)
    secondary = baseline.schedules["secondary"].on_call(FRIDAY + timedelta(minutes=5))
    pages = result.pages
    # level 1 at 03:00 (5 min), level 2 at 03:05 (10 min): the ack at 03:12 falls in level 2
    assert list(pages["minute"]) == [0.0, 5.0]
    assert list(pages["responder"]) == [primary, secondary]
    assert list(pages["outcome"]) == ["unanswered", "acknowledged"]
    assert list(pages["window"].astype(str)) == ["sleep", "sleep"]
    incident = result.incidents.iloc[0]
    assert incident["alerts"] == 2 and incident["highest_level"] == 2 and incident["pages"] == 2
    assert incident["time_to_acknowledge"] == 12.0 and incident["time_to_resolve"] == 30.0
    assert incident["acknowledged_by"] == "events-api"  # what the data says
    assert list(result.alerts["joined"]) == [False, True, True]  # trigger, join, resolve
    assert result.scenario.start == FRIDAY
    for page_id in range(len(pages)):
        assert result.why(page_id).notes == []
    assert "1 later alert(s) with the same key joined INC-1" in str(result.why(0))
    assert "a replay: when the acknowledgement came is in the data" in str(result.why(0))


def test_low_urgency_waits_for_business_hours_and_never_escalates(baseline):
    saturday = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
    result = route_events([_trigger("W", saturday, "warning")], baseline)
    pages = result.pages
    monday_eight = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert list(pages["timestamp"]) == [monday_eight]  # level 1 once: nobody acknowledged
    assert bool(result.incidents["low_urgency"].iloc[0])
    text = "\n".join(result.why(0).link("urgency").lines)
    assert "SEV3 is low urgency" in text and "held 54.0 h" in text


def test_an_incident_resolved_while_held_pages_nobody(baseline):
    saturday = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
    events = [
        _trigger("W", saturday, "info"),
        Event("resolve", "W", timestamp=saturday + timedelta(hours=1)),
    ]
    result = route_events(events, baseline)
    assert result.pages.empty
    assert result.incidents["pages"].tolist() == [0]


def test_an_unacknowledged_incident_exhausts_every_loop(baseline):
    result = route_events([_trigger("X", FRIDAY)], baseline)
    steps = len(baseline.policy.levels) * (baseline.policy.repeat + 1)
    assert len(result.pages) == steps
    assert set(result.pages["outcome"]) == {"unanswered"}
    assert bool(result.incidents["no_one_answered"].iloc[0])
    assert list(result.pages["loop"]) == [0, 0, 1, 1]


def test_events_without_any_timestamp_need_a_start(baseline):
    with pytest.raises(ValueError, match="no event has a timestamp"):
        route_events([Event("trigger", "k", "s", "x", "critical")], baseline)
