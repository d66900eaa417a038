"""Posting a drill's incident to a webhook as it happens: trigger, pages, ack, resolution.

Both drill drivers (terminal and widgets) use this, so what is posted when is decided once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pager_lab.alerting.notify import Notifier, Outbox, WebhookError, json_payload, slack_payload
from pager_lab.alerting.pagerduty import EVENTS_PATH, EVENTS_URL, new_dedup_key, pd_event
from pager_lab.alerting.secret_url import SLACK_ENV, WebhookURL
from pager_lab.core.errors import ConfigError
from pager_lab.core.incident import EntryKind, Incident
from pager_lab.core.report import timeline_lines
from pager_lab.core.runbook import Runbook

__all__ = ["DEFAULT_LOCAL_PORT", "DrillNotifications", "destination"]

DEFAULT_LOCAL_PORT = 8765
_KINDS = {
    EntryKind.TRIGGERED: "trigger",
    EntryKind.PAGED: "page",
    EntryKind.ACKNOWLEDGED: "acknowledge",
    EntryKind.RESOLVED: "resolve",
}


def destination(
    to: str,
    port: int = DEFAULT_LOCAL_PORT,
    *,
    flag: str = "--notify",
    warn: Callable[[str], None] | None = None,
) -> tuple[WebhookURL, str]:
    """``slack`` (URL from the environment), ``local`` (the local receiver), ``pagerduty``
    (Events v2; the routing key from ``PAGER_LAB_PD_ROUTING_KEY``), ``pagerduty-local`` (the
    local receiver's Events v2 emulation) or a URL.

    *warn* gets one line when a Slack URL is plain ``http://`` (the line never shows it).
    """
    if to == "slack":
        url, style = WebhookURL.from_env(), "slack"
    elif to == "local":
        return WebhookURL(f"http://127.0.0.1:{port}/slack", f"{flag} local"), "slack"
    elif to == "pagerduty":
        return WebhookURL(EVENTS_URL, f"{flag} pagerduty"), "pagerduty"
    elif to == "pagerduty-local":
        local = f"http://127.0.0.1:{port}{EVENTS_PATH}"
        return WebhookURL(local, f"{flag} pagerduty-local"), "pagerduty"
    elif to.startswith(("http://", "https://")):
        url = WebhookURL(to, flag)
        style = "slack" if "hooks.slack.com" in url.redacted else "json"
    else:
        # Only a value that is not a URL is echoed: a URL may be a secret.
        raise ConfigError(
            "", flag, to, "slack, local, pagerduty, pagerduty-local or an http(s):// webhook URL"
        )
    if style == "slack" and url.plain_http and warn is not None:
        where = f" in {SLACK_ENV}" if to == "slack" else ""
        warn(
            f"warning: {flag}: the Slack webhook URL{where} is plain http://, so the secret "
            "travels unencrypted; Slack's URLs start with https://"
        )
    return url, style


class DrillNotifications:
    """Sends each new timeline entry worth announcing; failures become warnings, not crashes."""

    def __init__(
        self,
        notifier: Notifier,
        incident: Incident,
        runbook: Runbook | None = None,
        dedup_key: str | None = None,
    ) -> None:
        self.notifier = notifier
        self.incident = incident
        self.runbook = runbook
        self.dedup_key = dedup_key or new_dedup_key(incident.id)
        """PagerDuty's key for this incident: its trigger, acknowledge and resolve share it."""
        self._sent = 0
        self._retries: list[str] = []
        if notifier.report is None:  # each retry and wait becomes a warning line of the step
            notifier.report = lambda line: self._retries.append(f"⚠️  notification {line}")

    def _payload(self, kind: str, actor: str, detail: dict[str, Any]) -> dict[str, Any] | None:
        responder = detail.get("responder", actor if kind != "trigger" else "")
        severity = self.incident.severity.value if self.incident.severity else ""
        if self.notifier.style == "pagerduty":  # PagerDuty pages people itself: no "page"
            return None if kind == "page" else self._pd_event(kind, severity)
        if self.notifier.style != "slack":
            return json_payload(
                kind,
                self.incident.summary,
                incident=self.incident.id,
                responder=responder,
                severity=severity,
            )
        steps = self.runbook.lines() if self.runbook and kind == "trigger" else None
        return slack_payload(
            kind,
            self.incident.summary,
            severity=severity,
            responder=responder,
            runbook_steps=steps,
            timeline=timeline_lines(self.incident),
        )

    def _pd_event(self, kind: str, severity: str) -> dict[str, Any]:
        incident = self.incident
        details = {"incident": incident.id, "timeline": timeline_lines(incident)[-20:]}
        if self.runbook is not None and kind == "trigger":
            details["runbook"] = self.runbook.lines()
        return pd_event(
            kind,
            self.dedup_key,
            summary=f"{incident.id}: {incident.summary}",
            severity=severity,
            component=incident.service or "",
            custom_details=details,
        )

    def publish(self) -> list[str]:
        """Post what happened since the last call; returns warning lines (retries, failures)."""
        warnings = []
        entries = self.incident.timeline[self._sent :]
        self._sent = len(self.incident.timeline)
        for entry in entries:
            kind = _KINDS.get(entry.kind)
            if kind is None:
                continue
            payload = self._payload(kind, entry.actor, dict(entry.detail))
            if payload is None:
                continue
            try:
                delivery = self.notifier.send(payload)
                failure = (
                    f"⚠️  notification queued in {self._outbox_path()}: {delivery.reason}"
                    if delivery.queued
                    else ""
                )
            except WebhookError as exc:
                failure = f"⚠️  notification not delivered: {exc}"
            warnings += self._retries
            self._retries.clear()
            if failure:
                warnings.append(failure)
        return warnings

    def _outbox_path(self) -> str:
        outbox: Outbox | None = self.notifier.outbox
        return str(outbox.path) if outbox is not None else "no outbox"
