"""The files a terminal drill reads and writes: one path per role in a run, an answer script
read (and checked) before the drill starts, and a saved-for-later name that never overwrites.

Only the standard library: the seed's drill imports this and has to start fast.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from pager_lab.core.errors import PagerLabError

__all__ = ["free_path", "read_script", "refuse_shared_paths"]

FILE_OPTIONS = ("script", "json", "postmortem")
"""The drill's options that name a file, in the order they are read or written."""


def _same(a: Path, b: Path) -> bool:
    """Whether *a* and *b* are one file (also through links, or spelled differently)."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one does not exist yet: compare where they would be
        return a.resolve() == b.resolve()


def refuse_shared_paths(args: argparse.Namespace) -> None:
    """One file named by two options (``--script X --json X``) is refused before the drill:
    writing one would silently replace the other."""
    given = [(f"--{flag}", Path(v)) for flag in FILE_OPTIONS if (v := getattr(args, flag, None))]
    for i, (first, a) in enumerate(given):
        for second, b in given[i + 1 :]:
            if _same(a, b):
                raise PagerLabError(
                    f"{first} and {second} both name {str(b)!r}: give each its own file "
                    f"(writing {second} would replace {first}'s file)"
                )


def free_path(target: Path) -> Path:
    """*target*, or ``NAME-2.json``, ``NAME-3.json`` ... when it is taken: never overwrite."""
    candidate, number = target, 1
    while candidate.exists():
        number += 1
        candidate = target.with_name(f"{target.stem}-{number}{target.suffix}")
    return candidate


def read_script(path: Path) -> list[tuple[str, str]]:
    """The answers in an answer script as ``(answer, "FILE line N")`` pairs.

    ``#`` starts a comment (a whole line or after an answer: ``ack  # yes``), blank lines are
    skipped, and a UTF-8 byte-order mark (Windows Notepad) is dropped. Read before the drill
    starts, so a missing or unreadable file is reported before the alert is shown.
    """
    try:
        text = path.read_text("utf-8-sig")
    except FileNotFoundError:
        raise PagerLabError(
            f"--script {str(path)!r} does not exist: expected a file of answers, one per line"
        ) from None
    except IsADirectoryError:
        raise PagerLabError(
            f"--script {str(path)!r} is a folder: expected a file of answers, one per line"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise PagerLabError(
            f"--script {str(path)!r} cannot be read ({reason}): expected a UTF-8 file of answers"
        ) from None
    answers = []
    for number, line in enumerate(text.splitlines(), 1):
        answer = line.split("#", 1)[0].strip()
        if answer:
            answers.append((answer, f"{path} line {number}"))
    return answers
