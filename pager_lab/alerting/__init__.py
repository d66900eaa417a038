"""Alerting: notifiers (Slack or JSON webhooks with retries and an outbox), the
secret webhook URL, the local receiver, the drill's notifications, and ingest
of PagerDuty Events v2 and Alertmanager webhook lines, and importers of real incident
exports (PagerDuty Analytics, Statuspage, mapped CSV, replays) into the core's tables.

It may import ``pager_lab.core`` only.
"""

from typing import TYPE_CHECKING

from pager_lab._lazy import lazy_exports

_EXPORTS = {
    "Alertmanager": ".alertmanager",
    "AlertmanagerError": ".alertmanager",
    "AlertmanagerMissing": ".alertmanager",
    "find_alertmanager": ".alertmanager",
    "ALERTMANAGER_INSTALL_LINE": ".alertmanager",
    "AlertmanagerInbox": ".am_inbox",
    "AlertmanagerPage": ".am_page",
    "PageWatch": ".am_page",
    "drill_for_page": ".am_page",
    "end_alerts": ".am_page",
    "firing_alert": ".am_page",
    "wait_for_page": ".am_page",
    "AlertmanagerLoop": ".am_replay",
    "ReplayReport": ".am_replay",
    "alertmanager_config": ".am_config",
    "load_routing": ".am_config",
    "ACTIONS": ".ingest",
    "detect_format": ".importing",
    "FORMATS": ".importing",
    "Import": ".import_table",
    "load_export": ".importing",
    "Pseudonymiser": ".import_table",
    "pseudonymise": ".importing",
    "read_salt": ".importing",
    "REJECT_REASONS": ".import_rows",
    "write_import": ".importing",
    "DEFAULT_LOCAL_PORT": ".drill_notify",
    "DEFAULT_MAX_REFUSALS": ".outbox",
    "DEFAULT_MAX_WAIT": ".notify",
    "IDEMPOTENCY_HEADER": ".notify",
    "Message": ".outbox",
    "RefusedError": ".errors",
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
    "Outbox": ".outbox",
    "parse_alertmanager": ".ingest",
    "parse_event": ".ingest",
    "parse_line": ".ingest",
    "scrub": ".secret_url",
    "SEVERITIES": ".ingest",
    "SLACK_ENV": ".secret_url",
    "SLACK_ERRORS": ".errors",
    "slack_payload": ".notify",
    "SlackError": ".errors",
    "WebhookError": ".errors",
    "WebhookURL": ".secret_url",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:  # what type checkers and editors see; at run time names load lazily
    from .alertmanager import (
        ALERTMANAGER_INSTALL_LINE,
        Alertmanager,
        AlertmanagerError,
        AlertmanagerMissing,
        find_alertmanager,
    )
    from .am_config import alertmanager_config, load_routing
    from .am_inbox import AlertmanagerInbox
    from .am_page import (
        AlertmanagerPage,
        PageWatch,
        drill_for_page,
        end_alerts,
        firing_alert,
        wait_for_page,
    )
    from .am_replay import AlertmanagerLoop, ReplayReport
    from .drill_notify import DEFAULT_LOCAL_PORT, DrillNotifications, destination
    from .errors import SLACK_ERRORS, RefusedError, SlackError, WebhookError
    from .import_rows import REJECT_REASONS
    from .import_table import Import, Pseudonymiser
    from .importing import (
        FORMATS,
        detect_format,
        load_export,
        pseudonymise,
        read_salt,
        write_import,
    )
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
        DEFAULT_MAX_WAIT,
        IDEMPOTENCY_HEADER,
        Delivery,
        Notifier,
        json_payload,
        slack_payload,
    )
    from .outbox import DEFAULT_MAX_REFUSALS, Message, Outbox
    from .receiver import LocalReceiver, Misbehaviour
    from .secret_url import SLACK_ENV, WebhookURL, scrub
