"""Any CSV of incidents, read through a small TOML column mapping.

```toml
[columns]                 # which column holds what; only "created" is required
id = "ticket"             # default: the row number
created = "opened_at"
acknowledged = "acked_at"
resolved = "closed_at"    # empty cell: still open (right-censored)
severity = "sev"
urgency = "urgency"       # default: from severity (SEV1/SEV2 high, SEV3/SEV4 low)
service = "component"
responder = "owner"       # gives a pages table: one acknowledged page per incident

[timestamps]
format = "iso"            # iso | epoch | a strptime format such as "%d/%m/%Y %H:%M"
zone = "Europe/Dublin"    # the zone of timestamps written without an offset

[severity]                # optional: the export's values -> SEV1..SEV4
critical = "SEV1"
```
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pager_lab.alerting.import_rows import Record, RowProblem, parse_stamp, parse_zone
from pager_lab.alerting.import_table import Import, build_import, take_rows
from pager_lab.core.errors import ConfigError
from pager_lab.core.tomlfile import check_keys, read_toml, require, require_table

__all__ = ["COLUMN_KEYS", "ColumnMapping", "load_mapping", "parse_mapping", "read_mapped_csv"]

COLUMN_KEYS = (
    "id",
    "created",
    "acknowledged",
    "resolved",
    "severity",
    "urgency",
    "service",
    "responder",
)
"""What a mapping may name a column for."""
SEVERITY_WORDS = {
    **{f"sev{i}": f"SEV{i}" for i in range(1, 5)},
    **{str(i): f"SEV{i}" for i in range(1, 5)},
    **{f"p{i}": f"SEV{min(i, 4)}" for i in range(1, 6)},
    "critical": "SEV1",
    "error": "SEV2",
    "warning": "SEV3",
    "info": "SEV4",
}
"""Severity spellings read without a ``[severity]`` table."""


@dataclass(frozen=True)
class ColumnMapping:
    """Which CSV column holds each field, how timestamps are written, severity values."""

    columns: Mapping[str, str]
    format: str = "iso"
    zone: ZoneInfo | None = None
    severity: Mapping[str, str] = field(default_factory=dict)
    source: str = ""


def parse_mapping(data: Mapping[str, Any], where: str) -> ColumnMapping:
    """Validate a mapping's TOML."""
    check_keys(data, ("columns", "timestamps", "severity"), where, "")
    columns = require_table(data.get("columns"), where, "columns")
    check_keys(columns, COLUMN_KEYS, where, "columns")
    if "created" not in columns:
        raise ConfigError(where, "columns.created", None, "the name of the creation-time column")
    for key, value in columns.items():
        if not isinstance(value, str) or not value:
            raise ConfigError(where, f"columns.{key}", value, "a column name")
    stamps = require_table(data.get("timestamps", {}), where, "timestamps")
    check_keys(stamps, ("format", "zone"), where, "timestamps")
    fmt = require(
        stamps, "format", str, where, "timestamps", "iso, epoch or a strptime format", "iso"
    )
    zone_name = require(stamps, "zone", str, where, "timestamps", "an IANA zone", "")
    severity = require_table(data.get("severity", {}), where, "severity")
    for value, sev in severity.items():
        if sev not in ("SEV1", "SEV2", "SEV3", "SEV4"):
            raise ConfigError(where, f"severity.{value}", sev, "SEV1, SEV2, SEV3 or SEV4")
    return ColumnMapping(
        dict(columns),
        fmt or "iso",
        parse_zone(zone_name, where, "timestamps.zone") if zone_name else None,
        {str(k): str(v) for k, v in severity.items()},
        where,
    )


def load_mapping(path: str | Path) -> ColumnMapping:
    """Read and validate a mapping file."""
    return parse_mapping(read_toml(path), str(path))


def _severity(value: str, mapping: ColumnMapping) -> str:
    if mapping.severity:
        if value not in mapping.severity:
            raise RowProblem(
                "bad-value", "severity", value, "one of " + ", ".join(sorted(mapping.severity))
            )
        return mapping.severity[value]
    sev = SEVERITY_WORDS.get(value.strip().lower())
    if sev is None:
        raise RowProblem(
            "bad-value", "severity", value, "SEV1-SEV4, 1-4, P1-P5, critical/error/warning/info"
        )
    return sev


def _maker(mapping: ColumnMapping) -> Any:
    col = mapping.columns

    def cell(raw: Mapping[str, Any], key: str) -> str:
        return str(raw.get(col[key]) or "").strip() if key in col else ""

    def make(raw: Mapping[str, Any], row: int) -> Record:
        stamp = {
            key: parse_stamp(
                raw.get(col[key]) if key in col else None,
                col.get(key, key),
                fmt=mapping.format,
                zone=mapping.zone,
                required=key == "created",
            )
            for key in ("created", "acknowledged", "resolved")
        }
        created = stamp["created"]
        assert created is not None
        severity = _severity(cell(raw, "severity"), mapping) if "severity" in col else "SEV2"
        urgency = cell(raw, "urgency").lower() or (
            "high" if severity in ("SEV1", "SEV2") else "low"
        )
        if urgency not in ("high", "low"):
            raise RowProblem("bad-value", col["urgency"], urgency, "high or low")
        return Record(
            id=cell(raw, "id") or str(row),
            created=created,
            acknowledged=stamp["acknowledged"],
            resolved=stamp["resolved"],
            service=cell(raw, "service"),
            severity=severity,
            urgency=urgency,
            responder=cell(raw, "responder"),
            row=row,
            raw=raw,
        )

    return make


def read_mapped_csv(text: str, source: str, mapping: ColumnMapping) -> Import:
    """The incidents of a CSV read through *mapping*."""
    reader = csv.DictReader(io.StringIO(text))
    header = set(reader.fieldnames or ())
    missing = [c for c in mapping.columns.values() if c not in header]
    if missing:
        raise ConfigError(
            source,
            "columns",
            ", ".join(missing),
            f"the columns {mapping.source} names; the file has: {', '.join(sorted(header))}",
        )
    records, rejects, zone = take_rows(enumerate(reader, 1), _maker(mapping), mapping.zone)
    notes = [] if "severity" in mapping.columns else ["no severity column: SEV2 assumed"]
    return build_import(
        "csv-mapped",
        source,
        records,
        rejects,
        zone,
        notes=notes,
        with_pages="responder" in mapping.columns,
        name_fields={
            mapping.columns[key]: kind
            for key, kind in (("service", "service"), ("responder", "person"))
            if key in mapping.columns
        },
    )
