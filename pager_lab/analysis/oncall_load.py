"""On-call load: interruptions, the SRE book's incident budget, fairness and burnout risk.

Interruptions are pages (not e-mails), classified in the responder's own time
zone into PagerDuty's business / off-hours / sleep windows (REFERENCES.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from pager_lab.core.schedule import Schedule
from pager_lab.core.windows import Window

__all__ = [
    "BurnoutThresholds",
    "burnout_flags",
    "hours_worked",
    "interruptions",
    "shift_budget",
    "team_over_time",
]

WEEK = 7 * 24 * 60.0
WINDOWS = [w.value for w in Window]
SRE_INCIDENTS_PER_SHIFT = 2
"""Google SRE book, "Being On-Call": at most 2 incidents per 12-hour shift."""


@dataclass(frozen=True)
class BurnoutThresholds:
    """A **teaching heuristic**, not a clinical measure: no validated formula exists.

    Off-hour interruptions (off-hours and sleep pages) per ``days`` days; PagerDuty
    reports (via secondary sources, REFERENCES.md) about 2 a month as good, 7 as
    bad and 19 as burnout territory.
    """

    elevated: float = 7.0
    high: float = 19.0
    days: float = 30.0

    def level(self, per_period: float) -> str:
        if per_period >= self.high:
            return "high"
        return "elevated" if per_period >= self.elevated else "ok"


def _weeks_on_roster(
    team: pd.DataFrame, horizon_minutes: float, observed_from: float = 0.0
) -> pd.Series:
    """Weeks each person was on the roster within the observed ``[observed_from, horizon)``."""
    left = team["left_minute"].fillna(horizon_minutes).clip(upper=horizon_minutes)
    joined = team["joined_minute"].clip(lower=observed_from)
    return ((left - joined).clip(lower=0) / WEEK).set_axis(team["person"])


def interruptions(
    pages: pd.DataFrame,
    team: pd.DataFrame,
    horizon_minutes: float,
    *,
    observed_from: float = 0.0,
) -> pd.DataFrame:
    """Pages per responder by window, in total and per week on the roster.

    With a warm-up, pass ``observed_from = warmup_minutes``: the pages table holds
    only what followed it, so the weeks must too (``SimulationResult.observed_minutes``).
    """
    counts = (
        pages.groupby(["responder", "window"], observed=False)
        .size()
        .unstack("window", fill_value=0)
        .reindex(columns=WINDOWS, fill_value=0)
    )
    weeks = _weeks_on_roster(team, horizon_minutes, observed_from)
    counts = counts.reindex(weeks.index, fill_value=0)
    table = counts.copy()
    table["total"] = counts.sum(axis=1)
    table["weeks"] = weeks
    for window in [*WINDOWS, "total"]:
        table[f"{window}_per_week"] = table[window] / weeks.where(weeks > 0)
    table.index.name = "responder"
    return table.reset_index()


def shift_budget(
    incidents: pd.DataFrame,
    start: datetime,
    zone: str,
    horizon_minutes: float,
    budget: int = SRE_INCIDENTS_PER_SHIFT,
    *,
    observed_from: float = 0.0,
) -> pd.DataFrame:
    """Incidents per 12-hour shift (08:00-20:00 and 20:00-08:00 local) against the budget.

    Only shifts (and parts of shifts) after *observed_from* (the warm-up) count.
    """
    tz = ZoneInfo(zone)
    first = datetime.combine(start.astimezone(tz).date(), time(8), tzinfo=tz)
    if first > start:
        first -= timedelta(hours=12)
    edges, at = [], first
    end = start + timedelta(minutes=horizon_minutes)
    while at < end:
        edges.append((at - start).total_seconds() / 60)
        at = (at.replace(tzinfo=None) + timedelta(hours=12)).replace(tzinfo=tz)
    edges.append(horizon_minutes)
    cuts = np.unique(np.clip(np.asarray(edges), observed_from, horizon_minutes))
    counts, _ = np.histogram(incidents["triggered_minute"], bins=cuts)
    table = pd.DataFrame(
        {"shift_start_minute": cuts[:-1], "hours": np.diff(cuts) / 60, "incidents": counts}
    )
    table = table[table["hours"] > 0].reset_index(drop=True)
    table["over_budget"] = table["incidents"] > budget
    return table


def hours_on_call(
    schedules: Iterable[Schedule], start: datetime, horizon_minutes: float
) -> pd.Series:
    """Hours each person is on call in [start, start + horizon), over all *schedules*."""
    end = start + timedelta(minutes=horizon_minutes)
    frames = [schedule.hours_by_window(start, end) for schedule in schedules]
    if not frames:
        return pd.Series(dtype=float, name="hours_on_call")
    table = pd.concat(frames).groupby("responder")["total"].sum()
    return table.rename("hours_on_call")


def hours_worked(incidents: pd.DataFrame) -> pd.Series:
    """Hours each responder spent working incidents (triage and fix)."""
    worked = incidents.dropna(subset=["work_started_minute", "resolved_minute"])
    hours = (worked["resolved_minute"] - worked["work_started_minute"]) / 60
    return hours.groupby(worked["resolved_by"]).sum().rename("hours_worked")


def _off_hour_pages(pages: pd.DataFrame) -> pd.DataFrame:
    """Pages in the off-hours and sleep windows: PagerDuty's off-hour interruptions."""
    return pages[pages["window"].isin([Window.OFF_HOURS.value, Window.SLEEP.value])]


def burnout_flags(
    pages: pd.DataFrame,
    team: pd.DataFrame,
    horizon_minutes: float,
    thresholds: BurnoutThresholds | None = None,
    *,
    observed_from: float = 0.0,
) -> pd.DataFrame:
    """Off-hour interruptions per period per responder and a risk level (teaching heuristic)."""
    thresholds = thresholds or BurnoutThresholds()
    off = _off_hour_pages(pages)
    counts = off.groupby("responder").size()
    weeks = _weeks_on_roster(team, horizon_minutes, observed_from)
    periods = weeks * 7 / thresholds.days
    rate = (counts.reindex(weeks.index, fill_value=0) / periods.where(periods > 0)).fillna(0)
    return pd.DataFrame(
        {
            "responder": weeks.index,
            "off_hour_pages": counts.reindex(weeks.index, fill_value=0).to_numpy(),
            f"per_{thresholds.days:g}_days": rate.to_numpy(),
            "burnout_risk": [thresholds.level(r) for r in rate],
            "note": "teaching heuristic, not a clinical measure",
        }
    )


def team_over_time(
    pages: pd.DataFrame,
    team: pd.DataFrame,
    horizon_minutes: float,
    thresholds: BurnoutThresholds | None = None,
) -> pd.DataFrame:
    """Week by week: people on the roster and people over the burnout thresholds."""
    thresholds = thresholds or BurnoutThresholds()
    rows = []
    off = _off_hour_pages(pages)
    window = thresholds.days * 24 * 60
    for week in range(int(np.ceil(horizon_minutes / WEEK))):
        t = min((week + 1) * WEEK, horizon_minutes)
        on = team[(team["joined_minute"] <= t) & ~(team["left_minute"] <= t)]
        recent = off[(off["minute"] > t - window) & (off["minute"] <= t)]
        scale = thresholds.days * 24 * 60 / min(window, t)
        rates = recent.groupby("responder").size().reindex(on["person"], fill_value=0) * scale
        levels = [thresholds.level(r) for r in rates]
        rows.append(
            {
                "week": week + 1,
                "team_size": len(on),
                "elevated": levels.count("elevated"),
                "high": levels.count("high"),
            }
        )
    return pd.DataFrame(rows)
