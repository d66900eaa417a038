"""The lab's own ``ingest`` replays (Events v2 / Alertmanager JSON lines) as an import.

Each line is replayed with PagerDuty's dedup semantics (:class:`EventReplay`); a line
may carry the time it was received (``{"received_at": ..., "event": {...}}`` or a named
field). Events with no time of their own borrow the time of the event before, which
makes MTTA and MTTR too short: the import says how many did. A bad line is a reject
(``bad-value``) with its line number; the others are replayed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pager_lab.alerting.import_rows import Record, Reject
from pager_lab.alerting.import_table import Import, build_import
from pager_lab.alerting.ingest import Event, EventReplay, read_lines
from pager_lab.core.clock import DEFAULT_START
from pager_lab.core.incident import Incident

__all__ = ["EVENT_SEVERITY", "read_events", "read_replay"]

EVENT_SEVERITY = {"critical": "SEV1", "error": "SEV2", "warning": "SEV3", "info": "SEV4"}
"""Events v2 severity → the lab's (the lab's SEV1-SEV4 stand for these four)."""


def read_events(
    data: bytes, received_field: str | None = None
) -> tuple[list[tuple[int, Event]], list[Reject]]:
    """Every event of a JSON-lines replay with its line number, and a reject per bad line."""
    events, bad = read_lines(data, received_field)
    rejects = [
        Reject(n, "bad-value", e.field, str(e.value), e.expected, {"line": line} if line else {})
        for n, line, e in bad
    ]
    return events, rejects


def _record(incident: Incident, start: datetime, alerts: int) -> Record:
    def at(minutes: float | None) -> datetime | None:
        return None if minutes is None else start + timedelta(minutes=minutes)

    created = at(incident.triggered_at)
    assert created is not None
    event_severity = str(incident.timeline[0].detail.get("severity", ""))  # the trigger's
    sev = EVENT_SEVERITY.get(event_severity, "SEV2")
    return Record(
        id=incident.id,
        created=created,
        acknowledged=at(incident.acknowledged_at),
        resolved=at(incident.resolved_at),
        service=incident.service,
        severity=sev,
        urgency="high" if sev in ("SEV1", "SEV2") else "low",
        extra={"alerts": alerts},
    )


def read_replay(data: bytes, source: str, received_field: str | None = None) -> Import:
    """Replay *data* and import the incidents it opens."""
    events, rejects = read_events(data, received_field)
    stamps = [e.received_at or e.timestamp for _, e in events]
    known = [s for s in stamps if s is not None]
    start = min(known) if known else DEFAULT_START
    replay = EventReplay(start)
    for _, event in events:
        replay.apply(event)
    records = [_record(i, start, replay.alerts[i.id]) for i in replay.incidents]
    notes = []
    if replay.borrowed:
        notes.append(
            f"{replay.borrowed} of {len(events)} events had no time of their own and borrowed "
            "the time of the event before (MTTA and MTTR may be too short): give each line "
            'its time received, {"received_at": ..., "event": {...}}'
        )
    if replay.unmatched:
        notes.append(
            f"{replay.unmatched} acknowledge/resolve event(s) matched no open incident: "
            "accepted with no effect, as PagerDuty does"
        )
    zone = start.tzinfo
    assert zone is not None
    return build_import("replay", source, records, rejects, zone, notes=notes)
