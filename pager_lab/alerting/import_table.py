"""Imported records into the core's tables, with the account of what was left out.

The incidents table has exactly the model's schema (``pager_lab.core.tables``),
so every metric, plot and notebook function reads real data as it reads a
simulation. Minutes count from the export's first incident; incidents still open
at export time keep an empty ``resolved_minute`` (right-censored: analysis uses
Kaplan-Meier for them).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from pager_lab.alerting.import_rows import (
    REASONS,
    Record,
    Reject,
    RowProblem,
    check_offset,
    check_record,
)
from pager_lab.core.tables import INCIDENTS, PAGES, TIMESTAMP, WINDOW_NAMES
from pager_lab.core.windows import window_at

__all__ = ["Import", "Pseudonymiser", "build_import", "take_rows"]

MakeRecord = Callable[[Mapping[str, Any], int], Record]


def take_rows(
    rows: Iterable[tuple[int, Mapping[str, Any]]],
    make: MakeRecord,
    zone: tzinfo | None,
) -> tuple[list[Record], list[Reject], tzinfo]:
    """Records from *rows* (``(row number, row)``) and one :class:`Reject` per bad row.

    A row whose offset is neither the first good row's nor *zone*'s (the user's zone,
    which may follow DST) is rejected as ``mixed-zones``. The tables are in *zone*, or
    else in the first row's offset.
    """
    records: list[Record] = []
    rejects: list[Reject] = []
    seen: set[str] = set()
    first: tzinfo | None = None
    for number, raw in rows:
        try:
            record = make(raw, number)
            first = first or _zone_of(record.created)
            for name in ("created", "acknowledged", "resolved"):
                stamp = getattr(record, name)
                if stamp is not None:
                    check_offset(stamp, first, zone, name)
            check_record(record, seen)
        except RowProblem as problem:
            shown = str(problem.value)
            rejects.append(
                Reject(number, problem.reason, problem.field, shown, problem.expected, raw)
            )
            continue
        seen.add(record.id)
        records.append(record)
    return records, rejects, zone or first or ZoneInfo("UTC")


def _zone_of(stamp: datetime) -> tzinfo:
    """A named zone for a fixed UTC offset (``UTC``, ``Etc/GMT-1`` for +01:00) where one exists."""
    offset = stamp.utcoffset() or timedelta()
    hours, rest = divmod(offset.total_seconds(), 3600)
    if rest:
        return timezone(offset)
    return ZoneInfo("UTC") if hours == 0 else ZoneInfo(f"Etc/GMT{-int(hours):+d}")


class Pseudonymiser:
    """Stable pseudonyms for names: a keyed hash (HMAC-SHA256) of the name with the user's salt.

    The same salt gives the same pseudonym every time, so two exports stay comparable;
    without the salt a pseudonym cannot be checked against a guessed name. The salt is
    kept only in memory: never in a repr, an output file or a message.
    """

    def __init__(self, salt: bytes) -> None:
        if len(salt) < 8:
            raise ValueError("a pseudonymisation salt needs at least 8 bytes")
        self._salt = salt

    def __call__(self, name: str, kind: str) -> str:
        """``kind-xxxxxxxx`` for a non-empty *name* (an empty one stays empty)."""
        if not name:
            return name
        digest = hmac.new(self._salt, f"{kind}:{name}".encode(), hashlib.sha256).hexdigest()
        return f"{kind}-{digest[:10]}"

    def __repr__(self) -> str:
        return "Pseudonymiser(salt=<hidden>)"


@dataclass
class Import:
    """An imported export: the incidents table, the pages table if the data has one, and
    the account of every row left out."""

    format: str
    """Which importer read it (``pagerduty-json``, ``statuspage``, ...)."""
    source: str
    """The file it came from."""
    incidents: pd.DataFrame
    zone: str
    """The zone the table's timestamps are in."""
    start: datetime
    """Minute 0 of the table: the first incident's creation."""
    end: datetime
    """The export time: the latest time the data knows; open incidents are censored here."""
    pages: pd.DataFrame | None = None
    extras: pd.DataFrame | None = None
    """Format-specific columns per incident (PagerDuty's interruptions by window, team, ...)."""
    rejects: list[Reject] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the import assumed or borrowed, in sentences."""
    name_fields: dict[str, str] | None = field(default_factory=dict)
    """Which fields of a raw row hold names (field → kind: service, team, person), for
    pseudonymisation; ``None`` when rows hold free text (a rejected row is then withheld)."""

    @property
    def end_minute(self) -> float:
        """The export time in the table's minutes (where open incidents are censored)."""
        return (self.end - self.start).total_seconds() / 60

    @property
    def open_incidents(self) -> int:
        """Incidents unresolved at export time (right-censored)."""
        return int(self.incidents["resolved_minute"].isna().sum())

    def reject_counts(self) -> dict[str, int]:
        """Rejected rows by reason (every reason, zero included)."""
        counts = Counter(r.reason for r in self.rejects)
        return {reason: counts.get(reason, 0) for reason in REASONS}

    def rejects_table(self) -> pd.DataFrame:
        """One row per rejected row: number, reason, field, value, what was expected, the row."""

        return pd.DataFrame(
            [
                {
                    "row": r.row,
                    "reason": r.reason,
                    "field": r.field,
                    "value": r.value,
                    "expected": r.expected,
                    "raw": json.dumps(dict(r.raw), sort_keys=True, default=str),
                }
                for r in self.rejects
            ],
            columns=["row", "reason", "field", "value", "expected", "raw"],
        )

    def __repr__(self) -> str:
        return (
            f"Import({self.format!r}, incidents={len(self.incidents)}, "
            f"open={self.open_incidents}, rejected={len(self.rejects)})"
        )


def _minutes(stamp: datetime | None, start: datetime) -> float:
    return np.nan if stamp is None else (stamp - start).total_seconds() / 60


def _duration(seconds: float | None, later: datetime | None, created: datetime) -> float:
    """Minutes from the export's own figure when it has one, else from the timestamps."""
    if seconds is not None:
        return seconds / 60
    return np.nan if later is None else (later - created).total_seconds() / 60


def _incident_row(record: Record, start: datetime) -> dict[str, Any]:
    acked, resolved = record.acknowledged, record.resolved
    resolution = "" if resolved is None else "fixed" if acked is not None else "monitor"
    return {
        "incident_id": record.id,
        "service": record.service,
        "severity": record.severity,
        "noise": False,
        "low_urgency": record.urgency == "low",
        "runbook": False,
        "dedup_key": record.id,
        "alerts": int(record.extra.get("alerts", 1)),
        "triggered_minute": _minutes(record.created, start),
        "acknowledged_minute": _minutes(acked, start),
        "work_started_minute": _minutes(acked, start),
        "resolved_minute": _minutes(resolved, start),
        "acknowledged_by": record.responder if acked is not None else "",
        "resolved_by": record.responder if resolved is not None else "",
        "highest_level": 1 + int(record.extra.get("escalation_count", 0) or 0),
        "pages": int(record.extra.get("pages", 0) or 0),
        "no_one_answered": False,
        "resolution": resolution,
        "time_to_acknowledge": _duration(record.seconds_to_ack, acked, record.created),
        "time_to_resolve": _duration(record.seconds_to_resolve, resolved, record.created),
        "wait_minutes": np.nan,
        "triggered": record.created,
        "acknowledged": acked,
        "resolved": resolved,
    }


def _typed(rows: list[dict[str, Any]], schema: Mapping[str, str], zone: tzinfo) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(schema))
    for column, dtype in schema.items():
        if dtype == TIMESTAMP:
            frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_convert(zone)
        elif dtype == "category":
            frame[column] = pd.Categorical(frame[column], categories=list(WINDOW_NAMES))
        else:
            frame[column] = frame[column].astype(dtype)  # type: ignore[call-overload]
    return frame


def _pages(records: list[Record], start: datetime, zone: tzinfo) -> pd.DataFrame:
    """One acknowledged page per incident with a named responder (the only page the data shows)."""
    zone_key = getattr(zone, "key", "UTC")
    rows = [
        {
            "minute": _minutes(r.acknowledged, start),
            "responder": r.responder,
            "slot": r.responder,
            "incident_id": r.id,
            "level": 1,
            "loop": 0,
            "window": window_at(r.acknowledged, ZoneInfo(zone_key)).value,
            "outcome": "acknowledged",
            "timestamp": r.acknowledged,
        }
        for r in records
        if r.responder and r.acknowledged is not None
    ]
    return _typed(rows, PAGES, zone)


def build_import(
    fmt: str,
    source: str,
    records: list[Record],
    rejects: list[Reject],
    zone: tzinfo,
    *,
    notes: list[str] | None = None,
    with_pages: bool = False,
    export_end: datetime | None = None,
    name_fields: dict[str, str] | None = None,
) -> Import:
    """The tables of *records*, sorted by creation, with minute 0 at the first one."""
    if not records:
        raise RowProblem("missing-value", "incidents", 0, "at least one importable incident")
    records = sorted(records, key=lambda r: (r.created, r.id))
    start = records[0].created
    zone_name = getattr(zone, "key", None) or str(zone)
    known = [t for r in records for t in (r.created, r.acknowledged, r.resolved) if t is not None]
    end = max([*known, export_end] if export_end is not None else known)
    incidents = _typed([_incident_row(r, start) for r in records], INCIDENTS, zone)
    extras_rows = [{"incident_id": r.id, **r.extra} for r in records if r.extra]
    return Import(
        fmt,
        source,
        incidents,
        zone_name,
        start,
        end,
        pages=_pages(records, start, zone) if with_pages else None,
        extras=pd.DataFrame(extras_rows) if extras_rows else None,
        rejects=rejects,
        notes=list(notes or []),
        name_fields=name_fields,
    )
