"""``pager-lab class``: the class results store from the command line.

``forget HANDLE`` deletes a student's rows, ``export --to FILE`` writes every result as CSV
(``--to -``: to standard output, nothing else on it),
``report`` prints the debrief (``--out FOLDER`` adds its plots), ``submit FILE --handle H``
records a drill saved by ``pager-lab drill --scenario NAME --json FILE``, ``synthetic`` fills a
store with the bundled SYNTHETIC class to try the others. ``--store`` names the store (a SQLite
file or a SQLAlchemy URL), else ``PAGER_LAB_CLASS_STORE``, else ``.pager-lab-class.db``.
A URL's password is never printed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pager_lab.cli.arguments import number, output_file, output_folder, path
from pager_lab.core.errors import ConfigError

if TYPE_CHECKING:  # the command loads pandas and SQLAlchemy only when it runs
    import pandas as pd

    from pager_lab.classroom.store import ResultsStore

__all__ = ["add_class_parser", "run_class"]

STDOUT = "-"
"""``class export --to -``: write the CSV to standard output."""
STORE_HELP = (
    "the results store: a SQLite file or a SQLAlchemy URL such as "
    "postgresql://user@host/class (default: $PAGER_LAB_CLASS_STORE, else .pager-lab-class.db)"
)


def add_class_parser(sub: argparse._SubParsersAction, parser_class: type) -> None:
    """``class forget|export|report|synthetic|submit``, each with ``--store``."""
    group = sub.add_parser("class", help="a class's drill results: submit, forget, export, report")
    actions = group.add_subparsers(dest="action", required=True, parser_class=parser_class)
    forget = actions.add_parser("forget", help="delete every result of one student")
    forget.add_argument("handle", help="the student's handle (e.g. student-07)")
    export = actions.add_parser("export", help="write every result as CSV")
    export.add_argument(
        "--to",
        required=True,
        type=_csv_target,
        metavar="FILE",
        help="the CSV file, or - for standard output (the CSV only; the count goes to stderr)",
    )
    report = actions.add_parser("report", help="the instructor's debrief of the class")
    report.add_argument(
        "--out", type=output_folder("debrief plots"), metavar="FOLDER", help="also write PNGs"
    )
    report.add_argument(
        "--no-team",
        action="store_true",
        help="leave out the class beside notebook 06's simulated team (saves a simulation)",
    )
    synthetic = actions.add_parser(
        "synthetic", help="write the SYNTHETIC class (scripted players) into a store"
    )
    synthetic.add_argument(
        "--students",
        type=number("students", at_least=1, at_most=500, integer=True),
        default=30,
        metavar="N",
        help="how many scripted players (default 30)",
    )
    synthetic.add_argument(
        "--seed",
        type=number("", at_least=0, integer=True),
        default=2026,
        metavar="N",
        help="the seed of the players' random draws (default 2026: the bundled class)",
    )
    submit = actions.add_parser(
        "submit", help="record a drill saved by `pager-lab drill --scenario NAME --json FILE`"
    )
    submit.add_argument("file", type=path("drill JSON file"), help="the drill's --json file")
    submit.add_argument("--handle", required=True, help="the student's handle (e.g. student-07)")
    for parser in (forget, export, report, synthetic, submit):
        parser.add_argument("--store", metavar="FILE_OR_URL", help=STORE_HELP)


def _csv_target(text: str) -> Path | str:
    """``--to``: ``-`` (standard output) as typed, else a file to write."""
    return STDOUT if text == STDOUT else output_file("CSV file")(text)


def _open(args: argparse.Namespace, *, create: bool = False) -> ResultsStore:
    from pager_lab.classroom.store import ResultsStore
    from pager_lab.classroom.target import default_target

    return ResultsStore(args.store if args.store is not None else default_target(), create=create)


def run_class(args: argparse.Namespace) -> int:
    """Run ``pager-lab class ACTION``."""
    runner = {
        "forget": _forget,
        "export": _export,
        "report": _report,
        "synthetic": _synthetic,
        "submit": _submit,
    }[args.action]
    return runner(args)


def _forget(args: argparse.Namespace) -> int:
    from pager_lab.classroom.results import check_handle

    handle = check_handle(args.handle, "class forget")
    with _open(args) as store:
        deleted = store.forget(handle)
        where = store.where
    if deleted:
        noun = "result" if deleted == 1 else "results"
        print(f"forgot {handle}: deleted {deleted} {noun} (with their paths) from {where}")
    else:
        print(f"{handle} has no results in {where}: nothing deleted")
    return 0


def _export(args: argparse.Namespace) -> int:
    from pager_lab.classroom.tables import export_csv, store_tables

    with _open(args) as store:
        results, steps = store_tables(store)
        where = store.where
    if args.to == STDOUT:  # the CSV alone on stdout, so it pipes; the count on stderr
        count = export_csv(results, steps, sys.stdout)
        print(f"exported {count} results from {where} to standard output", file=sys.stderr)
        return 0
    try:
        count = export_csv(results, steps, args.to)
    except OSError as exc:
        raise ConfigError(
            "", "--to", str(args.to), f"a file you may write ({exc.strerror})"
        ) from None
    print(f"exported {count} results from {where} to {args.to}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from pager_lab.classroom.report import debrief_figures, debrief_report, save_figures
    from pager_lab.classroom.tables import store_tables

    if args.out is not None:  # before any work: a folder that cannot be made fails first
        try:
            args.out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                "", "--out", str(args.out), f"a folder you may create ({exc.strerror})"
            ) from None
    with _open(args) as store:
        results, steps = store_tables(store)
        where = store.where
    if results.empty:
        print(f"no results in {where} yet: nothing to debrief")
        return 0
    team = None if args.no_team else _team_table(results)
    print(f"Class debrief: {where}")
    sys.stdout.write(debrief_report(results, steps, team))
    if args.out is not None:
        for path in save_figures(debrief_figures(results, team), args.out):
            print(f"wrote {path}")
    return 0


def _team_table(results: pd.DataFrame) -> pd.DataFrame:
    from pager_lab.classroom.team import class_beside_team, team_incidents
    from pager_lab.course.catalog import DATA_DIR

    return class_beside_team(results, team_incidents(DATA_DIR))


def _synthetic(args: argparse.Namespace) -> int:
    from pager_lab.classroom.synthetic import SYNTHETIC_LABEL, synthetic_class
    from pager_lab.core.drill_scenario import load_drill_library
    from pager_lab.course.catalog import DATA_DIR

    library = load_drill_library(DATA_DIR / "drills")
    results = synthetic_class(library, students=int(args.students), seed=int(args.seed))
    with _open(args, create=True) as store:
        added = sum(store.add(result) for result in results)
        where = store.where
    print(
        f"{SYNTHETIC_LABEL}: {added} new results ({len(results) - added} already there) in {where}"
    )
    return 0


def _submit(args: argparse.Namespace) -> int:
    from pager_lab.classroom.results import check_handle
    from pager_lab.classroom.submit import played_result
    from pager_lab.core.drill_scenario import load_drill_library
    from pager_lab.course.catalog import DATA_DIR

    handle = check_handle(args.handle, "--handle")
    library = load_drill_library(DATA_DIR / "drills")
    result = played_result(handle, args.file, library)  # a bad file fails before any store opens
    with _open(args, create=True) as store:
        added = store.add(result)
        where = store.where
    if result.time_to_resolve is not None:
        how = f"resolved in {result.time_to_resolve:g} min"
    else:
        how = "not resolved"
    what = f"{handle}'s {result.scenario} (seed {result.seed}): score {result.score:g}/100, {how}"
    if added:
        print(f"recorded {what} in {where}")
    else:
        print(f"already recorded: {what} in {where}: nothing added")
    return 0
