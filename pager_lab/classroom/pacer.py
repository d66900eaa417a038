"""Real-time pacing of a drill session: the simulated clock ticks between answers.

With a pace of *P* seconds per simulated minute, every *P* real seconds the session
is told ``tick(1 / P * seconds)`` worth of minutes — the drill decides what those
minutes do (signals evolve, scripted injections fire). The game master pauses and
resumes it; paused time is never ticked later. The pacer reads the wall clock, so it
lives here in the classroom layer and not in the pure core; :meth:`Pacer.advance`
takes the time as an argument, so tests drive it without sleeping.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Any

__all__ = ["Pacer"]

PACE_LIMITS = (0.05, 3600.0)
"""Seconds per simulated minute a pacer accepts (faster is a busy loop, slower is a stall)."""


class Pacer:
    """Ticks *tick(minutes)* in real time under *lock*; starts paused or running."""

    def __init__(
        self,
        tick: Callable[[float], Any],
        lock: threading.Lock | threading.RLock,
        seconds_per_minute: float | None,
        *,
        paused: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if seconds_per_minute is not None:
            low, high = PACE_LIMITS
            if not (math.isfinite(seconds_per_minute) and low <= seconds_per_minute <= high):
                raise ValueError(
                    f"pace ({seconds_per_minute!r}) must be {low:g}-{high:g} seconds per "
                    "simulated minute (or None for no real-time pace)"
                )
        self.seconds_per_minute = seconds_per_minute
        """Real seconds per simulated minute; ``None``: the clock moves only with answers."""
        self._tick = tick
        self._lock = lock
        self._clock = clock
        self._paused = paused
        self._since = clock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.failure = ""
        """Why the pace stopped on its own (the session raised while ticking), if it did."""

    @property
    def paced(self) -> bool:
        """Whether this session has a real-time pace at all."""
        return self.seconds_per_minute is not None

    @property
    def paused(self) -> bool:
        """Whether the game master has paused the pace (a session without one is never paused)."""
        return self.paced and self._paused

    def pause(self, now: float | None = None) -> None:
        """Stop ticking; the time until *now* is ticked first, none after it."""
        with self._lock:
            self._advance_locked(self._clock() if now is None else now)
            self._paused = True

    def resume(self, now: float | None = None) -> None:
        """Tick again, counting from *now* (the paused time is not ticked)."""
        with self._lock:
            self._paused = False
            self._since = self._clock() if now is None else now

    def advance(self, now: float) -> float:
        """Tick the minutes since the last advance (none while paused); returns them."""
        with self._lock:
            return self._advance_locked(now)

    def _advance_locked(self, now: float) -> float:
        if self.seconds_per_minute is None or self._paused:
            self._since = now
            return 0.0
        minutes = max(0.0, now - self._since) / self.seconds_per_minute
        self._since = now
        if minutes > 0:
            self._tick(minutes)
        return minutes

    def start(self) -> Pacer:
        """Tick in a daemon thread (a few times per simulated minute) until :meth:`stop`."""
        if self.seconds_per_minute is None or self._thread is not None:
            return self
        period = min(1.0, self.seconds_per_minute / 4)
        self._since = self._clock()

        def run() -> None:
            while not self._stop.wait(period):
                try:
                    self.advance(self._clock())
                except Exception as exc:  # a session that cannot tick: stop, and say why
                    self.failure = f"the pace stopped: {type(exc).__name__}: {exc}"
                    return

        self._thread = threading.Thread(target=run, daemon=True, name="pager-lab pacer")
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the thread (the session keeps the minutes ticked so far)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __repr__(self) -> str:
        pace = "none" if self.seconds_per_minute is None else f"{self.seconds_per_minute:g} s/min"
        return f"Pacer(pace={pace}, paused={self.paused})"
