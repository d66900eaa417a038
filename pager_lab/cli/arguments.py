"""argparse types shared by the commands.

Each refuses a bad value with one line saying the value and what is expected;
argparse puts the flag in front (``argument --weeks: 'nan': expected ...``), so the
user sees the flag, the value and the fix together. Only the standard library is
imported here: the CLI has to start fast.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

__all__ = ["existing_folder", "number", "output_file", "output_folder", "path", "when"]

EXAMPLE_TIME = "2026-11-27T03:00+00:00"
YEARS = (1900, 2999)
"""Times outside these years are refused: near year 1 or 9999 a window, a time-zone
conversion or the drill's clock would step outside what ``datetime`` can hold."""


def _refuse(text: str, expected: str) -> argparse.ArgumentTypeError:
    return argparse.ArgumentTypeError(f"{text!r}: expected {expected}")


def number(
    unit: str,
    *,
    above: float | None = None,
    at_least: float | None = None,
    at_most: float | None = None,
    integer: bool = False,
    why: str = "",
) -> Callable[[str], float]:
    """A finite number of *unit* within bounds; nan, inf and words are refused.

    ``number("weeks", above=0, at_most=5200, why="100 years")`` reads ``--weeks``.
    """
    bounds = [
        f"> {above:g}" if above is not None else "",
        f">= {at_least:g}" if at_least is not None else "",
        f"<= {at_most:g}" if at_most is not None else "",
    ]
    parts = [
        "an integer" if integer else "a number",
        f"of {unit}" if unit else "",
        " and ".join(b for b in bounds if b),
        f"({why})" if why else "",
    ]
    expected = " ".join(p for p in parts if p)

    def parse(text: str) -> float:
        try:
            value = int(text) if integer else float(text)
        except ValueError:
            raise _refuse(text, expected) from None
        if (
            not math.isfinite(value)
            or (above is not None and value <= above)
            or (at_least is not None and value < at_least)
            or (at_most is not None and value > at_most)
        ):
            raise _refuse(text, expected)
        return value

    return parse


def when(text: str) -> datetime:
    """An ISO 8601 time with a UTC offset, e.g. ``2026-11-27T03:00+00:00``."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise _refuse(text, f"an ISO 8601 time with a UTC offset, like {EXAMPLE_TIME}") from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} has no UTC offset: add one, like {EXAMPLE_TIME} (Z also means UTC)"
        )
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise _refuse(text, f"a time in the years {YEARS[0]} to {YEARS[1]}, like {EXAMPLE_TIME}")
    return value


def path(kind: str) -> Callable[[str], Path]:
    """A non-empty path to a *kind* (an empty string would silently mean the current folder)."""

    def parse(text: str) -> Path:
        if not text.strip():
            raise _refuse(text, f"the path of a {kind}")
        return Path(text)

    return parse


def existing_folder(kind: str) -> Callable[[str], Path]:
    """A folder that exists, e.g. the data folder with ``alerts.toml`` and ``runbooks/``."""

    def parse(text: str) -> Path:
        folder = path(kind)(text)
        if not folder.exists():
            raise argparse.ArgumentTypeError(f"{text!r} does not exist: expected a {kind}")
        if not folder.is_dir():
            raise argparse.ArgumentTypeError(f"{text!r} is a file: expected a {kind}")
        return folder

    return parse


def output_file(kind: str) -> Callable[[str], Path]:
    """A file to write: not a folder, in a folder that exists (checked before any work)."""

    def parse(text: str) -> Path:
        target = path(kind)(text)
        if target.is_dir():
            raise argparse.ArgumentTypeError(
                f"{text!r} is a folder: expected the path of a {kind} to write"
            )
        parent = target.parent
        if not parent.is_dir():
            what = "is not a folder" if parent.exists() else "does not exist"
            raise argparse.ArgumentTypeError(
                f"{text!r}: the folder {str(parent)!r} {what}: expected a {kind} "
                "in an existing folder"
            )
        return target

    return parse


def output_folder(kind: str) -> Callable[[str], Path]:
    """A folder to write into; created if missing, but never an existing file."""

    def parse(text: str) -> Path:
        target = path(kind)(text)
        blocked = next((p for p in (target, *target.parents) if p.exists()), None)
        if blocked is not None and not blocked.is_dir():
            where = "" if blocked == target else f": {str(blocked)!r}"
            raise argparse.ArgumentTypeError(
                f"{text!r}{where} is a file: expected a folder for the {kind}"
            )
        return target

    return parse
