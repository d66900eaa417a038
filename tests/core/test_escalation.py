"""Escalation in simulated time: timeouts, repeats, empty levels, acknowledgement, help."""

from __future__ import annotations

from datetime import datetime

import pytest

from pager_lab.core.clock import ManualClock
from pager_lab.core.errors import ConfigError
from pager_lab.core.escalation import EscalationLevel, EscalationPolicy, EscalationRun
from pager_lab.core.incident import EntryKind, Incident


class Gap:
    """A schedule target that never has anyone on call."""

    name = "empty"

    def on_call(self, at: datetime) -> str | None:
        return None


def run_with(policy: EscalationPolicy) -> tuple[EscalationRun, ManualClock]:
    clock = ManualClock()
    return EscalationRun(policy, Incident("INC-1", "db", clock), clock), clock


def exhaust(run: EscalationRun, clock: ManualClock) -> list[tuple[float, int, int, tuple]]:
    """Let every page time out; returns (minute, level, loop, responders) of each page."""
    seen = []
    while (batch := run.page_next()) is not None:
        seen.append((clock.now(), batch.level, batch.loop, batch.responders))
        clock.set(batch.deadline)
        run.time_out()
    return seen


def test_each_level_waits_its_timeout_then_no_one_answered():
    policy = EscalationPolicy(
        "p",
        (
            EscalationLevel(("Alice",), 5),
            EscalationLevel(("Bob", "Dan"), 10),
            EscalationLevel(("Charlie",), 15),
        ),
    )
    run, clock = run_with(policy)
    assert exhaust(run, clock) == [
        (0, 1, 0, ("Alice",)),
        (5, 2, 0, ("Bob", "Dan")),
        (15, 3, 0, ("Charlie",)),
    ]
    incident = run.incident
    assert incident.is_no_one_answered
    assert incident.state.value == "triggered"
    assert [e.actor for e in incident.entries(EntryKind.NO_ANSWER)] == [
        "Alice",
        "Bob",
        "Dan",
        "Charlie",
    ]
    assert incident.timeline[-1].at == 30
    assert incident.pages_sent == 4


def test_repeat_loops_the_whole_policy():
    run, clock = run_with(EscalationPolicy.chain(["Alice", "Bob"], 5, repeat=2))
    pages = exhaust(run, clock)
    assert [(level, loop) for _, level, loop, _ in pages] == [
        (1, 0),
        (2, 0),
        (1, 1),
        (2, 1),
        (1, 2),
        (2, 2),
    ]
    assert pages[-1][0] == 25


def test_a_level_with_nobody_to_page_is_skipped_without_waiting():
    policy = EscalationPolicy(
        "p",
        (EscalationLevel((Gap(),), 30), EscalationLevel(("Bob",), 5)),
    )
    run, _ = run_with(policy)
    batch = run.page_next()
    assert batch is not None and batch.responders == ("Bob",) and batch.paged_at == 0
    skipped = list(run.incident.entries(EntryKind.LEVEL_SKIPPED))
    assert [(e.at, e.detail["level"]) for e in skipped] == [(0, 1)]


def test_acknowledgement_stops_escalation():
    run, clock = run_with(EscalationPolicy.chain(["Alice", "Bob", "Charlie"]))
    run.page_next()
    clock.advance(2)
    run.incident.acknowledge("Alice")
    assert run.page_next() is None
    assert not run.incident.is_no_one_answered
    assert run.incident.highest_level == 1


def test_timing_out_early_is_refused():
    run, clock = run_with(EscalationPolicy.chain(["Alice", "Bob"], 5))
    run.page_next()
    clock.advance(4)
    with pytest.raises(ValueError, match="times out at minute 5, not at 4"):
        run.time_out()


def test_restart_after_ack_timeout_pages_level_one_again():
    run, clock = run_with(EscalationPolicy.chain(["Alice", "Bob"], 5))
    run.page_next()
    run.incident.acknowledge("Alice")
    clock.advance(30)
    run.incident.acknowledgement_timeout()
    run.restart()
    batch = run.page_next()
    assert batch is not None and batch.level == 1 and batch.paged_at == 30


def test_help_goes_to_the_next_level():
    run, clock = run_with(EscalationPolicy.chain(["Alice", "Bob", "Charlie"]))
    run.page_next()
    clock.set(5)
    run.time_out()
    run.page_next()
    run.incident.acknowledge("Bob")
    assert run.help_responders("Bob") == (3, ("Charlie",))


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: EscalationPolicy("p", ()), "levels"),
        (lambda: EscalationPolicy.chain(["A"], repeat=10), "repeat = 10"),
        (lambda: EscalationPolicy.chain(["A"], repeat=-1), "repeat = -1"),
        (lambda: EscalationLevel(("A",), 0), "timeout_minutes = 0"),
        (lambda: EscalationLevel(("A",), -5), "timeout_minutes = -5"),
    ],
)
def test_invalid_policies_are_refused(make, match):
    with pytest.raises(ConfigError, match=match):
        make()
