"""The ``pager-lab`` command line: a thin front end over the engine.

Every error a user can cause is printed as one line on stderr with a
non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from pager_lab.alerting.drill_notify import DEFAULT_LOCAL_PORT, DrillNotifications, destination
from pager_lab.alerting.notify import Notifier, Outbox
from pager_lab.alerting.secret_url import SLACK_ENV
from pager_lab.cli.schedule import add_schedule_parser, run_schedule_command
from pager_lab.cli.simulate import add_experiment_parsers, run_compare, run_simulate, run_sweep
from pager_lab.cli.terminal import DrillInterrupted, run_terminal_drill, write_outputs
from pager_lab.cli.webhooks import (
    DEFAULT_OUTBOX,
    add_webhook_parsers,
    run_ingest,
    run_notify,
    run_webhook,
)
from pager_lab.core.clock import DEFAULT_START, ManualClock, require_aware
from pager_lab.core.drill import Drill
from pager_lab.core.errors import ConfigError, PagerLabError
from pager_lab.core.escalation import EscalationLevel, EscalationPolicy
from pager_lab.core.lab_config import Lab, load_lab
from pager_lab.core.runbook import lint_runbooks, load_runbook
from pager_lab.core.schedule_io import load_schedule, load_schedules
from pager_lab.course.catalog import DATA_DIR

__all__ = ["DATA_DIR", "main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def parse_when(text: str) -> datetime:
    """An ISO 8601 timestamp with a UTC offset, e.g. ``2026-11-27T03:00+00:00``."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 time like 2026-11-27T03:00+00:00"
        ) from None
    try:
        return require_aware(value, "--at")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _drill_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("drill", help="answer a page in the terminal (the seed's pager.py)")
    p.add_argument("--data", type=Path, default=DATA_DIR, help="data folder (default: bundled)")
    p.add_argument(
        "--alert-name",
        default="database-connection-failed",
        help="alert definition in alerts.toml to fire",
    )
    p.add_argument("--alert", metavar="TEXT", help="override the alert's text")
    p.add_argument(
        "--escalation",
        metavar="NAMES",
        help="comma-separated chain, one person per level (e.g. Alice,Bob,Charlie)",
    )
    p.add_argument(
        "--schedule",
        type=Path,
        metavar="FILE",
        help="page whoever this schedule has on call --at the alert's time "
        "(then the --escalation chain, if given)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=5.0,
        metavar="MINUTES",
        help="escalation timeout per level with --escalation (default 5)",
    )
    p.add_argument(
        "--step-minutes",
        type=float,
        default=1.0,
        metavar="MINUTES",
        help="simulated minutes each answer takes (default 1; an ignored page "
        "costs the level's escalation timeout instead)",
    )
    p.add_argument("--runbook", type=Path, metavar="PATH", help="runbook to show")
    p.add_argument(
        "--at",
        type=parse_when,
        default=DEFAULT_START,
        metavar="TIME",
        help="when the alert fires, ISO 8601 with offset (default 2026-11-27T03:00Z)",
    )
    p.add_argument(
        "--pace",
        type=float,
        metavar="SECONDS",
        help="pause between lines (default 0.4 on a terminal, 0 otherwise)",
    )
    p.add_argument(
        "--plain",
        action="store_true",
        help="no emoji: words instead (also when the NO_COLOR environment variable is set)",
    )
    p.add_argument("--json", type=Path, metavar="FILE", help="write the timeline as JSON")
    p.add_argument(
        "--postmortem",
        type=Path,
        metavar="FILE",
        help="write a blameless post-mortem draft (Markdown)",
    )
    _notify_options(p)


def _notify_options(p: argparse.ArgumentParser) -> None:
    """--notify and its companions: post the drill to a webhook as it happens."""
    p.add_argument(
        "--notify",
        metavar="slack|local|URL",
        help=f"post the trigger, pages, ack and resolution to a webhook (slack reads {SLACK_ENV})",
    )
    p.add_argument(
        "--notify-port",
        type=int,
        default=DEFAULT_LOCAL_PORT,
        metavar="PORT",
        help="the local receiver's port for --notify local (default 8765)",
    )
    p.add_argument(
        "--notify-retries",
        type=int,
        default=4,
        metavar="N",
        help="retries for 429, 5xx and connection errors (default 4)",
    )
    p.add_argument(
        "--outbox",
        type=Path,
        default=DEFAULT_OUTBOX,
        metavar="FILE",
        help="where undelivered notifications wait (default .pager-lab-outbox.db, SQLite)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="pager-lab", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _drill_parser(sub)
    add_schedule_parser(sub, parse_when, _Parser)
    add_experiment_parsers(sub)
    add_webhook_parsers(sub, _Parser)
    rb = sub.add_parser("runbook", help="work with runbooks")
    rb_sub = rb.add_subparsers(dest="action", required=True, parser_class=_Parser)
    lint = rb_sub.add_parser("lint", help="alerts without a runbook, runbooks no alert uses")
    lint.add_argument("folder", type=Path, help="data folder with alerts.toml and runbooks/")
    return parser


def _policy(args: argparse.Namespace, default: EscalationPolicy) -> EscalationPolicy:
    """The policy the options ask for: --schedule first, then --escalation, else *default*."""
    levels: list[EscalationLevel] = []
    if args.schedule is not None:
        levels.append(EscalationLevel((load_schedule(args.schedule),), args.timeout))
    if args.escalation is not None:
        names = [n.strip() for n in args.escalation.split(",")]
        if not all(names):
            raise ConfigError("", "--escalation", args.escalation, "names separated by commas")
        levels += [EscalationLevel((n,), args.timeout) for n in names]
    if not levels:
        return default
    return EscalationPolicy("command line", tuple(levels))


def _load_lab(folder: Path) -> Lab:
    """The data folder, with its ``schedules/`` available to policies as ``schedule:<name>``."""
    schedules = load_schedules(folder / "schedules") if (folder / "schedules").is_dir() else {}
    return load_lab(folder, schedules)


def _make_drill(args: argparse.Namespace) -> Drill:
    lab = _load_lab(args.data)
    alert = lab.alerts.get(args.alert_name)
    if alert is None:
        raise ConfigError(
            str(args.data / "alerts.toml"),
            "--alert-name",
            args.alert_name,
            f"one of {', '.join(sorted(lab.alerts))}",
        )
    policy = _policy(args, lab.policies[alert.policy])
    runbook_path = args.runbook or lab.runbook_path(alert)
    runbook = load_runbook(runbook_path) if runbook_path is not None else None
    return Drill(
        policy,
        alert=args.alert or alert.summary,
        runbook=runbook,
        root_cause=alert.root_cause,
        clock=ManualClock(args.at),
        default_severity=alert.severity,
        service=alert.service,
        step_minutes=args.step_minutes,
    )


def _cmd_drill(args: argparse.Namespace) -> int:
    drill = _make_drill(args)
    interactive = sys.stdin.isatty()
    pace = args.pace if args.pace is not None else (0.4 if interactive else 0.0)
    after_step = None
    if args.notify is not None:
        url, style = destination(args.notify, args.notify_port)
        notifier = Notifier(url, Outbox(args.outbox), style=style, retries=args.notify_retries)
        after_step = DrillNotifications(notifier, drill.incident, drill.runbook).publish
    try:
        run_terminal_drill(
            drill,
            sys.stdin,
            sys.stdout,
            pace=pace,
            echo=not interactive,
            after_step=after_step,
            stderr=sys.stderr,
            plain=args.plain or bool(os.environ.get("NO_COLOR")),
        )
    finally:
        write_outputs(drill, args.json, args.postmortem)
    return 0


def _cmd_runbook_lint(args: argparse.Namespace) -> int:
    lab = _load_lab(args.folder)
    files = sorted((args.folder / "runbooks").glob("*.md"))
    for path in files:
        load_runbook(path)
    missing, unused = lint_runbooks({a.name: a.runbook for a in lab.alerts.values()}, files)
    for name in missing:
        print(f"alert {name!r} has no runbook (an alert without a runbook is useless)")
    for path in unused:
        print(f"runbook {path} is used by no alert")
    if not missing and not unused:
        print(f"ok: {len(lab.alerts)} alerts, {len(files)} runbooks, each alert has one")
    return 1 if missing or unused else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``pager-lab`` and ``python -m pager_lab``."""
    args = build_parser().parse_args(argv)
    commands = {
        "drill": _cmd_drill,
        "runbook": _cmd_runbook_lint,
        "schedule": run_schedule_command,
        "simulate": run_simulate,
        "compare": run_compare,
        "sweep": run_sweep,
        "webhook": run_webhook,
        "notify": run_notify,
        "ingest": run_ingest,
    }
    try:
        return commands[args.command](args)
    except DrillInterrupted as exc:
        print(f"pager-lab: drill stopped: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. `pager-lab schedule show ... | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return 0
    except KeyboardInterrupt:
        print("\npager-lab: interrupted (Ctrl-C)", file=sys.stderr)
        return 130
    except (PagerLabError, argparse.ArgumentTypeError) as exc:
        print(f"pager-lab: error: {exc}", file=sys.stderr)
        return 2
