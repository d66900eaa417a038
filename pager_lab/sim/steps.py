"""One incident's life inside the simulation: paging, then work, as SimPy callbacks.

Paging (level after level, each waiting its escalation timeout or the first
answer) and work (queue, triage, fix) drive the core's
:class:`~pager_lab.core.incident.Incident` and
:class:`~pager_lab.core.escalation.EscalationRun`. Each step that waits schedules a
SimPy ``Timeout`` whose callback is the next step, written out where it waits:
``self._timeout(minutes).callbacks.append(partial(self._next_step, rec))``
(``functools.partial`` carries the incident). No SimPy process per incident: no
generator and no process events, the model's main saving (benchmarks/README.md).
A step that fires after the incident moved on (the monitor cleared it, someone
acknowledged) does nothing.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from heapq import heappop, heappush
from typing import NamedTuple

import simpy

from pager_lab.core.clock import Clock
from pager_lab.core.escalation import EscalationPolicy, EscalationRun
from pager_lab.core.incident import Incident, IncidentState, Severity
from pager_lab.sim.calendars import WindowCalendar
from pager_lab.sim.people import Desk, Person
from pager_lab.sim.recorder import Recorder
from pager_lab.sim.scenario import Fatigue, ResponseModel, WorkModel

__all__ = ["Alert", "IncidentLife", "OpenIncident", "WorkTimes"]

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


class OpenIncident:
    """An incident being worked in the simulation, with what its table row needs.

    Attributes that most incidents never change are class-level defaults.
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
    answers: list[tuple[float, int, str]]
    """Answers on their way: (minute, page number, responder), earliest first (when paged)."""

    def __init__(self, number: int, incident: Incident, alert: Alert, runbook: bool) -> None:
        self.number = number
        """The incident's number (``INC-<number>``): the incidents table's order."""
        self.incident = incident
        self.alert = alert
        """The alert that opened it (its dedup key is the incident's key while open)."""
        self.runbook = runbook
        """Whether a runbook covers it (work is faster)."""

    def __repr__(self) -> str:
        key, resolution = self.alert.dedup_key, self.resolution
        return f"OpenIncident({self.incident.id!r}, key={key!r}, resolution={resolution!r})"


@dataclass(frozen=True)
class WorkTimes:
    """How long triage and the fix take, from the scenario's :class:`WorkModel`.

    An alert carries its own random draws (``triage_z``, ``work_z``, ``work_u``), so the
    same alert takes the same time under every team and policy (common random numbers).
    """

    exponential: bool
    resolve_mean: float
    log_triage: float
    triage_sigma: float
    log_resolve: Mapping[str, float]
    resolve_sigma: float
    runbook_factor: float

    @classmethod
    def from_model(cls, work: WorkModel) -> WorkTimes:
        """Precompute the logarithms of the medians once per run."""
        return cls(
            exponential=work.distribution == "exponential",
            resolve_mean=work.resolve_mean_minutes,
            log_triage=math.log(work.triage_median_minutes),
            triage_sigma=work.triage_sigma,
            log_resolve={str(k): math.log(v) for k, v in work.resolve_median_minutes.items()},
            resolve_sigma=work.resolve_sigma,
            runbook_factor=work.runbook_factor,
        )

    def durations(self, alert: Alert, runbook: bool) -> tuple[float | None, float]:
        """Minutes of triage (``None``: textbook work has none) and of the fix after it.

        A runbook shortens the fix.
        """
        if self.exponential:
            triage = None
            fix = -self.resolve_mean * math.log1p(-alert.work_u)
        else:
            triage = math.exp(self.log_triage + self.triage_sigma * alert.triage_z)
            fix = math.exp(self.log_resolve[alert.severity] + self.resolve_sigma * alert.work_z)
        return triage, (fix * self.runbook_factor if runbook else fix)


@dataclass(frozen=True)
class Paging:
    """Who pages whom: the policies, the people, their answers and business hours."""

    policy: EscalationPolicy
    low_urgency_policy: EscalationPolicy
    """PagerDuty's low urgency notifies but never escalates."""
    people: Mapping[str, Person]
    response: ResponseModel
    fatigue: Fatigue
    business: WindowCalendar
    auto_resolve_minutes: float


class IncidentLife:
    """Pages, then works, every incident of one run (built with exactly what it reads).

    It owns the open incidents (by dedup key) and records each one's row when it ends.
    """

    def __init__(
        self,
        env: simpy.Environment,
        clock: Clock,
        paging: Paging,
        work: WorkTimes,
        pool: Desk | None,
        team: Sequence[str],
        recorder: Recorder,
    ) -> None:
        self.clock = clock
        self.paging = paging
        self.work = work
        self.pool = pool
        """One desk for the whole team (``dispatch = "pool"``), or ``None``: each owner's own."""
        self.free_workers = deque(team)
        """With a pool: who is free, longest-free first."""
        self.recorder = recorder
        self.open: dict[str, OpenIncident] = {}
        """Open incidents by dedup key: a trigger with the key of one joins it."""
        self._now = clock.now
        self._timeout = env.timeout
        """SimPy's ``env.timeout`` (each read of it builds a new bound method)."""

    # -- how an incident starts ----------------------------------------------------------
    def start(self, rec: OpenIncident, immediate: bool) -> None:
        """A new incident: straight to work (textbook mode), paged now, or in business hours."""
        self.open[rec.alert.dedup_key] = rec
        if immediate:  # textbook mode: no paging, the team takes it at once
            rec.incident.acknowledge("team")
            self._start_work(rec, "team")
        elif rec.alert.low_urgency:
            self._page_in_business_hours(rec)
        else:
            self._begin_paging(rec)

    def monitor_cleared(self, rec: OpenIncident) -> None:
        """The alert cleared before anyone acknowledged: the monitor resolves it."""
        if rec.incident.state is IncidentState.TRIGGERED:
            rec.incident.resolve("monitor")
            rec.resolution = "monitor"
            self.finish(rec)

    # -- paging --------------------------------------------------------------------------
    def _page_in_business_hours(self, rec: OpenIncident) -> None:
        """Low urgency waits for business hours (PagerDuty urgency); then level 1 is paged."""
        now = self._now()
        at = self.paging.business.next_business(now)
        if at > now:
            self._timeout(at - now).callbacks.append(partial(self._business_hours_began, rec))
        else:
            self._begin_paging(rec)

    def _business_hours_began(self, rec: OpenIncident, _: simpy.Event) -> None:
        self._begin_paging(rec)

    def _begin_paging(self, rec: OpenIncident) -> None:
        incident = rec.incident
        if incident.state is not IncidentState.TRIGGERED:
            return  # the monitor cleared it while it waited
        rec.paging_started = self._now()
        rec.answers = []
        paging = self.paging
        policy = paging.low_urgency_policy if rec.alert.low_urgency else paging.policy
        rec.run = EscalationRun(policy, incident, self.clock)
        self._page_level(rec)

    def _page_level(self, rec: OpenIncident) -> None:
        """Page the next level; wait for its timeout or the earliest answer, whichever is first."""
        batch = rec.run.page_next()  # type: ignore[union-attr]
        if batch is None:
            self._exhausted(rec)
            return
        paging, record, answers = self.paging, self.recorder.page, rec.answers
        now, incident_id = batch.paged_at, rec.incident.id
        for name in batch.responders:
            person = paging.people[name]
            window, delay = person.answer_page(now, paging.response, paging.fatigue)
            page = record(
                minute=now,
                responder=name,
                slot=person.slot,
                incident_id=incident_id,
                level=batch.level,
                loop=batch.loop,
                window=window,
                answered=delay is not None,
            )
            if delay is not None:
                heappush(answers, (now + delay, page, name))
        if not answers or answers[0][0] > batch.deadline:
            self._timeout(batch.timeout).callbacks.append(partial(self._level_timed_out, rec))
        elif answers[0][0] < rec.paging_started + paging.auto_resolve_minutes:
            self._timeout(answers[0][0] - now).callbacks.append(partial(self._answered, rec))
        else:
            self._exhausted(rec)  # the answer would come after auto-resolve

    def _level_timed_out(self, rec: OpenIncident, _: simpy.Event) -> None:
        if rec.incident.state is IncidentState.TRIGGERED:
            rec.run.time_out()  # type: ignore[union-attr]
            self._page_level(rec)

    def _exhausted(self, rec: OpenIncident) -> None:
        """Escalation is over: the earliest answer acknowledges if it comes before
        auto-resolve (a late answer still counts), else the incident is auto-resolved."""
        limit = rec.paging_started + self.paging.auto_resolve_minutes
        now, answers = self._now(), rec.answers
        if answers and answers[0][0] < limit:
            self._timeout(answers[0][0] - now).callbacks.append(partial(self._answered, rec))
        else:
            self._timeout(max(0.0, limit - now)).callbacks.append(partial(self._auto_resolved, rec))

    def _answered(self, rec: OpenIncident, _event: simpy.Event) -> None:
        if rec.incident.state is not IncidentState.TRIGGERED:
            return
        _minute, page, name = heappop(rec.answers)
        rec.incident.acknowledge(name)
        self.recorder.acknowledged(page)
        self._start_work(rec, name)

    def _auto_resolved(self, rec: OpenIncident, _: simpy.Event) -> None:
        if rec.incident.state is IncidentState.TRIGGERED:
            rec.incident.auto_resolve()
            rec.resolution = "auto-resolved"
            self.finish(rec)

    # -- work ----------------------------------------------------------------------------
    def _start_work(self, rec: OpenIncident, owner: str) -> None:
        """Noise is closed at acknowledgement; real incidents queue at a desk for work."""
        if rec.alert.noise:
            rec.incident.resolve(owner, action="closed as noise")
            rec.resolution = "noise"
            self.finish(rec)
            return
        rec.worker = owner
        rec.desk = self.pool if self.pool is not None else self.paging.people[owner].desk
        rec.desk.take(self._work_begins, rec)

    def _work_begins(self, rec: OpenIncident) -> None:
        """A worker is free: triage (lognormal work only), then the fix, as one wait.

        Nothing acts on an incident between its triage and its fix, so the triage is
        recorded with the fix, at its own minute (``Incident.triage``'s *at*): one SimPy
        event per incident less (benchmarks/README.md).
        """
        if self.pool is not None:
            rec.worker = self.free_workers.popleft()
        rec.work_started = now = self._now()
        triage, fix = self.work.durations(rec.alert, rec.runbook)
        if triage is not None:
            rec.triaged = now = now + triage
        done = now + fix
        self._timeout(done - rec.work_started).callbacks.append(partial(self._fixed, rec))

    def _fixed(self, rec: OpenIncident, _: simpy.Event) -> None:
        if rec.triaged is not None:
            severity = _SEVERITY[rec.alert.severity]
            rec.incident.triage(rec.worker, severity, need_help=False, at=rec.triaged)
        rec.incident.resolve(rec.worker, action="fixed")
        rec.resolution = "fixed"
        if self.pool is not None:
            self.free_workers.append(rec.worker)
        self.finish(rec)
        rec.desk.release()  # type: ignore[union-attr]  # after the row: the next one starts now

    def finish(self, rec: OpenIncident) -> None:
        """An incident ended: it no longer takes alerts, and its row is recorded."""
        if self.open.get(rec.alert.dedup_key) is rec:
            del self.open[rec.alert.dedup_key]
        facts = rec.incident.facts()
        self.recorder.incident(
            incident_id=rec.incident.id,
            alert_position=rec.alert.position,
            runbook=rec.runbook,
            alerts=rec.alerts,
            triggered_minute=facts.triggered_at,
            acknowledged_minute=facts.acknowledged_at,
            work_started_minute=rec.work_started,
            resolved_minute=facts.resolved_at,
            acknowledged_by=facts.acknowledged_by,
            resolved_by=facts.resolved_by,
            highest_level=facts.highest_level,
            pages=facts.pages_sent,
            no_one_answered=facts.no_one_answered,
            resolution=rec.resolution,
            number=rec.number,
        )
