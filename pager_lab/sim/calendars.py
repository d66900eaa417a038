"""Fast look-ups for the simulation: interruption windows and on-call shifts as sorted minutes.

The simulation asks "is this person asleep?" and "who is on call?" for every
page; answering from precomputed boundaries with :func:`bisect.bisect_right`
is much cheaper than converting time zones each time.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pager_lab.core.schedule import Schedule
from pager_lab.core.windows import BUSINESS_END_HOUR, SLEEP_END_HOUR, SLEEP_START_HOUR, Window

__all__ = ["CompiledSchedule", "WindowCalendar"]

_WINDOWS = (Window.BUSINESS, Window.OFF_HOURS, Window.SLEEP)


def _minutes(start: datetime, when: datetime) -> float:
    return (when.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 60


class WindowCalendar:
    """PagerDuty's windows in one time zone, as minutes after *start*, over [start, end)."""

    def __init__(self, zone: str, start: datetime, end: datetime) -> None:
        self.zone = zone
        tz = ZoneInfo(zone)
        day = start.astimezone(tz).date() - timedelta(days=1)
        last = end.astimezone(tz).date() + timedelta(days=1)
        self._cuts: list[float] = []
        self._labels: list[int] = []
        hours = [time(h) for h in (0, SLEEP_END_HOUR, BUSINESS_END_HOUR, SLEEP_START_HOUR)]
        weekday_labels, weekend_labels = (2, 0, 1, 2), (2, 1, 1, 2)
        # Aware datetimes with different tzinfo subtract in UTC: no conversion needed.
        origin, combine, one_day = start.astimezone(UTC), datetime.combine, timedelta(days=1)
        while day <= last:
            for hour in hours:
                self._cuts.append((combine(day, hour, tzinfo=tz) - origin).total_seconds() / 60)
            self._labels += weekday_labels if day.weekday() < 5 else weekend_labels
            day += one_day

    def window_index(self, minute: float) -> int:
        """0 business, 1 off-hours, 2 sleep."""
        return self._labels[bisect_right(self._cuts, minute) - 1]

    def window_span(self, minute: float) -> tuple[int, float, float]:
        """The window index at *minute* and the minutes [from, until) it holds."""
        i = bisect_right(self._cuts, minute) - 1
        until = self._cuts[i + 1] if i + 1 < len(self._cuts) else math.inf
        return self._labels[i], self._cuts[i], until

    def window(self, minute: float) -> Window:
        return _WINDOWS[self.window_index(minute)]

    def asleep(self, minute: float) -> bool:
        return self.window_index(minute) == 2

    def __repr__(self) -> str:
        return f"WindowCalendar({self.zone!r}, cuts={len(self._cuts)})"

    def next_business(self, minute: float) -> float:
        """*minute* itself if it is in business hours, else the next business start."""
        i = bisect_right(self._cuts, minute) - 1
        if self._labels[i] == 0:
            return minute
        for j in range(i + 1, len(self._cuts)):
            if self._labels[j] == 0:
                return self._cuts[j]
        raise ValueError(f"no business hours after minute {minute:g} in {self.zone}")


class CompiledSchedule:
    """A schedule's shifts over a window, answering ``on_call`` by bisection.

    Outside the compiled window it falls back to the schedule itself.
    """

    def __init__(self, schedule: Schedule, start: datetime, end: datetime) -> None:
        self.schedule = schedule
        self.name = schedule.name
        self._start = start.astimezone(UTC)
        self._end = _minutes(start, end)
        # Each shift adds (start, responder) and (end, None); where one shift ends as
        # the next starts, bisect_right picks the later entry, the new responder.
        self._cuts: list[float] = [float("-inf")]
        self._who: list[str | None] = [None]
        origin = self._start
        for a, b, responder in schedule.utc_shifts(start, end):
            self._cuts += [(a - origin).total_seconds() / 60, (b - origin).total_seconds() / 60]
            self._who += [responder, None]

    def on_call_minute(self, minute: float) -> str | None:
        if not 0 <= minute < self._end:
            return self.schedule.on_call(self._start + timedelta(minutes=minute))
        return self._who[bisect_right(self._cuts, minute) - 1]

    def slot_span(self, minute: float) -> tuple[str | None, float, float]:
        """Who is on call at *minute* and the minutes [from, until) they stay on call.

        Outside the compiled window the span is empty: ask again for every minute.
        """
        if not 0 <= minute < self._end:
            return self.on_call_minute(minute), minute, minute
        cuts = self._cuts
        i = bisect_right(cuts, minute) - 1
        until = cuts[i + 1] if i + 1 < len(cuts) else self._end
        return self._who[i], max(cuts[i], 0.0), until

    def on_call(self, at: datetime) -> str | None:
        return self.on_call_minute(_minutes(self._start, at))

    def __repr__(self) -> str:
        return f"CompiledSchedule({self.name!r}, shifts={len(self._cuts) // 2})"
