"""PagerDuty's interruption windows at their boundaries, in two time zones, across DST."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pager_lab.core.windows import Window, split_by_window, window_at

DUBLIN, NEW_YORK = ZoneInfo("Europe/Dublin"), ZoneInfo("America/New_York")


@pytest.mark.parametrize("zone", [DUBLIN, NEW_YORK])
@pytest.mark.parametrize(
    ("day", "hour", "minute", "expected"),
    [
        (27, 7, 59, Window.SLEEP),  # Friday 2026-11-27
        (27, 8, 0, Window.BUSINESS),
        (27, 17, 59, Window.BUSINESS),
        (27, 18, 0, Window.OFF_HOURS),
        (27, 21, 59, Window.OFF_HOURS),
        (27, 22, 0, Window.SLEEP),
        (28, 2, 0, Window.SLEEP),  # Saturday 02:00: sleep wins over off-hours
        (28, 12, 0, Window.OFF_HOURS),  # Saturday midday
        (29, 9, 0, Window.OFF_HOURS),  # Sunday morning
    ],
)
def test_window_boundaries_in_the_responders_zone(zone, day, hour, minute, expected):
    assert window_at(datetime(2026, 11, day, hour, minute, tzinfo=zone), zone) is expected


def test_the_same_instant_is_business_in_dublin_and_sleep_in_new_york():
    at = datetime(2026, 11, 27, 9, 0, tzinfo=DUBLIN)  # 04:00 in New York
    assert window_at(at, DUBLIN) is Window.BUSINESS
    assert window_at(at, "America/New_York") is Window.SLEEP


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="naive"):
        window_at(datetime(2026, 11, 27, 9, 0), DUBLIN)


def test_a_weekday_splits_into_ten_business_four_off_hours_ten_sleep():
    hours = split_by_window(
        datetime(2026, 11, 26, tzinfo=DUBLIN), datetime(2026, 11, 27, tzinfo=DUBLIN), DUBLIN
    )
    assert hours == {Window.BUSINESS: 10, Window.OFF_HOURS: 4, Window.SLEEP: 10}


def test_the_short_dst_night_has_one_hour_less_sleep():
    # 2026-03-29: Dublin springs forward at 01:00; the local day has 23 hours.
    hours = split_by_window(
        datetime(2026, 3, 29, tzinfo=DUBLIN), datetime(2026, 3, 30, tzinfo=DUBLIN), DUBLIN
    )
    assert hours[Window.SLEEP] == 9 and hours[Window.OFF_HOURS] == 14
    assert sum(hours.values()) == 23
