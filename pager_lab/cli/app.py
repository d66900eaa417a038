"""The ``pager-lab`` command line: a thin front end over the engine.

Every error a user can cause is printed as one line on stderr with a
non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from pager_lab.cli.arguments import existing_folder, number, output_file, path, when
from pager_lab.cli.drill_files import refuse_shared_paths
from pager_lab.cli.drill_notify_options import (
    add_notify_options,
    drill_notifications,
    refuse_without_notify,
)
from pager_lab.cli.drill_policy import drill_policy as _policy
from pager_lab.cli.drill_policy import load_lab_folder as _load_lab
from pager_lab.cli.recording import add_record_options
from pager_lab.cli.terminal import DrillInterrupted, run_terminal_drill, write_outputs
from pager_lab.core.clock import DEFAULT_START, ManualClock
from pager_lab.core.drill import SEED_ALERT_NAME, Drill
from pager_lab.core.errors import ConfigError, PagerLabError
from pager_lab.core.escalation import DEFAULT_TIMEOUT_MINUTES
from pager_lab.core.lab_drill import lab_drill
from pager_lab.core.runbook import lint_runbooks, load_runbook
from pager_lab.course.catalog import DATA_DIR

__all__ = ["COMMANDS", "DATA_DIR", "build_parser", "main"]

Runner = Callable[[argparse.Namespace], int]
DEFAULT_ALERT = SEED_ALERT_NAME
"""The seed drill's alert when ``--alert-name`` is not given (the seed's pager.py)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


COMMANDS: dict[str, tuple[str, str, str]] = {
    "drill": ("answer a page in the terminal (the seed's pager.py)", "app", "_cmd_drill"),
    "schedule": (
        "who is on call, shifts, gaps, iCalendar export",
        "schedule",
        "run_schedule_command",
    ),
    "simulate": ("run a scenario in simulated time and summarise it", "simulate", "run_simulate"),
    "compare": ("two scenarios on the same alert streams", "simulate", "run_compare"),
    "sweep": ("a grid of what-ifs over one scenario", "simulate", "run_sweep"),
    "webhook": ("a local webhook receiver for offline classes", "webhooks", "run_webhook"),
    "notify": ("send a test message, flush or list the outbox", "webhooks", "run_notify"),
    "ingest": ("replay Events v2 / Alertmanager JSON lines", "webhooks", "run_ingest"),
    "runbook": ("work with runbooks", "app", "_cmd_runbook_lint"),
    "gm": ("run a drill as a game master, player and GM pages", "game_master", "run_gm"),
    "why": ("why was I paged? the chain behind one page of a run", "why", "run_why"),
    "alertmanager": ("a real Alertmanager paging the lab", "alertmanager", "run_alertmanager"),
    "class": ("a class's drill results: submit, forget, export, report", "classroom", "run_class"),
    "import": ("read a real export into the lab's tables", "importing", "run_import"),
    "calibrate": ("a scenario from a real export, and its fit", "importing", "run_calibrate"),
}
"""Every command: its one-line summary, and the module in ``pager_lab.cli`` and the
function that run it.

A command's module is imported only when that command runs (or for the whole tree),
so ``pager-lab --help`` and ``schedule who`` never load pandas, SimPy or requests."""


def _drill_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("drill", help=COMMANDS["drill"][0])
    p.add_argument(
        "--data",
        type=existing_folder("data folder"),
        default=DATA_DIR,
        metavar="FOLDER",
        help="data folder with responders, policies, alerts and runbooks (default: bundled)",
    )
    p.add_argument(
        "--alert-name",
        help=f"alert definition in alerts.toml to fire (default: {DEFAULT_ALERT})",
    )
    p.add_argument("--alert", metavar="TEXT", help="override the alert's text")
    p.add_argument(
        "--escalation",
        metavar="NAMES",
        help="comma-separated chain of responders from responders.toml, one per level "
        "(e.g. Alice,Bob,Charlie)",
    )
    p.add_argument(
        "--schedule",
        type=path("schedule file"),
        metavar="FILE",
        help="page whoever this schedule has on call --at the alert's time "
        "(then the --escalation chain, if given)",
    )
    p.add_argument("--runbook", type=path("runbook"), metavar="PATH", help="runbook to show")
    _drill_clock_options(p)
    p.add_argument(
        "--json",
        type=output_file("JSON file"),
        metavar="FILE",
        help="write the timeline as JSON",
    )
    p.add_argument(
        "--plain",
        action="store_true",
        help="no emoji: words instead (also when the NO_COLOR environment variable is set)",
    )
    p.add_argument(
        "--postmortem",
        type=output_file("Markdown file"),
        metavar="FILE",
        help="write a blameless post-mortem draft (Markdown)",
    )
    add_notify_options(p)
    _library_options(p)
    from pager_lab.cli.drill_paged import add_alertmanager_options

    add_alertmanager_options(p)


def _library_options(p: argparse.ArgumentParser) -> None:
    """The drill library: scenarios to investigate and act on (pager_lab.cli.drill_library)."""
    p.add_argument(
        "words",
        nargs="*",
        metavar="lint [DIR]",
        help="check drill scenarios: files, references, best paths, dead ends "
        "(DIR default: the data folder's drills/)",
    )
    p.add_argument("--list", action="store_true", help="list the drill library's scenarios")
    p.add_argument("--scenario", metavar="NAME", help="play a drill-library scenario")
    p.add_argument(
        "--seed",
        type=number("", at_least=0, integer=True),
        metavar="N",
        help="the scenario's variation (which host, which red herring, timings)",
    )
    p.add_argument(
        "--script",
        type=path("script file"),
        metavar="FILE",
        help="answers, one per line (non-interactive; '#' starts a comment)",
    )
    p.add_argument(
        "--tick",
        type=number("seconds", above=0, at_most=600),
        metavar="SECONDS",
        help="real-time pace: every SECONDS of thinking cost one simulated minute",
    )
    add_record_options(p)  # --handle H [--store FILE_OR_URL]: record the finished drill


def _drill_clock_options(p: argparse.ArgumentParser) -> None:
    """The drill's simulated time: timeouts, answer steps, the start and the pace."""
    p.add_argument(
        "--timeout",
        type=number("minutes", above=0, at_most=1440, why="at most a day"),
        metavar="MINUTES",
        help="escalation timeout of every level (default: the alert's policy; "
        f"{DEFAULT_TIMEOUT_MINUTES:g} with --escalation or --schedule)",
    )
    p.add_argument(
        "--step-minutes",
        type=number("minutes", at_least=0, at_most=1440, why="at most a day"),
        metavar="MINUTES",
        help="simulated minutes each answer takes (default 1; an ignored page "
        "costs the level's escalation timeout instead)",
    )
    p.add_argument(
        "--at",
        type=when,
        metavar="TIME",
        help="when the alert fires, ISO 8601 with offset (default 2026-11-27T03:00+00:00)",
    )
    p.add_argument(
        "--pace",
        type=number("seconds", at_least=0, at_most=10),
        metavar="SECONDS",
        help="pause between lines (default 0.4 on a terminal, 0 otherwise)",
    )


def _runbook_parser(sub: argparse._SubParsersAction) -> None:
    rb = sub.add_parser("runbook", help=COMMANDS["runbook"][0])
    rb_sub = rb.add_subparsers(dest="action", required=True, parser_class=_Parser)
    lint = rb_sub.add_parser("lint", help="alerts without a runbook, runbooks no alert uses")
    lint.add_argument(
        "folder",
        type=existing_folder("data folder with alerts.toml and runbooks/"),
        help="data folder with alerts.toml and runbooks/",
    )


def _add_command(sub: argparse._SubParsersAction, name: str) -> None:
    """Add *name*'s real parser (which imports its module)."""
    if name == "drill":
        _drill_parser(sub)
    elif name == "runbook":
        _runbook_parser(sub)
    elif name == "schedule":
        from pager_lab.cli.schedule import add_schedule_parser

        add_schedule_parser(sub, _Parser)
    elif name == "gm":
        from pager_lab.cli.game_master import add_gm_parser

        add_gm_parser(sub, _Parser)
    elif name == "why":
        from pager_lab.cli.why import add_why_parser

        add_why_parser(sub, COMMANDS["why"][0])
    elif name == "class":
        from pager_lab.cli.classroom import add_class_parser

        add_class_parser(sub, _Parser)
    elif name in ("import", "calibrate"):
        from pager_lab.cli.importing import add_import_parsers

        add_import_parsers(sub)
    elif name in ("simulate", "compare", "sweep"):
        from pager_lab.cli.simulate import add_experiment_parsers

        add_experiment_parsers(sub)
    elif name == "alertmanager":
        from pager_lab.cli.alertmanager import add_alertmanager_parser

        add_alertmanager_parser(sub, _Parser)
    else:
        from pager_lab.cli.webhooks import add_webhook_parsers

        add_webhook_parsers(sub, _Parser)


def _group(command: str) -> str:
    """Commands whose parsers are added together: those of one module (app's one by one)."""
    module = COMMANDS[command][1]
    return command if module == "app" else module


def build_parser(command: str | None = None, *, full: bool = True) -> argparse.ArgumentParser:
    """The ``pager-lab`` parser: every command's options when *full*, else only
    *command*'s, the others as one-line stubs that list it in ``--help``."""
    parser = _Parser(prog="pager-lab", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    wanted = _group(command) if command is not None else None
    for name, (summary, _, _) in COMMANDS.items():
        if name in sub.choices:
            continue  # added with its group (simulate adds compare and sweep)
        if full or _group(name) == wanted:
            _add_command(sub, name)
        else:
            sub.add_parser(name, help=summary, add_help=False)
    return parser


def _requested(argv: Sequence[str]) -> str | None:
    """The command a command line asks for: its first word, if it names one."""
    first = next((a for a in argv if not a.startswith("-")), None)
    return first if first in COMMANDS else None


def _runner(command: str) -> Runner:
    _, module, function = COMMANDS[command]
    runner: Runner = getattr(importlib.import_module(f"pager_lab.cli.{module}"), function)
    return runner


def _make_drill(args: argparse.Namespace) -> Drill:
    lab = _load_lab(args.data)
    args.alert_name = args.alert_name or DEFAULT_ALERT
    alert = lab.alerts.get(args.alert_name)
    if alert is None:
        raise ConfigError(
            str(args.data / "alerts.toml"),
            "--alert-name",
            args.alert_name,
            f"one of {', '.join(sorted(lab.alerts))}",
        )
    policy = _policy(args, lab, lab.policies[alert.policy])
    # Another alert's text is another incident: the definition's runbook and root cause
    # (the database's) do not belong to it (issue 15: "Disk full" showed the database's).
    return lab_drill(
        lab,
        alert,
        own=args.alert is None or args.alert == alert.summary,
        clock=ManualClock(args.at),
        text=args.alert,
        policy=policy,
        runbook=load_runbook(args.runbook) if args.runbook is not None else None,
        step_minutes=1.0 if args.step_minutes is None else args.step_minutes,
    )


def _drill_setup(args: argparse.Namespace) -> dict[str, object]:
    """What rebuilds the drill's policy for ``pager-lab why`` (kept in its --json file)."""
    return {
        "data": str(args.data.resolve()),
        "alert_name": args.alert_name,
        "escalation": args.escalation,
        "schedule": None if args.schedule is None else str(args.schedule.resolve()),
        "timeout": args.timeout,
        "at": args.at.isoformat(),
    }


def _cmd_drill(args: argparse.Namespace) -> int:
    refuse_shared_paths(args)  # --script X --json X: refused before the drill starts
    from pager_lab.cli.drill_paged import paged_drill, refuse_beside_alertmanager

    refuse_beside_alertmanager(args)
    args.at = DEFAULT_START if args.at is None else args.at  # None: --at was not typed
    library = (
        args.words,
        args.list,
        args.scenario,
        args.seed,
        args.script,
        args.tick,
        args.handle,
        args.store,
    )
    if any(v not in (None, False, []) for v in library):  # the seed's drill never loads numpy
        from pager_lab.cli.drill_library import run_library_command

        code = run_library_command(args)
        if code is not None:
            return code
    refuse_without_notify(args)  # --outbox X alone: refused before anything waits or starts
    paged = paged_drill(args, _load_lab(args.data), DEFAULT_ALERT) if args.alertmanager else None
    drill = paged.drill if paged is not None else _make_drill(args)
    interactive = sys.stdin.isatty()
    pace = args.pace if args.pace is not None else (0.4 if interactive else 0.0)
    after_step = drill_notifications(args, drill)
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
    finally:  # even an interrupted drill keeps what happened so far
        problems = write_outputs(drill, args.json, args.postmortem, _drill_setup(args))
        if problems:
            print(
                f"pager-lab: error: {'; '.join(problems)} (the drill's timeline is printed above)",
                file=sys.stderr,
            )
    if paged is not None:
        print(paged.after())
    return 1 if problems else 0


def _cmd_runbook_lint(args: argparse.Namespace) -> int:
    lab = _load_lab(args.folder)
    files = sorted((args.folder / "runbooks").glob("*.md"))
    broken = []
    for file in files:  # every runbook is read, so one bad file does not hide the others
        try:
            load_runbook(file)
        except PagerLabError as exc:
            broken.append(str(exc))
    from pager_lab.core.drill_scenario import drill_runbook_names

    used = drill_runbook_names(args.folder / "drills")
    alert_runbooks = {a.name: a.runbook for a in lab.alerts.values()}
    missing, unused = lint_runbooks(alert_runbooks, files, used_elsewhere=used)
    for problem in broken:
        print(f"runbook {problem}")
    for name in missing:
        print(f"alert {name!r} has no runbook (an alert without a runbook is useless)")
    for file in unused:
        print(f"runbook {file} is used by no alert")
    if not (broken or missing or unused):
        alerts = _count(len(lab.alerts), "alert")
        runbooks = _count(len(files) - len(used), "runbook")
        drills = f"; {_count(len(used), 'more runbook')} used by drill scenarios" if used else ""
        print(f"ok: {alerts}, {runbooks}, each alert has one{drills}")
    return 1 if broken or missing or unused else 0


def _count(number: int, noun: str) -> str:
    """``1 alert``, ``2 alerts``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``pager-lab`` and ``python -m pager_lab``."""
    words = sys.argv[1:] if argv is None else list(argv)
    command = _requested(words)
    args = build_parser(command, full=False).parse_args(words)
    try:
        return _runner(args.command)(args)
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
