"""The incident state machine: every legal and illegal transition, and derived durations."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pager_lab.core.clock import ManualClock
from pager_lab.core.errors import InvalidTransition
from pager_lab.core.incident import EntryKind, Incident, IncidentState, Severity


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def incident(clock: ManualClock) -> Incident:
    return Incident("INC-7", "Database Connection Failed", clock)


def test_full_lifecycle_records_every_step_and_derives_durations(incident, clock):
    incident.page("Alice", 1)
    clock.advance(3)
    incident.acknowledge("Alice")
    clock.advance(2)
    incident.triage("Alice", "sev1", need_help=False)
    clock.advance(10)
    incident.act("Alice", "restart")
    incident.resolve("Alice", action="restart")
    assert incident.state is IncidentState.RESOLVED
    assert [e.kind for e in incident.timeline] == [
        EntryKind.TRIGGERED,
        EntryKind.PAGED,
        EntryKind.ACKNOWLEDGED,
        EntryKind.TRIAGED,
        EntryKind.ACTION,
        EntryKind.RESOLVED,
    ]
    assert incident.time_to_acknowledge == 3
    assert incident.time_to_resolve == 15
    assert incident.acknowledged_by == "Alice"
    assert incident.resolved_by == "Alice"
    assert incident.severity is Severity.SEV1
    assert incident.highest_level == 1
    assert incident.pages_sent == 1


def test_resolve_straight_from_triggered_is_the_monitor_recovering(incident, clock):
    clock.advance(4)
    incident.resolve()
    assert incident.resolved_by == "monitor"
    assert incident.time_to_resolve == 4
    assert incident.time_to_acknowledge is None


def test_acknowledgement_timeout_retriggers_and_the_first_ack_counts(incident, clock):
    incident.page("Alice", 1)
    clock.advance(2)
    incident.acknowledge("Alice")
    clock.advance(30)
    incident.acknowledgement_timeout()
    assert incident.state is IncidentState.TRIGGERED
    incident.page("Bob", 2)
    clock.advance(1)
    incident.acknowledge("Bob")
    assert incident.acknowledged_by == "Alice"
    assert incident.time_to_acknowledge == 2
    assert incident.highest_level == 2


def test_auto_resolve_closes_an_open_incident(incident, clock):
    clock.advance(240)
    incident.auto_resolve()
    assert incident.state is IncidentState.RESOLVED
    assert incident.timeline[-1].kind is EntryKind.AUTO_RESOLVED
    assert incident.time_to_resolve == 240


def _resolved(incident: Incident) -> Incident:
    incident.resolve()
    return incident


@pytest.mark.parametrize(
    ("setup", "action", "state"),
    [
        (_resolved, lambda i: i.acknowledge("Alice"), "resolved"),
        (_resolved, lambda i: i.resolve("Alice"), "resolved"),
        (_resolved, lambda i: i.page("Alice", 1), "resolved"),
        (_resolved, lambda i: i.auto_resolve(), "resolved"),
        (_resolved, lambda i: i.acknowledgement_timeout(), "resolved"),
        (lambda i: i, lambda i: i.triage("Alice", "SEV2", False), "triggered"),
        (lambda i: i, lambda i: i.act("Alice", "restart"), "triggered"),
        (lambda i: i, lambda i: i.acknowledgement_timeout(), "triggered"),
        (lambda i: i, lambda i: i.page_for_help("Bob", 2, "Alice"), "triggered"),
    ],
)
def test_illegal_transitions_raise_naming_incident_state_and_action(incident, setup, action, state):
    setup(incident)
    before = list(incident.timeline)
    with pytest.raises(InvalidTransition) as err:
        action(incident)
    assert err.value.incident_id == "INC-7"
    assert err.value.state == state
    assert "INC-7" in str(err.value) and state in str(err.value)
    assert incident.timeline == before


def test_acknowledging_twice_and_triaging_twice_are_refused(incident):
    incident.acknowledge("Alice")
    with pytest.raises(InvalidTransition, match="acknowledge by Bob"):
        incident.acknowledge("Bob")
    incident.triage("Alice", Severity.SEV3, True)
    with pytest.raises(InvalidTransition, match="triage"):
        incident.triage("Alice", Severity.SEV3, True)


def test_paging_after_acknowledgement_is_refused_but_help_is_allowed(incident):
    incident.acknowledge("Alice")
    with pytest.raises(InvalidTransition):
        incident.page("Bob", 2)
    incident.page_for_help("Bob", 2, "Alice")
    assert incident.pages_sent == 1


def test_unknown_severity_is_a_clear_error(incident):
    incident.acknowledge("Alice")
    with pytest.raises(ValueError, match="'SEV9' is not one of SEV1"):
        incident.triage("Alice", "SEV9", False)


def test_a_clock_going_backwards_is_refused():
    class Backwards:
        start = ManualClock().start
        times = iter([5.0, 1.0])

        def now(self) -> float:
            return next(self.times)

        def advance(self, minutes: float) -> None:  # pragma: no cover - not used
            pass

    incident = Incident("INC-1", "x", Backwards())
    with pytest.raises(ValueError, match=r"went back from 5\.0 to 1\.0"):
        incident.acknowledge("Alice")


def test_triage_recorded_later_keeps_the_minute_it_happened(incident, clock):
    clock.advance(3)
    incident.acknowledge("Alice")
    clock.advance(20)
    incident.triage("Alice", "sev2", need_help=False, at=8.0)
    incident.resolve("Alice", action="fixed")
    times = [(e.kind, e.at) for e in incident.timeline]
    assert times[-2:] == [(EntryKind.TRIAGED, 8.0), (EntryKind.RESOLVED, 23.0)]
    assert incident.severity is Severity.SEV2


@pytest.mark.parametrize("at", [2.5, 23.5])
def test_triage_at_a_minute_before_the_last_entry_or_after_now_is_refused(incident, clock, at):
    clock.advance(3)
    incident.acknowledge("Alice")
    clock.advance(20)
    with pytest.raises(
        ValueError, match=rf"triage at minute {at} must lie between .*minute 3\.0.*minute 23\.0"
    ):
        incident.triage("Alice", "sev2", need_help=False, at=at)
    assert incident.state is IncidentState.ACKNOWLEDGED


def test_the_timeline_refuses_a_clock_that_went_back():
    class Rewound:
        start = datetime(2026, 11, 27, 3, tzinfo=UTC)

        def __init__(self) -> None:
            self.minutes = [3.0]

        def now(self) -> float:
            return self.minutes[-1]

    clock = Rewound()
    incident = Incident("INC-8", "Disk full", clock)  # type: ignore[arg-type]
    incident.acknowledge("Alice")
    clock.minutes.append(2.0)
    with pytest.raises(ValueError, match=r"INC-8: the clock went back from 3\.0 to 2\.0"):
        incident.triage("Alice", "sev2", need_help=False)
    assert incident.state is IncidentState.ACKNOWLEDGED


def test_facts_read_together_equal_the_properties(incident, clock):
    clock.advance(2)
    incident.page("Alice", 1)
    clock.advance(3)
    incident.acknowledge("Alice")
    clock.advance(10)
    incident.resolve("Alice", action="fixed")
    facts = incident.facts()
    assert facts == (
        incident.triggered_at,
        incident.acknowledged_at,
        incident.acknowledged_by,
        incident.resolved_at,
        incident.resolved_by,
        incident.highest_level,
        incident.pages_sent,
        incident.is_no_one_answered,
    )
    assert facts.acknowledged_at == 5.0 and facts.resolved_by == "Alice"


def test_to_dict_has_timestamps_and_derived_values(incident, clock):
    clock.advance(2)
    incident.acknowledge("Alice")
    data = incident.to_dict()
    assert data["time_to_acknowledge_minutes"] == 2
    assert data["timeline"][1]["timestamp"] == "2026-11-27T03:02:00+00:00"
    assert repr(incident) == "Incident('INC-7', 'Database Connection Failed', state=acknowledged)"
