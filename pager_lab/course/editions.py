"""The student edition of the course, made from the authored notebooks with nbgrader.

Each notebook in ``notebooks/`` is authored once, with its answers and is itself the
**instructor edition** (executed, checked by strict nbval). An answer sits between
``### BEGIN SOLUTION`` and ``### END SOLUTION`` in a code cell, or between
``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->`` in a Markdown cell. The **student
edition** replaces those regions (nbgrader's ``ClearSolutions``, run through nbconvert without
nbgrader's course database) and clears every output, so each exercise starts unanswered.

``python -m pager_lab.course.editions student`` (``make student``) writes only the notebooks that
are missing from the student folder and names those it kept, so a student's work is never
overwritten.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearOutputPreprocessor
from nbformat import NotebookNode
from nbgrader.preprocessors import ClearSolutions

__all__ = [
    "ANSWER_ELSEWHERE",
    "EditionReport",
    "main",
    "student_edition",
    "write_student_edition",
]

ANSWER_ELSEWHERE = (
    "*The worked answer is in the instructor edition: the same notebook in the course's "
    "`notebooks/` folder (`make lab-instructor`). Try first: the self-check tells you what "
    "is missing.*"
)
"""What a student sees where the authored notebook has its answer in Markdown."""


def student_edition(authored: NotebookNode) -> NotebookNode:
    """A copy of *authored* with every solution region removed and every output cleared."""
    notebook = nbformat.from_dict(authored)
    clear = ClearSolutions(code_stub={"python": ""}, text_stub=ANSWER_ELSEWHERE)
    clear.enforce_metadata = False  # regions are marked in the text, not in nbgrader metadata
    notebook, _ = clear.preprocess(notebook, {})
    notebook, _ = ClearOutputPreprocessor().preprocess(notebook, {})
    return notebook


@dataclass
class EditionReport:
    """Which student notebooks were written and which existing ones were kept untouched."""

    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """What ``make student`` prints."""
        out = [f"wrote {name}" for name in self.written]
        out += [f"kept {name} (already there: your work is not overwritten)" for name in self.kept]
        if self.kept:
            out.append("to start one afresh, delete or rename it and run `make student` again")
        return out


def write_student_edition(source: Path, target: Path) -> EditionReport:
    """Write the student edition of every ``NN_*.ipynb`` in *source* that *target* lacks."""
    authored = sorted(source.glob("[0-9][0-9]_*.ipynb"))
    if not authored:
        raise FileNotFoundError(f"{source}: no authored notebooks (NN_name.ipynb) to build from")
    target.mkdir(parents=True, exist_ok=True)
    report = EditionReport()
    for path in authored:
        out = target / path.name
        if out.exists():
            report.kept.append(path.name)
            continue
        try:
            notebook = student_edition(nbformat.read(path, as_version=4))
        except RuntimeError as error:  # nbgrader: an unclosed or nested solution region
            raise RuntimeError(f"{path}: {error}") from None
        nbformat.write(notebook, out)
        report.written.append(path.name)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m pager_lab.course.editions student [--from notebooks] [--to student]``."""
    parser = argparse.ArgumentParser(prog="python -m pager_lab.course.editions")
    parser.add_argument("edition", choices=["student"], help="the edition to build")
    parser.add_argument("--from", dest="source", type=Path, default=Path("notebooks"))
    parser.add_argument("--to", dest="target", type=Path, default=Path("student"))
    args = parser.parse_args(argv)
    try:
        report = write_student_edition(args.source, args.target)
    except (FileNotFoundError, nbformat.ValidationError, RuntimeError) as error:
        print(f"editions: {error}", file=sys.stderr)
        return 1
    print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
