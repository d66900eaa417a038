"""The schedule's and the policy's reasons (pager_lab.core.explain).

The explanation must name the person ``Schedule.on_call`` names, at any instant of any
schedule (Hypothesis, with the schedules of test_schedule_properties), and its parts
must be the ones that decided.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pager_lab.core.escalation import EscalationLevel, EscalationPolicy
from pager_lab.core.explain import (
    describe_restriction,
    describe_target,
    explain_on_call,
    explain_window,
    steps_until,
)
from pager_lab.core.schedule import Layer, Override, Restriction, Schedule
from pager_lab.core.windows import Window
from tests.core.test_schedule_properties import EPOCH, layers, schedules

MONDAY = datetime(2026, 11, 2, tzinfo=UTC)


@st.composite
def gappy_schedules(draw) -> Schedule:
    """Only restricted layers: gaps happen."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(draw(st.sampled_from(["UTC", "Europe/Dublin", "Australia/Sydney"])))
    extra = draw(st.lists(layers(zone, restricted=True), min_size=1, max_size=3))
    return Schedule("g", str(zone), tuple(extra))


@settings(max_examples=150)
@given(st.one_of(schedules(), gappy_schedules()), st.integers(0, 60 * 24 * 360))
def test_the_explanation_names_whoever_on_call_names(schedule, minute):
    at = EPOCH + timedelta(minutes=minute)
    reason = explain_on_call(schedule, at)
    assert reason.responder == schedule.on_call(at)
    if reason.override is not None:
        assert reason.override.start <= at < reason.override.end
    elif reason.responder is not None:
        layer = schedule.layers[reason.layer_number - 1]
        assert layer.name == reason.layer
        assert reason.turn_start <= at < reason.turn_end
        assert layer.responders[reason.turn % len(layer.responders)] == reason.responder
        if layer.restrictions:
            assert reason.restriction in layer.restrictions
            a, b = reason.restriction_window
            assert a <= at < b
    assert reason.lines()


def _schedule() -> Schedule:
    days = Layer("days", ("Ann", "Ben"), 1, "days", MONDAY.replace(hour=8))
    nights = Layer(
        "nights", ("Cat",), 1, "weeks", MONDAY.replace(hour=8), (Restriction(time(22), time(6)),)
    )
    cover = Override("Dev", MONDAY + timedelta(days=2, hours=10), MONDAY + timedelta(days=3))
    return Schedule("primary", "UTC", (days, nights), (cover,))


def test_a_restriction_across_midnight_holds_after_midnight():
    at = MONDAY + timedelta(days=1, hours=3)  # Tue 03:00: the window that began Mon 22:00
    reason = explain_on_call(_schedule(), at)
    assert (reason.responder, reason.layer, reason.layer_number) == ("Cat", "nights", 2)
    assert reason.restriction_window == (
        MONDAY + timedelta(hours=22),
        MONDAY + timedelta(days=1, hours=6),
    )
    text = "\n".join(reason.lines())
    assert "restricted to 22:00-06:00 (crosses midnight)" in text
    assert "Mon 2026-11-02 22:00 UTC to Tue 2026-11-03 06:00 UTC" in text


def test_the_lower_layer_decides_outside_the_restriction_and_says_why():
    reason = explain_on_call(_schedule(), MONDAY + timedelta(days=1, hours=12))
    assert (reason.responder, reason.layer, reason.turn) == ("Ben", "days", 1)
    assert reason.turn_start == MONDAY + timedelta(days=1, hours=8)
    assert reason.passed_over == (
        "layer 'nights' (layer 2) did not decide: it is restricted to 22:00-06:00 "
        "(crosses midnight), and 12:00 Tue is outside",
    )
    assert "position 2 of 2" in "\n".join(reason.lines())


def test_an_override_wins_over_every_layer():
    at = MONDAY + timedelta(days=2, hours=23)  # nights would say Cat
    reason = explain_on_call(_schedule(), at)
    assert reason.responder == "Dev" and reason.override is not None and reason.layer == ""
    assert "an override puts Dev on call" in reason.lines()[0]


def test_a_gap_is_named():
    office = Layer(
        "office",
        ("Eli",),
        1,
        "weeks",
        MONDAY,
        (Restriction(time(9), time(17), frozenset(range(5))),),
    )
    reason = explain_on_call(Schedule("secondary", "UTC", (office,)), MONDAY + timedelta(hours=20))
    assert reason.responder is None
    assert "nobody on call" in reason.lines()[-1]
    assert "09:00-17:00 starting mon,tue,wed,thu,fri" in reason.lines()[0]


def test_steps_walk_levels_then_loops():
    policy = EscalationPolicy.chain(["Ann", "Ben", "Cat"], repeat=2)
    steps = steps_until(policy, 2, 1)
    assert [(s.level, s.loop) for s in steps] == [(1, 0), (2, 0), (3, 0), (1, 1), (2, 1)]
    assert steps[-1].label == "level 2, loop 1"
    assert steps[-1].targets.targets == ("Ben",)
    for level, loop in ((0, 0), (4, 0), (1, 3), (1, -1)):
        with pytest.raises(ValueError, match="levels 1-3, loops 0-2"):
            steps_until(policy, level, loop)


def test_targets_restrictions_and_windows_in_words():
    assert describe_target("Ann") == "Ann (named in the policy)"
    assert describe_target(_schedule()) == "schedule 'primary'"
    assert describe_restriction(Restriction(time(9), time(17))) == "09:00-17:00"
    window, text = explain_window(MONDAY + timedelta(hours=3), "America/New_York")
    assert window is Window.SLEEP  # Sun 22:00 in New York
    assert "Sun 2026-11-01 22:00 EST in America/New_York is sleep" in text
    level = EscalationLevel(("Ann",))
    assert describe_target(level.targets[0]).startswith("Ann")
