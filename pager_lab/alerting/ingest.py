"""Alert formats in: PagerDuty Events API v2 and Prometheus Alertmanager webhooks (v4).

Events v2 (REFERENCES.md): ``event_action`` in {trigger, acknowledge, resolve};
``dedup_key`` at most 255 characters; ``payload.summary`` at most 1024,
``payload.source`` and ``payload.severity`` in {critical, error, warning, info}
required for triggers. A trigger whose ``dedup_key`` matches an open incident
joins it; otherwise a new incident opens; no key, one is generated.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from pager_lab.core.clock import ManualClock
from pager_lab.core.errors import PagerLabError
from pager_lab.core.incident import Incident, IncidentState

__all__ = [
    "ACTIONS",
    "SEVERITIES",
    "WRAPPER_KEYS",
    "Event",
    "EventError",
    "EventReplay",
    "parse_alertmanager",
    "parse_event",
    "parse_line",
    "parse_timestamp",
    "read_lines",
]

ACTIONS = ("trigger", "acknowledge", "resolve")
SEVERITIES = ("critical", "error", "warning", "info")
MAX_DEDUP_KEY = 255
MAX_SUMMARY = 1024
_EVENT_KEYS = {
    "routing_key",
    "event_action",
    "dedup_key",
    "payload",
    "links",
    "images",
    "client",
    "client_url",
}
_PAYLOAD_KEYS = {
    "summary",
    "source",
    "severity",
    "timestamp",
    "component",
    "group",
    "class",
    "custom_details",
}


class EventError(PagerLabError, ValueError):
    """An event that does not follow the format: names the field, the value and what is expected."""

    def __init__(self, field: str, value: object, expected: str) -> None:
        self.field, self.value, self.expected = field, value, expected
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "...'"
        super().__init__(f"{field} = {shown}: expected {expected}")


@dataclass(frozen=True)
class Event:
    """A validated Events API v2 event."""

    action: str
    dedup_key: str | None
    summary: str = ""
    source: str = ""
    severity: str = ""
    timestamp: datetime | None = None
    links: tuple[dict[str, str], ...] = ()
    custom_details: Mapping[str, Any] = field(default_factory=dict)
    received_at: datetime | None = None
    """When the event was received (a replay's ``received_at`` wrapper or named field):
    Events v2 acknowledge and resolve events carry no timestamp of their own."""

    def to_dict(self, routing_key: str = "R0UT1NGKEY") -> dict[str, Any]:
        """The event as Events API v2 JSON."""
        body: dict[str, Any] = {"routing_key": routing_key, "event_action": self.action}
        if self.dedup_key:
            body["dedup_key"] = self.dedup_key
        if self.action == "trigger":
            payload: dict[str, Any] = {
                "summary": self.summary,
                "source": self.source,
                "severity": self.severity,
            }
            if self.timestamp is not None:
                payload["timestamp"] = self.timestamp.isoformat()
            if self.custom_details:
                payload["custom_details"] = dict(self.custom_details)
            body["payload"] = payload
        if self.links:
            body["links"] = list(self.links)
        return body


def _text(
    obj: Mapping[str, Any], key: str, where: str, limit: int | None = None, required: bool = True
) -> str:
    value = obj.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise EventError(f"{where}{key}", value, "a non-empty string")
    if limit is not None and len(value) > limit:
        raise EventError(
            f"{where}{key}", f"<{len(value)} characters>", f"at most {limit} characters"
        )
    return value


def parse_timestamp(value: Any, where: str) -> datetime | None:
    """An ISO 8601 / RFC 3339 time with its offset (Alertmanager's nanoseconds too), or None."""
    if value is None:
        return None
    try:
        stamp = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise EventError(where, value, "an ISO 8601 timestamp with offset") from None
    if stamp.tzinfo is None:
        raise EventError(where, value, "a timestamp with a UTC offset")
    return stamp


def parse_event(obj: Any) -> Event:
    """Validate one Events API v2 body."""
    if not isinstance(obj, Mapping):
        raise EventError("event", obj, "a JSON object")
    unknown = set(obj) - _EVENT_KEYS
    if unknown:
        raise EventError(
            sorted(unknown)[0],
            obj[sorted(unknown)[0]],
            f"one of the Events v2 fields ({', '.join(sorted(_EVENT_KEYS))})",
        )
    _text(obj, "routing_key", "")
    action = obj.get("event_action")
    if action not in ACTIONS:
        raise EventError("event_action", action, " | ".join(ACTIONS))
    key = _text(obj, "dedup_key", "", MAX_DEDUP_KEY, required=action != "trigger") or None
    links = tuple(obj.get("links", ()) or ())
    if action != "trigger":
        return Event(action, key, links=links)
    payload = obj.get("payload")
    if not isinstance(payload, Mapping):
        raise EventError("payload", payload, "an object with summary, source and severity")
    unknown = set(payload) - _PAYLOAD_KEYS
    if unknown:
        raise EventError(
            f"payload.{sorted(unknown)[0]}",
            payload[sorted(unknown)[0]],
            f"one of {', '.join(sorted(_PAYLOAD_KEYS))}",
        )
    summary = _text(payload, "summary", "payload.", MAX_SUMMARY)
    source = _text(payload, "source", "payload.")
    severity = payload.get("severity")
    if severity not in SEVERITIES:
        raise EventError("payload.severity", severity, " | ".join(SEVERITIES))
    details = payload.get("custom_details") or {}
    if not isinstance(details, Mapping):
        details = {"details": details}
    return Event(
        "trigger",
        key,
        summary,
        source,
        str(severity),
        parse_timestamp(payload.get("timestamp"), "payload.timestamp"),
        links,
        details,
    )


_AM_SEVERITY = {
    "critical": "critical",
    "page": "critical",
    "error": "error",
    "warning": "warning",
    "warn": "warning",
    "info": "info",
    "none": "info",
}


def parse_alertmanager(body: Any) -> list[Event]:
    """An Alertmanager webhook (version 4) as Events v2 events, one per alert."""
    if not isinstance(body, Mapping):
        raise EventError("body", body, "a JSON object")
    if str(body.get("version")) != "4":
        raise EventError("version", body.get("version"), '"4" (Alertmanager webhook v4)')
    alerts = body.get("alerts")
    if not isinstance(alerts, list) or not alerts:
        raise EventError("alerts", alerts, "a non-empty list of alerts")
    return [_am_alert(alert, i, body) for i, alert in enumerate(alerts)]


def _am_alert(alert: Any, i: int, body: Mapping[str, Any]) -> Event:
    where = f"alerts[{i}]."
    if not isinstance(alert, Mapping):
        raise EventError(f"alerts[{i}]", alert, "an alert object")
    status = alert.get("status")
    if status not in ("firing", "resolved"):
        raise EventError(f"{where}status", status, "firing | resolved")
    labels = alert.get("labels")
    if not isinstance(labels, Mapping) or "alertname" not in labels:
        raise EventError(f"{where}labels", labels, "an object with an alertname label")
    annotations = alert.get("annotations") or {}
    key = (
        alert.get("fingerprint")
        or hashlib.sha1(json.dumps(dict(labels), sort_keys=True).encode()).hexdigest()[:16]
    )
    if status == "resolved":
        return Event(
            "resolve", str(key), timestamp=parse_timestamp(alert.get("endsAt"), f"{where}endsAt")
        )
    raw_severity = str(labels.get("severity", "warning")).lower()
    details = {"labels": dict(labels), "groupKey": body.get("groupKey", "")}
    if raw_severity not in _AM_SEVERITY:
        details["original_severity"] = raw_severity  # kept, not silently dropped
    links: tuple[dict[str, str], ...] = ()
    if annotations.get("runbook_url"):
        links = ({"href": str(annotations["runbook_url"]), "text": "runbook"},)
    summary = str(annotations.get("summary") or labels["alertname"])[:MAX_SUMMARY]
    source = str(
        labels.get("instance") or labels.get("job") or body.get("receiver") or "alertmanager"
    )
    return Event(
        "trigger",
        str(key),
        summary,
        source,
        _AM_SEVERITY.get(raw_severity, "warning"),
        parse_timestamp(alert.get("startsAt"), f"{where}startsAt"),
        links,
        details,
    )


WRAPPER_KEYS = {"received_at", "event"}
"""A replay line may wrap an event with the time it was received:
``{"received_at": "2026-11-27T03:02:00Z", "event": {...}}``."""


def parse_line(line: str, received_field: str | None = None) -> list[Event]:
    """One JSON line: an Events v2 event or an Alertmanager body, maybe wrapped with the time
    it was received (``{"received_at": ..., "event": {...}}``, or a field named
    *received_field* beside the event's own fields)."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise EventError("json", line.strip()[:40], f"valid JSON ({exc.msg})") from None
    received = None
    if isinstance(obj, Mapping) and "event" in obj and "received_at" in obj:
        extra = set(obj) - WRAPPER_KEYS
        if extra:
            name = sorted(extra)[0]
            raise EventError(name, obj[name], "only received_at and event in a wrapper line")
        received = parse_timestamp(obj["received_at"], "received_at")
        obj = obj["event"]
    elif received_field and isinstance(obj, Mapping) and received_field in obj:
        obj = dict(obj)
        received = parse_timestamp(obj.pop(received_field), received_field)
    if isinstance(obj, Mapping) and "alerts" in obj and "version" in obj:
        events = parse_alertmanager(obj)
    else:
        events = [parse_event(obj)]
    if received is None:
        return events
    return [replace(event, received_at=received) for event in events]


def read_lines(
    data: bytes, received_field: str | None = None
) -> tuple[list[tuple[int, Event]], list[tuple[int, str, EventError]]]:
    """Every event of a JSON-lines replay with its line number, and each bad line as
    (number, its text, why); blank lines are skipped, a line that is not UTF-8 is bad."""
    events: list[tuple[int, Event]] = []
    bad: list[tuple[int, str, EventError]] = []
    for number, raw in enumerate(data.splitlines(), 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            why = f"UTF-8 text (byte {exc.start + 1} is 0x{raw[exc.start]:02x})"
            bad.append((number, "", EventError("line", raw[:40], why)))
            continue
        if not line.strip():
            continue
        try:
            events += [(number, event) for event in parse_line(line, received_field)]
        except EventError as exc:
            bad.append((number, line, exc))
    return events, bad


class EventReplay:
    """Applies events to incidents with PagerDuty's dedup semantics (the core, not a copy).

    An event's time is when it was received (``received_at``) if the replay says, else its
    timestamp (``payload.timestamp``, Alertmanager's ``startsAt`` / ``endsAt``); an event
    with neither *borrows* the time of the event before it, and is counted in
    :attr:`borrowed` (Events v2 acknowledge and resolve events carry no timestamp, so a
    replay without received times makes MTTA and MTTR too short). An acknowledge or resolve
    for a ``dedup_key`` with no open incident is accepted with no effect, as PagerDuty does,
    and counted in :attr:`unmatched`.
    """

    def __init__(self, start: datetime) -> None:
        self.clock = ManualClock(start)
        self.incidents: list[Incident] = []
        self.alerts: dict[str, int] = {}
        """Events folded into each incident."""
        self.runbooks: dict[str, str] = {}
        self.borrowed = 0
        """Events that had no time of their own and took the time of the event before."""
        self.unmatched = 0
        """Acknowledge and resolve events whose dedup_key matched no open incident."""
        self._open: dict[str, Incident] = {}

    def _advance(self, event: Event) -> None:
        at = event.received_at or event.timestamp
        if at is None:
            self.borrowed += 1
            return
        minutes = (at - self.clock.start).total_seconds() / 60
        self.clock.set(max(minutes, self.clock.now()))

    def apply(self, event: Event) -> Incident | None:
        """Apply one event; returns the incident it touched (``None`` if no open one matched)."""
        self._advance(event)
        if event.action == "trigger":
            return self._trigger(event)
        incident = self._open.get(event.dedup_key or "")
        if incident is None:
            self.unmatched += 1
            return None
        if event.action == "acknowledge":
            if incident.state is IncidentState.TRIGGERED:
                incident.acknowledge("events-api")
        else:
            incident.resolve("events-api")
            del self._open[event.dedup_key or ""]
        return incident

    def _trigger(self, event: Event) -> Incident:
        key = event.dedup_key or f"generated-{len(self.incidents) + 1}"
        incident = self._open.get(key)
        if incident is not None:
            self.alerts[incident.id] += 1
            return incident
        incident = Incident(
            f"INC-{len(self.incidents) + 1}",
            event.summary,
            self.clock,
            service=event.source,
            dedup_key=key,
            severity=event.severity,
        )
        self.incidents.append(incident)
        self.alerts[incident.id] = 1
        for link in event.links:
            if link.get("text") == "runbook":
                self.runbooks[incident.id] = link.get("href", "")
        self._open[key] = incident
        return incident
