"""Injected clocks: the core asks a clock for the time and never reads the wall clock.

Time inside pager_lab is a float number of **minutes** since the clock's
``start``, a time-zone aware datetime. :func:`to_datetime` turns minutes back
into a timestamp.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "ManualClock", "require_aware", "to_datetime"]

DEFAULT_START = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
"""The seed's scenario happens at 3 AM: the default start of a drill."""


def require_aware(value: datetime, what: str = "time") -> datetime:
    """Return *value* if it is time-zone aware, else raise a clear ``ValueError``."""
    if not isinstance(value, datetime):
        raise TypeError(f"{what} ({value!r}) must be a datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{what} ({value.isoformat()}) is naive: give a time zone, "
            "e.g. 2026-11-27T03:00+00:00 or tzinfo=ZoneInfo('Europe/Dublin')"
        )
    return value


def to_datetime(start: datetime, minutes: float) -> datetime:
    """The aware timestamp *minutes* after *start*."""
    return start + timedelta(minutes=minutes)


@runtime_checkable
class Clock(Protocol):
    """What the core needs from a clock."""

    start: datetime
    """Aware timestamp of minute 0."""

    def now(self) -> float:
        """Minutes since :attr:`start`."""
        ...

    def advance(self, minutes: float) -> None:
        """Move the clock forward (a drill skipping an escalation timeout)."""
        ...


class ManualClock:
    """A clock that only moves when told to: for tests and simulated drills."""

    def __init__(self, start: datetime = DEFAULT_START, minutes: float = 0.0) -> None:
        self.start = require_aware(start, "clock start")
        self._minutes = float(minutes)

    def now(self) -> float:
        return self._minutes

    def advance(self, minutes: float) -> None:
        if minutes < 0:
            raise ValueError(f"cannot advance a clock by a negative time ({minutes} min)")
        self._minutes += minutes

    def set(self, minutes: float) -> None:
        """Jump to *minutes*; never backwards."""
        if minutes < self._minutes:
            raise ValueError(f"cannot move a clock back from {self._minutes} to {minutes} minutes")
        self._minutes = float(minutes)

    def __repr__(self) -> str:
        return f"ManualClock(start={self.start.isoformat()}, minutes={self._minutes:g})"
