"""``drill --notify`` and its companions: post the seed drill to a webhook as it happens.

``--notify-port``, ``--notify-retries`` and ``--outbox`` default to ``None`` so that a value
the user typed is known: given without ``--notify`` (or with a drill-library scenario) it is
refused in one line, never silently ignored.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from pager_lab.core.drill import Drill
from pager_lab.core.errors import PagerLabError

__all__ = [
    "COMPANIONS",
    "add_notify_options",
    "drill_notifications",
    "refuse_without_notify",
]

COMPANIONS = ("notify_port", "notify_retries", "outbox")
"""The options that only mean something with ``--notify``."""
_RETRIES = 4


def add_notify_options(p: argparse.ArgumentParser) -> None:
    """--notify, --notify-port, --notify-retries, --outbox."""
    from pager_lab.alerting.drill_notify import DEFAULT_LOCAL_PORT
    from pager_lab.alerting.secret_url import SLACK_ENV
    from pager_lab.cli.webhooks import DEFAULT_OUTBOX, at_least, port_number

    p.add_argument(
        "--notify",
        metavar="slack|local|pagerduty|pagerduty-local|URL",
        help=f"post the trigger, pages, ack and resolution to a webhook (slack reads {SLACK_ENV}; "
        "pagerduty sends Events v2 with PAGER_LAB_PD_ROUTING_KEY)",
    )
    p.add_argument(
        "--notify-port",
        type=port_number,
        metavar="PORT",
        help="the local receiver's port for --notify local|pagerduty-local "
        f"(default {DEFAULT_LOCAL_PORT})",
    )
    p.add_argument(
        "--notify-retries",
        type=at_least(0, int),
        metavar="N",
        help=f"with --notify: retries for 429, 5xx and connection errors (default {_RETRIES})",
    )
    p.add_argument(
        "--outbox",
        type=Path,
        metavar="FILE",
        help=f"with --notify: where undelivered notifications wait (default {DEFAULT_OUTBOX}, "
        "SQLite)",
    )


def refuse_without_notify(args: argparse.Namespace) -> None:
    """A companion option without --notify (or a port for a webhook that is not local) is
    refused, before the drill starts."""
    if args.notify is not None:
        if args.notify_port is not None and args.notify not in ("local", "pagerduty-local"):
            raise PagerLabError(
                f"--notify-port {args.notify_port} only goes with --notify local or "
                "pagerduty-local (the lab's receiver)"
            )
        return
    for name in COMPANIONS:
        value = getattr(args, name)
        if value is not None:
            flag = "--" + name.replace("_", "-")
            raise PagerLabError(f"{flag} {value} only goes with --notify (nothing is posted)")


def drill_notifications(args: argparse.Namespace, drill: Drill) -> Callable[[], list[str]] | None:
    """What posts the drill after each step (``None`` without --notify)."""
    if args.notify is None:
        return None
    from pager_lab.alerting.drill_notify import DEFAULT_LOCAL_PORT, DrillNotifications, destination
    from pager_lab.alerting.notify import Outbox
    from pager_lab.alerting.pagerduty import make_notifier
    from pager_lab.cli.webhooks import DEFAULT_OUTBOX

    port = DEFAULT_LOCAL_PORT if args.notify_port is None else args.notify_port
    url, style = destination(args.notify, port, warn=lambda line: print(line, file=sys.stderr))
    retries = _RETRIES if args.notify_retries is None else args.notify_retries
    outbox = Outbox(DEFAULT_OUTBOX if args.outbox is None else args.outbox)
    notifier = make_notifier(url, style, outbox, retries=retries)
    return DrillNotifications(notifier, drill.incident, drill.runbook).publish
