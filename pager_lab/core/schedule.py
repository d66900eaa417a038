"""On-call schedules: who gets paged at any instant (the seed's Challenge 2, done properly).

A schedule is one or more **layers** (a later layer wins where layers overlap,
as in PagerDuty), each a rotation of responders with a turn length, a hand-off
time and optional **restrictions** (time-of-day windows, possibly crossing
midnight, with a weekday filter). **Overrides** replace whoever is on call
over ``[start, end)``. Turns of days or weeks follow the schedule's local
clock, so a daily 09:00 hand-off stays at 09:00 across DST changes; turns in
hours are elapsed time.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from pager_lab.core.clock import require_aware
from pager_lab.core.errors import ConfigError
from pager_lab.core.windows import Window, split_by_window

if TYPE_CHECKING:  # pandas loads only in the two methods that return tables (fast CLI start)
    import pandas as pd

__all__ = ["Layer", "Override", "Restriction", "Schedule", "Shift"]

UNITS = ("hours", "days", "weeks")


@dataclass(frozen=True)
class Restriction:
    """A local time-of-day window; ``end <= start`` crosses midnight.

    ``weekdays`` (0 = Monday) filters the day on which the window *starts*.
    """

    start: time
    end: time
    weekdays: frozenset[int] = frozenset(range(7))

    def __post_init__(self) -> None:
        if self.start == self.end:
            raise ConfigError(
                "",
                "restriction",
                f"{self.start}-{self.end}",
                "a window with end != start (it would never match)",
            )
        if not self.weekdays or not self.weekdays <= set(range(7)):
            raise ConfigError(
                "", "restriction.weekdays", sorted(self.weekdays), "at least one weekday (mon..sun)"
            )

    def windows(self, first: date, last: date, tz: ZoneInfo) -> Iterator[tuple[datetime, datetime]]:
        """The window's instants on each day from *first* to *last* (local dates)."""
        day = first
        while day <= last:
            if day.weekday() in self.weekdays:
                end_day = day + timedelta(days=1) if self.end <= self.start else day
                yield (
                    datetime.combine(day, self.start, tzinfo=tz),
                    datetime.combine(end_day, self.end, tzinfo=tz),
                )
            day += timedelta(days=1)


@dataclass(frozen=True)
class Layer:
    """One rotation: responders take turns of ``turn_length`` ``turn_unit`` from ``handoff``."""

    name: str
    responders: tuple[str, ...]
    turn_length: int
    turn_unit: str
    handoff: datetime
    """An aware instant at which ``responders[0]`` starts a turn."""
    restrictions: tuple[Restriction, ...] = ()

    def __post_init__(self) -> None:
        if not self.responders:
            raise ConfigError("", f"layers.{self.name}.responders", [], "at least one responder")
        if not isinstance(self.turn_length, int) or self.turn_length < 1:
            raise ConfigError(
                "", f"layers.{self.name}.turn_length", self.turn_length, "a whole number >= 1"
            )
        if self.turn_unit not in UNITS:
            raise ConfigError(
                "", f"layers.{self.name}.turn_unit", self.turn_unit, f"one of {', '.join(UNITS)}"
            )
        # Kept in UTC: aware datetimes sharing one tzinfo compare and subtract as wall
        # times, which is wrong across a DST change.
        utc = require_aware(self.handoff, f"layer {self.name} handoff").astimezone(UTC)
        object.__setattr__(self, "handoff", utc)

    def _boundary(self, k: int, tz: ZoneInfo) -> datetime:
        """Start of turn *k* (0 = the hand-off) as an aware instant."""
        if self.turn_unit == "hours":
            return self.handoff + timedelta(hours=k * self.turn_length)
        days = k * self.turn_length * (7 if self.turn_unit == "weeks" else 1)
        local = self.handoff.astimezone(tz).replace(tzinfo=None) + timedelta(days=days)
        return local.replace(tzinfo=tz)

    def turn_index(self, at: datetime, tz: ZoneInfo) -> int:
        """Which turn *at* falls in (negative before the hand-off)."""
        unit_hours = {"hours": 1, "days": 24, "weeks": 168}[self.turn_unit] * self.turn_length
        k = int((at - self.handoff).total_seconds() // (unit_hours * 3600))
        while self._boundary(k, tz) > at:
            k -= 1
        while self._boundary(k + 1, tz) <= at:
            k += 1
        return k

    def active(self, at: datetime, tz: ZoneInfo) -> bool:
        if not self.restrictions:
            return True
        local_day = at.astimezone(tz).date()
        return any(
            start <= at < end
            for r in self.restrictions
            for start, end in r.windows(local_day - timedelta(days=1), local_day, tz)
        )

    def on_call(self, at: datetime, tz: ZoneInfo) -> str | None:
        if not self.active(at, tz):
            return None
        return self.responders[self.turn_index(at, tz) % len(self.responders)]

    def change_points(self, start: datetime, end: datetime, tz: ZoneInfo) -> Iterator[datetime]:
        """Instants in [start, end) at which this layer may change hands."""
        k = self.turn_index(start, tz)
        while (b := self._boundary(k, tz)) < end:
            yield b
            k += 1
        first, last = start.astimezone(tz).date() - timedelta(days=1), end.astimezone(tz).date()
        for r in self.restrictions:
            for a, b in r.windows(first, last, tz):
                yield a
                yield b


@dataclass(frozen=True)
class Override:
    """``responder`` covers [start, end) whatever the layers say (PTO, swaps)."""

    responder: str
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "start", require_aware(self.start, "override start").astimezone(UTC)
        )
        object.__setattr__(self, "end", require_aware(self.end, "override end").astimezone(UTC))
        if self.end <= self.start:
            raise ConfigError(
                "",
                "overrides.end",
                self.end.isoformat(),
                f"a time after the override's start ({self.start.isoformat()})",
            )


@dataclass(frozen=True)
class Shift:
    """A stretch of time with one responder on call."""

    responder: str
    start: datetime
    end: datetime
    layer: str
    override: bool

    @property
    def hours(self) -> float:
        # In UTC: two datetimes sharing one ZoneInfo subtract as wall times.
        return (self.end.astimezone(UTC) - self.start.astimezone(UTC)).total_seconds() / 3600


@dataclass(frozen=True)
class Schedule:
    """Layers and overrides in a time zone; answers "who is on call?"."""

    name: str
    time_zone: str
    layers: tuple[Layer, ...]
    overrides: tuple[Override, ...] = ()
    responder_zones: Mapping[str, str] = field(default_factory=dict)
    """Each responder's own IANA time zone (for interruption windows)."""

    def __post_init__(self) -> None:
        if not self.layers:
            raise ConfigError("", "layers", [], "at least one layer")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def _who(self, at: datetime) -> tuple[str | None, str, bool]:
        for override in reversed(self.overrides):
            if override.start <= at < override.end:
                return override.responder, "override", True
        tz = self.zone
        for layer in reversed(self.layers):
            who = layer.on_call(at, tz)
            if who is not None:
                return who, layer.name, False
        return None, "", False

    def on_call(self, at: datetime) -> str | None:
        """The responder on call at *at*, or ``None`` in a gap."""
        return self._who(require_aware(at, "at").astimezone(UTC))[0]

    def _segments(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime, Any]]:
        start = require_aware(start, "start").astimezone(UTC)
        end = require_aware(end, "end").astimezone(UTC)
        if end <= start:
            raise ValueError(f"end ({end.isoformat()}) must be after start ({start.isoformat()})")
        tz = self.zone
        points = {start, end}
        for layer in self.layers:
            points.update(p for p in layer.change_points(start, end, tz) if start < p < end)
        for o in self.overrides:
            points.update(p for p in (o.start, o.end) if start < p < end)
        cuts = sorted(p.astimezone(UTC) for p in points)
        merged: list[tuple[datetime, datetime, Any]] = []
        for a, b in itertools.pairwise(cuts):
            who = self._who(a)
            if merged and merged[-1][2] == who:
                merged[-1] = (merged[-1][0], b, who)
            else:
                merged.append((a, b, who))
        return merged

    def utc_shifts(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime, str]]:
        """(start, end, responder) in UTC, in order, gaps left out: for compiling look-ups."""
        return [(a, b, who[0]) for a, b, who in self._segments(start, end) if who[0] is not None]

    def shift_list(self, start: datetime, end: datetime) -> list[Shift]:
        """Who is on call when, in order (gaps left out: see :meth:`gaps`)."""
        zone = self.zone
        return [
            Shift(who[0], a.astimezone(zone), b.astimezone(zone), who[1], who[2])
            for a, b, who in self._segments(start, end)
            if who[0] is not None
        ]

    def shifts(self, start: datetime, end: datetime) -> pd.DataFrame:
        """:meth:`shift_list` as a tidy table with an ``hours`` column."""
        rows = [
            {
                "responder": s.responder,
                "start": s.start,
                "end": s.end,
                "hours": s.hours,
                "layer": s.layer,
                "override": s.override,
            }
            for s in self.shift_list(start, end)
        ]
        columns = ["responder", "start", "end", "hours", "layer", "override"]
        import pandas as pd

        return pd.DataFrame(rows, columns=columns)

    def gaps(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """Intervals in [start, end) with nobody on call."""
        return [
            (a.astimezone(self.zone), b.astimezone(self.zone))
            for a, b, who in self._segments(start, end)
            if who[0] is None
        ]

    def hours_by_window(self, start: datetime, end: datetime) -> pd.DataFrame:
        """On-call hours per responder, split into business / off-hours / sleep.

        Windows are read in each responder's own time zone (the schedule's when unknown).
        """
        totals: dict[str, dict[Window, float]] = {}
        for a, b, who in self._segments(start, end):
            if who[0] is None:
                continue
            zone = self.responder_zones.get(who[0], self.time_zone)
            split = split_by_window(a, b, zone)
            bucket = totals.setdefault(who[0], dict.fromkeys(Window, 0.0))
            for window, hours in split.items():
                bucket[window] += hours
        rows = [{"responder": r, **{w.value: h[w] for w in Window}} for r, h in totals.items()]
        import pandas as pd

        frame = pd.DataFrame(rows, columns=["responder", *[w.value for w in Window]])
        frame["total"] = frame[[w.value for w in Window]].sum(axis=1)
        return frame.sort_values("responder", ignore_index=True)

    def __repr__(self) -> str:
        return f"Schedule({self.name!r}, {self.time_zone}, layers={len(self.layers)})"
