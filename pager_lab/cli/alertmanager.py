"""``pager-lab alertmanager up|down|fire|replay``: a real Alertmanager paging the lab.

``up`` starts, in the background, the lab's receiver and Debian's Alertmanager sending to
it (``up --foreground`` runs them here until Ctrl-C); a state file (``--state``, default
``.pager-lab-alertmanager.json``, :mod:`am_state`) holds their pid and ports so ``down``,
``fire``, ``replay`` and ``drill --alertmanager`` find them. ``fire [ALERTNAME]`` posts one
alert (:mod:`am_fire`): its notification pages ``pager-lab drill --alertmanager``.
``replay SCENARIO --speed 60`` posts the scenario's alerts (the model's alerts table, as the
routing stage's alert episodes) in accelerated time and reports what came back.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pager_lab.alerting.alertmanager import Alertmanager, AlertmanagerError, process_alive
from pager_lab.alerting.am_config import alertmanager_config, describe_routing
from pager_lab.alerting.am_inbox import AlertmanagerInbox
from pager_lab.alerting.am_replay import AlertmanagerLoop, ReplayReport, replay_through
from pager_lab.cli.am_fire import add_fire_options, fire
from pager_lab.cli.am_state import (
    DEFAULT_STATE,
    UpState,
    command_hint,
    nothing_up,
    receiver_messages,
    routing_of,
    running,
)
from pager_lab.cli.arguments import number, path
from pager_lab.core.errors import ConfigError
from pager_lab.core.routing import RoutedAlert
from pager_lab.core.routing_config import RoutingConfig

__all__ = ["DEFAULT_STATE", "add_alertmanager_parser", "run_alertmanager"]

_START_SECONDS = 30.0
_STOP_SECONDS = 15.0


def add_alertmanager_parser(sub: argparse._SubParsersAction, parser_class: type) -> None:
    """``alertmanager up|down|replay``."""
    am = sub.add_parser("alertmanager", help="a real Alertmanager paging the lab")
    am_sub = am.add_subparsers(dest="action", required=True, parser_class=parser_class)
    up = am_sub.add_parser("up", help="start Alertmanager and the lab's receiver on 127.0.0.1")
    up.add_argument(
        "--config",
        type=path("routing file"),
        metavar="FILE",
        help="a TOML file with a [routing] table (a scenario or a routing file; "
        "default: Alertmanager's defaults, group_by alertname)",
    )
    up.add_argument("--foreground", action="store_true", help="run here until Ctrl-C")
    down = am_sub.add_parser("down", help="stop what `alertmanager up` started")
    fire = am_sub.add_parser("fire", help="post one alert to it: it pages the lab")
    add_fire_options(fire)
    replay = am_sub.add_parser("replay", help="post a scenario's alerts in accelerated time")
    replay.add_argument("scenario", metavar="SCENARIO", help="a scenario file or bundled name")
    replay.add_argument(
        "--speed",
        type=number("", above=0, at_most=100_000, why="simulated seconds per second"),
        default=60.0,
        help="simulated seconds per wall-clock second (default 60: a minute a second)",
    )
    replay.add_argument(
        "--seed",
        type=number("", at_least=0, integer=True),
        default=1,
        help="the model's seed for the scenario's alerts (default 1)",
    )
    replay.add_argument(
        "--from",
        dest="start",
        type=number("minutes", at_least=0),
        default=None,
        metavar="MINUTE",
        help="first simulated minute to replay (default: the first alert's)",
    )
    replay.add_argument(
        "--minutes",
        type=number("minutes", above=0),
        default=60.0,
        help="how many simulated minutes of alerts to replay (default 60)",
    )
    for p in (up, down, fire, replay):
        p.add_argument(
            "--state",
            type=Path,
            default=DEFAULT_STATE,
            metavar="FILE",
            help=f"where up writes its pid and ports (default {DEFAULT_STATE})",
        )


def run_alertmanager(args: argparse.Namespace) -> int:
    """Dispatch ``alertmanager up|down|replay``."""
    if args.action == "up":
        return _foreground(args) if args.foreground else _up(args)
    if args.action == "down":
        return _down(args.state)
    if args.action == "fire":
        return fire(args)
    return _replay(args)


def _refuse_running(state_file: Path) -> None:
    state = UpState.read(state_file)
    if state is None:
        return
    if process_alive(state.pid):
        raise AlertmanagerError(
            f"an Alertmanager is already up (pid {state.alertmanager_pid} on "
            f"127.0.0.1:{state.port}, recorded in {state_file}): "
            f"run {command_hint('down', state_file)} first"
        )
    state_file.unlink()  # left by a process that died: nothing runs


def _up(args: argparse.Namespace) -> int:
    routing_of(args.config)  # a bad file fails here, in one line, before anything starts
    if not args.state.parent.is_dir():
        raise ConfigError(
            "", "--state", str(args.state), "a file in an existing folder (up writes it there)"
        )
    _refuse_running(args.state)
    log = args.state.with_suffix(".log")
    command = [sys.executable, "-m", "pager_lab", "alertmanager", "up", "--foreground"]
    command += ["--state", str(args.state)]
    if args.config is not None:
        command += ["--config", str(args.config)]
    with log.open("wb") as out:
        child = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + _START_SECONDS
    while time.monotonic() < deadline:
        state = UpState.read(args.state)
        if state is not None and state.pid == child.pid:
            print(
                f"Alertmanager is up on http://127.0.0.1:{state.port} "
                f"(pid {state.alertmanager_pid}), paging the lab's receiver on "
                f"127.0.0.1:{state.receiver_port}; "
                f"log: {log}; {command_hint('down', args.state)} stops it"
            )
            return 0
        if child.poll() is not None:
            lines = log.read_text(errors="replace").strip().splitlines() or ["(no output)"]
            log.unlink(missing_ok=True)  # it said nothing more than the line below
            raise AlertmanagerError(lines[-1].removeprefix("pager-lab: error: "))
        time.sleep(0.1)
    child.terminate()
    raise AlertmanagerError(f"Alertmanager was not up after {_START_SECONDS:g} s (see {log})")


def _foreground(args: argparse.Namespace) -> int:
    routing = routing_of(args.config)
    _refuse_running(args.state)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    pager = _Pager()
    with AlertmanagerLoop(routing, speed=1.0, echo=pager.echo) as loop:
        pager.messages = loop.receiver.messages
        am = loop.alertmanager
        state = {
            "pid": os.getpid(),
            "alertmanager_pid": am.pid,
            "port": am.port,
            "receiver_port": loop.receiver.port,
            "folder": str(am.folder),
            "config": None if args.config is None else str(Path(args.config).resolve()),
        }
        try:
            args.state.write_text(json.dumps(state), encoding="utf-8")
            print(f"Alertmanager on http://127.0.0.1:{am.port}: {describe_routing(routing)}")
            print(f"the lab's receiver on 127.0.0.1:{loop.receiver.port}; Ctrl-C stops", flush=True)
            while am.pid is not None and process_alive(am.pid):
                time.sleep(0.5)
            print(f"Alertmanager stopped by itself: {am.last_log_line()}", file=sys.stderr)
            return 1
        finally:
            args.state.unlink(missing_ok=True)


class _Pager:
    """Prints each notification, then what it did to the incidents (opened and paged,
    resolved), through the same inbox as a replay."""

    def __init__(self) -> None:
        self.inbox = AlertmanagerInbox(datetime.now(UTC), wall_zero=time.time())
        self.messages: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def echo(self, line: str) -> None:
        with self._lock:
            print(line, flush=True)
            before = {i.id: i.state for i in self.inbox.incidents}
            self.inbox.sync(self.messages)
            for incident in self.inbox.incidents:
                if incident.id not in before:
                    print(f"  -> {incident.id} opened, page sent: {incident.summary}", flush=True)
                elif before[incident.id] != incident.state:
                    print(f"  -> {incident.id} {incident.state.value}", flush=True)


def _ours(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return process_alive(pid)  # no /proc (macOS): trust the state file
    return ("pager_lab" in cmdline or "pager-lab" in cmdline) and "alertmanager" in cmdline


def _down(state_file: Path) -> int:
    state = UpState.read(state_file)
    if state is None:
        raise nothing_up(state_file)
    if not process_alive(state.pid) or not _ours(state.pid):
        state_file.unlink(missing_ok=True)
        print(f"nothing was running (pid {state.pid} is gone); removed {state_file}")
        return 0
    os.kill(state.pid, signal.SIGTERM)
    deadline = time.monotonic() + _STOP_SECONDS
    while time.monotonic() < deadline and process_alive(state.pid):
        time.sleep(0.1)
    if process_alive(state.pid):
        raise AlertmanagerError(f"pid {state.pid} did not stop within {_STOP_SECONDS:g} s")
    print(f"Alertmanager (pid {state.alertmanager_pid}) and the lab's receiver are stopped")
    return 0


def _replay(args: argparse.Namespace) -> int:
    from pager_lab.cli.simulate import resolve_scenario
    from pager_lab.sim.model import simulate
    from pager_lab.sim.routing_stage import routing_alerts

    scenario = resolve_scenario(args.scenario)
    state = running(args.state)
    routing = routing_of(Path(state.config) if state.config else None)
    alertmanager_config(routing, "http://127.0.0.1/", args.speed)  # too fast: fail before printing
    result = simulate(scenario, seed=int(args.seed))
    episodes = routing_alerts(result.alerts, routing).alerts
    first = args.start if args.start is not None else _busiest(episodes, args.minutes)
    chosen = [a for a in episodes if first <= a.starts_at < first + args.minutes]
    if not chosen:
        raise ConfigError(
            "", "--from", first, f"a window with alerts ({len(episodes)} alerts in the run)"
        )
    last = max(a.ends_at if a.ends_at is not None else a.starts_at for a in chosen)
    span = last - first + routing.group_wait_minutes + routing.group_interval_minutes
    which = "" if args.start is not None else "the busiest "
    print(
        f"replaying {which}{args.minutes:g} minutes of {scenario.name} (seed {args.seed:g}) from "
        f"minute {first:g}: {len(chosen)} alert(s) at {args.speed:g}x, about "
        f"{span * 60 / args.speed:.0f} s",
        flush=True,
    )
    receiver = f"http://127.0.0.1:{state.receiver_port}/alertmanager"
    am = Alertmanager.attach(state.port, Path(state.folder), routing, receiver, args.speed)
    am.reload()
    try:
        report = replay_through(
            am,
            lambda: receiver_messages(state.receiver_port),
            chosen,
            start=scenario.start,
            origin=first,
        )
    finally:
        am.reload(speed=1.0)
    for line in report.lines():
        print(line)
    print(_model_line(chosen, routing, report))
    if scenario.routing is not None and scenario.routing != routing:
        print(
            f"note: {scenario.name} has its own [routing]; this replay used the running "
            f"Alertmanager's (`alertmanager up --config {args.scenario}` uses the scenario's)"
        )
    return 0


def _busiest(alerts: Sequence[RoutedAlert], minutes: float) -> float:
    """The start of the first window of *minutes* holding the most alerts."""
    starts = sorted(a.starts_at for a in alerts)
    if not starts:
        return 0.0
    counts = [bisect.bisect_left(starts, s + minutes) - i for i, s in enumerate(starts)]
    return starts[counts.index(max(counts))]


def _model_line(alerts: Sequence[RoutedAlert], routing: RoutingConfig, report: ReplayReport) -> str:
    """The model's routing stage on the same alerts, beside what Alertmanager sent."""
    from pager_lab.analysis.routing_check import pair_notifications
    from pager_lab.core.routing import route

    model = route(alerts, report.model_routing or routing)
    by_group: dict[str, list[float]] = {}
    for note in model.notifications:
        by_group.setdefault(note.group_key, []).append(note.minute)
    real: dict[str, list[float]] = {}
    for got in report.notifications:
        real.setdefault(got.group_key, []).append(got.minute)
    table = pair_notifications(by_group, real, routing.group_interval_minutes)
    verdict = (
        "the same per group, each within one group_interval"
        if table["agrees"].all()
        else f"different in {int((~table['agrees']).sum())} group(s) (README: where they differ)"
    )
    return (
        f"the model's routing stage on the same alerts: {len(model.notifications)} "
        f"notification(s) in {model.groups} group(s): {verdict}"
    )
