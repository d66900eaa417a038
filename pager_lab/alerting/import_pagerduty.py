"""PagerDuty Analytics raw incident data, as JSON or CSV.

The fields (PagerDuty Analytics API, "raw incident data"; REFERENCES.md): ``id``,
``incident_number``, ``created_at``, ``resolved_at``, ``seconds_to_first_ack``,
``seconds_to_resolve``, ``urgency``, ``priority_name``, ``service_name``,
``team_name``, ``major``; and when present ``business_hour_interruptions``,
``off_hour_interruptions``, ``sleep_hour_interruptions``, ``engaged_user_count``,
``escalation_count``. The API answers ``{"data": [...]}``; a plain list of rows and
the CSV download are read too. An optional top-level ``exported_at`` (not PagerDuty's:
the lab's sample has it) is the export time, where open incidents are censored; without
it, the latest time the data know.

Severity: the lab's SEV1-SEV4 come from the priority (P1 → SEV1, P2 → SEV2, P3 →
SEV3, P4 and P5 → SEV4); an incident without a priority gets SEV2 if high urgency
and SEV3 if low (the lab's default urgency mapping, read backwards), and the import
says how many.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from datetime import datetime, timedelta, tzinfo
from typing import Any

from pager_lab.alerting.import_rows import Record, RowProblem, parse_stamp
from pager_lab.alerting.import_table import Import, build_import, take_rows
from pager_lab.core.errors import ConfigError

__all__ = ["OPTIONAL_FIELDS", "REQUIRED_FIELDS", "read_pagerduty_csv", "read_pagerduty_json"]

REQUIRED_FIELDS = (
    "id",
    "incident_number",
    "created_at",
    "resolved_at",
    "seconds_to_first_ack",
    "seconds_to_resolve",
    "urgency",
    "priority_name",
    "service_name",
    "team_name",
    "major",
)
"""The raw incident fields an import needs."""
OPTIONAL_FIELDS = (
    "business_hour_interruptions",
    "off_hour_interruptions",
    "sleep_hour_interruptions",
    "engaged_user_count",
    "escalation_count",
)
"""Fields kept when present (the interruptions by PagerDuty window, people engaged)."""
_PRIORITY = re.compile(r"^P([1-5])$", re.IGNORECASE)


def _number(raw: Mapping[str, Any], name: str, *, integer: bool = False) -> float | None:
    value = raw.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RowProblem("bad-value", name, value, "a number of seconds or an empty cell") from None
    if integer and (number < 0 or number != int(number)):
        raise RowProblem("bad-value", name, value, "a whole number, 0 or more")
    return number


def _severity(priority: Any, urgency: str) -> tuple[str, bool]:
    """The lab severity, and whether it was inferred from urgency (no priority)."""
    text = "" if priority is None else str(priority).strip()
    if not text:
        return ("SEV2" if urgency == "high" else "SEV3"), True
    match = _PRIORITY.match(text)
    if match is None:
        raise RowProblem(
            "bad-value",
            "priority_name",
            text,
            "P1-P5 or empty (for custom priority names import a CSV with a mapping)",
        )
    return f"SEV{min(int(match.group(1)), 4)}", False


def _record(raw: Mapping[str, Any], row: int, zone: tzinfo | None = None) -> Record:
    """One incident; a timestamp without an offset is read in *zone* (``--zone``)."""
    ident = str(raw.get("id") or "").strip()
    if not ident:
        raise RowProblem("missing-value", "id", raw.get("id"), "an incident id")
    created = parse_stamp(raw.get("created_at"), "created_at", zone=zone)
    assert created is not None
    resolved = parse_stamp(raw.get("resolved_at"), "resolved_at", zone=zone, required=False)
    urgency = str(raw.get("urgency") or "").strip().lower()
    if urgency not in ("high", "low"):
        raise RowProblem("bad-value", "urgency", raw.get("urgency"), "high or low")
    severity, inferred = _severity(raw.get("priority_name"), urgency)
    to_ack = _number(raw, "seconds_to_first_ack")
    to_resolve = _number(raw, "seconds_to_resolve")
    if resolved is None and to_resolve is not None and to_resolve >= 0:
        resolved = created + timedelta(seconds=to_resolve)
    extra: dict[str, Any] = {
        "team_name": str(raw.get("team_name") or ""),
        "major": str(raw.get("major")).strip().lower() in ("true", "1", "yes"),
        "severity_from_urgency": inferred,
    }
    for name in OPTIONAL_FIELDS:
        if name in raw:
            extra[name] = _number(raw, name, integer=True)
    windows = [extra.get(n) for n in OPTIONAL_FIELDS[:3]]
    extra["pages"] = int(sum(w for w in windows if w is not None))
    return Record(
        id=ident,
        created=created,
        acknowledged=(
            created + timedelta(seconds=to_ack) if to_ack is not None and to_ack >= 0 else None
        ),
        resolved=resolved,
        service=str(raw.get("service_name") or ""),
        severity=severity,
        urgency=urgency,
        row=row,
        seconds_to_ack=to_ack,
        seconds_to_resolve=to_resolve,
        extra=extra,
        raw=raw,
    )


def _check_columns(columns: set[str], source: str) -> None:
    missing = [f for f in REQUIRED_FIELDS if f not in columns]
    if missing:
        raise ConfigError(
            source,
            "columns",
            ", ".join(missing),
            "the PagerDuty Analytics raw incident fields; missing: " + ", ".join(missing),
        )


def _finish(
    fmt: str,
    source: str,
    rows: list[Mapping[str, Any]],
    zone: tzinfo | None,
    exported_at: datetime | None = None,
) -> Import:
    records, rejects, used_zone = take_rows(
        enumerate(rows, 1), lambda raw, row: _record(raw, row, zone), zone
    )
    inferred = sum(1 for r in records if r.extra.get("severity_from_urgency"))
    notes = []
    if inferred:
        notes.append(
            f"{inferred} incident(s) have no priority: severity SEV2 (high urgency) or "
            "SEV3 (low urgency) was assumed"
        )
    return build_import(
        fmt,
        source,
        records,
        rejects,
        used_zone,
        notes=notes,
        export_end=exported_at,
        name_fields={"service_name": "service", "team_name": "team"},
    )


def read_pagerduty_json(text: str, source: str, zone: tzinfo | None = None) -> Import:
    """Analytics raw incidents as JSON: ``{"data": [...]}`` or a list of rows."""
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(source, "json", text[:40], f"valid JSON ({exc.msg})") from None
    rows = body.get("data") if isinstance(body, dict) else body
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ConfigError(source, "data", type(rows).__name__, "a list of incident objects")
    if not rows:
        raise ConfigError(source, "data", rows, "at least one incident")
    _check_columns({key for row in rows for key in row}, source)
    exported_at = None
    if isinstance(body, dict) and body.get("exported_at"):
        try:
            exported_at = parse_stamp(body["exported_at"], "exported_at", zone=zone)
        except RowProblem as exc:
            raise ConfigError(source, exc.field, exc.value, exc.expected) from None
    return _finish("pagerduty-json", source, rows, zone, exported_at)


def read_pagerduty_csv(text: str, source: str, zone: tzinfo | None = None) -> Import:
    """Analytics raw incidents as the CSV download (one header row)."""
    reader = csv.DictReader(io.StringIO(text))
    _check_columns(set(reader.fieldnames or ()), source)
    return _finish("pagerduty-csv", source, list(reader), zone)
