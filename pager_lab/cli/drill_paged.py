"""``pager-lab drill --alertmanager``: the seed drill, paged by a real Alertmanager.

It waits (``--wait`` seconds) until the lab's receiver of ``pager-lab alertmanager up`` holds
an incident that is still open, then runs the ordinary drill for it: the page names the
alert, its group and its severity; an ``alertname`` of the data folder's ``alerts.toml``
brings that alert's policy, runbook and root cause (:func:`drill_for_page`). No drill logic
lives here: waiting, matching and the drill are the alerting layer's and the core's.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pager_lab.alerting.alertmanager import Alertmanager
from pager_lab.alerting.am_page import AlertmanagerPage, drill_for_page, end_alerts, wait_for_page
from pager_lab.cli.am_state import DEFAULT_STATE, UpState, receiver_messages, routing_of, running
from pager_lab.cli.arguments import number
from pager_lab.cli.drill_policy import drill_policy
from pager_lab.core.drill import Drill
from pager_lab.core.errors import ConfigError, PagerLabError
from pager_lab.core.lab_config import Lab
from pager_lab.core.runbook import load_runbook

__all__ = [
    "PagedDrill",
    "add_alertmanager_options",
    "paged_drill",
    "refuse_beside_alertmanager",
]

_LIBRARY = ("words", "list", "scenario", "seed", "script", "tick", "handle", "store")
"""The drill library's options: a library scenario carries its own alert."""
_ITS_OWN = {
    "alert_name": "the page's alertname picks the lab's alert",
    "alert": "the page's summary is the alert's text",
}


def add_alertmanager_options(p: argparse.ArgumentParser) -> None:
    """``--alertmanager``, ``--wait`` and ``--alertmanager-state``."""
    p.add_argument(
        "--alertmanager",
        action="store_true",
        help="be paged by the real Alertmanager of `pager-lab alertmanager up` "
        "(fire an alert with `pager-lab alertmanager fire`)",
    )
    p.add_argument(
        "--wait",
        type=number("seconds", above=0, at_most=3600, why="at most an hour"),
        default=None,
        metavar="SECONDS",
        help="with --alertmanager: how long to wait for a page (default 300)",
    )
    p.add_argument(
        "--alertmanager-state",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"with --alertmanager: the state file `alertmanager up --state` wrote "
        f"(default {DEFAULT_STATE})",
    )


def refuse_beside_alertmanager(args: argparse.Namespace, default_start: object) -> None:
    """Options that a page replaces, or that need --alertmanager, fail in one line."""
    if not args.alertmanager:
        needing = {"--wait": args.wait, "--alertmanager-state": args.alertmanager_state}
        for flag, value in needing.items():
            if value is not None:
                raise PagerLabError(f"{flag} {value} only goes with --alertmanager")
        return
    given = [n for n in _LIBRARY if getattr(args, n, None) not in (None, False, [])]
    if given:
        flag = "lint" if given[0] == "words" else f"--{given[0]}"
        raise PagerLabError(
            f"{flag} and --alertmanager do not go together: a library scenario carries its "
            "own alert, --alertmanager pages the lab's drill"
        )
    for name, why in _ITS_OWN.items():
        if getattr(args, name) is not None:
            flag = f"--{name.replace('_', '-')}"
            value = getattr(args, name)
            raise PagerLabError(f"{flag} {value!r} does not go with --alertmanager: {why}")
    if args.at != default_start:
        raise PagerLabError(
            f"--at {args.at.isoformat()} does not go with --alertmanager: the drill starts "
            "when the page arrives"
        )


@dataclass(frozen=True)
class PagedDrill:
    """A drill a real Alertmanager paged: the drill, the page and where Alertmanager runs."""

    drill: Drill
    page: AlertmanagerPage
    state: UpState

    def after(self) -> str:
        """When the drill fixed it, its alerts stop firing (as a monitor would see): a line
        saying so; else a line saying Alertmanager still pages."""
        if self.drill.outcome != "resolved":
            return (
                f"Alertmanager still fires {self.page.incident_id}'s alert(s): the drill did "
                "not fix it (`pager-lab alertmanager fire NAME --resolve` ends one)"
            )
        routing = routing_of(self.state.config)
        am = Alertmanager.attach(self.state.port, Path(self.state.folder), routing, "", 1.0)
        ended = end_alerts(am, self.page, datetime.now(UTC))
        return (
            f"Fixed, so the monitor stops firing: {ended} alert(s) ended on Alertmanager; it "
            f"sends `resolved` at the group's next flush (within group_interval, "
            f"{routing.group_interval_minutes:g} min)"
        )


def paged_drill(args: argparse.Namespace, lab: Lab, default_alert: str) -> PagedDrill:
    """Wait for the page, say what paged, and build its drill (``args.alert_name`` and
    ``args.at`` are set to the page's, so ``--json`` keeps what ``why`` needs)."""
    state_file = args.alertmanager_state or DEFAULT_STATE
    state = running(state_file)
    wait = 300.0 if args.wait is None else args.wait
    print(
        f"Waiting up to {wait:g} s for Alertmanager (127.0.0.1:{state.port}) to page you "
        "through the lab's receiver; from another terminal: `pager-lab alertmanager fire`",
        flush=True,
    )
    page = wait_for_page(lambda: receiver_messages(state.receiver_port), timeout=wait)
    own = page.lab_alert(lab)
    if own is None and default_alert not in lab.alerts:
        raise ConfigError(
            str(lab.folder / "alerts.toml"),
            "alertname",
            page.alertname,
            f"an alert of this folder ({', '.join(sorted(lab.alerts))}) or {default_alert!r} "
            "for the pages of other alerts",
        )
    base = own or lab.alerts[default_alert]
    known = (
        f"the lab's alert {own.name!r} (its policy and runbook)"
        if own
        else f"no alert of {lab.folder / 'alerts.toml'}: {base.name!r}'s policy, no runbook"
    )
    print(f"Paged by Alertmanager: {page.describe()}; {known}", flush=True)
    args.alert_name, args.at = base.name, page.at
    drill = drill_for_page(
        page,
        lab,
        default_alert=default_alert,
        policy=drill_policy(args, lab, lab.policies[base.policy]),
        runbook=load_runbook(args.runbook) if args.runbook is not None else None,
        step_minutes=1.0 if args.step_minutes is None else args.step_minutes,
    )
    return PagedDrill(drill, page, state)
