"""The recorder: the rows a run writes, by name, and the tables they become.

It owns the rows and their schema: the simulation names every value of an incident's
row when it ends (:meth:`Recorder.incident`) and of a page when it is sent
(:meth:`Recorder.page`), and says which incident each alert opened or joined;
:meth:`Recorder.result` turns them into the core's tables (:mod:`pager_lab.core.tables`).
It knows nothing of the simulation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pager_lab.core.tables import INCIDENTS, PAGES, WINDOW_NAMES
from pager_lab.sim.arrivals import PUBLIC_ALERT_COLUMNS
from pager_lab.sim.tables import SimulationResult, minutes_to_timestamps, typed_frame

if TYPE_CHECKING:
    from pager_lab.sim.people import Person
    from pager_lab.sim.scenario import Scenario

__all__ = ["ACKNOWLEDGED", "INCIDENT_ROW", "MISSED", "PAGE_ROW", "UNANSWERED", "Recorder"]

ROWS_PER_FRAME = 65_536
"""Finished incidents are packed into a DataFrame every this many rows (memory)."""
ACKNOWLEDGED, UNANSWERED, MISSED = "acknowledged", "unanswered", "missed"
"""A page's outcomes: it acknowledged the incident; it came but nobody answered in time;
the responder missed it altogether."""
FROM_ALERT = ("service", "severity", "noise", "low_urgency", "dedup_key")
"""Incident columns that are its first alert's: taken from the alerts table by position."""


_DECIDED_BY_THE_RUN = (
    "runbook",
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
)
INCIDENT_ROW: dict[str, str] = {
    "incident_id": INCIDENTS["incident_id"],
    "alert_position": "int64",  # row of the alerts table of the alert that opened it
    **{name: INCIDENTS[name] for name in _DECIDED_BY_THE_RUN},
    "number": "int64",  # the incident's number: incidents are listed in the order they opened
}
"""What the run records of one finished incident, in :meth:`Recorder.incident`'s order.

The rest of its table row is its first alert's columns (:data:`FROM_ALERT`, read from
the alerts table at ``alert_position``) and column arithmetic (durations)."""

PAGE_ROW: dict[str, str] = {
    **{
        name: PAGES[name]
        for name in ("minute", "responder", "slot", "incident_id", "level", "loop")
    },
    "window": "int64",  # index in WINDOW_NAMES; the table makes it a category
}
"""What the run records of one notification, in :meth:`Recorder.page`'s order (its outcome
is kept beside it, as it changes)."""


class Recorder:
    """The rows of one run, kept until :meth:`result` makes them tables."""

    def __init__(self, alerts: pd.DataFrame) -> None:
        self.alerts = alerts
        """The alerts the run delivers, in order (the generated table, private columns too)."""
        self._other_alerts: list[tuple[int, str]] = []
        """(alert position, incident) of alerts that joined or cleared one; an alert that
        opened an incident is found from that incident's row (``alert_position``)."""
        self._incidents: list[tuple[object, ...]] = []
        self._incident_frames: list[pd.DataFrame] = []
        self._pages: list[tuple[object, ...]] = []
        self._outcomes: list[str] = []

    # -- recording ---------------------------------------------------------------------
    def alert(self, position: int, incident_id: str) -> None:
        """The alert at *position* joined (or cleared) *incident_id*, ``""`` if none was open.

        Alerts that open an incident need no call: the incident's row names its alert.
        """
        self._other_alerts.append((position, incident_id))

    def page(
        self,
        *,
        minute: float,
        responder: str,
        slot: str,
        incident_id: str,
        level: int,
        loop: int,
        window: int,
        answered: bool,
    ) -> int:
        """A notification was sent; *answered* if an answer is on its way. Returns its number.

        The row is built by name in :data:`PAGE_ROW`'s order (a test keeps the two alike).
        """
        self._pages.append((minute, responder, slot, incident_id, level, loop, window))
        self._outcomes.append(UNANSWERED if answered else MISSED)
        return len(self._pages) - 1

    def acknowledged(self, page: int) -> None:
        """Page number *page* is the one whose answer acknowledged its incident."""
        self._outcomes[page] = ACKNOWLEDGED

    def incident(
        self,
        *,
        incident_id: str,
        alert_position: int,
        runbook: bool,
        alerts: int,
        triggered_minute: float,
        acknowledged_minute: float | None,
        work_started_minute: float,
        resolved_minute: float | None,
        acknowledged_by: str | None,
        resolved_by: str | None,
        highest_level: int,
        pages: int,
        no_one_answered: bool,
        resolution: str,
        number: int,
    ) -> None:
        """An incident ended (fixed, closed as noise, cleared by the monitor, auto-resolved).

        The row is built by name in :data:`INCIDENT_ROW`'s order (a test keeps the two alike).
        """
        self._incidents.append(
            (
                incident_id,
                alert_position,
                runbook,
                alerts,
                triggered_minute,
                acknowledged_minute,
                work_started_minute,
                resolved_minute,
                acknowledged_by,
                resolved_by,
                highest_level,
                pages,
                no_one_answered,
                resolution,
                number,
            )
        )
        if len(self._incidents) >= ROWS_PER_FRAME:
            self._pack_incidents()

    def _pack_incidents(self) -> None:
        """Move the finished rows into a DataFrame: numpy columns are far smaller than tuples."""
        if self._incidents:
            self._incident_frames.append(typed_frame(self._incidents, INCIDENT_ROW))
            self._incidents = []

    # -- tables ------------------------------------------------------------------------
    def result(self, scenario: Scenario, seed: int, people: Iterable[Person]) -> SimulationResult:
        """The four tables, with the warm-up left out."""
        start = pd.Timestamp(scenario.start).tz_convert("UTC")
        zone = scenario.time_zone
        rows = self._incident_rows()
        alerts = self._alert_table(start, zone, rows)
        incidents = self._incident_table(rows, start, zone)
        pages = self._page_table(start, zone)
        team = _team_table(people, start, zone)
        warmup = scenario.warmup_minutes
        if warmup > 0:
            keep = incidents["triggered_minute"] >= warmup
            dropped = set(incidents.loc[~keep, "incident_id"])
            incidents = incidents[keep].reset_index(drop=True)
            pages = pages[~pages["incident_id"].isin(dropped)].reset_index(drop=True)
            alerts = alerts[alerts["minute"] >= warmup].reset_index(drop=True)
        return SimulationResult(scenario, seed, alerts, incidents, pages, team)

    def _incident_rows(self) -> pd.DataFrame:
        """The recorded rows, in the order the incidents opened."""
        self._pack_incidents()
        frames = self._incident_frames or [typed_frame([], INCIDENT_ROW)]
        rows = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        return rows.sort_values("number", ignore_index=True)

    def _incident_table(self, rows: pd.DataFrame, start: pd.Timestamp, zone: str) -> pd.DataFrame:
        first = self.alerts.iloc[rows["alert_position"].to_numpy()]
        for name in FROM_ALERT:
            rows[name] = first[name].to_numpy()
        rows["time_to_acknowledge"] = rows["acknowledged_minute"] - rows["triggered_minute"]
        rows["time_to_resolve"] = rows["resolved_minute"] - rows["triggered_minute"]
        rows["wait_minutes"] = rows["work_started_minute"] - rows["acknowledged_minute"]
        for name in ("triggered", "acknowledged", "resolved"):
            rows[name] = minutes_to_timestamps(start, rows[f"{name}_minute"], zone)
        return rows[list(INCIDENTS)]

    def _page_table(self, start: pd.Timestamp, zone: str) -> pd.DataFrame:
        pages = typed_frame(self._pages, PAGE_ROW)
        pages["outcome"] = pd.array(self._outcomes, dtype="str")
        codes = pages["window"].to_numpy()
        pages["window"] = pd.Categorical.from_codes(codes, categories=pd.Index(WINDOW_NAMES))
        pages["timestamp"] = minutes_to_timestamps(start, pages["minute"], zone)
        return pages

    def _alert_table(self, start: pd.Timestamp, zone: str, incidents: pd.DataFrame) -> pd.DataFrame:
        # No .copy(): with pandas' copy-on-write the selection shares the generated columns
        # and the columns added below are its own (a deep copy of 13 columns cost ~8 ms
        # per 100 k alerts).
        alerts = self.alerts[["alert_id", *PUBLIC_ALERT_COLUMNS]]
        alerts["timestamp"] = minutes_to_timestamps(start, alerts["minute"], zone)
        incident_of = np.full(len(alerts), "", dtype=object)
        joined = np.zeros(len(alerts), dtype=bool)
        incident_of[incidents["alert_position"].to_numpy()] = incidents["incident_id"].to_numpy()
        if self._other_alerts:
            positions, ids = zip(*self._other_alerts, strict=True)
            incident_of[list(positions)] = ids
            joined[list(positions)] = [bool(i) for i in ids]
        alerts["incident_id"] = pd.array(incident_of, dtype="str")
        alerts["joined"] = joined
        return alerts


def _team_table(people: Iterable[Person], start: pd.Timestamp, zone: str) -> pd.DataFrame:
    """Who was on the roster when (people join and leave with attrition)."""
    columns = ["person", "slot", "time_zone", "joined_minute", "left_minute"]
    team = pd.DataFrame(
        [(p.name, p.slot, p.calendar.zone, p.joined, p.left) for p in people], columns=columns
    ).astype({"joined_minute": float, "left_minute": float})
    team["joined"] = minutes_to_timestamps(start, team["joined_minute"], zone)
    team["left"] = minutes_to_timestamps(start, team["left_minute"], zone)
    return team
