"""Alerting: notifiers (Slack or JSON webhooks with retries and an outbox), the
secret webhook URL, the local receiver, the drill's notifications, and ingest
of PagerDuty Events v2 and Alertmanager webhook lines.

It may import ``pager_lab.core`` only.
"""

from typing import TYPE_CHECKING

from pager_lab._lazy import lazy_exports

_EXPORTS = {
    "ACTIONS": ".ingest",
    "DEFAULT_LOCAL_PORT": ".drill_notify",
    "Delivery": ".notify",
    "destination": ".drill_notify",
    "DrillNotifications": ".drill_notify",
    "Event": ".ingest",
    "EventError": ".ingest",
    "EventReplay": ".ingest",
    "json_payload": ".notify",
    "LocalReceiver": ".receiver",
    "Misbehaviour": ".receiver",
    "Notifier": ".notify",
    "Outbox": ".notify",
    "parse_alertmanager": ".ingest",
    "parse_event": ".ingest",
    "parse_line": ".ingest",
    "scrub": ".secret_url",
    "SEVERITIES": ".ingest",
    "SLACK_ENV": ".secret_url",
    "SLACK_ERRORS": ".notify",
    "slack_payload": ".notify",
    "SlackError": ".notify",
    "WebhookError": ".notify",
    "WebhookURL": ".secret_url",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:  # what type checkers and editors see; at run time names load lazily
    from .drill_notify import DEFAULT_LOCAL_PORT, DrillNotifications, destination
    from .ingest import (
        ACTIONS,
        SEVERITIES,
        Event,
        EventError,
        EventReplay,
        parse_alertmanager,
        parse_event,
        parse_line,
    )
    from .notify import (
        SLACK_ERRORS,
        Delivery,
        Notifier,
        Outbox,
        SlackError,
        WebhookError,
        json_payload,
        slack_payload,
    )
    from .receiver import LocalReceiver, Misbehaviour
    from .secret_url import SLACK_ENV, WebhookURL, scrub
