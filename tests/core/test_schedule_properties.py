"""Hypothesis: in a gap-free schedule exactly one responder is on call at any instant,
and the shifts tile the window without overlap."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pager_lab.core.schedule import Layer, Override, Restriction, Schedule

ZONES = [
    "UTC",
    "Europe/Dublin",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Singapore",
    "Australia/Sydney",
]
PEOPLE = ["Ann", "Ben", "Cat", "Dev"]
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@st.composite
def layers(draw, zone: ZoneInfo, restricted: bool) -> Layer:
    people = tuple(draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=4, unique=True)))
    unit = draw(st.sampled_from(["hours", "days", "weeks"]))
    length = draw(st.integers(1, 12 if unit == "hours" else 3))
    handoff = (EPOCH + timedelta(hours=draw(st.integers(0, 24 * 300)))).astimezone(zone)
    restrictions = ()
    if restricted:
        start, end = draw(
            st.tuples(st.integers(0, 23), st.integers(0, 23)).filter(lambda p: p[0] != p[1])
        )
        days = frozenset(draw(st.sets(st.integers(0, 6), min_size=1)))
        restrictions = (Restriction(time(start), time(end), days),)
    return Layer("l", people, length, unit, handoff, restrictions)


@st.composite
def schedules(draw) -> Schedule:
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    base = draw(layers(zone, restricted=False))  # a full-time base layer: no gaps
    extra = draw(st.lists(layers(zone, restricted=True), max_size=2))
    overrides = []
    for _ in range(draw(st.integers(0, 2))):
        start = EPOCH + timedelta(minutes=draw(st.integers(0, 60 * 24 * 360)))
        overrides.append(
            Override(
                draw(st.sampled_from(PEOPLE)),
                start,
                start + timedelta(minutes=draw(st.integers(1, 60 * 72))),
            )
        )
    return Schedule("p", str(zone), (base, *extra), tuple(overrides))


@given(schedules(), st.integers(0, 24 * 330), st.integers(1, 24 * 21), st.data())
def test_gap_free_schedules_tile_and_have_exactly_one_responder(schedule, offset, hours, data):
    start = EPOCH + timedelta(hours=offset)
    end = start + timedelta(hours=hours)
    shifts = schedule.shifts(start, end)
    assert schedule.gaps(start, end) == []
    assert shifts["start"].iloc[0] == start and shifts["end"].iloc[-1] == end
    assert list(shifts["end"].iloc[:-1]) == list(shifts["start"].iloc[1:])
    assert (shifts["end"] > shifts["start"]).all()
    assert shifts["hours"].sum() == pytest.approx(hours)
    for _ in range(5):
        at = start + timedelta(minutes=data.draw(st.integers(0, hours * 60 - 1)))
        row = shifts[(shifts["start"] <= at) & (shifts["end"] > at)]
        assert len(row) == 1, "exactly one shift holds each instant"
        assert schedule.on_call(at) == row["responder"].iloc[0] in PEOPLE
