"""On-call schedules: the seed's split, DST, layers, overrides, gaps, file errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pager_lab.core.errors import ConfigError
from pager_lab.core.schedule import Layer, Override, Restriction, Schedule
from pager_lab.core.schedule_io import export_ics, load_schedule, load_schedules, parse_schedule
from tests.helpers import DATA

DUBLIN, BERLIN = ZoneInfo("Europe/Dublin"), ZoneInfo("Europe/Berlin")
SCHEDULES = DATA / "schedules"


@pytest.fixture(scope="module")
def bundled() -> dict[str, Schedule]:
    return load_schedules(SCHEDULES)


@pytest.mark.parametrize(
    ("day", "hour", "minute", "who"),
    [
        (27, 8, 59, "Bob"),
        (27, 9, 0, "Alice"),
        (27, 16, 59, "Alice"),
        (27, 17, 0, "Bob"),
        (27, 23, 59, "Bob"),
        (28, 0, 0, "Bob"),
        (28, 3, 0, "Bob"),
        (28, 9, 0, "Alice"),
    ],
)
def test_the_seeds_nine_to_five_split(bundled, day, hour, minute, who):
    at = datetime(2026, 11, day, hour, minute, tzinfo=DUBLIN)
    assert bundled["business-hours"].on_call(at) == who


def test_a_naive_time_is_refused_with_an_example(bundled):
    with pytest.raises(ValueError, match=r"naive: give a time zone, e\.g\. 2026-11-27T03:00"):
        bundled["business-hours"].on_call(datetime(2026, 11, 27, 3, 0))


def daily(zone: ZoneInfo, people=("Ann", "Ben")) -> Schedule:
    layer = Layer("daily", people, 1, "days", datetime(2026, 3, 1, 9, 0, tzinfo=zone))
    return Schedule("daily", str(zone), (layer,))


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        (BERLIN, (2026, 3, 29)),
        (BERLIN, (2026, 10, 25)),
        (ZoneInfo("America/New_York"), (2026, 3, 8)),
    ],
)
def test_a_daily_handoff_stays_at_nine_local_across_dst(zone, day):
    schedule = daily(zone)
    start = datetime(*day, tzinfo=zone) - timedelta(days=2)
    shifts = schedule.shifts(start, start + timedelta(days=5))
    handoffs = [s.astimezone(zone) for s in shifts["start"].iloc[1:]]
    assert all((h.hour, h.minute) == (9, 0) for h in handoffs)
    assert len(handoffs) == 5
    assert not schedule.gaps(start, start + timedelta(days=5))
    ends = list(shifts["end"].iloc[:-1])
    assert ends == list(shifts["start"].iloc[1:]), "shifts must tile with no overlap"
    assert shifts["hours"].sum() == pytest.approx(
        (5 * 24) + (0 if day[1] != 3 else -1) + (1 if day[1] == 10 else 0)
    )


def test_hourly_turns_are_elapsed_time():
    layer = Layer("h", ("A", "B"), 12, "hours", datetime(2026, 3, 28, 20, 0, tzinfo=BERLIN))
    schedule = Schedule("h", "Europe/Berlin", (layer,))
    # 12 elapsed hours after 20:00 CET on the spring-forward night is 09:00 CEST.
    assert schedule.on_call(datetime(2026, 3, 29, 8, 59, tzinfo=BERLIN)) == "A"
    assert schedule.on_call(datetime(2026, 3, 29, 9, 0, tzinfo=BERLIN)) == "B"


def test_a_later_layer_wins_and_overrides_win_over_layers():
    handoff = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
    base = Layer("base", ("Bob",), 1, "weeks", handoff)
    day = Layer(
        "day",
        ("Alice",),
        1,
        "weeks",
        handoff,
        (Restriction(datetime.min.time().replace(hour=9), datetime.min.time().replace(hour=17)),),
    )
    pto = Override(
        "Charlie", datetime(2026, 11, 4, 10, tzinfo=UTC), datetime(2026, 11, 4, 12, tzinfo=UTC)
    )
    schedule = Schedule("s", "UTC", (base, day), (pto,))
    assert schedule.on_call(datetime(2026, 11, 4, 9, 30, tzinfo=UTC)) == "Alice"
    assert schedule.on_call(datetime(2026, 11, 4, 11, 0, tzinfo=UTC)) == "Charlie"
    assert schedule.on_call(datetime(2026, 11, 4, 12, 0, tzinfo=UTC)) == "Alice"
    assert schedule.on_call(datetime(2026, 11, 4, 20, 0, tzinfo=UTC)) == "Bob"
    shifts = schedule.shifts(datetime(2026, 11, 4, tzinfo=UTC), datetime(2026, 11, 5, tzinfo=UTC))
    assert list(zip(shifts.responder, shifts.layer, shifts.override, strict=True)) == [
        ("Bob", "base", False),
        ("Alice", "day", False),
        ("Charlie", "override", True),
        ("Alice", "day", False),
        ("Bob", "base", False),
    ]


def test_weekday_restrictions_leave_weekend_gaps_that_are_reported():
    weekdays = Restriction(
        datetime.min.time().replace(hour=9),
        datetime.min.time().replace(hour=17),
        frozenset(range(5)),
    )
    layer = Layer("office", ("Ann",), 1, "weeks", datetime(2026, 11, 2, tzinfo=UTC), (weekdays,))
    schedule = Schedule("office", "UTC", (layer,))
    gaps = schedule.gaps(
        datetime(2026, 11, 6, 12, tzinfo=UTC), datetime(2026, 11, 9, 12, tzinfo=UTC)
    )
    assert gaps == [(datetime(2026, 11, 6, 17, tzinfo=UTC), datetime(2026, 11, 9, 9, tzinfo=UTC))]
    assert schedule.on_call(datetime(2026, 11, 7, 12, tzinfo=UTC)) is None


def test_a_restriction_crossing_midnight():
    nights = Restriction(datetime.min.time().replace(hour=22), datetime.min.time().replace(hour=6))
    layer = Layer("n", ("Owl",), 1, "weeks", datetime(2026, 11, 2, tzinfo=UTC), (nights,))
    schedule = Schedule("n", "UTC", (layer,))
    assert schedule.on_call(datetime(2026, 11, 3, 23, tzinfo=UTC)) == "Owl"
    assert schedule.on_call(datetime(2026, 11, 4, 5, 59, tzinfo=UTC)) == "Owl"
    assert schedule.on_call(datetime(2026, 11, 4, 6, 0, tzinfo=UTC)) is None


def test_follow_the_sun_never_covers_anyones_night(bundled):
    schedule = bundled["follow-the-sun"]
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    assert schedule.gaps(start, end) == []
    hours = schedule.hours_by_window(start, end)
    assert (hours["sleep"] == 0).all(), hours
    assert hours["total"].sum() == pytest.approx(365 * 24)


def test_bundled_primary_and_secondary_differ_every_week(bundled):
    start = datetime(2026, 11, 2, 12, tzinfo=DUBLIN)
    for week in range(8):
        at = start + timedelta(weeks=week)
        assert bundled["primary"].on_call(at) != bundled["secondary"].on_call(at)


def test_ics_export_has_one_event_per_shift(bundled):
    start = datetime(2026, 12, 1, tzinfo=UTC)
    text = export_ics(bundled["primary"], start, start + timedelta(weeks=4)).decode()
    shifts = bundled["primary"].shifts(start, start + timedelta(weeks=4))
    assert text.count("BEGIN:VEVENT") == len(shifts) > 0
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Dublin" in text
    assert "SUMMARY:On call (primary): Dana" in text


BASE = {
    "name": "x",
    "time_zone": "Europe/Dublin",
    "responders": {"Ann": "Europe/Dublin"},
    "layers": [
        {
            "name": "l",
            "responders": ["Ann"],
            "turn_length": 1,
            "turn_unit": "days",
            "handoff": "2026-01-05T09:00",
        }
    ],
}


def _with(path: tuple, value) -> dict:
    import copy

    data = copy.deepcopy(BASE)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "match"),
    [
        (("time_zone",), "Mars/Olympus", r"x\.toml: time_zone = 'Mars/Olympus'"),
        (("responders", "Ann"), "Nowhere/City", r"responders\.Ann = 'Nowhere/City'"),
        (("layers", 0, "turn_length"), 0, r"layers\[0\]\.turn_length = 0"),
        (("layers", 0, "turn_unit"), "fortnights", r"turn_unit = 'fortnights'"),
        (("layers", 0, "responders"), [], r"layers\[0\]\.responders = \[\]"),
        (("layers", 0, "responders"), ["Zed"], r"responders = 'Zed'"),
        (("layers", 0, "handoff"), "soon", r"handoff = 'soon'"),
        (
            ("layers", 0, "restrictions"),
            [{"start": "25:00", "end": "17:00"}],
            r"restrictions\[0\]\.start = '25:00': expected a time of day",
        ),
        (("layers", 0, "restrictions"), [{"start": "09:00", "end": "09:00"}], r"never match"),
        (
            ("layers", 0, "restrictions"),
            [{"start": "09:00", "end": "17:00", "weekdays": []}],
            r"weekdays = \[\]",
        ),
        (("layers", 0, "shift"), 3, r"layers\[0\]\.shift = 3: expected no such key"),
        (("layers",), [], r"layers = \[\]"),
        (
            ("overrides",),
            [{"responder": "Ann", "start": "2026-01-05T09:00", "end": "2026-01-05T08:00"}],
            r"overrides\[0\]\.end = '2026-01-05T08:00': expected a time after",
        ),
    ],
)
def test_bad_schedule_files_name_file_key_and_value(path, value, match):
    with pytest.raises(ConfigError, match=match):
        parse_schedule(_with(path, value), "x.toml")


def test_loading_a_file_names_it(tmp_path: Path):
    (tmp_path / "bad.toml").write_text('name = "b"\ntime_zone = "UTC"\nlayers = []\n')
    with pytest.raises(ConfigError, match=r"bad\.toml: layers"):
        load_schedule(tmp_path / "bad.toml")
