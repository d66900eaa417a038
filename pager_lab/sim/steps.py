"""One incident's life inside the simulation, as a chain of SimPy callbacks.

Paging (level after level, each waiting its escalation timeout or the first
answer) and work (queue, triage, fix) drive the core's
:class:`~pager_lab.core.incident.Incident` and :class:`~pager_lab.core.escalation.EscalationRun`.
They are callbacks on SimPy events rather than a process per incident: no
generator per incident (the hot path: benchmarks/README.md). Every step happens at
its own minute; triage alone is recorded with the fix that follows it, as nothing
acts on an incident in between. A callback that fires after the incident moved on
(the monitor cleared it, someone acknowledged) does nothing.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterator
from heapq import heappop, heappush
from typing import TYPE_CHECKING, Any, NamedTuple

import simpy
from simpy.events import NORMAL

from pager_lab.core.escalation import EscalationPolicy, EscalationRun
from pager_lab.core.incident import Incident, IncidentState, Severity

if TYPE_CHECKING:
    from pager_lab.sim.calendars import WindowCalendar
    from pager_lab.sim.people import Desk, Roster
    from pager_lab.sim.scenario import Scenario

__all__ = ["Alert", "IncidentSteps"]

TRIGGERED = IncidentState.TRIGGERED
_SEVERITY = {str(s): s for s in Severity}


class Alert(NamedTuple):
    """One pre-generated alert, as the simulation reads it."""

    minute: float
    service: str
    dedup_key: str
    kind: str
    severity: str
    noise: bool
    low_urgency: bool
    runbook_u: float
    triage_z: float
    work_z: float
    work_u: float
    position: int
    """Row of the alerts table (the incidents table takes the alert's columns from there)."""


class _Open:
    """An incident being worked in the simulation, with what the tables need.

    Attributes that most incidents never change are class-level defaults, so
    opening an incident sets only four (the hot path: benchmarks/README.md).
    """

    alerts: int = 1
    """Alerts that joined it by dedup key, the first included."""
    work_started: float = math.nan
    triaged: float | None = None
    """Minute the worker triaged it (recorded with the fix; lognormal work only)."""
    paging_started: float = 0.0
    """Low-urgency alerts wait for business hours; auto-resolve counts from here."""
    resolution: str = "open"
    run: EscalationRun | None = None
    worker: str = ""
    """Who works it (the acknowledger, or the pool's next free person)."""
    desk: Desk | None = None
    pending: list[tuple[float, int, str]]
    """Answers on their way: (minute, page row, responder), earliest first (set when paged)."""

    def __init__(self, number: int, incident: Incident, alert: Alert, runbook: bool) -> None:
        self.number = number
        """The incident's number (``INC-<number>``): the incidents table's order."""
        self.incident = incident
        self.alert = alert
        """The alert that opened it (its dedup key is the incident's key while open)."""
        self.runbook = runbook

    def __repr__(self) -> str:
        key, resolution = self.alert.dedup_key, self.resolution
        return f"_Open({self.incident.id!r}, key={key!r}, resolution={resolution!r})"


class _Wake:
    """A SimPy event cut down to what ``Environment.step`` reads: callbacks, value, ok.

    :meth:`IncidentSteps._after` puts it on the environment's queue exactly as
    ``Timeout`` puts itself there (the environment's time plus the delay, NORMAL
    priority, the next event id), so events fire in the same order as timeouts
    would, without the two Python calls of ``env.timeout(...)`` per event
    (benchmarks/README.md; tests/test_model.py checks the order against timeouts).
    """

    __slots__ = ("_value", "callbacks")
    _value: Any
    """What the step needs: the incident's record (or nothing, for the alert feed)."""
    callbacks: list[Callable[[_Wake], None]]
    _ok = True
    """Never fails: ``Environment.step`` reads this after the callbacks."""


class IncidentSteps:
    """Paging and work for :class:`~pager_lab.sim.model.Simulation` (which sets these attributes).

    Written flat on purpose: each step is one callback that does its work inline
    (a Python call costs about as much as a SimPy event's bookkeeping). A step that
    waits schedules a :class:`_Wake` whose value is the incident's record and whose
    callback is the next step, which reads the record back (``wake._value``).
    """

    env: simpy.Environment
    clock: Any
    scenario: Scenario
    roster: Roster
    business: WindowCalendar
    policy: EscalationPolicy
    low_urgency_policy: EscalationPolicy
    pool: Desk | None
    free_workers: deque[str]
    page_rows: list[list[Any]]
    _by_name: dict[str, Any]
    _now: Callable[[], float]
    _queue: list[Any]
    """SimPy's event queue: (minute, priority, event id, event)."""
    _eid: Iterator[int]
    _auto_resolve: float
    _exponential: bool
    _resolve_mean: float
    _log_triage: float
    _triage_sigma: float
    _log_resolve: dict[str, float]
    _resolve_sigma: float
    _runbook_factor: float

    def _after(self, delay: float, rec: Any, step: Callable[[_Wake], None]) -> None:
        """Call ``step(wake)`` in *delay* minutes (as a Timeout), with ``wake._value`` = *rec*.

        The hot steps (paging a level, starting work) and the alert feed do the same
        inline, at an exact minute: one Python call less on every incident.
        """
        wake = _Wake()
        wake.callbacks = [step]
        wake._value = rec
        heappush(self._queue, (self._now() + delay, NORMAL, next(self._eid), wake))

    def _finish(self, rec: _Open) -> None:  # pragma: no cover - defined by Simulation
        raise NotImplementedError

    # -- paging ------------------------------------------------------------------------
    def _page_in_business_hours(self, rec: _Open) -> None:
        """Low urgency waits for business hours (PagerDuty urgency); then level 1 is paged."""
        now = self._now()
        at = self.business.next_business(now)
        if at > now:
            self._after(at - now, rec, self._business_hours_began)
        else:
            self._begin(rec)

    def _business_hours_began(self, wake: _Wake) -> None:
        self._begin(wake._value)

    def _begin(self, rec: _Open) -> None:
        """Paging starts: level 1 (now for high urgency, in business hours for low)."""
        incident = rec.incident
        if incident.state is not TRIGGERED:
            return  # the monitor cleared it while it waited
        rec.paging_started = self._now()
        rec.pending = []
        policy = self.low_urgency_policy if rec.alert.low_urgency else self.policy
        rec.run = EscalationRun(policy, incident, self.clock)
        self._page_level(rec)

    def _page_level(self, rec: _Open) -> None:
        batch = rec.run.page_next()  # type: ignore[union-attr]
        if batch is None:
            self._exhausted(rec)
            return
        level, loop, responders, _, now, deadline = batch
        incident_id, pending, rows = rec.incident.id, rec.pending, self.page_rows
        response, fatigue, by_name = self.scenario.response, self.scenario.fatigue, self._by_name
        for name in responders:
            person = by_name[name]
            window, delay = person.answer_page(now, response, fatigue)
            if delay is not None:
                heappush(pending, (now + delay, len(rows), name))
            outcome = "missed" if delay is None else "unanswered"
            rows.append([now, name, person.slot, incident_id, level, loop, window, outcome])
        if not pending or pending[0][0] > deadline:
            minute, then = deadline, self._level_timed_out  # now + timeout
        elif pending[0][0] < rec.paging_started + self._auto_resolve:
            # the answer comes in time: escalation stops
            minute, then = now + (pending[0][0] - now), self._answered  # as a Timeout gives
        else:
            self._exhausted(rec)  # the answer would come after auto-resolve
            return
        wake = _Wake()  # as _after does, inline (benchmarks/README.md)
        wake.callbacks = [then]
        wake._value = rec
        heappush(self._queue, (minute, NORMAL, next(self._eid), wake))

    def _level_timed_out(self, wake: _Wake) -> None:
        rec: _Open = wake._value
        if rec.incident.state is TRIGGERED:
            rec.run.time_out()  # type: ignore[union-attr]
            self._page_level(rec)

    def _exhausted(self, rec: _Open) -> None:
        """Escalation is over: the earliest answer acknowledges if it comes before
        auto-resolve (a late answer still counts), else the incident is auto-resolved."""
        limit, now, pending = rec.paging_started + self._auto_resolve, self._now(), rec.pending
        if pending and pending[0][0] < limit:
            self._after(pending[0][0] - now, rec, self._answered)
        else:
            self._after(max(0.0, limit - now), rec, self._auto_resolved)

    def _answered(self, wake: _Wake) -> None:
        rec: _Open = wake._value
        incident = rec.incident
        if incident.state is not TRIGGERED:
            return
        _, row, name = heappop(rec.pending)
        incident.acknowledge(name)
        self.page_rows[row][7] = "acknowledged"
        self._start_work(rec, name)

    def _auto_resolved(self, wake: _Wake) -> None:
        rec: _Open = wake._value
        if rec.incident.state is TRIGGERED:
            rec.incident.auto_resolve()
            rec.resolution = "auto-resolved"
            self._finish(rec)

    def _monitor_cleared(self, rec: _Open) -> None:
        """The alert cleared before anyone acknowledged: the monitor resolves it."""
        rec.incident.resolve("monitor")
        rec.resolution = "monitor"
        self._finish(rec)

    # -- work --------------------------------------------------------------------------
    def _start_work(self, rec: _Open, owner: str) -> None:
        if rec.alert.noise:
            rec.incident.resolve(owner, action="closed as noise")
            rec.resolution = "noise"
            self._finish(rec)
            return
        rec.worker = owner
        rec.desk = desk = self.pool if self.pool is not None else self._by_name[owner].desk
        desk.take(self._granted, rec)

    def _granted(self, rec: _Open) -> None:
        """Work starts: triage (lognormal work only), then the fix, as one wait.

        Nothing in the model acts on an incident between its triage and its fix, so
        the triage is recorded with the fix, at its own minute (``Incident.triage``'s
        *at*). The fix ends at (start + triage) + fix: the minute two timeouts would give.
        """
        if self.pool is not None:
            rec.worker = self.free_workers.popleft()
        rec.work_started = now = self._now()
        alert = rec.alert
        if self._exponential:
            fix = -self._resolve_mean * math.log1p(-alert.work_u)
        else:
            fix = math.exp(self._log_resolve[alert.severity] + self._resolve_sigma * alert.work_z)
            now += math.exp(self._log_triage + self._triage_sigma * alert.triage_z)
            rec.triaged = now
        wake = _Wake()  # as _after does, inline (benchmarks/README.md)
        wake.callbacks = [self._resolved]
        wake._value = rec
        minute = now + (fix * self._runbook_factor if rec.runbook else fix)
        heappush(self._queue, (minute, NORMAL, next(self._eid), wake))

    def _resolved(self, wake: _Wake) -> None:
        rec: _Open = wake._value
        if rec.triaged is not None:
            rec.incident.triage(rec.worker, _SEVERITY[rec.alert.severity], False, rec.triaged)
        rec.incident.resolve(rec.worker, action="fixed")
        rec.resolution = "fixed"
        if self.pool is not None:
            self.free_workers.append(rec.worker)
        self._finish(rec)
        rec.desk.release()  # type: ignore[union-attr]  # after the row: the next one starts now
