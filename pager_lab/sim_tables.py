"""The simulation's output: tidy pandas tables, one row per alert, incident, page and person."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from pager_lab.arrivals import PUBLIC_ALERT_COLUMNS
from pager_lab.windows import Window

if TYPE_CHECKING:
    from pager_lab.model import Simulation
    from pager_lab.scenario import Scenario

__all__ = ["INCIDENT_COLUMNS", "PAGE_COLUMNS", "ROW_COLUMNS", "SimulationResult", "build_result"]

INCIDENT_COLUMNS = [
    "incident_id",
    "service",
    "severity",
    "noise",
    "low_urgency",
    "runbook",
    "dedup_key",
    "alerts",
    "triggered_minute",
    "acknowledged_minute",
    "work_started_minute",
    "resolved_minute",
    "acknowledged_by",
    "resolved_by",
    "highest_level",
    "pages",
    "no_one_answered",
    "resolution",
    "time_to_acknowledge",
    "time_to_resolve",
]
ROW_COLUMNS = [*INCIDENT_COLUMNS, "_n"]
"""The simulation's incident rows: the table's columns and the incident's number (to sort)."""
PAGE_COLUMNS = ["minute", "responder", "slot", "incident_id", "level", "loop", "window", "outcome"]
_WINDOW_NAMES = [Window.BUSINESS.value, Window.OFF_HOURS.value, Window.SLEEP.value]


@dataclass(frozen=True)
class SimulationResult:
    """What one run produced. Durations are in minutes; timestamps are time-zone aware."""

    scenario: Scenario
    seed: int
    alerts: pd.DataFrame
    """Every alert: when, which service, dedup key, severity, noise, and its incident."""
    incidents: pd.DataFrame
    """One row per incident: timestamps, who acknowledged and resolved, pages, durations."""
    pages: pd.DataFrame
    """Every notification: time, responder, incident, level, outcome, interruption window."""
    team: pd.DataFrame
    """Who was on the roster when (people join and leave with attrition)."""

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "alerts": self.alerts,
            "incidents": self.incidents,
            "pages": self.pages,
            "team": self.team,
        }

    def __repr__(self) -> str:
        return (
            f"SimulationResult({self.scenario.name!r}, seed={self.seed}, "
            f"alerts={len(self.alerts)}, incidents={len(self.incidents)}, "
            f"pages={len(self.pages)})"
        )


def _stamps(start: pd.Timestamp, minutes: pd.Series, zone: str) -> pd.Series:
    return (start + pd.to_timedelta(minutes, unit="min")).dt.tz_convert(zone)


def build_result(sim: Simulation) -> SimulationResult:
    """Turn the simulation's rows into tables (and drop the warm-up period)."""
    scenario = sim.scenario
    start = pd.Timestamp(scenario.start).tz_convert("UTC")
    zone = scenario.time_zone
    sim.pack_rows()
    frames = sim.incident_frames or [pd.DataFrame(columns=ROW_COLUMNS)]
    incidents = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    incidents = incidents.astype(
        {
            "triggered_minute": float,
            "acknowledged_minute": float,
            "resolved_minute": float,
            "time_to_acknowledge": float,
            "time_to_resolve": float,
            "work_started_minute": float,
        }
    )
    incidents = incidents.sort_values("_n", ignore_index=True).drop(columns="_n")
    incidents["wait_minutes"] = incidents["work_started_minute"] - incidents["acknowledged_minute"]
    for name in ("triggered", "acknowledged", "resolved"):
        incidents[name] = _stamps(start, incidents[f"{name}_minute"], zone)
    pages = pd.DataFrame(sim.page_rows, columns=PAGE_COLUMNS)
    codes: list[int] = pages["window"].tolist()
    pages["window"] = pd.Categorical.from_codes(codes, categories=pd.Index(_WINDOW_NAMES))
    pages["timestamp"] = _stamps(start, pages["minute"].astype(float), zone)
    alerts = sim.alerts[["alert_id", *PUBLIC_ALERT_COLUMNS]].copy()
    alerts["timestamp"] = _stamps(start, alerts["minute"], zone)
    alerts["incident_id"] = sim.alert_incident
    alerts["joined"] = sim.alert_joined
    team = _team_table(sim, start, zone)
    if scenario.warmup_minutes > 0:
        keep = incidents["triggered_minute"] >= scenario.warmup_minutes
        dropped = set(incidents.loc[~keep, "incident_id"])
        incidents = incidents[keep].reset_index(drop=True)
        pages = pages[~pages["incident_id"].isin(dropped)].reset_index(drop=True)
    return SimulationResult(scenario, sim.seed, alerts, incidents, pages, team)


def _team_table(sim: Simulation, start: pd.Timestamp, zone: str) -> pd.DataFrame:
    """Who was on the roster when (people join and leave with attrition)."""
    team = pd.DataFrame(
        [
            {
                "person": p.name,
                "slot": p.slot,
                "time_zone": p.calendar.zone,
                "joined_minute": p.joined,
                "left_minute": p.left,
            }
            for p in sim.roster.everyone
        ],
        columns=["person", "slot", "time_zone", "joined_minute", "left_minute"],
    ).astype({"joined_minute": float, "left_minute": float})
    team["joined"] = _stamps(start, team["joined_minute"], zone)
    team["left"] = _stamps(start, team["left_minute"], zone)
    return team
