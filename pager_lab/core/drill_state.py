"""The state model of a drill: faults that come and go, and the signals they drive,
evolving in simulated minutes.

A signal's value is its baseline plus, for every *active* fault that drives it,
``min(peak, rate * minutes since the fault became active)``, kept within the signal's
bounds. Customer impact is the error budget burned: the time integral of the impact
signal's excess over its baseline, in percent / 100 — minutes of full outage.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pager_lab.core.drill_scenario import DrillScenario

__all__ = ["DrillState", "FaultEvent", "FaultState", "FaultStatus"]

_STEP = 0.25
"""Integration step of the impact, in minutes."""


class FaultStatus(StrEnum):
    """Where a fault is in its life."""

    DORMANT = "dormant"
    """Not (yet) happening."""
    ACTIVE = "active"
    SUSPENDED = "suspended"
    """Relieved for now: it returns at ``until``."""
    FIXED = "fixed"


@dataclass
class FaultState:
    """One fault's status, when it became active, and when it changes on its own."""

    status: FaultStatus
    since: float = 0.0
    """The minute it (last) became active."""
    until: float | None = None
    """When a suspended fault returns, or an active fault with ``lasts`` ends."""


@dataclass(frozen=True)
class FaultEvent:
    """A change the model made on its own: ``started``, ``returned`` or ``ended``."""

    at: float
    fault: str
    change: str


class DrillState:
    """Faults and signals of one drill; the session tells it what actions and time do."""

    def __init__(
        self, scenario: DrillScenario, rate_factor: dict[str, float] | None = None
    ) -> None:
        self.scenario = scenario
        self.rate_factor = rate_factor or {}
        """A seed's multiplier of each fault's drive rates."""
        self.now = 0.0
        self.faults = {f.name: FaultState(FaultStatus.DORMANT) for f in scenario.faults}
        self.burned = 0.0
        """Error-budget minutes burned so far."""
        self.history: list[tuple[float, dict[str, float]]] = []
        """The signals at every whole minute so far (for dashboards and plots)."""
        self._apply_due(0.0)
        self.history.append((0.0, self.values()))

    # -- reading -----------------------------------------------------------------------
    def values(self, at: float | None = None) -> dict[str, float]:
        """Every signal's value at minute *at* (default now), rounded to 0.1."""
        t = self.now if at is None else at
        out = {s.name: s.baseline for s in self.scenario.signals}
        for fault in self.scenario.faults:
            state = self.faults[fault.name]
            if state.status is not FaultStatus.ACTIVE:
                continue
            factor = self.rate_factor.get(fault.name, 1.0)
            for d in fault.drives:
                out[d.signal] += min(d.peak, d.rate * factor * max(0.0, t - state.since))
        bounds = {s.name: (s.low, s.high) for s in self.scenario.signals}
        return {k: round(min(max(v, bounds[k][0]), bounds[k][1]), 1) for k, v in out.items()}

    def active(self) -> list[str]:
        """The faults active now."""
        return [n for n, s in self.faults.items() if s.status is FaultStatus.ACTIVE]

    def pending(self) -> list[str]:
        """Faults relieved for now that will return."""
        return [n for n, s in self.faults.items() if s.status is FaultStatus.SUSPENDED]

    @property
    def healthy(self) -> bool:
        """No fault is active: customers see no errors from this incident."""
        return not self.active()

    @property
    def fixed(self) -> bool:
        """Nothing active and nothing waiting to return: really over."""
        return self.healthy and not self.pending()

    # -- changing ----------------------------------------------------------------------
    def start(self, name: str) -> bool:
        """Make *name* active now (unless it already is); whether anything changed."""
        state = self.faults[name]
        if state.status is FaultStatus.ACTIVE:
            return False
        lasts = self.scenario.fault(name).lasts  # type: ignore[union-attr]
        self.faults[name] = FaultState(
            FaultStatus.ACTIVE, self.now, None if lasts is None else self.now + lasts
        )
        return True

    def fix(self, name: str) -> bool:
        """Fix *name* if it is active or suspended; whether anything changed."""
        state = self.faults[name]
        if state.status not in (FaultStatus.ACTIVE, FaultStatus.SUSPENDED):
            return False
        self.faults[name] = FaultState(FaultStatus.FIXED, state.since)
        return True

    def relieve(self, name: str, minutes: float) -> bool:
        """Suspend an active *name* for *minutes*; whether anything changed."""
        state = self.faults[name]
        if state.status is not FaultStatus.ACTIVE:
            return False
        self.faults[name] = FaultState(FaultStatus.SUSPENDED, state.since, self.now + minutes)
        return True

    def advance(self, minutes: float) -> list[FaultEvent]:
        """Let *minutes* pass: burn the budget, record history, apply due changes."""
        end = self.now + minutes
        events: list[FaultEvent] = []
        while self.now < end - 1e-9:
            due = self._next_change()
            stop = min(end, due if due is not None and due > self.now else end)
            self._integrate(stop)
            events += self._apply_due(stop)
        return events

    # -- internals ---------------------------------------------------------------------
    def _next_change(self) -> float | None:
        times = [s.until for s in self.faults.values() if s.until is not None]
        times += [
            f.at
            for f in self.scenario.faults
            if f.at is not None and self.faults[f.name].status is FaultStatus.DORMANT
        ]
        later = [t for t in times if t > self.now]
        return min(later) if later else None

    def _integrate(self, stop: float) -> None:
        signal = self.scenario.impact_signal
        baseline = next(s.baseline for s in self.scenario.signals if s.name == signal)
        t = self.now
        while t < stop - 1e-9:
            step = min(_STEP, stop - t)
            value = self.values(t + step / 2)[signal]
            self.burned += max(0.0, value - baseline) / 100 * step
            t += step
            # every whole minute crossed, not only those landed on: ticks of a real-time
            # pace (fractions of a minute) step over them
            last = int(self.history[-1][0])
            for minute in range(last + 1, int(t + 1e-9) + 1):
                self.history.append((float(minute), self.values(float(minute))))
        self.now = stop

    def _apply_due(self, at: float) -> list[FaultEvent]:
        """Faults that start, return or end at minute *at*."""
        events = []
        for fault in self.scenario.faults:
            state = self.faults[fault.name]
            if state.status is FaultStatus.DORMANT and fault.at is not None and fault.at <= at:
                ends = None if fault.lasts is None else fault.at + fault.lasts
                self.faults[fault.name] = FaultState(FaultStatus.ACTIVE, fault.at, ends)
                events.append(FaultEvent(at, fault.name, "started"))
            elif state.until is not None and state.until <= at + 1e-9:
                if state.status is FaultStatus.SUSPENDED:
                    self.faults[fault.name] = FaultState(FaultStatus.ACTIVE, at, None)
                    events.append(FaultEvent(at, fault.name, "returned"))
                else:
                    self.faults[fault.name] = FaultState(FaultStatus.FIXED, state.since)
                    events.append(FaultEvent(at, fault.name, "ended"))
        return events

    def __repr__(self) -> str:
        states = ", ".join(f"{n}={s.status.value}" for n, s in self.faults.items())
        return f"DrillState(minute={self.now:g}, {states}, burned={self.burned:.2f})"
