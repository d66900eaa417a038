"""Sending pages to Slack (incoming webhooks) and generic JSON webhooks, without losing any.

Failure handling follows Slack's contract (REFERENCES.md): connect and read
timeouts; 429 honours ``Retry-After`` up to a cap; 5xx, 408 and connection
errors are retried with capped exponential backoff and jitter; 400
``invalid_payload``, 403 ``action_prohibited``, 404 ``channel_not_found`` and
410 ``channel_is_archived`` are not retried and raise :class:`SlackError`.

The guarantee is **at-least-once with a key**: every message carries an
idempotency key (the ``Idempotency-Key`` header, and ``idempotency_key`` in the
generic JSON body), is retried with the same key, and a message that was not
acknowledged waits in the :class:`~pager_lab.alerting.outbox.Outbox` (kept
there *before* any wait, so Ctrl-C loses nothing). A receiver may therefore see
a key more than once (a read timeout means "may have been delivered") and can
deduplicate by it; the local receiver does.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import numpy as np
import requests
import urllib3.exceptions

from pager_lab.alerting.errors import SLACK_ERRORS, RefusedError, SlackError, WebhookError
from pager_lab.alerting.outbox import Message, Outbox
from pager_lab.alerting.secret_url import WebhookURL, scrub

__all__ = [
    "DEFAULT_MAX_WAIT",
    "IDEMPOTENCY_HEADER",
    "SLACK_ERRORS",
    "Delivery",
    "Notifier",
    "Outbox",
    "RefusedError",
    "SlackError",
    "WebhookError",
    "json_payload",
    "slack_payload",
]

DEFAULT_MAX_WAIT = 60.0
"""The longest single wait before a retry, in seconds. Slack allows about one message per
second per webhook and answers 429 with ``Retry-After`` (REFERENCES.md): a wait of a minute
already means a throttled channel, so anything longer goes to the outbox for a later
``notify flush`` instead of blocking a terminal or a class (a teaching assumption)."""
IDEMPOTENCY_HEADER = "Idempotency-Key"
"""The header carrying a message's key (as in Stripe's and the IETF draft's convention)."""
_BODY_CHARS = 200
"""How much of a receiver's answer is shown or stored (a 2 MB answer is cut here)."""
_READ_BYTES = 4096
_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Delivery:
    """What happened to one message."""

    delivered: bool
    status: int | None
    attempts: int
    queued: bool = False
    """True when it went to the outbox."""
    reason: str = ""
    key: str = ""
    """The message's idempotency key."""
    maybe_delivered: bool = False
    """A request got no answer: the receiver may have it (it will be re-sent with the key)."""


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


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds (it may be a number or an HTTP date); None if absent or bad."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass
class Notifier:
    """Posts JSON to one webhook URL with retries; failures go to the outbox if there is one.

    *report* receives one line per retry and wait (the CLI prints them on stderr; the URL
    is never in them); *sleep* waits (tests inject one); *seed* seeds the backoff jitter
    (None draws fresh entropy on purpose: clients that jittered identically would retry
    in step, which is what jitter is for avoiding; tests pass a seed).
    """

    url: WebhookURL
    outbox: Outbox | None = None
    style: str = "slack"
    """``slack`` (Slack's error codes apply) or ``json``."""
    connect_timeout: float = 3.05
    read_timeout: float = 10.0
    retries: int = 4
    backoff: float = 0.5
    backoff_max: float = 8.0
    max_wait: float = DEFAULT_MAX_WAIT
    report: Callable[[str], None] | None = field(default=None, repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    seed: int | None = None
    session: requests.Session = field(default_factory=requests.Session, repr=False)

    def __post_init__(self) -> None:
        for name in ("retries", "max_wait", "backoff", "backoff_max"):
            if getattr(self, name) < 0:
                raise ValueError(f"Notifier {name} ({getattr(self, name)}) must be >= 0")
        self._rng = np.random.default_rng(self.seed)

    def message(self, payload: dict[str, Any], key: str | None = None) -> Message:
        """*payload* as a message with an idempotency key (also in the body of JSON style)."""
        key = key or uuid.uuid4().hex
        if self.style == "json":
            payload = {**payload, "idempotency_key": key}
        return Message(key, self.style, payload)

    def post(self, payload: dict[str, Any]) -> Delivery:
        """Send once (with retries); raise :class:`WebhookError` if it was not delivered."""
        return self.deliver(self.message(payload))

    def deliver(
        self, message: Message, before_wait: Callable[[float, bool], None] | None = None
    ) -> Delivery:
        """Send *message* with its key, retrying what is temporary; raise if not delivered.

        *before_wait(seconds, maybe_delivered)* runs before each wait (the outbox keeps
        the message there, so an interrupt during the wait loses nothing).
        """
        if (message.style == "pagerduty") != (self.style == "pagerduty"):  # e.g. a mixed flush
            where = "--to pagerduty[-local]" if message.style == "pagerduty" else "its own --to"
            raise WebhookError(
                f"a {message.style} message cannot be sent as {self.style}: it waits for a "
                f"flush with {where}"
            )
        attempts = self.retries + 1
        maybe = False
        for attempt in range(1, attempts + 1):
            try:
                status = self._attempt(message)
            except RefusedError:
                raise
            except WebhookError as exc:
                failure, maybe = exc, maybe or exc.maybe_delivered
            else:
                return Delivery(True, status, attempt, key=message.key)
            if attempt == attempts:
                break
            asked = failure.retry_after is not None
            wait = (
                failure.retry_after if failure.retry_after is not None else self._backoff(attempt)
            )
            if wait > self.max_wait:
                capped = WebhookError(
                    f"{failure}; {'Retry-After' if asked else 'the backoff'} {wait:g} s is "
                    f"longer than the {self.max_wait:g} s cap, so not waiting",
                    maybe_delivered=maybe,
                )
                capped.attempts = attempt
                raise capped
            if before_wait is not None:
                before_wait(wait, maybe)
            self._say(
                f"attempt {attempt}/{attempts}: {failure}; waiting {wait:.1f} s"
                f"{' (Retry-After)' if asked else ''} before attempt {attempt + 1}"
            )
            self.sleep(wait)
        failure = WebhookError(f"{failure} (after {attempts} attempt(s))", maybe_delivered=maybe)
        failure.attempts = attempts
        raise failure

    def _say(self, line: str) -> None:
        if self.report is not None:
            self.report(line)

    def _backoff(self, attempt: int) -> float:
        """Capped exponential backoff with jitter (a seeded draw): 0.5, 1, 2 ... s."""
        base = min(self.backoff_max, self.backoff * 2 ** (attempt - 1))
        return float(base + self._rng.uniform(0, self.backoff))

    reads_success: bool = field(default=False, init=False, repr=False)
    """Whether a 2xx answer's body matters (PagerDuty's names its ``dedup_key``); a webhook's
    success is its status alone, so a slow body after a 200 cannot turn it into a failure."""

    def _attempt(self, message: Message) -> int:
        """One POST; returns the 2xx status or raises a :class:`WebhookError` saying why."""
        status, text, headers = self._post(message, self._body(message))
        return self._answer(message, status, text, headers)

    def _body(self, message: Message) -> dict[str, Any]:
        """The JSON this destination receives for *message*."""
        return message.payload

    def _post(self, message: Message, body: dict[str, Any]) -> tuple[int, str, Any]:
        """POST *body*: its status, the start of its answer (scrubbed) and its headers."""
        try:
            response = self.session.post(
                self.url.reveal(),
                json=body,
                headers={IDEMPOTENCY_HEADER: message.key},
                timeout=(self.connect_timeout, self.read_timeout),
                stream=True,
            )
        except requests.RequestException as exc:
            # The exception's text names the URL: never show it, only what kind of failure.
            reason, maybe = self._reason(exc)
            raise WebhookError(
                f"could not reach {self.url.redacted}: {reason}", maybe_delivered=maybe
            ) from None
        with response:
            status = response.status_code
            if status < 300 and not self.reads_success:
                return status, "", response.headers
            try:
                raw = response.raw.read(_READ_BYTES, decode_content=True) or b""
            except (OSError, urllib3.exceptions.HTTPError):  # an unreadable answer is one too
                raw = b""
        return status, scrub(raw.decode("utf-8", "replace")), response.headers

    def _answer(self, message: Message, status: int, text: str, headers: Any) -> int:
        """A webhook's answer: the status if accepted, else the error it means."""
        if status < 300:
            return status
        body = text.strip()[:_BODY_CHARS]
        if status in _RETRY_STATUSES:
            wait = retry_after_seconds(headers.get("Retry-After"))
            raise WebhookError(f"answered {status} {body}".strip(), retry_after=wait)
        if message.style == "slack" and status in SLACK_ERRORS:
            code, hint = SLACK_ERRORS[status]
            raise SlackError(status, body or code, hint)
        raise RefusedError(
            f"{self.url.redacted} answered {status} {body}: refused, not retried".strip()
        )

    def _reason(self, exc: requests.RequestException) -> tuple[str, bool]:
        """What kind of failure, and whether the request may have reached the receiver."""
        text = repr(exc)
        if isinstance(exc, requests.ConnectTimeout) or "ConnectTimeout" in text:
            return f"could not connect within {self.connect_timeout:g} s", False
        if isinstance(exc, requests.ReadTimeout) or "ReadTimeout" in text:
            return (
                f"no answer within the read timeout ({self.read_timeout:g} s): "
                "it may have been delivered",
                True,
            )
        if "Connection refused" in text or "NewConnectionError" in text:
            return "connection refused (is the receiver running?)", False
        if "NameResolution" in text or "getaddrinfo" in text:
            return "the host name does not resolve", False
        if isinstance(exc, requests.ConnectionError):
            return "the connection dropped before an answer: it may have been delivered", True
        return type(exc).__name__, False

    def send(self, payload: dict[str, Any], key: str | None = None) -> Delivery:
        """Send; what is not delivered is kept in the outbox (permanent errors also raise)."""
        message = self.message(payload, key)
        if self.outbox is None:
            return self.deliver(message)
        outbox = self.outbox
        kept = False

        def hold(wait: float, maybe: bool) -> None:
            nonlocal kept
            outbox.hold(message, wait, maybe)
            kept = True

        try:
            delivery = self.deliver(message, hold)
        except RefusedError as exc:
            outbox.keep(message, "waiting", str(exc))
            state = outbox.refused(message.key, str(exc))
            exc.args = (f"{exc}; {_kept_note(outbox, state)}",)
            raise
        except WebhookError as exc:
            state = "maybe_delivered" if exc.maybe_delivered else "waiting"
            outbox.keep(message, state, str(exc))
            return Delivery(
                False, None, exc.attempts, True, str(exc), message.key, exc.maybe_delivered
            )
        except BaseException:  # e.g. Ctrl-C: the message stays, and the next flush sends it
            if kept:
                outbox.release(message.key)
            else:  # interrupted during the first request, which may have reached the receiver
                outbox.keep(message, "maybe_delivered", "interrupted during a request")
            raise
        if kept:
            outbox.delivered(message.key)
        return delivery

    def __repr__(self) -> str:
        return f"Notifier({self.url.redacted!r}, style={self.style!r})"


def _kept_note(outbox: Outbox, state: str) -> str:
    if state == "dead":
        return f"moved to the dead letters in {outbox.path} (see `pager-lab notify list --dead`)"
    return (
        f"kept in {outbox.path}: fix it, then `pager-lab notify flush` re-sends it "
        f"(after {outbox.max_refusals} refusals it becomes a dead letter)"
    )
