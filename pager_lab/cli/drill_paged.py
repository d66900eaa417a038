"""``pager-lab drill --alertmanager``: the seed drill, paged by a real Alertmanager.

It waits (``--wait`` seconds) until the lab's receiver of ``pager-lab alertmanager up`` holds
an incident that is still open, then runs the ordinary drill for it: the page names the
alert, its group and its severity; an ``alertname`` of the data folder's ``alerts.toml``
brings that alert's policy, runbook and root cause (:func:`drill_for_page`). No drill logic
lives here: waiting, matching and the drill are the alerting layer's and the core's.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pager_lab.alerting.alertmanager import Alertmanager, AlertmanagerError, process_alive
from pager_lab.alerting.am_page import (
    AlertmanagerPage,
    PageWatch,
    drill_for_page,
    end_alerts,
    wait_for_page,
)
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


def refuse_beside_alertmanager(args: argparse.Namespace) -> None:
    """Options that a page replaces, or that need --alertmanager, fail in one line."""
    if not args.alertmanager:
        needing = {"--wait": args.wait, "--alertmanager-state": args.alertmanager_state}
        for flag, value in needing.items():
            if value is not None:
                shown = f"{value:g}" if isinstance(value, float) else value
                raise PagerLabError(f"{flag} {shown} only goes with --alertmanager")
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
    if args.at is not None:
        raise PagerLabError(
            f"--at {args.at.isoformat()} does not go with --alertmanager: the drill starts "
            "when the page arrives"
        )


@dataclass
class _Claims:
    """One drill per page: a file per incident in Alertmanager's throw-away folder, made
    with O_EXCL, holding the drill's pid (a claim whose process died is taken over)."""

    folder: Path
    held: str | None = None
    told: set[str] = field(default_factory=set)

    def claim(self, incident_id: str) -> bool:
        self.folder.mkdir(exist_ok=True)
        path = self.folder / incident_id
        try:
            handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            owner = path.read_text(encoding="utf-8").strip() if path.exists() else "0"
            if not owner or (owner.isdigit() and process_alive(int(owner))):
                if incident_id not in self.told:
                    self.told.add(incident_id)
                    print(f"{incident_id} is being answered by another drill (pid {owner or '?'})")
                return False
            path.unlink(missing_ok=True)  # left by a drill that stopped without letting go
            return self.claim(incident_id)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(str(os.getpid()))
        self.held = incident_id
        return True

    def release(self) -> None:
        if self.held is not None:
            (self.folder / self.held).unlink(missing_ok=True)
            self.held = None


@dataclass(frozen=True)
class PagedDrill:
    """A drill a real Alertmanager paged: the drill, the page and where Alertmanager runs."""

    drill: Drill
    page: AlertmanagerPage
    state: UpState
    claims: _Claims

    def after(self) -> str:
        """When the drill fixed it, its alerts stop firing (as a monitor would see): a line
        saying so; else a line saying Alertmanager still pages. Lets go of the page."""
        try:
            return self._tell_alertmanager()
        finally:
            self.claims.release()

    def _tell_alertmanager(self) -> str:
        if self.drill.outcome != "resolved":
            return (
                f"Alertmanager still fires {self.page.incident_id}'s alert(s): the drill did "
                "not fix it (`pager-lab alertmanager fire NAME --resolve` ends one)"
            )
        routing = routing_of(self.state.config)
        ended = end_alerts(_attach(self.state), self.page, datetime.now(UTC))
        return (
            f"Fixed, so the monitor stops firing: {ended} alert(s) ended on Alertmanager; it "
            f"sends `resolved` at the group's next flush (within group_interval, "
            f"{routing.group_interval_minutes:g} min)"
        )


def _attach(state: UpState) -> Alertmanager:
    return Alertmanager.attach(state.port, Path(state.folder), routing_of(state.config), "", 1.0)


def _check_before_waiting(args: argparse.Namespace, lab: Lab, default_alert: str) -> None:
    """--escalation, --schedule, --timeout and --runbook fail now, not after the page."""
    if default_alert in lab.alerts:
        drill_policy(args, lab, lab.policies[lab.alerts[default_alert].policy])
    if args.runbook is not None:
        load_runbook(args.runbook)


def paged_drill(args: argparse.Namespace, lab: Lab, default_alert: str) -> PagedDrill:
    """Wait for the page, say what paged, and build its drill (``args.alert_name`` and
    ``args.at`` are set to the page's, so ``--json`` keeps what ``why`` needs)."""
    state_file = args.alertmanager_state or DEFAULT_STATE
    state = running(state_file)
    _check_before_waiting(args, lab, default_alert)
    wait = 300.0 if args.wait is None else args.wait
    print(
        f"Waiting up to {wait:g} s for Alertmanager (127.0.0.1:{state.port}) to page you "
        "through the lab's receiver; from another terminal: `pager-lab alertmanager fire`",
        flush=True,
    )
    am, claims = _attach(state), _Claims(Path(state.folder) / "pager-lab-claims")
    watch = PageWatch(
        lambda: receiver_messages(state.receiver_port),
        active=lambda: am.active_labels(held_back=False),
        claim=claims.claim,
    )
    try:
        page = wait_for_page(watch, timeout=wait)
    except AlertmanagerError as exc:
        raise AlertmanagerError(
            f"{exc} (fire one with `pager-lab alertmanager fire`, or wait longer with --wait)"
        ) from None
    try:
        return PagedDrill(_drill(args, lab, default_alert, page), page, state, claims)
    except BaseException:
        claims.release()
        raise


def _drill(args: argparse.Namespace, lab: Lab, default_alert: str, page: AlertmanagerPage) -> Drill:
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
        else f"no alert of {lab.folder / 'alerts.toml'}: the policy of {base.name!r}, no runbook"
    )
    print(f"Paged by Alertmanager: {page.describe()}; {known}", flush=True)
    args.alert_name, args.at = base.name, page.fired_at or page.at
    return drill_for_page(
        page,
        lab,
        default_alert=default_alert,
        policy=drill_policy(args, lab, lab.policies[base.policy]),
        runbook=load_runbook(args.runbook) if args.runbook is not None else None,
        step_minutes=1.0 if args.step_minutes is None else args.step_minutes,
    )
