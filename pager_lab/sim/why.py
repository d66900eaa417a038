"""Why was I paged? The chain behind one page of a run, rebuilt from its tables and scenario.

alert -> dedup decision -> urgency rule -> escalation policy, level and loop -> the
schedule's override, layer, rotation or restriction that chose the person -> the
interruption window in their own time zone.

Nothing here is recorded by the model: the chain is reconstructed post hoc from the
run's four tables plus its scenario, so the model's tables stay bit-identical and its
speed untouched (the design choice is explained in :mod:`pager_lab.core.explain`).
Where the reconstruction and the recorded page disagree, the explanation says so in a
``note`` line instead of hiding it (``tests/sim/test_why.py`` checks there are none).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

import pandas as pd

from pager_lab.core.clock import to_datetime
from pager_lab.core.errors import ConfigError
from pager_lab.core.escalation import EscalationPolicy
from pager_lab.core.explain import (
    describe_target,
    explain_on_call,
    explain_window,
    steps_until,
)
from pager_lab.core.incident import Severity
from pager_lab.core.schedule import Schedule
from pager_lab.sim.calendars import WindowCalendar
from pager_lab.sim.scenario import DEFAULT_URGENCY
from pager_lab.sim.why_chain import STEPS, PageExplanation, WhyLink, check_page_id

if TYPE_CHECKING:
    from pager_lab.sim.scenario import Scenario

__all__ = ["STEPS", "PageExplanation", "Run", "WhyLink", "check_page_id", "explain_page"]

SHOWN_JOINS = 3
"""Joined alerts listed by time; the rest are counted."""


class Run(Protocol):
    """What the chain is rebuilt from: a run's scenario and tables (a ``SimulationResult``)."""

    @property
    def scenario(self) -> Scenario: ...
    @property
    def alerts(self) -> pd.DataFrame: ...
    @property
    def incidents(self) -> pd.DataFrame: ...
    @property
    def pages(self) -> pd.DataFrame: ...
    @property
    def team(self) -> pd.DataFrame: ...


@dataclass(frozen=True)
class _Context:
    """What every link reads: the run, the page, its incident."""

    result: Run
    page: pd.Series
    incident: pd.Series
    pages: pd.DataFrame
    """The incident's pages, in order."""

    @property
    def scenario(self) -> Scenario:
        return self.result.scenario

    def at(self, minute: float) -> datetime:
        return to_datetime(self.scenario.start, minute)

    def local(self, minute: float) -> str:
        zone = self.scenario.time_zone
        return f"{self.at(minute).astimezone(ZoneInfo(zone)):%a %Y-%m-%d %H:%M %Z}"


def explain_page(result: Run, page_id: object) -> PageExplanation:
    """Why page *page_id* (a row of ``result.pages``) went to its responder."""
    number = check_page_id(page_id, len(result.pages))
    page = result.pages.iloc[number]
    incident_id = str(page["incident_id"])
    incidents = result.incidents
    match = incidents[incidents["incident_id"] == incident_id]
    if match.empty:
        raise ConfigError("", "incident_id", incident_id, f"an incident of page {number}")
    own = result.pages[result.pages["incident_id"] == incident_id]
    context = _Context(result, page, match.iloc[0], own)
    links = (
        _alert_link(context),
        _dedup_link(context),
        _urgency_link(context),
        _escalation_link(context, number),
        _schedule_link(context),
        _window_link(context),
    )
    return PageExplanation(number, str(page["responder"]), incident_id, links)


# -- alert and dedup -----------------------------------------------------------------------
def _incident_alerts(context: _Context) -> pd.DataFrame:
    alerts = context.result.alerts
    return alerts[alerts["incident_id"] == context.incident["incident_id"]]


def _alert_link(context: _Context) -> WhyLink:
    inc = context.incident
    mine = _incident_alerts(context)
    opening = mine[~mine["joined"] & (mine["kind"] == "trigger")]
    noise = " (noise: needs an acknowledgement, no work)" if bool(inc["noise"]) else ""
    what = f"service {inc['service']}, {inc['severity']}, dedup key {inc['dedup_key']!r}{noise}"
    if opening.empty:
        return WhyLink("alert", (f"an alert at {context.local(inc['triggered_minute'])}: {what}",))
    alert = opening.iloc[0]
    origin = f" from the {alert['origin']} stream" if str(alert.get("origin", "")) else ""
    return WhyLink(
        "alert", (f"alert {alert['alert_id']} at {context.local(alert['minute'])}{origin}: {what}",)
    )


def _dedup_link(context: _Context) -> WhyLink:
    inc = context.incident
    key, incident_id, triggered = inc["dedup_key"], inc["incident_id"], inc["triggered_minute"]
    routing = context.scenario.routing
    if routing is not None:  # notifications, not alerts, opened incidents (sim/routing_stage.py)
        return WhyLink(
            "dedup",
            (
                f"this run routes alerts through Alertmanager's grouping first ([routing], "
                f"group_by {list(routing.group_by)}): {incident_id} was opened by a "
                "notification of its group, keyed by the group's groupKey, not by the dedup "
                "key; `why` does not rebuild that grouping (pager_lab.core.route does)",
            ),
        )
    lines = [
        f"no incident with dedup key {key!r} was open, so it opened a new incident, "
        f"{incident_id} (PagerDuty Events v2: a trigger with an open incident's key joins it)"
    ]
    incidents = context.result.incidents
    before = incidents[
        (incidents["dedup_key"] == key) & (incidents["triggered_minute"] < triggered)
    ]
    if not before.empty:
        last = before.iloc[-1]
        lines.append(
            f"{last['incident_id']}, the last incident with this key, had already been "
            f"resolved at {context.local(last['resolved_minute'])}"
        )
    mine = _incident_alerts(context)
    joined = mine[mine["joined"] & (mine["kind"] == "trigger")]
    if not joined.empty:
        times = ", ".join(context.local(m)[-9:] for m in joined["minute"].head(SHOWN_JOINS))
        more = f" and {len(joined) - SHOWN_JOINS} more" if len(joined) > SHOWN_JOINS else ""
        lines.append(
            f"{len(joined)} later alert(s) with the same key joined {incident_id} "
            f"(at {times}{more}): they paged nobody"
        )
    cleared = mine[mine["kind"] == "resolve"]
    if not cleared.empty:
        lines.append(f"the monitor sent a resolve at {context.local(cleared['minute'].iloc[0])}")
    return WhyLink("dedup", tuple(lines))


# -- urgency -------------------------------------------------------------------------------
def _urgency_link(context: _Context) -> WhyLink:
    scenario, inc = context.scenario, context.incident
    severity = str(inc["severity"])
    urgency = scenario.urgency.get(Severity(severity), "high")
    rule = (
        "the scenario's [urgency] table"
        if "urgency" in scenario.raw or dict(scenario.urgency) != dict(DEFAULT_URGENCY)
        else "the default rule: SEV1/SEV2 (critical, error) high, SEV3/SEV4 low, as "
        "PagerDuty's dynamic notifications"
    )
    lines = [f"{severity} is {urgency} urgency ({rule})"]
    if urgency == "high":
        lines.append("high urgency pages at once and escalates through the policy")
        return WhyLink("urgency", tuple(lines))
    zone = scenario.time_zone
    triggered = float(inc["triggered_minute"])
    first_page = float(context.pages["minute"].min())
    lines.append(
        f"low urgency waits for business hours in {zone} and notifies level 1 once, "
        "never escalating (PagerDuty)"
    )
    end = scenario.start + timedelta(minutes=max(first_page, triggered) + 10 * 24 * 60)
    expected = WindowCalendar(zone, scenario.start, end).next_business(triggered)
    if expected > triggered:
        hours = (first_page - triggered) / 60
        lines.append(
            f"triggered at {context.local(triggered)}, outside business hours: held "
            f"{hours:.1f} h until {context.local(first_page)}"
        )
    else:
        lines.append("triggered in business hours: no hold")
    if not math.isclose(expected, first_page, abs_tol=1e-6):
        lines.append(
            f"note: business hours began at {context.local(expected)}, but the first page "
            f"was sent at {context.local(first_page)}"
        )
    return WhyLink("urgency", tuple(lines))


def _policy(context: _Context) -> EscalationPolicy:
    """The policy the run used for this incident (low urgency: level 1 once, as the model)."""
    policy = context.scenario.policy
    if bool(context.incident["low_urgency"]):
        return EscalationPolicy("low urgency", (policy.levels[0],), repeat=0)
    return policy


# -- escalation ----------------------------------------------------------------------------
def _escalation_link(context: _Context, number: int) -> WhyLink:
    policy, page = _policy(context), context.page
    level, loop = int(page["level"]), int(page["loop"])
    count = len(policy.levels)
    lines = [
        f"policy {policy.name!r}: {count} level(s), repeat {policy.repeat}; this page is "
        f"level {level} of loop {loop}"
    ]
    try:
        steps = steps_until(policy, level, loop)
    except ValueError as exc:
        return WhyLink("escalation", (*lines, f"note: {exc}"))
    own = context.pages
    batches: dict[tuple[int, int], pd.DataFrame] = {
        key: own[(own["level"] == key[0]) & (own["loop"] == key[1])]
        for key in dict.fromkeys(zip(own["level"].tolist(), own["loop"].tolist(), strict=True))
    }
    minute = float(page["minute"])
    for i, step in enumerate(steps[:-1]):
        batch = batches.get((step.level, step.loop))
        if step.level == 1 and step.loop > 0:
            lines.append(f"loop {step.loop}: the policy starts again from level 1 (repeat)")
        if batch is None:  # skipped when the next level that had somebody was paged
            later = (batches.get((s.level, s.loop)) for s in steps[i + 1 : -1])
            when = next((float(b["minute"].iloc[0]) for b in later if b is not None), minute)
            why = _why_skipped(context, step.targets, when)
            lines.append(f"{step.label} at {context.local(when)[-9:]}: skipped, {why}")
            continue
        who = "; ".join(
            f"{r} ({_EARLIER[o]})"
            for r, o in zip(batch["responder"], batch["outcome"], strict=True)
        )
        lines.append(
            f"{step.label} at {context.local(batch['minute'].iloc[0])[-9:]}: paged {who}; "
            f"then its {step.targets.timeout:g} min ran out"
        )
    if loop > 0 and level == 1:
        lines.append(f"loop {loop}: the policy starts again from level 1 (repeat)")
    timeout = policy.levels[level - 1].timeout
    lines.append(
        f"level {level}, loop {loop} at {context.local(minute)[-9:]}: page {number} to "
        f"{page['responder']}, {timeout:g} min to acknowledge; {_outcome(context)}"
    )
    return WhyLink("escalation", tuple(lines))


_EARLIER = {
    "missed": "missed it",
    "unanswered": "no acknowledgement in time",
    "acknowledged": "answered only after the timeout; that late answer acknowledged it",
}
"""An earlier page's outcome, seen from a later page of the same incident."""


def _outcome(context: _Context) -> str:
    outcome, inc = str(context.page["outcome"]), context.incident
    if outcome == "acknowledged":
        return (
            f"they acknowledged {inc['incident_id']} at {context.local(inc['acknowledged_minute'])}"
        )
    if outcome == "missed":
        return "they missed it (the scenario's miss probability)"
    return "not acknowledged while it was live (a later answer, someone else's, or auto-resolve)"


def _why_skipped(context: _Context, level: Any, minute: float) -> str:
    """Why a level paged nobody at *minute* (pager_lab skips it without waiting)."""
    reasons = []
    for target in level.targets:
        slot, text = _slot_of(context, target, minute)
        if slot is None:
            reasons.append(text[-1] if text else f"{describe_target(target)} had nobody")
        elif _holder(context, slot, minute) is None:
            reasons.append(
                f"{describe_target(target)} had slot {slot} on call, but the slot was vacant "
                "(its holder had left; attrition)"
            )
        else:
            reasons.append(f"note: {describe_target(target)} had {slot} on call")
    return (
        "; ".join(reasons) + " — a level with nobody to page is skipped without waiting "
        "(target/goalert#4548)"
    )


# -- schedule ------------------------------------------------------------------------------
def _slot_of(context: _Context, target: Any, minute: float) -> tuple[str | None, list[str]]:
    """The slot *target* names at *minute*, and why (a schedule's reason in lines)."""
    if isinstance(target, str):
        return target, [f"{target} is named in the policy (no schedule)"]
    schedule: Schedule = context.scenario.schedules.get(target.name, target)
    reason = explain_on_call(schedule, context.at(minute))
    return reason.responder, reason.lines()


def _holder(context: _Context, slot: str, minute: float) -> str | None:
    """Who held rotation slot *slot* at *minute* (people leave and join with attrition)."""
    team = context.result.team
    rows = team[(team["slot"] == slot) & (team["joined_minute"] <= minute)]
    rows = rows[~(rows["left_minute"] <= minute)]
    return None if rows.empty else str(rows["person"].iloc[-1])


def _schedule_link(context: _Context) -> WhyLink:
    policy, page = _policy(context), context.page
    minute, level = float(page["minute"]), int(page["level"])
    targets = policy.levels[level - 1].targets
    recorded_slot = str(page["slot"])
    lines: list[str] = []
    if len(targets) > 1:
        names = ", ".join(describe_target(t) for t in targets)
        lines.append(f"level {level} pages all of its targets together: {names}")
    found = False
    for target in targets:
        slot, reason = _slot_of(context, target, minute)
        if len(targets) > 1 and slot != recorded_slot:
            continue
        lines += reason
        found = found or slot == recorded_slot
    if not found:
        lines.append(
            f"note: the run paged slot {recorded_slot}, which no target of level {level} "
            "gives at this minute"
        )
    holder = _holder(context, recorded_slot, minute)
    if holder != recorded_slot:
        lines.append(f"rotation slot {recorded_slot} was held by {holder} at the time")
    if holder != page["responder"]:
        lines.append(f"note: the run paged {page['responder']}, the team table says {holder}")
    return WhyLink("schedule", tuple(lines))


# -- window --------------------------------------------------------------------------------
def _replayed(context: _Context) -> bool:
    """Whether the incident came from an ingest replay (its alerts' ``origin``)."""
    alerts = _incident_alerts(context)
    return bool(len(alerts)) and bool((alerts["origin"] == "ingest").all())


def _window_link(context: _Context) -> WhyLink:
    page, team = context.page, context.result.team
    responder = str(page["responder"])
    rows = team[team["person"] == responder]
    zone = str(rows["time_zone"].iloc[0]) if not rows.empty else context.scenario.time_zone
    window, text = explain_window(context.at(float(page["minute"])), zone)
    response = context.scenario.response
    if window.value == "sleep":
        median, miss = response.asleep_median_minutes, response.asleep_miss
        state = "asleep"
    else:
        median, miss = response.awake_median_minutes, response.awake_miss
        state = "awake"
    lines = [f"{responder}'s own clock: {text}"]
    if _replayed(context):
        lines.append("a replay: when the acknowledgement came is in the data, not the model")
    else:
        lines.append(
            f"{state}, they answer in about {median:g} min (median) and miss {miss:.0%} of "
            "pages (the scenario's [response])"
        )
    if str(page["window"]) != window.value:
        lines.append(f"note: the run recorded the window {page['window']}")
    return WhyLink("window", tuple(lines))
