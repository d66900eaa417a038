"""What a self-check says: :class:`Feedback`, and the sentences for answers not given yet.

The student edition of a notebook leaves ``...`` where the answer goes; a check
given ``...`` or ``None`` says "not answered yet" and what to do, never a traceback.
"""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Feedback", "describe", "screened", "unanswered"]

_SHORT = reprlib.Repr()
_SHORT.maxstring = 40
_SHORT.maxother = 40
_SHORT.maxlist = 5
_SHORT.maxdict = 3


@dataclass
class Feedback:
    """The result of a self-check: passed or not, with a line per point checked."""

    exercise: str
    points: list[tuple[bool, str]] = field(default_factory=list)
    answered: bool = True
    """False while the answer is still the placeholder (``...``) or ``None``."""

    def ok(self, condition: bool, good: str, hint: str) -> bool:
        """Record one point: *good* if *condition* holds, else *hint*; returns *condition*."""
        self.points.append((bool(condition), good if condition else hint))
        return bool(condition)

    def fail(self, hint: str) -> Feedback:
        """Record a point that does not hold, and return the feedback (the check ends here)."""
        self.ok(False, "", hint)
        return self

    @property
    def passed(self) -> bool:
        """Whether the answer was given and every point holds."""
        return self.answered and all(ok for ok, _ in self.points)

    def __repr__(self) -> str:
        if not self.answered:
            head = "✏️ Not answered yet"
        else:
            head = "✅ Well done" if self.passed else "❌ Not yet"
        lines = [f"{head}: {self.exercise}"]
        marks = {True: "✔", False: "✘" if self.answered else "→"}
        lines += [f"  {marks[ok]} {text}" for ok, text in self.points]
        return "\n".join(lines)


def unanswered(fb: Feedback, answer: Any, what: str) -> bool:
    """True, after telling the student what to do, when *answer* is ``...``/``None``.

    *answer* may be a tuple of several answers (a check taking more than one):
    any of them left as the placeholder counts as not answered yet.
    """
    parts = answer if isinstance(answer, tuple) else (answer,)
    if not any(part is None or part is Ellipsis for part in parts):
        return False
    fb.answered = False
    fb.points.append((False, f"Replace `...` with {what}, then run this cell again."))
    return True


def screened(
    fb: Feedback,
    answer: Any,
    what: str,
    kinds: type | tuple[type, ...],
    expected: str,
    hints: dict[type, str] | None = None,
) -> bool:
    """True, with a sentence in *fb*, when *answer* is not given yet or not of *kinds*.

    *what* completes "Replace `...` with ..."; *expected* says what to give
    ("give the runbook as one Markdown string"); *hints* are sentences for the
    likely wrong types (a string where a list belongs), checked first.
    """
    if unanswered(fb, answer, what):
        return True
    for kind, hint in (hints or {}).items():
        if isinstance(answer, kind):
            fb.fail(hint)
            return True
    if not isinstance(answer, kinds):
        fb.fail(f"{expected}; you gave {describe(answer)}")
        return True
    return False


def describe(value: Any) -> str:
    """A short phrase for a wrong answer: its type and a clipped repr (``a str 'abc'``)."""
    kind = type(value).__name__
    article = "an" if kind[:1].lower() in "aeiou" else "a"
    shown = re.sub(r" at 0x[0-9a-fA-F]+", "", _SHORT.repr(value))  # no memory addresses
    return f"{article} {kind} ({shown})"
