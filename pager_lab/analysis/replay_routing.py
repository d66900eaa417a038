"""An ingest replay paged through a scenario's team: who would have been paged, and why.

Events API v2 and Alertmanager events name no recipient: PagerDuty routes an event to
its service's escalation policy. :func:`route_events` replays the events with the
core's dedup semantics (:class:`~pager_lab.alerting.ingest.EventReplay`) and pages each
incident through a scenario's schedules and policy, as the model does:

- urgency from the event's severity (``critical``/``error``/``warning``/``info`` stand
  for SEV1-SEV4) and the scenario's ``[urgency]``; low urgency waits for business hours
  and notifies level 1 once;
- level after level from the trigger, each waiting its timeout; a level with nobody on
  call is skipped without waiting; the policy loops ``repeat`` times;
- paging stops at the replay's acknowledge (or resolve) event. Those events name no
  person, so the page(s) live at that moment get the outcome ``acknowledged`` (an
  **inference**: someone paged then acknowledged), earlier ones ``unanswered``, and the
  incident's ``acknowledged_by`` stays what the data says (``events-api``).

The result has the model's four tables and the scenario, so every metric works on it,
``save_run`` writes it as a run folder and ``why`` explains its pages.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pandas as pd

from pager_lab.alerting.ingest import Event, EventReplay
from pager_lab.core.clock import to_datetime
from pager_lab.core.escalation import EscalationPolicy
from pager_lab.core.incident import Incident, IncidentState, Severity
from pager_lab.core.tables import ALERTS, INCIDENTS, PAGES, WINDOW_NAMES
from pager_lab.core.windows import window_at
from pager_lab.sim.calendars import WindowCalendar
from pager_lab.sim.scenario import Scenario
from pager_lab.sim.scenario_io import with_changes
from pager_lab.sim.tables import SimulationResult, minutes_to_timestamps

__all__ = ["EVENT_SEVERITY", "route_events"]

EVENT_SEVERITY = {
    "critical": Severity.SEV1,
    "error": Severity.SEV2,
    "warning": Severity.SEV3,
    "info": Severity.SEV4,
}
"""Events v2 severities as the lab's SEV1-SEV4 (sim/scenario.py's DEFAULT_URGENCY)."""
WEEK = 7 * 24 * 60.0


@dataclass
class _Rows:
    """The tables' rows as they are built."""

    alerts: list[dict[str, object]] = field(default_factory=list)
    pages: list[dict[str, object]] = field(default_factory=list)
    first_alert: dict[str, int] = field(default_factory=dict)
    """Incident id -> row of the alert that opened it."""


def _scenario_for(scenario: Scenario, start: datetime, end_minute: float) -> Scenario:
    """*scenario* starting at the replay's first event and lasting past its last."""
    weeks = max(1.0, math.ceil((end_minute + 1) / WEEK))
    changes = {"start": start.isoformat(), "weeks": weeks, "warmup_minutes": 0}
    return with_changes(scenario, changes)


def route_events(
    events: Sequence[Event], scenario: Scenario, start: datetime | None = None
) -> SimulationResult:
    """Replay *events* (in order) and page each incident through *scenario*'s policy.

    *start* is the replay's clock start (default: the earliest time an event was received or
    stamped); the
    scenario is moved to start there (``with_changes``, validated again).
    """
    times = [e.received_at or e.timestamp for e in events]  # as EventReplay times them
    stamps = [t for t in times if t is not None]
    if start is None:
        if not stamps:
            raise ValueError("no event has a timestamp: give the replay a start")
        start = min(stamps)
    replay = EventReplay(start)
    rows = _Rows()
    for number, event in enumerate(events, 1):
        incident = replay.apply(event)
        _alert_row(rows, replay, event, incident, number)
    run = _scenario_for(scenario, start, replay.clock.now())
    business = WindowCalendar(run.time_zone, run.start, run.start + timedelta(days=366))
    incidents = [_route(rows, run, business, inc, replay) for inc in replay.incidents]
    return _result(run, rows, incidents)


def _alert_row(
    rows: _Rows, replay: EventReplay, event: Event, incident: Incident | None, number: int
) -> None:
    if event.action == "acknowledge":
        return  # not an alert: it changes the incident (its time is on the incident's row)
    incident_id = "" if incident is None else incident.id
    opened = event.action == "trigger" and incident_id not in rows.first_alert
    if opened and incident is not None:
        rows.first_alert[incident_id] = len(rows.alerts)
    severity = _opened(incident, "severity")
    rows.alerts.append(
        {
            "alert_id": f"E-{number}",
            "minute": replay.clock.now(),
            "service": incident.service if incident is not None else "",
            "dedup_key": event.dedup_key or _opened(incident, "dedup_key"),
            "kind": event.action,
            "severity": str(EVENT_SEVERITY.get(severity, Severity.SEV2)),
            "noise": False,
            "low_urgency": False,  # set once the scenario's urgency is known
            "origin": "ingest",
            "incident_id": incident_id,
            "joined": not opened and incident is not None,
        }
    )


def _opened(incident: Incident | None, key: str) -> str:
    """What the trigger that opened *incident* said of *key* (severity, dedup key)."""
    if incident is None:
        return ""
    return str(incident.timeline[0].detail.get(key, ""))


@dataclass(frozen=True)
class _Routed:
    """One incident's row values that routing decides."""

    incident: Incident
    low_urgency: bool
    highest_level: int
    pages: int
    no_one_answered: bool


def _route(
    rows: _Rows,
    run: Scenario,
    business: WindowCalendar,
    incident: Incident,
    replay: EventReplay,
) -> _Routed:
    severity = EVENT_SEVERITY.get(_opened(incident, "severity"), Severity.SEV2)
    low = run.urgency.get(severity, "high") == "low"
    policy = (
        EscalationPolicy("low urgency", (run.policy.levels[0],), repeat=0) if low else run.policy
    )
    stop = min(
        (m for m in (incident.acknowledged_at, incident.resolved_at) if m is not None),
        default=math.inf,
    )
    now = business.next_business(incident.triggered_at) if low else incident.triggered_at
    highest, sent = 0, 0
    steps = len(policy.levels) * (policy.repeat + 1)
    for step in range(steps):
        if now >= stop:
            break
        loop, index = divmod(step, len(policy.levels))
        level = policy.levels[index]
        people = level.responders_at(to_datetime(run.start, now))
        if not people:
            continue
        ack = incident.acknowledged_at
        acked = ack is not None and ack == stop and stop < now + level.timeout
        for person in people:
            zone = run.team.get(person, run.time_zone)
            window = window_at(to_datetime(run.start, now), zone).value
            rows.pages.append(
                {
                    "minute": now,
                    "responder": person,
                    "slot": person,
                    "incident_id": incident.id,
                    "level": index + 1,
                    "loop": loop,
                    "window": window,
                    "outcome": "acknowledged" if acked else "unanswered",
                }
            )
        highest, sent = max(highest, index + 1), sent + len(people)
        now += level.timeout
    exhausted = now < stop and incident.acknowledged_at is None and sent > 0
    return _Routed(incident, low, highest, sent, exhausted)


def _result(run: Scenario, rows: _Rows, routed: list[_Routed]) -> SimulationResult:
    start = pd.Timestamp(run.start).tz_convert("UTC")
    zone = run.time_zone
    alerts = pd.DataFrame(rows.alerts, columns=[c for c in ALERTS if c != "timestamp"])
    low = {r.incident.id: r.low_urgency for r in routed}
    alerts["low_urgency"] = alerts["incident_id"].map(low).fillna(False).astype(bool)
    alerts["timestamp"] = minutes_to_timestamps(start, alerts["minute"].astype(float), zone)
    alerts = alerts[list(ALERTS)].astype({"minute": float})
    incidents = pd.DataFrame([_incident_row(r, rows, alerts) for r in routed])
    if incidents.empty:
        incidents = pd.DataFrame(columns=list(INCIDENTS))
    for name in ("triggered", "acknowledged", "resolved"):
        minutes = incidents[f"{name}_minute"].astype(float)
        incidents[name] = minutes_to_timestamps(start, minutes, zone)
    incidents = incidents[list(INCIDENTS)]
    pages = pd.DataFrame(rows.pages, columns=[c for c in PAGES if c != "timestamp"])
    pages["window"] = pd.Categorical(pages["window"], categories=list(WINDOW_NAMES))
    pages["timestamp"] = minutes_to_timestamps(start, pages["minute"].astype(float), zone)
    pages = pages.astype({"minute": float, "level": "int64", "loop": "int64"})
    team = pd.DataFrame(
        {
            "person": list(run.team),
            "slot": list(run.team),
            "time_zone": list(run.team.values()),
            "joined_minute": 0.0,
            "left_minute": math.nan,
        }
    )
    team["joined"] = minutes_to_timestamps(start, team["joined_minute"], zone)
    team["left"] = minutes_to_timestamps(start, team["left_minute"], zone)
    return SimulationResult(run, 0, alerts, incidents, pages, team)


def _incident_row(routed: _Routed, rows: _Rows, alerts: pd.DataFrame) -> dict[str, object]:
    inc = routed.incident
    first = alerts.iloc[rows.first_alert[inc.id]]
    count = int(((alerts["incident_id"] == inc.id) & (alerts["kind"] == "trigger")).sum())
    ack, resolved = inc.acknowledged_at, inc.resolved_at
    nan = math.nan
    return {
        "incident_id": inc.id,
        "service": inc.service,
        "severity": first["severity"],
        "noise": False,
        "low_urgency": routed.low_urgency,
        "runbook": False,
        "dedup_key": first["dedup_key"],
        "alerts": count,
        "triggered_minute": inc.triggered_at,
        "acknowledged_minute": nan if ack is None else ack,
        "work_started_minute": nan if ack is None else ack,
        "resolved_minute": nan if resolved is None else resolved,
        "acknowledged_by": inc.acknowledged_by,
        "resolved_by": inc.resolved_by,
        "highest_level": routed.highest_level,
        "pages": routed.pages,
        "no_one_answered": routed.no_one_answered,
        "resolution": "fixed" if inc.state is IncidentState.RESOLVED else "open",
        "time_to_acknowledge": nan if ack is None else ack - inc.triggered_at,
        "time_to_resolve": nan if resolved is None else resolved - inc.triggered_at,
        "wait_minutes": 0.0 if ack is not None else nan,
    }
