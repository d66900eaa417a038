"""The four tables every layer shares — alerts, incidents, pages, team — defined once.

The simulation records them, importers of real data produce them, and metrics and
plots read them. Each schema maps a column to its dtype; ``TIMESTAMP`` columns are
time-zone aware timestamps in the scenario's (or the export's) zone. Durations are
in minutes; a ``*_minute`` column counts minutes since the run's start.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from pager_lab.core.windows import Window

__all__ = [
    "ALERTS",
    "INCIDENTS",
    "PAGES",
    "TEAM",
    "TIMESTAMP",
    "WINDOW_NAMES",
]

TIMESTAMP: Final = "timestamp"
"""The dtype marker of a time-zone aware timestamp column."""

WINDOW_NAMES: Final = (Window.BUSINESS.value, Window.OFF_HOURS.value, Window.SLEEP.value)
"""The pages table's ``window`` categories, in code order (PagerDuty's interruption windows)."""

ALERTS: Final = MappingProxyType(
    {
        "alert_id": "str",
        "minute": "float64",
        "service": "str",
        "dedup_key": "str",
        "kind": "str",
        "severity": "str",
        "noise": "bool",
        "low_urgency": "bool",
        "origin": "str",
        "timestamp": TIMESTAMP,
        "incident_id": "str",
        "joined": "bool",
    }
)
"""One row per alert: when, which service, its dedup key and kind (``trigger`` or
``resolve``), severity, whether it is noise or low urgency, which stream it came from,
the incident it opened or joined, and whether it joined one already open."""

INCIDENTS: Final = MappingProxyType(
    {
        "incident_id": "str",
        "service": "str",
        "severity": "str",
        "noise": "bool",
        "low_urgency": "bool",
        "runbook": "bool",
        "dedup_key": "str",
        "alerts": "int64",
        "triggered_minute": "float64",
        "acknowledged_minute": "float64",
        "work_started_minute": "float64",
        "resolved_minute": "float64",
        "acknowledged_by": "str",
        "resolved_by": "str",
        "highest_level": "int64",
        "pages": "int64",
        "no_one_answered": "bool",
        "resolution": "str",
        "time_to_acknowledge": "float64",
        "time_to_resolve": "float64",
        "wait_minutes": "float64",
        "triggered": TIMESTAMP,
        "acknowledged": TIMESTAMP,
        "resolved": TIMESTAMP,
    }
)
"""One row per incident: its first alert's columns, when it was triggered, acknowledged,
worked and resolved (and by whom), pages sent, the highest level reached, how it ended
(``fixed``, ``noise``, ``monitor``, ``auto-resolved``), and the durations in minutes
(PagerDuty's MTTA and MTTR definitions; ``wait_minutes`` is time queued for a worker)."""

PAGES: Final = MappingProxyType(
    {
        "minute": "float64",
        "responder": "str",
        "slot": "str",
        "incident_id": "str",
        "level": "int64",
        "loop": "int64",
        "window": "category",
        "outcome": "str",
        "timestamp": TIMESTAMP,
    }
)
"""One row per notification: when, to whom (and the rotation slot they filled), for which
incident, at which level and loop, in which interruption window of the responder's own
time zone, and its outcome (``acknowledged``, ``unanswered``, ``missed``)."""

TEAM: Final = MappingProxyType(
    {
        "person": "str",
        "slot": "str",
        "time_zone": "str",
        "joined_minute": "float64",
        "left_minute": "float64",
        "joined": TIMESTAMP,
        "left": TIMESTAMP,
    }
)
"""One row per person who was on the roster: their slot and zone, when they joined and left
(``NaN``/``NaT`` if they stayed)."""
