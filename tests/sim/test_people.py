"""The simulation's people and look-ups: fast paths must answer exactly like the slow ones."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import simpy

from pager_lab.core.schedule_io import load_schedule
from pager_lab.sim.calendars import CompiledSchedule, WindowCalendar
from pager_lab.sim.people import Person, Roster, RosterLevel, SlotTarget
from pager_lab.sim.scenario import Fatigue, ResponseModel
from tests.helpers import DATA

START = datetime(2026, 3, 1, tzinfo=UTC)  # spans both DST changes of 2026 within the year


@pytest.fixture
def roster_and_schedule():
    schedule = load_schedule(DATA / "schedules" / "follow-the-sun.toml")
    zones = dict(schedule.responder_zones)
    roster = Roster(zones)
    env = simpy.Environment()
    end = START + timedelta(days=60)
    for i, (name, zone) in enumerate(zones.items()):
        calendar = WindowCalendar(zone, START, end)
        roster.seat(Person(name, name, calendar, np.random.default_rng(i), env, 0.0))
    return roster, CompiledSchedule(schedule, START, end)


def test_a_slot_target_answers_the_same_in_minutes_and_in_datetimes(roster_and_schedule):
    roster, compiled = roster_and_schedule
    target = SlotTarget(compiled, roster)
    roster.vacate("Aoife", 0.0)  # a vacant slot pages nobody, both ways
    minutes = np.arange(-90.0, 70 * 24 * 60, 37.0)  # before, inside and past the compiled window
    for minute in minutes:
        at = START + timedelta(minutes=float(minute))
        assert target.on_call_minute(float(minute)) == target.on_call(at), minute
    answers = {target.on_call_minute(float(m)) for m in minutes}
    assert None in answers and "Mei" in answers and "Aoife" not in answers


def test_a_slot_target_remembers_a_span_but_never_answers_from_a_stale_one(roster_and_schedule):
    roster, compiled = roster_and_schedule
    target = SlotTarget(compiled, roster)
    level = RosterLevel((SlotTarget(compiled, roster),), 5.0)  # one target: looked up inline
    rng = np.random.default_rng(3)
    minutes = np.concatenate(
        [rng.uniform(-60.0, 70 * 24 * 60, 400), rng.uniform(0.0, 2 * 24 * 60, 400)]
    )  # any order: back and forth, before, inside and past the compiled window
    for i, minute in enumerate(minutes):
        if i == 500:
            roster.vacate("Mei", 0.0)  # the holder is read every time, not remembered
        at = START + timedelta(minutes=float(minute))
        who = target.on_call(at)
        assert target.on_call_minute(float(minute)) == who, minute
        assert level.responders_after(START, float(minute)) == (() if who is None else (who,))


def test_a_compiled_schedule_span_holds_exactly_one_responder(roster_and_schedule):
    _, compiled = roster_and_schedule
    spans = 0
    for minute in np.arange(0.0, 60 * 24 * 60, 53.0):
        who, since, until = compiled.slot_span(float(minute))
        assert since <= minute < until and who == compiled.on_call_minute(float(minute))
        assert compiled.on_call_minute(since) == who == compiled.on_call_minute(until - 1e-6)
        spans += since > 0
    assert spans > 100
    assert compiled.slot_span(-5.0)[1:] == (-5.0, -5.0)  # outside: an empty span
    assert compiled.slot_span(61 * 24 * 60.0)[1:] == (61 * 24 * 60.0, 61 * 24 * 60.0)


def test_a_roster_level_pages_each_person_once_and_skips_gaps(roster_and_schedule):
    roster, compiled = roster_and_schedule
    fixed, scheduled = SlotTarget("Mei", roster), SlotTarget(compiled, roster)
    level = RosterLevel((fixed, scheduled, SlotTarget("Mei", roster)), 5.0)
    singapore_day = 2 * 60.0  # 10:00 in Singapore: Mei or Wei is on the schedule
    on_call = scheduled.on_call_minute(singapore_day)
    expected = ("Mei",) if on_call == "Mei" else ("Mei", on_call)
    assert level.responders_after(START, singapore_day) == expected
    roster.vacate("Mei", 0.0)
    alone = RosterLevel((fixed,), 5.0)
    assert alone.responders_after(START, singapore_day) == ()
    with pytest.raises(TypeError, match="SlotTarget"):
        RosterLevel(("Mei",), 5.0)


def test_the_window_span_holds_exactly_the_minutes_of_one_window():
    calendar = WindowCalendar("Europe/Dublin", START, START + timedelta(days=10))
    for minute in np.arange(0.0, 9 * 24 * 60, 11.0):
        window, since, until = calendar.window_span(float(minute))
        assert since <= minute < until
        assert window == calendar.window_index(float(minute))
        assert calendar.window_index(since) == window
        assert calendar.window_index(until - 1e-6) == window


def test_a_person_remembers_the_window_but_never_answers_from_a_stale_one():
    calendar = WindowCalendar("Europe/Dublin", START, START + timedelta(days=3))
    person = Person("Ann", "Ann", calendar, np.random.default_rng(0), simpy.Environment(), 0.0)
    # 2026-03-01 is a Sunday: 00:00 sleep, 08:00 off-hours (weekend), 22:00 sleep again.
    pages = [60.0, 61.0, 8 * 60.0 - 0.5, 8 * 60.0, 21 * 60.0, 22 * 60.0, 24 * 60 + 8 * 60.0]
    windows = [person.answer_page(m, ResponseModel(), Fatigue())[0] for m in pages]
    assert windows == [calendar.window_index(m) for m in pages] == [2, 2, 2, 1, 1, 2, 0]
    assert person.sleep_pages == [60.0, 61.0, 8 * 60.0 - 0.5, 22 * 60.0]


def test_reprs_name_things_without_memory_addresses(roster_and_schedule):
    roster, compiled = roster_and_schedule
    calendar = roster.by_name["Mei"].calendar
    for thing in (compiled, calendar, roster.by_name["Mei"], SlotTarget(compiled, roster)):
        assert " at 0x" not in repr(thing)
    assert repr(compiled).startswith("CompiledSchedule('follow-the-sun', shifts=")
    assert repr(calendar).startswith("WindowCalendar('Asia/Singapore'")


def test_typed_frame_keeps_the_schema_with_missing_values_and_without_rows():
    import pandas as pd

    from pager_lab.sim.tables import typed_frame

    schema = {"who": "str", "at": "float64", "n": "int64", "ok": "bool"}
    frame = typed_frame([("Ann", 1.5, 2, True), (None, None, 3, False)], schema)
    assert [str(t) for t in frame.dtypes] == ["str", "float64", "int64", "bool"]
    assert frame["who"].tolist()[0] == "Ann" and pd.isna(frame["who"].iloc[1])
    assert frame["at"].iloc[0] == 1.5 and pd.isna(frame["at"].iloc[1])
    empty = typed_frame([], schema)
    assert len(empty) == 0 and [str(t) for t in empty.dtypes] == ["str", "float64", "int64", "bool"]


@pytest.mark.parametrize("rows", [[("Ann", 1.5, 2)], [("Ann", 1.5, 2, True, 9), ("Bo", 1.0, 1)]])
def test_typed_frame_refuses_rows_that_do_not_match_the_schema(rows):
    from pager_lab.sim.tables import typed_frame

    schema = {"who": "str", "at": "float64", "n": "int64", "ok": "bool"}
    with pytest.raises(ValueError, match=r"every row must have 4 values.*'who', 'at', 'n', 'ok'"):
        typed_frame(rows, schema)


def test_next_business_is_the_minute_itself_or_the_next_business_start():
    calendar = WindowCalendar("America/New_York", START, START + timedelta(days=20))
    fresh = WindowCalendar("America/New_York", START, START + timedelta(days=20))

    def brute_force(minute: float) -> float:  # walk forward a whole minute at a time
        at = minute  # (window boundaries fall on whole minutes after START)
        while fresh.window_index(at) != 0:
            at = math.floor(at) + 1.0
        return at

    rng = np.random.default_rng(11)
    minutes = np.concatenate([rng.uniform(0, 18 * 24 * 60, 300), np.arange(0, 3 * 24 * 60, 97.0)])
    for minute in minutes:  # any order; 2026-03-08 (day 7) is a DST change in New York
        expected = brute_force(float(minute))
        assert calendar.next_business(float(minute)) == pytest.approx(expected, abs=1e-6), minute
    tuesday_11_edt = 9 * 24 * 60 + 15 * 60.0
    assert calendar.next_business(tuesday_11_edt) == tuesday_11_edt
