"""The SimPy model: alert streams, responders, escalation and work in simulated minutes.

It drives the same core as the drill — :class:`~pager_lab.core.incident.Incident`
and :class:`~pager_lab.core.escalation.EscalationRun` — with a clock that reads
SimPy's ``env.now``, and produces only tidy pandas tables
(:class:`SimulationResult`).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Generator, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from itertools import chain, repeat
from typing import Any

import numpy as np
import pandas as pd
import simpy

from pager_lab.core.escalation import EscalationPolicy
from pager_lab.core.incident import Incident
from pager_lab.sim.arrivals import generate_alerts
from pager_lab.sim.calendars import CompiledSchedule, WindowCalendar
from pager_lab.sim.people import Desk, Person, Roster, RosterLevel, SlotTarget
from pager_lab.sim.recorder import Recorder
from pager_lab.sim.routing_stage import RoutingStage
from pager_lab.sim.scenario import Scenario
from pager_lab.sim.steps import Alert, IncidentLife, OpenIncident, Paging, WorkTimes
from pager_lab.sim.tables import SimulationResult

__all__ = ["SimClock", "Simulation", "SimulationResult", "simulate"]

WEEK = 7 * 24 * 60.0
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
        # A C-level partial reads SimPy's public ``env.now`` without a Python frame of our
        # own on the hot path (many reads per incident).
        self.now: Callable[[], float] = partial(getattr, env, "now")
        """Minutes since :attr:`start`: SimPy's ``env.now``."""

    def advance(self, minutes: float) -> None:
        """Refused: simulated time moves only through SimPy."""
        raise TypeError("simulated time moves only through SimPy (yield env.timeout(...))")


class Simulation:
    """One run of one scenario with one seed: set-up, the alert feed, attrition, the run."""

    def __init__(self, scenario: Scenario, seed: int = 0) -> None:
        self.scenario = scenario
        self.seed = seed
        self.env = simpy.Environment()
        self.clock = SimClock(self.env, scenario.start)
        root = np.random.SeedSequence(seed)
        # One stream per purpose: alert sources, people's answers, hires, quits. spawn(4)'s
        # first three children are spawn(3)'s, so adding a purpose changes no other stream.
        self._source_seeds, self._people_seed, self._hire_seed, quit_seed = root.spawn(4)
        self._quits = np.random.default_rng(quit_seed)
        """Attrition's own draws: with attrition on, a person's k-th page still uses their
        k-th answer draws (the same as with it off)."""
        end = scenario.start + timedelta(minutes=scenario.horizon_minutes, days=MARGIN_DAYS)
        self._end = end
        self._calendars: dict[str, WindowCalendar] = {}
        self.roster = Roster(scenario.team)
        for slot, child in zip(
            scenario.team, self._people_seed.spawn(len(scenario.team)), strict=True
        ):
            self._seat(slot, slot, np.random.default_rng(child), end)
        self.alerts = generate_alerts(
            scenario.sources,
            self._source_seeds.spawn(len(scenario.sources)),
            scenario.start,
            scenario.horizon_minutes,
            scenario.time_zone,
            scenario.low_urgency_severities,
        )
        self.recorder = Recorder(self.alerts)
        self.life = IncidentLife(
            self.env,
            self.clock,
            self._paging(end),
            WorkTimes.from_model(scenario.work),
            Desk(len(scenario.team)) if scenario.dispatch == "pool" else None,
            list(scenario.team),
            self.recorder,
        )
        self.open = self.life.open
        """Open incidents by dedup key: a trigger with the key of one joins it."""
        self._created = 0
        self._timeout = self.env.timeout
        """SimPy's ``env.timeout`` (each read of it builds a new bound method)."""
        self._immediate = scenario.response.immediate
        self._runbook_coverage = scenario.runbook_coverage
        self._summaries: dict[str, str] = {}
        self._alert_stream: Iterator[Alert] = iter(())
        self._next_alert: Alert | None = None
        self._hires = 0
        self.routing = (
            RoutingStage(
                scenario.routing,
                self.alerts,
                scenario.horizon_minutes,
                self.life,
                self.recorder,
                self._deliver,
            )
            if scenario.routing
            else None
        )
        """Alertmanager's grouping before paging (the scenario's ``[routing]``), or ``None``."""

    def _paging(self, end: datetime) -> Paging:
        """The policy with its targets resolved through the roster, and how people answer."""
        scenario = self.scenario
        compiled = {
            n: CompiledSchedule(s, scenario.start, end) for n, s in scenario.schedules.items()
        }
        policy = _wrap(scenario.policy, self.roster, compiled)
        # PagerDuty: low urgency notifies but never escalates (REFERENCES.md): level 1, once.
        # Unanswered, it stays open until auto-resolve, like any incident nobody acknowledged.
        low_urgency = EscalationPolicy("low urgency", (policy.levels[0],), repeat=0)
        return Paging(
            policy,
            low_urgency,
            self.roster.by_name,
            scenario.response,
            scenario.fatigue,
            self._calendar(scenario.time_zone, end),
            scenario.auto_resolve_minutes,
        )

    # -- set-up --------------------------------------------------------------------------
    def _calendar(self, zone: str, end: datetime) -> WindowCalendar:
        if zone not in self._calendars:
            self._calendars[zone] = WindowCalendar(zone, self.scenario.start, end)
        return self._calendars[zone]

    def _seat(self, name: str, slot: str, rng: np.random.Generator, end: datetime) -> None:
        calendar = self._calendar(self.scenario.team[slot], end)
        self.roster.seat(Person(name, slot, calendar, rng, self.env, self.env.now))

    # -- the alert feed ------------------------------------------------------------------
    def _feed(self, _event: object = None) -> None:
        """Deliver the pre-generated alerts in order, each at its minute (a callback chain)."""
        alert, now = self._next_alert, self.env.now
        while alert is not None:
            if alert.minute > now:
                self._timeout(alert.minute - now).callbacks.append(self._feed)
                return
            self._deliver(alert)
            alert = self._next_alert = next(self._alert_stream, None)

    def _deliver(self, alert: Alert) -> None:
        """An alert arrives: it clears, joins or opens an incident (PagerDuty dedup semantics)."""
        rec = self.open.get(alert.dedup_key)
        if alert.kind == "resolve":
            self.recorder.alert(alert.position, rec.incident.id if rec else "")
            if rec is not None:
                self.life.monitor_cleared(rec)
            return
        if rec is not None:  # PagerDuty Events v2: same dedup key joins the open incident
            rec.alerts += 1
            self.recorder.alert(alert.position, rec.incident.id)
            return
        self._created += 1
        summary = self._summaries.get(alert.service)
        if summary is None:
            summary = self._summaries[alert.service] = f"{alert.service} alert"
        incident = Incident(f"INC-{self._created}", summary, self.clock, alert.service)
        runbook = alert.runbook_u < self._runbook_coverage
        rec = OpenIncident(self._created, incident, alert, runbook)
        self.life.start(rec, self._immediate)

    # -- attrition -----------------------------------------------------------------------
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
                if self._quits.random() < chance:
                    self.roster.vacate(slot, self.env.now)
                    self.env.process(self._hire(slot))

    def _hire(self, slot: str) -> Generator[simpy.Event, Any, None]:
        yield self.env.timeout(self.scenario.attrition.hiring_delay_weeks * WEEK)
        self._hires += 1
        (child,) = self._hire_seed.spawn(1)
        self._seat(f"{slot} #{self._hires + 1}", slot, np.random.default_rng(child), self._end)

    # -- running -------------------------------------------------------------------------
    def run(self) -> SimulationResult:
        """Simulate the horizon, then let open incidents drain; return the tables.

        Python's cyclic garbage collector is paused meanwhile, as :mod:`timeit` does:
        an incident leaves no reference cycles behind (reference counting frees it;
        tests/sim/test_model.py checks), so the collector would only re-scan the growing
        tables, about a seventh of the time (benchmarks/README.md).
        """
        self._alert_stream = _alert_rows(self.alerts)
        if self.routing is not None:  # notifications, not alerts, trigger incidents
            self._alert_stream = self.routing.feed()
            self._deliver = self.routing.deliver  # type: ignore[method-assign]
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
            result = self.recorder.result(self.scenario, self.seed, self.roster.everyone)
            if self.routing is not None:
                result = replace(result, routing=self.routing.result)
            return result
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
        if weeks * 7 * 24 * 60 <= scenario.warmup_minutes:
            raise ValueError(
                f"weeks ({weeks}) must be longer than the warm-up "
                f"({scenario.warmup_minutes:g} minutes): nothing would be left to observe"
            )
        scenario = replace(scenario, weeks=float(weeks))
    return Simulation(scenario, seed).run()
