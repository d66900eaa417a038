"""Import a real export: detect its format, read it, pseudonymise it, write its tables.

Formats (:data:`FORMATS`): PagerDuty Analytics raw incidents as JSON or CSV, an
Atlassian Statuspage ``incidents.json``, any CSV with a TOML column mapping, and the
lab's own Events v2 / Alertmanager replays. Without ``format`` the file is looked at
and the detection says what it chose and why.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pager_lab.alerting.import_mapped import load_mapping, read_mapped_csv
from pager_lab.alerting.import_pagerduty import read_pagerduty_csv, read_pagerduty_json
from pager_lab.alerting.import_replay import read_replay
from pager_lab.alerting.import_rows import REASONS, Reject, RowProblem, parse_zone
from pager_lab.alerting.import_statuspage import read_statuspage
from pager_lab.alerting.import_table import Import, Pseudonymiser
from pager_lab.core.errors import ConfigError
from pager_lab.core.tomlfile import read_text_file

__all__ = [
    "FORMATS",
    "SALT_ENV",
    "detect_format",
    "load_export",
    "pseudonymise",
    "read_salt",
    "write_import",
]

FORMATS = {
    "pagerduty-json": "PagerDuty Analytics raw incidents, JSON",
    "pagerduty-csv": "PagerDuty Analytics raw incidents, CSV",
    "statuspage": "Atlassian Statuspage incidents.json",
    "csv-mapped": "any CSV with a TOML column mapping (--mapping)",
    "replay": "the lab's ingest replay: Events v2 / Alertmanager JSON lines",
}
"""Every format ``import`` reads."""
WITHHELD = "the row is free text (names in titles and updates): see the source file, same row"
"""What a pseudonymised rejects file says instead of a free-text row."""
SALT_ENV = "PAGER_LAB_PSEUDONYM_SALT"
"""The environment variable that may hold the pseudonymisation salt."""
NAME_COLUMNS = {
    "incidents": {"service": "service", "acknowledged_by": "person", "resolved_by": "person"},
    "pages": {"responder": "person", "slot": "person"},
    "extras": {"team_name": "team", "name": "title"},
}


def _json_kind(text: str) -> tuple[str, str] | None:
    try:
        body = json.loads(text)
    except json.JSONDecodeError:
        return None
    if isinstance(body, dict) and isinstance(body.get("incidents"), list):
        return "statuspage", "a JSON object with incidents[] (Statuspage incidents.json)"
    if isinstance(body, dict) and isinstance(body.get("data"), list):
        return "pagerduty-json", "a JSON object with data[] (PagerDuty Analytics API)"
    rows = body
    first = rows[0] if isinstance(rows, list) and rows else None
    if isinstance(first, dict) and ("seconds_to_first_ack" in first or "created_at" in first):
        return "pagerduty-json", "JSON rows with created_at/seconds_to_first_ack (PagerDuty)"
    if isinstance(body, dict) and ("event_action" in body or "received_at" in body):
        return "replay", "one JSON event (Events v2 replay)"
    return None


def detect_format(path: Path, text: str, mapping: Path | None = None) -> tuple[str, str]:
    """``(format, why)`` for a file: by its content, then its name."""
    if mapping is not None:
        return "csv-mapped", "a column mapping was given"
    kind = _json_kind(text)
    if kind is not None:
        return kind
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    if first.startswith("{"):
        return "replay", "JSON lines, one event each (Events v2 / Alertmanager replay)"
    header = {h.strip().strip('"') for h in first.split(",")}
    if "seconds_to_first_ack" in header or {"created_at", "urgency"} <= header:
        return "pagerduty-csv", "a CSV header with PagerDuty's raw incident fields"
    raise ConfigError(
        str(path),
        "--format",
        None,
        "a recognisable export: "
        + "; ".join(f"{k} ({v})" for k, v in FORMATS.items())
        + ". A CSV in another layout needs --mapping FILE",
    )


def load_export(
    path: str | Path,
    fmt: str | None = None,
    *,
    mapping: str | Path | None = None,
    zone: str | None = None,
    received_field: str | None = None,
) -> tuple[Import, str]:
    """Read an export; returns the import and a sentence saying which format was used."""
    path = Path(path)
    if fmt is not None and fmt not in FORMATS:
        raise ConfigError("", "--format", fmt, " | ".join(FORMATS))
    if fmt == "csv-mapped" and mapping is None:
        raise ConfigError(str(path), "--mapping", None, "a TOML column mapping for csv-mapped")
    text = read_text_file(path, "export file")
    if fmt is None:
        fmt, why = detect_format(path, text, Path(mapping) if mapping else None)
        said = f"format: {fmt} (detected: {why})"
    else:
        said = f"format: {fmt} (as given)"
    tz = parse_zone(zone, "", "--zone") if zone is not None else None
    try:
        if fmt == "pagerduty-json":
            result = read_pagerduty_json(text, str(path), tz)
        elif fmt == "pagerduty-csv":
            result = read_pagerduty_csv(text, str(path), tz)
        elif fmt == "statuspage":
            result = read_statuspage(text, str(path), tz)
        elif fmt == "csv-mapped":
            assert mapping is not None
            result = read_mapped_csv(text, str(path), load_mapping(mapping))
        else:
            result = read_replay(text.encode("utf-8"), str(path), received_field)
    except RowProblem as exc:  # nothing importable at all
        raise ConfigError(str(path), exc.field, exc.value, exc.expected) from None
    return result, said


def read_salt(salt_file: str | Path | None = None) -> bytes:
    """The user's salt: from *salt_file* if given, else the environment variable."""
    if salt_file is not None:
        salt = read_text_file(salt_file, "salt file").strip().encode()
        where, key = str(salt_file), "salt"
    else:
        salt = os.environ.get(SALT_ENV, "").encode()
        where, key = "", SALT_ENV
    if len(salt) < 8:
        raise ConfigError(
            where,
            key,
            "<hidden>" if salt else None,
            f"a secret of at least 8 characters (set {SALT_ENV} or pass --salt-file FILE)",
        )
    return salt


def _rename(frame: Any, columns: Mapping[str, str], pseudo: Pseudonymiser) -> None:
    for column, kind in columns.items():
        if frame is not None and column in frame:
            frame[column] = [
                pseudo(str(v), kind) if isinstance(v, str) else v for v in frame[column]
            ]


def _pseudonymous_reject(
    reject: Reject, names: dict[str, str] | None, pseudo: Pseudonymiser
) -> Reject:
    """A rejected row with its names replaced; withheld where the row is free text."""
    if names is None:
        return dataclasses.replace(reject, raw={"withheld": WITHHELD})
    raw = {k: pseudo(str(v), names[k]) if k in names and v else v for k, v in reject.raw.items()}
    value = pseudo(reject.value, names[reject.field]) if reject.field in names else reject.value
    return dataclasses.replace(reject, raw=raw, value=value)


def pseudonymise(result: Import, pseudo: Pseudonymiser) -> Import:
    """The same import with service, team, people and titles replaced by stable pseudonyms."""
    incidents = result.incidents.copy()
    pages = None if result.pages is None else result.pages.copy()
    extras = None if result.extras is None else result.extras.copy()
    _rename(incidents, NAME_COLUMNS["incidents"], pseudo)
    _rename(pages, NAME_COLUMNS["pages"], pseudo)
    _rename(extras, NAME_COLUMNS["extras"], pseudo)
    rejects = [_pseudonymous_reject(r, result.name_fields, pseudo) for r in result.rejects]
    notes = [*result.notes, "names pseudonymised (salted hash; the salt is not stored)"]
    return dataclasses.replace(
        result, incidents=incidents, pages=pages, extras=extras, rejects=rejects, notes=notes
    )


def write_import(result: Import, out: str | Path) -> list[Path]:
    """Write ``incidents.csv`` (and ``pages.csv``, ``extras.csv`` when there are),
    ``rejects.csv`` and ``import.json`` (the account) into *out*; returns the files."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "incidents.csv", out / "rejects.csv", out / "import.json"]
    result.incidents.to_csv(written[0], index=False)
    result.rejects_table().to_csv(written[1], index=False)
    for name, frame in (("pages", result.pages), ("extras", result.extras)):
        if frame is not None:
            frame.to_csv(out / f"{name}.csv", index=False)
            written.append(out / f"{name}.csv")
    account = {
        "format": result.format,
        "source": Path(result.source).name,
        "zone": result.zone,
        "start": result.start.isoformat(),
        "end": result.end.isoformat(),
        "end_minute": result.end_minute,
        "incidents": len(result.incidents),
        "open_at_export": result.open_incidents,
        "rejected": result.reject_counts(),
        "reasons": REASONS,
        "notes": result.notes,
    }
    written[2].write_text(json.dumps(account, indent=2) + "\n", encoding="utf-8")
    return written
