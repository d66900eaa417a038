"""PagerDuty's interruption windows, in a responder's own time zone (REFERENCES.md).

- **business**: 08:00-18:00 Monday to Friday;
- **off-hours**: 18:00-22:00 Monday to Friday and all day Saturday and Sunday;
- **sleep**: 22:00-08:00 every day.

The sources give no precedence where off-hours and sleep overlap (Saturday
02:00): pager_lab counts it as sleep.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from pager_lab.core.clock import require_aware

__all__ = ["SLEEP_END_HOUR", "SLEEP_START_HOUR", "Window", "split_by_window", "window_at"]

SLEEP_START_HOUR = 22
SLEEP_END_HOUR = 8
BUSINESS_END_HOUR = 18


class Window(StrEnum):
    """Which part of a responder's life an interruption lands in."""

    BUSINESS = "business"
    OFF_HOURS = "off-hours"
    SLEEP = "sleep"


def _classify(local: datetime) -> Window:
    hour = local.hour
    if hour >= SLEEP_START_HOUR or hour < SLEEP_END_HOUR:
        return Window.SLEEP
    if local.weekday() < 5 and hour < BUSINESS_END_HOUR:
        return Window.BUSINESS
    return Window.OFF_HOURS


def window_at(at: datetime, zone: str | ZoneInfo) -> Window:
    """The window *at* falls in, read on the clock of time zone *zone*."""
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    return _classify(require_aware(at).astimezone(tz))


def _boundaries(start: datetime, end: datetime, tz: ZoneInfo) -> Iterator[datetime]:
    """Local 00:00, 08:00, 18:00 and 22:00 instants between *start* and *end*."""
    day: date = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    while day <= last:
        for hour in (0, SLEEP_END_HOUR, BUSINESS_END_HOUR, SLEEP_START_HOUR):
            instant = datetime.combine(day, time(hour), tzinfo=tz)
            if start < instant < end:
                yield instant
        day += timedelta(days=1)


def split_by_window(start: datetime, end: datetime, zone: str | ZoneInfo) -> dict[Window, float]:
    """Hours of [start, end) spent in each window, in time zone *zone*."""
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    start = require_aware(start, "start").astimezone(UTC)
    end = require_aware(end, "end").astimezone(UTC)
    hours = dict.fromkeys(Window, 0.0)
    # Subtract in UTC: datetimes sharing one ZoneInfo subtract as wall times, wrong at DST.
    points = {start, *_boundaries(start, end, tz), end}
    cuts = sorted(p.astimezone(UTC) for p in points)
    for a, b in itertools.pairwise(cuts):
        hours[_classify(a.astimezone(tz))] += (b - a).total_seconds() / 3600
    return hours
