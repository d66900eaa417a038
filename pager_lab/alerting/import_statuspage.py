"""An Atlassian Statuspage ``incidents.json`` (``/api/v2/incidents.json`` of a public page).

Each incident has ``id``, ``name``, ``created_at``, ``resolved_at``, ``impact`` (``none``,
``minor``, ``major``, ``critical``), ``incident_updates[]`` and often ``components[]``.
A status page shows what customers were told, not what the pager did, so:

- *acknowledged* is the first update posted after ``created_at`` (the opening update
  is posted at it): the time the team first said something new;
- severity follows impact (critical → SEV1, major → SEV2, minor → SEV3, none → SEV4),
  urgency is high for critical and major;
- the service is the first affected component, else the page's name.

The import says so in its notes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from pager_lab.alerting.import_rows import Record, RowProblem, parse_stamp
from pager_lab.alerting.import_table import Import, build_import, take_rows
from pager_lab.core.errors import ConfigError

__all__ = ["IMPACT_SEVERITY", "read_statuspage"]

IMPACT_SEVERITY = {"critical": "SEV1", "major": "SEV2", "minor": "SEV3", "none": "SEV4"}
"""Statuspage impact → the lab's severity."""
NOTES = [
    "Statuspage: acknowledged = the first public update after the opening one "
    "(what customers were told, not when the pager was answered)",
    "Statuspage: severity from impact (critical SEV1, major SEV2, minor SEV3, none SEV4); "
    "urgency high for critical and major",
]


def _first_update(updates: Any, created: datetime, zone: tzinfo | None) -> datetime | None:
    """The first update posted after ``created_at`` (the opening update is at it)."""
    if not isinstance(updates, list):
        return None
    stamps = []
    for i, update in enumerate(updates):
        if isinstance(update, Mapping):
            stamp = parse_stamp(
                update.get("created_at"),
                f"incident_updates[{i}].created_at",
                zone=zone,
                required=False,
            )
            if stamp is not None and stamp > created:
                stamps.append(stamp)
    return min(stamps) if stamps else None


def _record(page_name: str, zone: tzinfo | None) -> Any:
    """Makes one incident; a timestamp without an offset is read in *zone* (``--zone``)."""

    def make(raw: Mapping[str, Any], row: int) -> Record:
        ident = str(raw.get("id") or "").strip()
        if not ident:
            raise RowProblem("missing-value", "id", raw.get("id"), "an incident id")
        created = parse_stamp(raw.get("created_at"), "created_at", zone=zone)
        assert created is not None
        resolved = parse_stamp(raw.get("resolved_at"), "resolved_at", zone=zone, required=False)
        impact = str(raw.get("impact") or "").strip().lower()
        if impact not in IMPACT_SEVERITY:
            raise RowProblem("bad-value", "impact", raw.get("impact"), "none|minor|major|critical")
        components = raw.get("components") or []
        service = page_name
        if isinstance(components, list) and components and isinstance(components[0], Mapping):
            service = str(components[0].get("name") or page_name)
        acknowledged = _first_update(raw.get("incident_updates"), created, zone)
        if acknowledged is not None and resolved is not None and acknowledged > resolved:
            acknowledged = resolved
        return Record(
            id=ident,
            created=created,
            acknowledged=acknowledged,
            resolved=resolved,
            service=service,
            severity=IMPACT_SEVERITY[impact],
            urgency="high" if impact in ("critical", "major") else "low",
            row=row,
            extra={"name": str(raw.get("name") or "")},
            raw=raw,
        )

    return make


def read_statuspage(text: str, source: str, zone: tzinfo | None = None) -> Import:
    """A Statuspage ``incidents.json``: ``{"page": {...}, "incidents": [...]}``."""
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(source, "json", text[:40], f"valid JSON ({exc.msg})") from None
    incidents = body.get("incidents") if isinstance(body, dict) else None
    if not isinstance(incidents, list) or not all(isinstance(i, dict) for i in incidents):
        raise ConfigError(source, "incidents", type(incidents).__name__, "a list of incidents")
    page = body.get("page") if isinstance(body.get("page"), dict) else {}
    page_name = str(page.get("name") or "status page")
    records, rejects, used_zone = take_rows(enumerate(incidents, 1), _record(page_name, zone), zone)
    return build_import("statuspage", source, records, rejects, used_zone, notes=list(NOTES))
