"""Sending pages to Slack (incoming webhooks) and generic JSON webhooks, without losing any.

Failure handling follows Slack's contract (REFERENCES.md): connect and read
timeouts; 429 honours ``Retry-After``; 5xx and connection errors are retried
with capped exponential backoff and jitter (urllib3's ``Retry``); 400
``invalid_payload``, 403 ``action_prohibited``, 404 ``channel_not_found`` and
410 ``channel_is_archived`` are not retried and raise :class:`SlackError`. A
message that could not be delivered is appended to an :class:`Outbox`
(JSON lines) so nothing is lost; :meth:`Outbox.flush` re-sends it.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from pager_lab.alerting.secret_url import WebhookURL, scrub
from pager_lab.core.errors import PagerLabError

__all__ = [
    "SLACK_ERRORS",
    "Delivery",
    "Notifier",
    "Outbox",
    "SlackError",
    "WebhookError",
    "json_payload",
    "slack_payload",
]

SLACK_ERRORS = {
    400: ("invalid_payload", "the message JSON is malformed: check `text` and `blocks`"),
    403: ("action_prohibited", "an admin restricted posting: ask the workspace admin"),
    404: ("channel_not_found", "the webhook's channel was deleted: create a new webhook"),
    410: ("channel_is_archived", "the channel is archived: unarchive it or make a new webhook"),
}
"""Slack's non-retryable webhook errors and what to do about each."""


class WebhookError(PagerLabError):
    """A message could not be delivered (the text never contains the URL)."""


class SlackError(WebhookError):
    """Slack refused the message for good; retrying will not help."""

    def __init__(self, status: int, code: str, hint: str) -> None:
        self.status, self.code, self.hint = status, code, hint
        super().__init__(f"Slack answered {status} {code}: {hint}")


@dataclass(frozen=True)
class Delivery:
    """What happened to one message."""

    delivered: bool
    status: int | None
    attempts: int
    queued: bool = False
    """True when it went to the outbox."""
    reason: str = ""


def slack_payload(
    kind: str,
    summary: str,
    *,
    severity: str = "",
    responder: str = "",
    runbook_steps: list[str] | None = None,
    timeline: list[str] | None = None,
) -> dict[str, Any]:
    """A Slack message with ``text`` (notifications, fallbacks) and ``blocks``."""
    icons = {"trigger": "🚨", "page": "📟", "acknowledge": "✅", "resolve": "✅"}
    headline = {
        "trigger": f"ALERT: {summary}",
        "page": f"Paging {responder}: {summary}",
        "acknowledge": f"Acknowledged by {responder}: {summary}",
        "resolve": f"Resolved by {responder}: {summary}",
    }.get(kind, summary)
    text = f"{icons.get(kind, 'ℹ️')} {headline}"
    fields = [
        {"type": "mrkdwn", "text": f"*Severity:*\n{severity or 'not triaged'}"},
        {"type": "mrkdwn", "text": f"*Responder:*\n{responder or 'paging…'}"},
    ]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": text[:150]}},
        {"type": "section", "fields": fields},
    ]
    if runbook_steps:
        steps = "\n".join(runbook_steps)[:2900]
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*Runbook*\n```{steps}```"}}
        )
    if timeline:
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": "\n".join(timeline)[-2900:]}],
            }
        )
    return {"text": text, "blocks": blocks}


def json_payload(kind: str, summary: str, **fields: Any) -> dict[str, Any]:
    """The generic webhook body: the same facts as flat JSON."""
    return {"event": kind, "summary": summary, **{k: v for k, v in fields.items() if v}}


def _retry(total: int, backoff: float, backoff_max: float) -> Retry:
    return Retry(
        total=total,
        connect=total,
        read=total,
        status=total,
        other=0,
        backoff_factor=backoff,
        backoff_max=backoff_max,
        backoff_jitter=backoff,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"POST"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )


@dataclass
class Notifier:
    """Posts JSON to one webhook URL with retries; failures go to the outbox if there is one."""

    url: WebhookURL
    outbox: Outbox | None = None
    style: str = "slack"
    """``slack`` (Slack's error codes apply) or ``json``."""
    connect_timeout: float = 3.05
    read_timeout: float = 10.0
    retries: int = 4
    backoff: float = 0.5
    backoff_max: float = 8.0
    session: requests.Session = field(default_factory=requests.Session, repr=False)

    def __post_init__(self) -> None:
        adapter = HTTPAdapter(max_retries=_retry(self.retries, self.backoff, self.backoff_max))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def post(self, payload: dict[str, Any]) -> Delivery:
        """Send once (with retries); raise :class:`WebhookError` if it was not delivered."""
        try:
            response = self.session.post(
                self.url.reveal(), json=payload, timeout=(self.connect_timeout, self.read_timeout)
            )
        except requests.RequestException as exc:
            # The exception's text names the URL: never show it, only what kind of failure.
            raise WebhookError(
                f"could not reach {self.url.redacted}: {self._reason(exc)}"
            ) from None
        if response.status_code < 300:
            return Delivery(True, response.status_code, _attempts(response))
        body = scrub(response.text.strip())[:200]
        if self.style == "slack" and response.status_code in SLACK_ERRORS:
            code, hint = SLACK_ERRORS[response.status_code]
            raise SlackError(response.status_code, body or code, hint)
        raise WebhookError(f"{self.url.redacted} answered {response.status_code} {body}".strip())

    def _reason(self, exc: requests.RequestException) -> str:
        text = repr(exc)
        if isinstance(exc, requests.ReadTimeout) or "ReadTimeout" in text:
            return f"no answer within the read timeout ({self.read_timeout:g} s)"
        if isinstance(exc, requests.ConnectTimeout) or "ConnectTimeout" in text:
            return f"could not connect within {self.connect_timeout:g} s"
        if "Connection refused" in text or "NewConnectionError" in text:
            return "connection refused (is the receiver running?)"
        if "ResponseError" in text or "too many" in text:
            return "still failing after every retry"
        return type(exc).__name__

    def send(self, payload: dict[str, Any]) -> Delivery:
        """Send; a message that cannot be delivered goes to the outbox (permanent errors raise)."""
        try:
            return self.post(payload)
        except SlackError:
            if self.outbox is not None:
                self.outbox.add(payload, self.style)
            raise
        except WebhookError as exc:
            if self.outbox is None:
                raise
            self.outbox.add(payload, self.style)
            return Delivery(False, None, self.retries + 1, queued=True, reason=str(exc))

    def __repr__(self) -> str:
        return f"Notifier({self.url.redacted!r}, style={self.style!r})"


def _attempts(response: requests.Response) -> int:
    retries = getattr(response.raw, "retries", None)
    history = getattr(retries, "history", ()) or ()
    return len(history) + 1


class Outbox:
    """Undelivered messages as JSON lines; each is removed once, when it is delivered.

    The URL is never stored: flushing asks for it again.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def add(self, payload: dict[str, Any], style: str) -> str:
        entry_id = uuid.uuid4().hex
        line = json.dumps({"id": entry_id, "style": style, "payload": payload}, ensure_ascii=False)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        return entry_id

    def entries(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def _rewrite(self, entries: list[dict[str, Any]]) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".outbox-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for entry in entries:
                handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        os.replace(tmp, self.path)

    def flush(self, send: Callable[[dict[str, Any]], Delivery]) -> tuple[int, int]:
        """Re-send every entry with *send*; returns ``(delivered, still_waiting)``."""
        waiting = self.entries()
        delivered = 0
        for entry in list(waiting):
            try:
                send(entry["payload"])
            except WebhookError:
                continue
            waiting.remove(entry)
            self._rewrite(waiting)  # after each success, so a crash never re-sends it
            delivered += 1
        return delivered, len(waiting)

    def __len__(self) -> int:
        return len(self.entries())

    def __repr__(self) -> str:
        return f"Outbox({str(self.path)!r}, waiting={len(self)})"
