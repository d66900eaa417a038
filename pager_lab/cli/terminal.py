"""The terminal driver of the drill: reads answers from a stream, prints the drill's lines."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TextIO

from pager_lab.core.drill import Drill, Message
from pager_lab.core.errors import InvalidAnswer, PagerLabError
from pager_lab.core.report import durations_lines, postmortem_markdown, timeline_lines

__all__ = ["LIBRARY_MARKS", "DrillInterrupted", "plain_text", "run_terminal_drill", "write_outputs"]

PICTOGRAPH = re.compile(r"^[^\w\s(\[]+\s*")
"""A leading emoji (with its variation selector) and the spaces after it."""
PLAIN_MARKS = {"ok": "[ok] ", "miss": "[missed] "}
"""Words for message kinds whose emoji carried meaning (the seed's drill)."""
LIBRARY_MARKS = {"🔥": "[worse] ", "🩹": "[temporary] ", "⛔": "[refused] ", "⚠️": "[too early] "}
"""Words for the drill library's emoji that carry meaning: an action made it worse, a fix is
temporary, an answer was refused, the drill was resolved too early."""


class DrillInterrupted(PagerLabError):
    """Input ended (or Ctrl-C) before the drill finished."""


def plain_text(message: Message, marks: dict[str, str] | None = None) -> str:
    """The line without its emoji, a word in brackets where the emoji carried meaning.

    *marks* maps a leading emoji to its word (the drill library passes :data:`LIBRARY_MARKS`).
    For screen readers and terminals without emoji (``--plain`` or ``NO_COLOR``, no-color.org).
    """
    pictograph = PICTOGRAPH.match(message.text)
    mark = PLAIN_MARKS.get(message.kind, "")
    if not mark and pictograph is not None and marks:
        mark = marks.get(pictograph.group().strip(), "")
    return mark + PICTOGRAPH.sub("", message.text)


def run_terminal_drill(
    drill: Drill,
    stdin: TextIO,
    stdout: TextIO,
    *,
    pace: float = 0.0,
    echo: bool = False,
    sleep: Callable[[float], None] = time.sleep,
    after_step: Callable[[], list[str]] | None = None,
    stderr: TextIO | None = None,
    plain: bool = False,
) -> None:
    """Drive *drill* from *stdin* until it finishes.

    *echo* repeats each answer (useful when stdin is a pipe, so the transcript
    reads like a session); *pace* pauses between lines for effect, in seconds.
    *after_step* runs after each step (posting to a webhook) and may return warning
    lines, written to *stderr*. *plain* writes :func:`plain_text` lines.
    Raises :class:`DrillInterrupted` when input ends first.
    """

    def show(lines: list[Message]) -> None:
        for message in lines:
            if pace > 0:
                sleep(pace)
            stdout.write((plain_text(message) if plain else message.text) + "\n")
        stdout.flush()
        if after_step is not None:  # e.g. post what happened to a webhook
            for warning in after_step():
                line = PICTOGRAPH.sub("", warning) if plain else warning
                (stderr or stdout).write(line + "\n")

    show(drill.opening)
    while drill.prompt is not None:
        stdout.write(drill.prompt.text)
        stdout.flush()
        line = stdin.readline()
        if not line:
            stdout.write("\n")
            raise DrillInterrupted(
                f"input ended while waiting for an answer to {drill.prompt.text.strip()!r}"
            )
        if echo:
            stdout.write(line.rstrip("\n") + "\n")
        try:
            show(drill.answer(line))
        except InvalidAnswer as exc:
            stdout.write(f"   {exc}\n")
    stdout.write("\nTimeline:\n")
    stdout.write("\n".join(timeline_lines(drill.incident)) + "\n")
    stdout.write("\n".join(durations_lines(drill.incident)) + "\n")
    stdout.flush()


def write_outputs(
    drill: Drill,
    json_path: Path | None,
    postmortem_path: Path | None,
    setup: Mapping[str, Any] | None = None,
) -> list[str]:
    """Save the timeline as JSON and/or a post-mortem draft.

    *setup* (the drill's data folder, alert, policy options and start) goes into the
    JSON, so ``pager-lab why FILE PAGE_ID`` can rebuild the policy that paged.

    Writes what it can: a file that cannot be written does not stop the other, and is
    returned as a problem naming the option, the file and why (nothing is raised).
    """
    outputs: list[tuple[str, Path | None, Callable[[], str]]] = [
        (
            "--json",
            json_path,
            lambda: (
                json.dumps(
                    drill.incident.to_dict()
                    | {"outcome": drill.outcome}
                    | ({"setup": dict(setup)} if setup else {}),
                    indent=2,
                    ensure_ascii=False,
                )
                + "\n"
            ),
        ),
        (
            "--postmortem",
            postmortem_path,
            lambda: postmortem_markdown(drill.incident, drill.runbook, drill.root_cause),
        ),
    ]
    problems = []
    for flag, target, render in outputs:
        if target is None:
            continue
        try:
            target.write_text(render(), "utf-8")
        except OSError as exc:
            problems.append(f"{flag} {str(target)!r} could not be written ({exc.strerror})")
    return problems
