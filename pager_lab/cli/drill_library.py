"""The terminal driver of the drill library: ``pager-lab drill --list``, ``--scenario``,
``--script`` and ``drill lint``. It renders what the session returns and holds no drill logic."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from pager_lab.cli.drill_files import read_script
from pager_lab.cli.recording import recorder_from, report_outcome
from pager_lab.cli.terminal import LIBRARY_MARKS, DrillInterrupted, plain_text
from pager_lab.core.drill import Message, StaleAnswer
from pager_lab.core.drill_debrief import debrief_drill, drill_postmortem
from pager_lab.core.drill_errors import drill_file_errors
from pager_lab.core.drill_lint import lint_scenario
from pager_lab.core.drill_lookup import scenario_name
from pager_lab.core.drill_restore import drill_document
from pager_lab.core.drill_scenario import load_drill_library, load_drill_scenario
from pager_lab.core.drill_score import score_drill
from pager_lab.core.drill_session import DrillSession
from pager_lab.core.errors import ConfigError, InvalidAnswer, PagerLabError

__all__ = ["list_scenarios", "play_library_drill", "run_drill_lint", "run_library_command"]

SEED_ONLY = (
    "escalation",
    "schedule",
    "runbook",
    "alert",
    "timeout",
    "notify",
    "notify_port",
    "notify_retries",
    "outbox",
    "step_minutes",
    "pace",
    "alert_name",
)
"""Options of the seed's drill that a library scenario does not use."""


PLAY = ("scenario", "seed", "script", "tick", "handle", "store")
"""Options that play a library scenario."""


def _refuse(args: argparse.Namespace, flags: tuple[str, ...], why: str) -> None:
    """Any of *flags* given is an error: nothing a user typed is silently ignored.

    *why* ends the sentence ``--seed 3 WHY``, e.g. ``is not used with --list``."""
    for flag in flags:
        value = getattr(args, flag, None)
        if value is not None and value is not False:
            option = "--" + flag.replace("_", "-")
            shown = option if value is True else f"{option} {_shown(value)}"
            raise PagerLabError(f"{shown} {why}")


def _shown(value: object) -> str:
    """A typed value as the user typed it: ``3``, ``'good-db.txt'`` (no ``PosixPath(...)``)."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return str(value)
    return repr(str(value))


def _words(words: list[str]) -> tuple[str, str]:
    """``lint`` and its optional folder: the only words ``drill`` takes."""
    if not words:
        return "", ""
    if words[0] != "lint":
        raise ConfigError("", "drill", words[0], "'lint' (pager-lab drill lint [DIR]) or options")
    if len(words) > 2:
        raise ConfigError("", "drill lint", " ".join(words[1:]), "at most one folder")
    return "lint", words[1] if len(words) == 2 else ""


def run_library_command(args: argparse.Namespace) -> int | None:
    """Run ``drill lint``, ``--list`` or ``--scenario``; ``None`` for the seed's drill."""
    verb, folder = _words(args.words)
    if verb == "lint":
        _refuse(args, ("list", *PLAY), "cannot be used with 'drill lint' (it takes only a folder)")
        return run_drill_lint(Path(folder) if folder else args.data / "drills")
    if args.list:
        _refuse(args, PLAY, "cannot be used with --list (it only lists the scenarios)")
        return list_scenarios(args.data / "drills", sys.stdout)
    if args.scenario is None:
        _refuse(args, PLAY, "plays a drill-library scenario: give --scenario NAME too")
        return None
    _refuse(args, SEED_ONLY, "is the seed drill's option: a --scenario drill does not use it")
    return play_library_drill(args)


def list_scenarios(folder: Path, out: TextIO) -> int:
    """One line per scenario: name, difficulty, title and lesson."""
    for name, sc in load_drill_library(folder).items():
        out.write(f"{name:<22} {sc.difficulty:<7} {sc.title}\n{'':<31}lesson: {sc.lesson}\n")
    return 0


def _scenario(args: argparse.Namespace) -> DrillSession:
    folder = args.data / "drills"
    library = load_drill_library(folder)
    args.scenario = scenario_name(args.scenario, list(library), str(folder))
    return DrillSession(library[args.scenario], int(args.seed or 0), start=args.at)


def _stdin_answers() -> Iterator[tuple[str, str]]:
    """``(answer, where)`` pairs from stdin, one a line."""
    while line := sys.stdin.readline():
        yield line, "stdin"


def play_library_drill(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Play ``--scenario`` from stdin or ``--script``; print the score and the debrief.

    A drill stopped before the end (input ended, Ctrl-C) still writes ``--json`` (marked
    unfinished) and ``--postmortem``, and says it was not recorded."""
    out = out or sys.stdout
    session = _scenario(args)
    script = None if args.script is None else read_script(Path(args.script))  # before the alert
    recorder = recorder_from(args)  # a bad --handle or --store fails before the drill starts
    args.plain = args.plain or bool(os.environ.get("NO_COLOR"))
    answers = _stdin_answers() if script is None else iter(script)
    try:
        _play(session, answers, args, out)
    except (DrillInterrupted, KeyboardInterrupt):
        _stopped(session, args, out, recorder)
        raise
    _finish(session, args, out)
    status = 0 if recorder is None else report_outcome(recorder.record(session), out)
    if args.script is not None and (left := next(answers, None)) is not None:
        print(
            f"pager-lab: warning: {left[1]} and after were not used: the drill had ended "
            f"({session.outcome})",
            file=sys.stderr,
        )
    return status


def _show(lines: list[Message], out: TextIO, plain: bool) -> None:
    for m in lines:
        out.write((plain_text(m, LIBRARY_MARKS).translate(_ASCII) if plain else m.text) + "\n")
    out.flush()


def _play(
    session: DrillSession,
    answers: Iterator[tuple[str, str]],
    args: argparse.Namespace,
    out: TextIO,
) -> None:
    """Ask, read, answer until the drill finishes; :class:`DrillInterrupted` if input ends."""
    plain, interactive = args.plain, args.script is None and sys.stdin.isatty()
    _show(session.opening, out, plain)
    clock: Callable[[], float] = time.monotonic
    asked, menu_shown, last = clock(), False, ""
    while not session.finished:
        if session.acked and not menu_shown:
            _menu(session, out, plain)
            menu_shown = True
        out.write(session.prompt_text())
        out.flush()
        answer, where = next(answers, ("", ""))
        if not where:
            out.write("\n")
            raise DrillInterrupted(_ended(args, last, session.prompt_text().strip()))
        last = where
        if not interactive:
            out.write(answer.strip() + "\n")
        if args.tick is not None:  # real thinking time costs simulated minutes
            _show(session.tick((clock() - asked) / args.tick), out, plain)
        if answer.strip().lower() in ("?", "help", "menu"):
            _menu(session, out, plain)
            continue
        try:
            _show(session.choose(answer), out, plain)
        except InvalidAnswer as exc:
            if args.script is not None:
                raise ConfigError(where, "answer", answer.strip(), _expected(exc)) from None
            out.write(f"   {exc}\n")
        asked = clock()


def _ended(args: argparse.Namespace, last: str, prompt: str) -> str:
    """Why the drill stopped: which input ended, after which line, at which question."""
    if args.script is None:
        return f"input ended while waiting for an answer to {prompt!r}"
    after = f"after {last}" if last else "with no answers in it"
    return (
        f"--script {str(args.script)!r} ran out of answers ({after}) while waiting for an "
        f"answer to {prompt!r}: add the next answer to the file"
    )


def _expected(exc: InvalidAnswer) -> str:
    """What the question accepts, as the end of a sentence."""
    if isinstance(exc, StaleAnswer):
        return str(exc)
    return "one of " + ", ".join(exc.allowed)


def _stopped(
    session: DrillSession, args: argparse.Namespace, out: TextIO, recorder: object
) -> None:
    """A drill stopped before the end: keep what there is, and say it is not recorded."""
    out.write("\n")
    _write_outputs(session, args)
    if recorder is not None:
        out.write(f"not recorded for {args.handle}: the drill did not finish\n")
    out.flush()


_ASCII = str.maketrans({"—": "-", "→": "->", "’": "'"})
"""Punctuation a plain (ASCII) terminal shows differently."""


def _menu(session: DrillSession, out: TextIO, plain: bool) -> None:
    out.write("Choices (type the number or the name; 'help' shows this again):\n")
    for number, choice in enumerate(session.choices(), 1):
        line = f"  {number:>2}. {choice.id:<16} {choice.label} ({choice.cost:g} min)"
        out.write((line.translate(_ASCII) if plain else line) + "\n")


def _finish(session: DrillSession, args: argparse.Namespace, out: TextIO) -> None:
    card, debrief = score_drill(session), debrief_drill(session)
    text = [*card.lines(), "", *debrief.lines()]
    if args.plain:
        text = [plain_text(Message("info", line)).translate(_ASCII) for line in text]
    out.write("\n" + "\n".join(text) + "\n")
    _write_outputs(session, args)


def _write_outputs(session: DrillSession, args: argparse.Namespace) -> None:
    """Write ``--json`` and ``--postmortem``; one that fails does not stop the other."""
    problems = []
    outputs: tuple[tuple[str, Path | None, Callable[[], str]], ...] = (
        ("--json", args.json, lambda: drill_document(session)),
        ("--postmortem", args.postmortem, lambda: drill_postmortem(session)),
    )
    for flag, target, render in outputs:
        if target is not None:
            try:
                Path(target).write_text(render(), "utf-8")
            except OSError as exc:
                problems.append(f"{flag} {str(target)!r} could not be written ({exc.strerror})")
    if problems:
        raise PagerLabError("; ".join(problems) + " (the drill's score is printed above)")


def run_drill_lint(folder: Path, out: TextIO | None = None) -> int:
    """Lint every scenario in *folder*: each file, its references, its paths. Exit 1 on any."""
    out = out or sys.stdout
    if not folder.is_dir():
        raise ConfigError(str(folder), "DIR", str(folder), "a folder of drill scenarios (*.toml)")
    files = sorted(folder.glob("*.toml"))
    if not files and (folder / "drills").is_dir():  # a data folder, as --data takes: its drills
        folder = folder / "drills"
        files = sorted(folder.glob("*.toml"))
    if not files:
        raise ConfigError(
            str(folder),
            "DIR",
            str(folder),
            "a folder with *.toml drill scenarios, or a data folder with a drills/ folder "
            f"(like {folder / 'drills'})",
        )
    problems: list[str] = []
    for file in files:  # every file is checked, so one bad file does not hide the others
        try:
            problems += lint_scenario(load_drill_scenario(file, folder.parent))
        except PagerLabError as exc:  # every independent error of the file, not just the first
            problems += drill_file_errors(file, folder.parent) or [str(exc)]
    for problem in problems:
        out.write(problem + "\n")
    if not problems:
        out.write(
            f"ok: {len(files)} drill scenario(s): best paths score full marks, every action "
            "is reachable, every state reached can still resolve\n"
        )
    return 1 if problems else 0
