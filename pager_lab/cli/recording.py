"""``--handle H [--store FILE_OR_URL]``: the terminal's and ``pager-lab gm``'s way to record a
finished drill in the class results store (:class:`pager_lab.classroom.recorder.DrillRecorder`).

Without ``--handle`` nothing is recorded; when a store is configured by the environment
(``PAGER_LAB_CLASS_STORE``) the command says so once, so a student who forgot the handle
learns it before the drill, not after. A store that fails is one line on stderr, and the
drill is saved as JSON in the working folder with the command that submits it later.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pager_lab.cli.drill_files import free_path
from pager_lab.core.errors import ConfigError

if TYPE_CHECKING:  # SQLAlchemy loads only when a drill is recorded
    from pager_lab.classroom.recorder import DrillRecorder, RecordOutcome

__all__ = ["add_record_options", "recorder_from", "report_outcome"]

STORE_HELP = (
    "the results store to record the finished drill in: a SQLite file or a SQLAlchemy URL "
    "(default: $PAGER_LAB_CLASS_STORE, else .pager-lab-class.db); needs --handle"
)


def add_record_options(p: argparse.ArgumentParser) -> None:
    """``--handle H`` and ``--store FILE_OR_URL``."""
    p.add_argument(
        "--handle",
        metavar="H",
        help="record the finished drill for this student's handle (e.g. student-07) in the "
        "class results store; without it nothing is recorded",
    )
    p.add_argument("--store", metavar="FILE_OR_URL", help=STORE_HELP)


def recorder_from(args: argparse.Namespace, err: TextIO | None = None) -> DrillRecorder | None:
    """The recorder ``--handle``/``--store`` ask for, or ``None`` (and a note, once, when the
    environment configures a store but no handle was given)."""
    from pager_lab.classroom.target import STORE_ENV

    handle, store = getattr(args, "handle", None), getattr(args, "store", None)
    if handle is None:
        if store is not None:
            raise ConfigError("", "--store", store, "--handle H too (whose result to record)")
        if os.environ.get(STORE_ENV):
            print(
                f"pager-lab: note: {STORE_ENV} names a results store, but without --handle H "
                "this drill is not recorded",
                file=err or sys.stderr,
            )
        return None
    from pager_lab.classroom.recorder import DrillRecorder

    return DrillRecorder(handle, store)  # a bad handle or store URL fails before the drill


def report_outcome(outcome: RecordOutcome, out: TextIO, folder: Path = Path(".")) -> int:
    """Say what recording did; on a failure save the drill for ``class submit``. Exit code."""
    if outcome.ok:
        print(outcome.line(), file=out)
        out.flush()
        return 0
    print(f"pager-lab: error: {outcome.line()}", file=sys.stderr)
    from pager_lab.classroom.recorder import pending_name
    from pager_lab.core.drill_restore import drill_document

    try:  # never over an earlier drill saved for later: NAME-2.json, NAME-3.json ...
        saved = free_path(folder / pending_name(outcome.handle, outcome.session))
        with saved.open("x", encoding="utf-8") as file:
            file.write(drill_document(outcome.session))
    except OSError as exc:
        print(
            f"pager-lab: error: cannot save it in {folder} either ({exc.strerror}); "
            "the drill's JSON follows: keep it and submit it with `pager-lab class submit`",
            file=sys.stderr,
        )
        out.write(drill_document(outcome.session))
        return 1
    print(f"saved the drill to {saved}; to record it later: {outcome.submit_hint(saved)}", file=out)
    out.flush()
    return 1
