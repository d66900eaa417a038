"""One incident's life inside the simulation, as a chain of SimPy callbacks.

Paging (level after level, each waiting its escalation timeout or the first
answer) and work (queue, triage, fix) drive the core's
:class:`~pager_lab.incident.Incident` and :class:`~pager_lab.escalation.EscalationRun`.
They are callbacks on SimPy events rather than a process per incident: the same
events in the same order of time, without a generator per incident (the hot
path: benchmarks/README.md). A callback that fires after the incident moved on
(the monitor cleared it, someone acknowledged) does nothing.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from heapq import heappop, heappush
from typing import TYPE_CHECKING, Any, NamedTuple

import simpy

from pager_lab.escalation import EscalationPolicy, EscalationRun
from pager_lab.incident import Incident, IncidentState, Severity

if TYPE_CHECKING:
    from pager_lab.calendars import WindowCalendar
    from pager_lab.people import Desk, Roster
    from pager_lab.scenario import Scenario

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


@dataclass(slots=True)
class _Open:
    """An incident being worked in the simulation, with what the tables need."""

    incident: Incident
    key: str
    alert: Alert
    alerts: int = 1
    runbook: bool = False
    work_started: float = math.nan
    paging_started: float = 0.0
    """Low-urgency alerts wait for business hours; auto-resolve counts from here."""
    resolution: str = "open"
    run: EscalationRun | None = None
    worker: str = ""
    """Who works it (the acknowledger, or the pool's next free person)."""
    desk: Desk | None = None
    fix_minutes: float = 0.0
    pending: list[tuple[float, int, str]] = field(default_factory=list)
    """Answers on their way: (minute, page row, responder), earliest first."""


class IncidentSteps:
    """Paging and work for :class:`~pager_lab.model.Simulation` (which sets these attributes)."""

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
    _log_triage: float
    _log_resolve: dict[str, float]
    _resolve_sigma: float
    _runbook_factor: float

    def _finish(self, rec: _Open) -> None:  # pragma: no cover - defined by Simulation
        raise NotImplementedError

    def _after(self, minutes: float, then: Callable[[_Open, object], None], rec: _Open) -> None:
        """Call ``then(rec, event)`` *minutes* from now (one Timeout, no closure)."""
        self.env.timeout(minutes).callbacks.append(partial(then, rec))

    # -- paging ------------------------------------------------------------------------
    def _start_paging(self, rec: _Open) -> None:
        """Low urgency waits for business hours (PagerDuty urgency); then level 1 is paged."""
        if rec.alert.low_urgency:
            now = self.env.now
            at = self.business.next_business(now)
            if at > now:
                self._after(at - now, self._begin, rec)
                return
        self._begin(rec)

    def _begin(self, rec: _Open, _event: object = None) -> None:
        if rec.incident.state is not TRIGGERED:
            return  # the monitor cleared it while it waited
        rec.paging_started = self.env.now
        policy = self.low_urgency_policy if rec.alert.low_urgency else self.policy
        rec.run = EscalationRun(policy, rec.incident, self.clock)
        self._page_level(rec)

    def _page_level(self, rec: _Open, _event: object = None) -> None:
        assert rec.run is not None
        batch = rec.run.page_next()
        if batch is None:
            self._exhausted(rec)
            return
        now, incident_id, pending = self.env.now, rec.incident.id, rec.pending
        response, fatigue, by_name = self.scenario.response, self.scenario.fatigue, self._by_name
        level, loop, rows = batch.level, batch.loop, self.page_rows
        for name in batch.responders:
            person = by_name[name]
            window, delay = person.answer_page(now, response, fatigue)
            if delay is not None:
                heappush(pending, (now + delay, len(rows), name))
            outcome = "missed" if delay is None else "unanswered"
            rows.append([now, name, person.slot, incident_id, level, loop, window, outcome])
        if pending and pending[0][0] <= batch.deadline:
            self._exhausted(rec)  # stop escalating: the answer comes (if before auto-resolve)
        else:
            self._after(batch.timeout, self._level_timed_out, rec)

    def _level_timed_out(self, rec: _Open, _event: object = None) -> None:
        if rec.incident.state is TRIGGERED:
            assert rec.run is not None
            rec.run.time_out()
            self._page_level(rec)

    def _exhausted(self, rec: _Open) -> None:
        """Escalation is over: the earliest answer acknowledges if it comes before
        auto-resolve (a late answer still counts), else the incident is auto-resolved."""
        limit, now = rec.paging_started + self.scenario.auto_resolve_minutes, self.env.now
        if rec.pending and rec.pending[0][0] < limit:
            self._after(rec.pending[0][0] - now, self._answered, rec)
        else:
            self._after(max(0.0, limit - now), self._auto_resolved, rec)

    def _answered(self, rec: _Open, _event: object = None) -> None:
        if rec.incident.state is not TRIGGERED:
            return
        _, row, name = heappop(rec.pending)
        rec.incident.acknowledge(name)
        self.page_rows[row][7] = "acknowledged"
        self._start_work(rec, name)

    def _auto_resolved(self, rec: _Open, _event: object = None) -> None:
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
        if self.pool is not None:
            rec.worker = self.free_workers.popleft()
        rec.work_started = self.env.now
        triage, minutes = self._work_minutes(rec.alert)
        if rec.runbook:
            minutes *= self._runbook_factor
        rec.fix_minutes = minutes
        if triage is None:
            self._after(minutes, self._resolved, rec)
        else:
            self._after(triage, self._triaged, rec)

    def _triaged(self, rec: _Open, _event: object = None) -> None:
        rec.incident.triage(rec.worker, _SEVERITY[rec.alert.severity], need_help=False)
        self._after(rec.fix_minutes, self._resolved, rec)

    def _resolved(self, rec: _Open, _event: object = None) -> None:
        rec.incident.resolve(rec.worker, action="fixed")
        rec.resolution = "fixed"
        if self.pool is not None:
            self.free_workers.append(rec.worker)
        self._finish(rec)
        assert rec.desk is not None
        rec.desk.release()  # after the row is written: the next incident starts now

    def _work_minutes(self, alert: Alert) -> tuple[float | None, float]:
        """Triage minutes (``None`` for exponential work) and resolution minutes."""
        work = self.scenario.work
        if work.distribution == "exponential":
            return None, -work.resolve_mean_minutes * math.log1p(-alert.work_u)
        triage = math.exp(self._log_triage + work.triage_sigma * alert.triage_z)
        resolve = self._log_resolve[alert.severity] + self._resolve_sigma * alert.work_z
        return triage, math.exp(resolve)
