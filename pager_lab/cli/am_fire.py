"""``pager-lab alertmanager fire [ALERTNAME]``: one alert into the running Alertmanager.

Alertmanager groups it and, after ``group_wait``, posts the notification to the lab's
receiver, where ``pager-lab drill --alertmanager`` is paged by it. ``--resolve`` ends the
alert with the same labels; Alertmanager says ``resolved`` at the group's next flush.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pager_lab.alerting.alertmanager import Alertmanager, AlertmanagerError
from pager_lab.alerting.am_page import SEVERITY_OF, firing_alert
from pager_lab.cli.am_state import routing_of, running
from pager_lab.cli.arguments import number
from pager_lab.core.errors import ConfigError

__all__ = ["add_fire_options", "fire"]


def add_fire_options(fire: argparse.ArgumentParser) -> None:
    """ALERTNAME, ``--service``, ``--severity``, ``--summary``, ``--for``, ``--resolve``."""
    fire.add_argument(
        "alertname",
        nargs="?",
        default="DatabaseConnectionFailed",
        metavar="ALERTNAME",
        help="the alert's name (default DatabaseConnectionFailed: the lab's database alert, "
        "with its runbook)",
    )
    fire.add_argument("--service", default="", help="its service label (default: none)")
    fire.add_argument(
        "--severity",
        choices=list(SEVERITY_OF),
        default="critical",
        help="its severity label (default critical)",
    )
    fire.add_argument("--summary", help="its summary annotation (default: the name in words)")
    fire.add_argument(
        "--for",
        dest="minutes",
        type=number("minutes", above=0, at_most=1440, why="at most a day"),
        default=60.0,
        metavar="MINUTES",
        help="how long it fires unless resolved (default 60)",
    )
    fire.add_argument(
        "--resolve",
        action="store_true",
        help="end the alert with these labels now (Alertmanager then sends `resolved`)",
    )


def _refuse_unknown(am: Alertmanager, labels: dict[str, str]) -> None:
    """Resolving labels nothing fires with would change nothing: say which alerts fire."""
    active: list[dict[str, Any]] = am.request("GET", "/api/v2/alerts?active=true") or []
    if any(a.get("labels") == labels for a in active):
        return
    shown = "; ".join(_shown(a.get("labels") or {}) for a in active) or "none"
    raise AlertmanagerError(
        f"no alert with exactly the labels {_shown(labels)} is firing (firing now: {shown}): "
        "give the ALERTNAME, --service and --severity it was fired with"
    )


def _shown(labels: dict[str, str]) -> str:
    return "{" + ", ".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"


def fire(args: argparse.Namespace) -> int:
    """Post the alert (or its end); one line says what Alertmanager will do with it."""
    name = args.alertname.strip()
    if not name:
        raise ConfigError("", "ALERTNAME", args.alertname, "a non-empty alert name")
    state = running(args.state)
    routing = routing_of(state.config)
    alert = firing_alert(
        name,
        at=datetime.now(UTC),
        severity=args.severity,
        service=args.service.strip(),
        summary=args.summary,
        minutes=0.0 if args.resolve else args.minutes,
    )
    labels = alert["labels"]
    am = Alertmanager.attach(state.port, Path(state.folder), routing, "", 1.0)
    if args.resolve:
        _refuse_unknown(am, labels)
    am.post_alerts([alert])
    shown = _shown(labels)[1:-1]
    if args.resolve:
        print(
            f"resolved {{{shown}}} on Alertmanager (127.0.0.1:{state.port}); it tells the "
            f"lab's receiver at the group's next flush (group_interval, "
            f"{routing.group_interval_minutes:g} min)"
        )
    else:
        print(
            f"fired {{{shown}}} on Alertmanager (127.0.0.1:{state.port}) for {args.minutes:g} "
            f"min; it pages the lab's receiver after group_wait "
            f"({routing.group_wait_minutes * 60:g} s): `pager-lab drill --alertmanager` answers it"
        )
    return 0
