"""The local receiver's PagerDuty Events API v2 endpoint (``POST /v2/enqueue``), offline.

It answers as PagerDuty does (REFERENCES.md): 202 ``{"status": "success", "message":
"Event processed", "dedup_key": …}``; 400 ``{"status": "invalid event", "message": "Event
object is invalid", "errors": […]}`` for a body PagerDuty would refuse (a routing key that is
not 32 characters, a missing summary, an unknown severity …); and, in its **throttling
mode**, 429 to the first of every ``throttle_every`` events, so a class watches the backoff.
It keeps PagerDuty's incidents by ``dedup_key`` (trigger opens or joins, acknowledge,
resolve) and never keeps or prints a routing key.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from pager_lab.alerting.pagerduty import ACTIONS, PD_SEVERITIES

__all__ = [
    "ROUTING_KEY_CHARS",
    "THROTTLED",
    "EventsV2Emulator",
    "PagerDutyIncident",
    "problems",
    "without_secret",
]

ROUTING_KEY_CHARS = 32
"""PagerDuty's integration keys are 32 characters."""
THROTTLED = {
    "status": "throttle event",
    "message": "Requests for this service are arriving too quickly. Please retry later.",
}


@dataclass
class PagerDutyIncident:
    """What the emulated PagerDuty knows of one incident (by ``dedup_key``)."""

    dedup_key: str
    summary: str
    severity: str
    state: str = "triggered"
    """``triggered``, ``acknowledged`` or ``resolved``."""
    events: int = 1
    """Trigger events that opened or joined it."""


def problems(body: Any) -> list[str]:
    """What PagerDuty would list in ``errors`` for *body* (empty: a valid event)."""
    if not isinstance(body, dict):
        return ["Event object must be a JSON object"]
    errors = []
    key = body.get("routing_key")
    if not isinstance(key, str) or not key.strip():
        errors.append("'routing_key' is missing or blank")
    elif len(key) != ROUTING_KEY_CHARS:
        errors.append("Length of 'routing_key' is incorrect (should be 32 characters)")
    action = body.get("event_action")
    if action not in ACTIONS:
        errors.append(f"'event_action' is invalid (must be one of {', '.join(ACTIONS)})")
    if action in ("acknowledge", "resolve") and not body.get("dedup_key"):
        errors.append("'dedup_key' is missing or blank")
    if action == "trigger":
        payload = body.get("payload")
        if not isinstance(payload, dict):
            return [*errors, "'payload' is missing or blank"]
        for name in ("summary", "source"):
            if not str(payload.get(name) or "").strip():
                errors.append(f"'payload.{name}' is missing or blank")
        if payload.get("severity") not in PD_SEVERITIES:
            errors.append(
                f"'payload.severity' is invalid (must be one of {', '.join(PD_SEVERITIES)})"
            )
    return errors


@dataclass
class EventsV2Emulator:
    """Events v2 answers and PagerDuty's incidents, for the local receiver."""

    throttle_every: int = 0
    """0: never throttle; N: answer 429 to the 1st, (N+1)th, (2N+1)th … event."""
    incidents: dict[str, PagerDutyIncident] = field(default_factory=dict)
    posts: int = 0
    throttled: int = 0
    _generated: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.throttle_every < 0:
            raise ValueError(f"throttle_every ({self.throttle_every}) must be >= 0")

    def answer(self, body: Any) -> tuple[int, dict[str, Any], str]:
        """The HTTP status, the JSON answer and one line saying what happened."""
        with self._lock:
            self.posts += 1
            if self.throttle_every and (self.posts - 1) % self.throttle_every == 0:
                self.throttled += 1
                return 429, THROTTLED, "answered 429 throttle event (throttling mode)"
            errors = problems(body)
            if errors:
                answer = {
                    "status": "invalid event",
                    "message": "Event object is invalid",
                    "errors": errors,
                }
                return 400, answer, f"answered 400 invalid event: {'; '.join(errors)}"
            key = str(body.get("dedup_key") or self._new_key())
            line = self._apply(body, key)
        answer = {"status": "success", "message": "Event processed", "dedup_key": key}
        return 202, answer, line

    def _new_key(self) -> str:
        self._generated += 1
        return f"local-{self._generated}"

    def _apply(self, body: dict[str, Any], key: str) -> str:
        action = body["event_action"]
        incident = self.incidents.get(key)
        if action == "trigger":
            payload = body["payload"]
            if incident is None or incident.state == "resolved":
                self.incidents[key] = PagerDutyIncident(
                    key, str(payload["summary"]), payload["severity"]
                )
                return f"[pagerduty] trigger {key}: {payload['summary']} (new incident)"
            incident.events += 1
            return f"[pagerduty] trigger {key}: joined its open incident ({incident.events} events)"
        if incident is None or incident.state == "resolved":
            return f"[pagerduty] {action} {key}: no open incident (accepted, nothing changed)"
        if action == "acknowledge":
            if incident.state == "triggered":
                incident.state = "acknowledged"
        else:
            incident.state = "resolved"
        return f"[pagerduty] {action} {key}: incident {incident.state}"


def without_secret(body: Any) -> Any:
    """*body* as the receiver keeps it: the routing key replaced (it is a secret)."""
    if isinstance(body, dict) and "routing_key" in body:
        return {**body, "routing_key": "<redacted>"}
    return body
