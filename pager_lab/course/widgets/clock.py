"""A wall clock for the widgets: the student's own minutes, measured from their clicks.

It lives with the front ends: the core never reads the wall clock, it is handed this.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

__all__ = ["WallClock", "call_later"]


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


def call_later(seconds: float, callback: Callable[[], None]) -> Any:
    """Run *callback* after *seconds* on the kernel's asyncio loop (no thread, no sleep):
    how the consoles pace themselves in real time."""
    import asyncio

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = asyncio.get_event_loop()
    return loop.call_later(seconds, callback)
