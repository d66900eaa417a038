"""PagerDuty Events API v2 out: trigger, acknowledge and resolve with a stable ``dedup_key``.

An event is ``POST https://events.pagerduty.com/v2/enqueue`` with a JSON body holding the
integration's ``routing_key``, an ``event_action`` and a ``dedup_key`` (REFERENCES.md).
PagerDuty answers 202 ``{"status": "success", "message": "Event processed", "dedup_key": …}``,
400 ``{"status": "invalid event", "message": …, "errors": […]}`` (not retried: one line
with the errors), and 429 when throttled (retried with backoff; what still fails waits in
the outbox). 5xx and connection errors are retried as for Slack.

The routing key is a secret, like the Slack URL: it comes from ``PAGER_LAB_PD_ROUTING_KEY``,
is added to the body only when a request is sent (the outbox never stores it), never shows
in output, logs, errors or reprs, and is scrubbed from any answer.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from typing import Any

from pager_lab.alerting.errors import RefusedError, WebhookError
from pager_lab.alerting.notify import Notifier, retry_after_seconds
from pager_lab.alerting.outbox import Message, Outbox
from pager_lab.alerting.secret_url import WebhookURL, register_secret
from pager_lab.core.errors import ConfigError

__all__ = [
    "ACTIONS",
    "EVENTS_PATH",
    "EVENTS_URL",
    "LOCAL_ROUTING_KEY",
    "PD_ENV",
    "PD_SEVERITIES",
    "PagerDutyError",
    "PagerDutyNotifier",
    "RoutingKey",
    "make_notifier",
    "new_dedup_key",
    "pd_event",
    "pd_severity",
]

PD_ENV = "PAGER_LAB_PD_ROUTING_KEY"
"""The environment variable an Events v2 integration's routing key is read from."""
EVENTS_URL = "https://events.pagerduty.com/v2/enqueue"
EVENTS_PATH = "/v2/enqueue"
"""The local receiver emulates the Events v2 endpoint at this path."""
LOCAL_ROUTING_KEY = "pagerlab" + "0" * 24
"""A placeholder key (32 characters, like PagerDuty's) for the local receiver: not a secret."""
ACTIONS = ("trigger", "acknowledge", "resolve")
PD_SEVERITIES = ("critical", "error", "warning", "info")
_LAB_SEVERITY = {"SEV1": "critical", "SEV2": "error", "SEV3": "warning", "SEV4": "info"}
SUMMARY_CHARS = 1024
"""Events v2 cuts ``payload.summary`` at 1024 characters; pager_lab cuts it itself."""
_RETRY = frozenset({408, 500, 502, 503, 504})


def pd_severity(lab_severity: str) -> str:
    """``SEV1``..``SEV4`` (or a PagerDuty name) as an Events v2 severity; untriaged: error."""
    text = str(lab_severity or "").strip()
    if text.lower() in PD_SEVERITIES:
        return text.lower()
    return _LAB_SEVERITY.get(text.upper(), "error")


class RoutingKey:
    """An Events v2 routing key that never shows itself."""

    __slots__ = ("_key", "source")

    def __init__(self, key: str, source: str = "argument") -> None:
        key = key.strip()
        if not key or any(c.isspace() for c in key):
            # Never echo the value: it is (or may be) a secret.
            raise ConfigError("", source, "<hidden>", "a PagerDuty routing key without spaces")
        self._key = key
        self.source = source
        register_secret(key)

    @classmethod
    def from_env(cls, variable: str = PD_ENV) -> RoutingKey:
        """The key in *variable*; unset: one line saying how to set it."""
        value = os.environ.get(variable, "").strip()
        if not value:
            raise ConfigError(
                "",
                variable,
                "",
                "the routing key of a PagerDuty Events API v2 integration in this environment "
                f"variable (export {variable}=...), or --to pagerduty-local",
            )
        return cls(value, variable)

    def reveal(self) -> str:
        """The real key: only for the request body."""
        return self._key

    def __repr__(self) -> str:
        return f"RoutingKey(<hidden>, from {self.source})"

    __str__ = __repr__

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a RoutingKey is a secret and is not pickled or stored")


def pd_event(
    action: str,
    dedup_key: str,
    *,
    summary: str = "",
    severity: str = "error",
    source: str = "pager-lab",
    component: str = "",
    custom_details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An Events v2 body without its routing key (added when it is sent)."""
    if action not in ACTIONS:
        raise ValueError(f"event_action {action!r} must be one of {', '.join(ACTIONS)}")
    if not dedup_key or len(dedup_key) > 255:
        raise ValueError(f"dedup_key {dedup_key!r} must be 1-255 characters")
    event: dict[str, Any] = {"event_action": action, "dedup_key": dedup_key}
    if action == "trigger":
        if not summary.strip():
            raise ValueError("a trigger event needs a summary")
        payload: dict[str, Any] = {
            "summary": summary[:SUMMARY_CHARS],
            "source": source,
            "severity": pd_severity(severity),
        }
        if component:
            payload["component"] = component
        if custom_details:
            payload["custom_details"] = custom_details
        event |= {"payload": payload, "client": "pager_lab"}
    return event


class PagerDutyError(RefusedError):
    """PagerDuty refused an event for good (400 invalid event): its ``errors``, in one line."""

    def __init__(self, status: int, message: str, errors: list[str]) -> None:
        self.status, self.errors = status, errors
        detail = "; ".join(errors) if errors else "no errors listed"
        super().__init__(
            f"PagerDuty answered {status} {message or 'invalid event'}: {detail} (not retried)"
        )


@dataclass(repr=False)
class PagerDutyNotifier(Notifier):
    """A :class:`Notifier` for Events v2: the routing key joins the body only when sent.

    Retries, backoff with jitter, the ``max_wait`` cap and the outbox are the Notifier's;
    PagerDuty's 429 has no ``Retry-After``, so it backs off exponentially.
    """

    routing_key: RoutingKey | None = None
    style: str = "pagerduty"
    reads_success: bool = field(default=True, init=False, repr=False)
    """A 202 names PagerDuty's ``dedup_key``: read it."""
    accepted: dict[str, str] = field(default_factory=dict)
    """PagerDuty's ``dedup_key`` for each message key it accepted (202)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.routing_key is None:
            raise ValueError("a PagerDutyNotifier needs a routing_key")

    def _body(self, message: Message) -> dict[str, Any]:
        assert self.routing_key is not None
        return {**message.payload, "routing_key": self.routing_key.reveal()}

    def _answer(self, message: Message, status: int, text: str, headers: Any) -> int:
        """PagerDuty's answer: the status if accepted, else the error it means."""
        answer = _json_object(text)
        if 200 <= status < 300:
            self.accepted[message.key] = str(
                answer.get("dedup_key") or message.payload["dedup_key"]
            )
            return status
        said = str(answer.get("message") or text.strip())[:200]
        if status == 400:
            errors = answer.get("errors")
            listed = [str(e)[:200] for e in errors] if isinstance(errors, list) else []
            raise PagerDutyError(status, said, listed)
        if status == 429:
            wait = retry_after_seconds(headers.get("Retry-After"))
            raise WebhookError(f"PagerDuty answered 429: throttled ({said})", retry_after=wait)
        if status in _RETRY:
            raise WebhookError(f"PagerDuty answered {status} {said}".strip())
        raise RefusedError(f"PagerDuty answered {status} {said}: refused, not retried".strip())

    def __repr__(self) -> str:
        return f"PagerDutyNotifier({self.url.redacted!r}, {self.routing_key!r})"


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def make_notifier(
    url: WebhookURL,
    style: str,
    outbox: Outbox | None = None,
    *,
    routing_key: RoutingKey | None = None,
    **options: Any,
) -> Notifier:
    """A :class:`Notifier` for *style*; for ``pagerduty`` one with the routing key
    (*routing_key*, else ``PAGER_LAB_PD_ROUTING_KEY``; the local receiver's placeholder
    when *url* is the local receiver and the variable is unset)."""
    if style != "pagerduty":
        return Notifier(url, outbox, style=style, **options)
    if routing_key is None:
        local = url.redacted.startswith("http://127.0.0.1")
        if local and not os.environ.get(PD_ENV, "").strip():
            routing_key = RoutingKey(LOCAL_ROUTING_KEY, "the local placeholder")
        else:
            routing_key = RoutingKey.from_env()
    return PagerDutyNotifier(url, outbox, routing_key=routing_key, **options)


def new_dedup_key(incident_id: str) -> str:
    """A dedup key for one drill's incident: the same for its trigger, ack and resolve,
    different from any other drill's (a re-run drill opens a new PagerDuty incident)."""
    return f"pager-lab/{incident_id}/{uuid.uuid4().hex[:12]}"
