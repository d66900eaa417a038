"""The SimPy model: alert streams, responders, escalation and work in simulated minutes.

It drives the same core as the drill — :class:`~pager_lab.core.incident.Incident`
and :class:`~pager_lab.core.escalation.EscalationRun` — with a clock that reads
SimPy's ``env.now``, and produces only tidy pandas tables
(:class:`SimulationResult`).
"""

from __future__ import annotations

import gc
import math
from collections import deque
from collections.abc import Callable, Generator, Iterator
from datetime import datetime, timedelta
from functools import partial
from heapq import heappush
from itertools import chain, repeat
from typing import Any

import numpy as np
import pandas as pd
import simpy
from simpy.events import NORMAL

from pager_lab.core.escalation import MAX_REPEAT, EscalationPolicy
from pager_lab.core.incident import Incident, IncidentState
from pager_lab.sim.arrivals import generate_alerts
from pager_lab.sim.calendars import CompiledSchedule, WindowCalendar
from pager_lab.sim.people import Desk, Person, Roster, RosterLevel, SlotTarget
from pager_lab.sim.scenario import Scenario
from pager_lab.sim.steps import Alert, IncidentSteps, _Open, _Wake
from pager_lab.sim.tables import ROW_SCHEMA, SimulationResult, build_result, typed_frame

__all__ = ["SimClock", "Simulation", "SimulationResult", "simulate"]

WEEK = 7 * 24 * 60.0
ROWS_PER_FRAME = 65_536
"""Finished incidents are packed into a DataFrame every this many rows (memory)."""
ALERT_SLICE = 1024
"""Alerts become tuples this many at a time, shortly before they are delivered: made
long before, they were out of the CPU's caches by then (benchmarks/README.md)."""
MARGIN_DAYS = 60
"""Calendars and schedules are compiled this far past the horizon, for incidents that drain."""


class SimClock:
    """The core's clock inside SimPy: minutes are ``env.now``."""

    def __init__(self, env: simpy.Environment, start: datetime) -> None:
        self.env = env
        self.start = start
        # SimPy's ``Environment.now`` property returns ``env._now``: reading the attribute
        # through a C-level partial skips a Python frame on the hot path (many reads per
        # incident). tests/test_model.py checks that the two always agree.
        self.now: Callable[[], float] = partial(getattr, env, "_now")
        """Minutes since :attr:`start`: SimPy's ``env.now``."""

    def advance(self, minutes: float) -> None:
        raise TypeError("simulated time moves only through SimPy (yield env.timeout(...))")


class Simulation(IncidentSteps):
    """One run of one scenario with one seed."""

    def __init__(self, scenario: Scenario, seed: int = 0) -> None:
        self.scenario = scenario
        self.seed = seed
        self.env = simpy.Environment()
        self.clock = SimClock(self.env, scenario.start)
        root = np.random.SeedSequence(seed)
        self._source_seeds, self._people_seed, self._hire_seed = root.spawn(3)
        end = scenario.start + timedelta(minutes=scenario.horizon_minutes, days=MARGIN_DAYS)
        self._calendars: dict[str, WindowCalendar] = {}
        self.business = self._calendar(scenario.time_zone, end)
        self.roster = Roster(scenario.team)
        self._by_name = self.roster.by_name
        for slot, child in zip(
            scenario.team, self._people_seed.spawn(len(scenario.team)), strict=True
        ):
            self._seat(slot, slot, np.random.default_rng(child), end)
        self._end = end
        compiled = {
            n: CompiledSchedule(s, scenario.start, end) for n, s in scenario.schedules.items()
        }
        self.policy = _wrap(scenario.policy, self.roster, compiled)
        first = self.policy.levels[0]
        # PagerDuty: low urgency notifies but never escalates: level 1, looped.
        self.low_urgency_policy = EscalationPolicy(
            "low urgency", (first,), min(self.policy.steps - 1, MAX_REPEAT)
        )
        self.pool = Desk(len(scenario.team)) if scenario.dispatch == "pool" else None
        self.free_workers = deque(scenario.team)
        self._now = self.clock.now
        # Steps schedule their wake-ups on SimPy's own queue (sim_steps._Wake).
        self._queue = self.env._queue
        self._eid = self.env._eid
        self._auto_resolve = scenario.auto_resolve_minutes
        work = scenario.work
        self._exponential = work.distribution == "exponential"
        self._resolve_mean = work.resolve_mean_minutes
        self._log_triage = math.log(work.triage_median_minutes)
        self._triage_sigma = work.triage_sigma
        self._log_resolve = {str(k): math.log(v) for k, v in work.resolve_median_minutes.items()}
        self._resolve_sigma = work.resolve_sigma
        self._runbook_factor = work.runbook_factor
        self._summaries: dict[str, str] = {}
        self.alerts = generate_alerts(
            scenario.sources,
            self._source_seeds.spawn(len(scenario.sources)),
            scenario.start,
            scenario.horizon_minutes,
            scenario.time_zone,
        )
        self.open: dict[str, _Open] = {}
        self._immediate = scenario.response.immediate
        self._created = 0
        self._alert_stream: Iterator[Alert] = iter(())
        self._next_alert: Alert | None = None
        self.incident_rows: list[tuple[Any, ...]] = []
        """Finished incidents not yet packed into :attr:`incident_frames`."""
        self.incident_frames: list[pd.DataFrame] = []
        """Finished incidents packed into columns every ROWS_PER_FRAME rows (memory)."""
        self.page_rows: list[list[Any]] = []
        self.alert_incident: list[str] = []
        self.alert_joined: list[bool] = []
        self._hires = 0

    # -- set-up --------------------------------------------------------------------------
    def _calendar(self, zone: str, end: datetime) -> WindowCalendar:
        if zone not in self._calendars:
            self._calendars[zone] = WindowCalendar(zone, self.scenario.start, end)
        return self._calendars[zone]

    def _seat(self, name: str, slot: str, rng: np.random.Generator, end: datetime) -> None:
        calendar = self._calendar(self.scenario.team[slot], end)
        self.roster.seat(Person(name, slot, calendar, rng, self.env, self.env.now))

    # -- processes -----------------------------------------------------------------------
    def _feed(self, _event: object = None) -> None:
        """Deliver the pre-generated alerts in order, each at its minute (a callback chain)."""
        alert, now = self._next_alert, self._now()
        while alert is not None:
            if alert.minute > now:
                wake = _Wake()  # as _after does, inline: once per alert (benchmarks/README.md)
                wake.callbacks = [self._feed]
                wake._value = None
                minute = now + (alert.minute - now)  # what a Timeout gives, to the last bit
                heappush(self._queue, (minute, NORMAL, next(self._eid), wake))
                return
            self._deliver(alert)
            alert = self._next_alert = next(self._alert_stream, None)

    def _deliver(self, alert: Alert) -> None:
        key = alert.dedup_key
        rec = self.open.get(key)
        if alert.kind == "resolve":
            self.alert_incident.append(rec.incident.id if rec else "")
            self.alert_joined.append(rec is not None)
            if rec is not None and rec.incident.state is IncidentState.TRIGGERED:
                self._monitor_cleared(rec)
            return
        if rec is not None:  # PagerDuty Events v2: same dedup key joins the open incident
            rec.alerts += 1
            self.alert_incident.append(rec.incident.id)
            self.alert_joined.append(True)
            return
        self._created += 1
        service = alert.service
        summary = self._summaries.get(service)
        if summary is None:
            summary = self._summaries[service] = f"{service} alert"
        incident = Incident(f"INC-{self._created}", summary, self.clock, service)
        runbook = alert.runbook_u < self.scenario.runbook_coverage
        rec = _Open(self._created, incident, alert, runbook)
        self.open[key] = rec
        self.alert_incident.append(incident.id)
        self.alert_joined.append(False)
        if self._immediate:  # textbook mode: no paging, so no process: straight to work
            incident.acknowledge("team")
            self._start_work(rec, "team")
        elif alert.low_urgency:
            self._page_in_business_hours(rec)
        else:
            self._begin(rec)

    def _attrition(self) -> Generator[simpy.Event, Any, None]:
        """Weekly: each person may quit (teaching assumption); a replacement comes later."""
        rules = self.scenario.attrition
        while True:
            yield self.env.timeout(WEEK)
            for slot in self.scenario.team:
                person = self.roster.holder[slot]
                if person is None:
                    continue
                recent = person.sleep_interruptions(self.env.now, 7)
                chance = min(
                    rules.max_weekly_quit, rules.weekly_quit + rules.per_sleep_interruption * recent
                )
                if person.rng.random() < chance:
                    self.roster.vacate(slot, self.env.now)
                    self.env.process(self._hire(slot))

    def _hire(self, slot: str) -> Generator[simpy.Event, Any, None]:
        yield self.env.timeout(self.scenario.attrition.hiring_delay_weeks * WEEK)
        self._hires += 1
        (child,) = self._hire_seed.spawn(1)
        self._seat(f"{slot} #{self._hires + 1}", slot, np.random.default_rng(child), self._end)

    def _finish(self, rec: _Open) -> None:
        inc = rec.incident
        key = rec.alert.dedup_key
        if self.open.get(key) is rec:
            del self.open[key]
        at, acked, acked_by, resolved, resolved_by, level, pages, nobody = inc.facts()
        row = (  # in ROW_SCHEMA order: the alert's own columns are taken by position later
            inc.id, rec.alert.position, rec.runbook, rec.alerts, at, acked, rec.work_started,
            resolved, acked_by, resolved_by, level, pages, nobody, rec.resolution, rec.number,
        )  # fmt: skip
        self.incident_rows.append(row)
        if len(self.incident_rows) >= ROWS_PER_FRAME:
            self.pack_rows()

    def pack_rows(self) -> None:
        """Move the finished rows into a DataFrame: numpy columns are far smaller than tuples."""
        if self.incident_rows:
            self.incident_frames.append(typed_frame(self.incident_rows, ROW_SCHEMA))
            self.incident_rows = []

    # -- running -------------------------------------------------------------------------
    def run(self) -> SimulationResult:
        """Simulate the horizon, then let open incidents drain; return the tables.

        Python's cyclic garbage collector is paused meanwhile, as :mod:`timeit` does:
        an incident leaves no reference cycles behind (reference counting frees it;
        tests/test_model.py checks), so the collector would only re-scan the growing
        tables, about a seventh of the time (benchmarks/README.md).
        """
        self._alert_stream = _alert_rows(self.alerts)
        self._next_alert = next(self._alert_stream, None)
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._feed()
            if self.scenario.attrition.enabled:
                self.env.process(self._attrition())
            self.env.run(until=self.scenario.horizon_minutes)
            while self.open:  # let the open incidents drain (attrition's loop never ends)
                self.env.step()
            return build_result(self)
        finally:
            if collecting:
                gc.enable()


def _alert_rows(alerts: pd.DataFrame) -> Iterator[Alert]:
    """The alerts as tuples, made a slice at a time so a million alerts fit in memory.

    ``next()`` on the result runs in C except once per slice (no generator frame per alert).
    """
    columns = [alerts[name].to_numpy() for name in Alert._fields[:-1]]
    return chain.from_iterable(
        map(_alert_slice, repeat(columns), range(0, len(alerts), ALERT_SLICE))
    )


def _alert_slice(columns: list[np.ndarray], start: int) -> list[Alert]:
    values = [column[start : start + ALERT_SLICE].tolist() for column in columns]
    values.append(list(range(start, start + len(values[0]))))  # Alert.position
    return list(map(partial(tuple.__new__, Alert), zip(*values, strict=True)))


def _wrap(
    policy: EscalationPolicy, roster: Roster, compiled: dict[str, CompiledSchedule]
) -> EscalationPolicy:
    """The policy with every target resolved through the roster (slots may be vacant)."""
    levels = []
    for level in policy.levels:
        targets = tuple(
            SlotTarget(t if isinstance(t, str) else compiled[t.name], roster) for t in level.targets
        )
        levels.append(RosterLevel(targets, level.timeout))
    return EscalationPolicy(policy.name, tuple(levels), policy.repeat)


def simulate(scenario: Scenario, seed: int = 0, *, weeks: float | None = None) -> SimulationResult:
    """Run *scenario* with *seed*; ``weeks`` overrides the scenario's horizon."""
    if weeks is not None:
        if weeks <= 0:
            raise ValueError(f"weeks ({weeks}) must be greater than 0")
        from dataclasses import replace

        scenario = replace(scenario, weeks=float(weeks))
    return Simulation(scenario, seed).run()
