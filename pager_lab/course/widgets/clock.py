"""A wall clock for the widgets: the student's own minutes, measured from their clicks.

It lives with the front ends: the core never reads the wall clock, it is handed this.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

__all__ = ["WallClock"]


class WallClock:
    """Minutes since it was made, plus any simulated jumps (an escalation timeout)."""

    def __init__(
        self, start: datetime | None = None, source: Callable[[], float] = time.monotonic
    ) -> None:
        self.start = start or datetime.now(UTC)
        self._source = source
        self._origin = source()
        self._offset = 0.0

    def now(self) -> float:
        return (self._source() - self._origin) / 60 + self._offset

    def advance(self, minutes: float) -> None:
        if minutes < 0:
            raise ValueError(f"cannot advance a clock by a negative time ({minutes} min)")
        self._offset += minutes

    def __repr__(self) -> str:
        return "WallClock()"
