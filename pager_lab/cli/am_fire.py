"""``pager-lab alertmanager fire [ALERTNAME]``: one alert into the running Alertmanager.

Alertmanager groups it and, after ``group_wait``, posts the notification to the lab's
receiver, where ``pager-lab drill --alertmanager`` is paged by it. ``--resolve`` ends the
alert with the same labels; Alertmanager says ``resolved`` at the group's next flush.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from pager_lab.alerting.alertmanager import Alertmanager, AlertmanagerError
from pager_lab.alerting.am_page import SEVERITY_OF, firing_alert
from pager_lab.cli.am_state import routing_of, running
from pager_lab.cli.arguments import number
from pager_lab.core.errors import ConfigError
from pager_lab.core.routing_config import RoutingConfig

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
    fire.add_argument("--service", help="its service label (default: none)")
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
        metavar="MINUTES",
        help="how long it fires unless resolved (default 60)",
    )
    fire.add_argument(
        "--resolve",
        action="store_true",
        help="end the alert with these labels now (Alertmanager then sends `resolved`)",
    )


def _active_with(am: Alertmanager, labels: dict[str, str]) -> tuple[bool, str]:
    """Whether an alert with exactly *labels* is active, and the label sets that are."""
    active = am.active_labels()
    shown = "; ".join(_shown(a) for a in active) or "none"
    return labels in active, shown


def _check(args: argparse.Namespace) -> str:
    """The alert's name; empty values and options --resolve does not use fail in one line."""
    name = args.alertname.strip()
    if not name:
        raise ConfigError("", "ALERTNAME", args.alertname, "a non-empty alert name")
    for flag, value in (("--service", args.service), ("--summary", args.summary)):
        if value is not None and not value.strip():
            raise ConfigError("", flag, value, "a non-empty text (leave the option out for none)")
    if args.resolve:
        for flag, value in (("--for", args.minutes), ("--summary", args.summary)):
            if value is not None:
                raise AlertmanagerError(
                    f"{flag} does not go with --resolve: the alert ends now, as it was fired"
                )
    return name


def _shown(labels: dict[str, str]) -> str:
    return "{" + ", ".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"


def fire(args: argparse.Namespace) -> int:
    """Post the alert (or its end); one line says what Alertmanager will do with it."""
    name = _check(args)
    state = running(args.state)
    routing = routing_of(state.config)
    minutes = 60.0 if args.minutes is None else args.minutes
    alert = firing_alert(
        name,
        at=datetime.now(UTC),
        severity=args.severity,
        service=(args.service or "").strip(),
        summary=args.summary,
        minutes=0.0 if args.resolve else minutes,
    )
    labels = alert["labels"]
    am = Alertmanager.attach(state.port, Path(state.folder), routing, "", 1.0)
    firing, shown_active = _active_with(am, labels)
    if args.resolve and not firing:
        raise AlertmanagerError(
            f"no alert with exactly the labels {_shown(labels)} is firing (firing now: "
            f"{shown_active}): give the ALERTNAME, --service and --severity it was fired with"
        )
    am.post_alerts([alert])
    print(_said(_shown(labels)[1:-1], state.port, routing, minutes, args.resolve, firing))
    return 0


def _said(
    shown: str, port: int, routing: RoutingConfig, minutes: float, resolve: bool, firing: bool
) -> str:
    wait, flush = routing.group_wait_minutes * 60, routing.group_interval_minutes
    where = f"on Alertmanager (127.0.0.1:{port})"
    if resolve:
        return (
            f"resolved {{{shown}}} {where}; if its group was already notified, Alertmanager "
            f"sends `resolved` at the group's next flush (group_interval, {flush:g} min)"
        )
    if firing:
        return (
            f"{{{shown}}} was already firing {where}: it now fires for {minutes:g} min from now, "
            "and pages nobody again (one alert, one group)"
        )
    return (
        f"fired {{{shown}}} {where} for {minutes:g} min; a new group pages the lab's receiver "
        f"after group_wait ({wait:g} s), a group that fired in the last {flush:g} min at its "
        "next flush (group_interval): `pager-lab drill --alertmanager` answers it"
    )
