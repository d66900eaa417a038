"""The terminal driver of the drill library: ``pager-lab drill --list``, ``--scenario``,
``--script`` and ``drill lint``. It renders what the session returns and holds no drill logic."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from pager_lab.cli.recording import recorder_from, report_outcome
from pager_lab.cli.terminal import DrillInterrupted, plain_text
from pager_lab.core.drill import Message
from pager_lab.core.drill_errors import drill_file_errors
from pager_lab.core.drill_lint import lint_scenario
from pager_lab.core.drill_scenario import load_drill_library, load_drill_scenario
from pager_lab.core.drill_score import debrief_drill, drill_postmortem, score_drill
from pager_lab.core.drill_session import DrillSession
from pager_lab.core.errors import ConfigError, InvalidAnswer, PagerLabError

__all__ = ["list_scenarios", "play_library_drill", "run_drill_lint", "run_library_command"]

SEED_ONLY = ("escalation", "schedule", "runbook", "alert", "timeout", "notify")
"""Options of the seed's drill that a library scenario does not use."""


PLAY = ("scenario", "seed", "script", "tick", "handle", "store")
"""Options that play a library scenario."""


def _refuse(args: argparse.Namespace, flags: tuple[str, ...], why: str) -> None:
    """Any of *flags* given is an error: nothing a user typed is silently ignored."""
    for flag in flags:
        value = getattr(args, flag, None)
        if value is not None and value is not False:
            raise ConfigError("", f"--{flag}", value, why)


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
        _refuse(args, ("list", *PLAY), "nothing with 'drill lint'")
        return run_drill_lint(Path(folder) if folder else args.data / "drills")
    if args.list:
        _refuse(args, PLAY, "nothing with --list")
        return list_scenarios(args.data / "drills", sys.stdout)
    if args.scenario is None:
        _refuse(args, PLAY, "--scenario NAME too")
        return None
    _refuse(args, SEED_ONLY, "nothing with --scenario (it is the seed drill's option)")
    return play_library_drill(args)


def list_scenarios(folder: Path, out: TextIO) -> int:
    """One line per scenario: name, difficulty, title and lesson."""
    for name, sc in load_drill_library(folder).items():
        out.write(f"{name:<22} {sc.difficulty:<7} {sc.title}\n{'':<31}lesson: {sc.lesson}\n")
    return 0


def _scenario(args: argparse.Namespace) -> DrillSession:
    folder = args.data / "drills"
    library = load_drill_library(folder)
    if args.scenario not in library:
        raise ConfigError(str(folder), "--scenario", args.scenario, f"one of {', '.join(library)}")
    return DrillSession(library[args.scenario], int(args.seed or 0), start=args.at)


def _answers(args: argparse.Namespace, out: TextIO) -> Iterator[tuple[str, str]]:
    """``(answer, where)`` pairs: the script's lines (``#`` comments skipped) or stdin's."""
    if args.script is not None:
        try:
            lines = Path(args.script).read_text("utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(
                str(args.script),
                "--script",
                str(args.script),
                f"a readable UTF-8 text file of answers ({exc})",
            ) from None
        for number, line in enumerate(lines, 1):
            if not line.strip().startswith("#"):
                yield line, f"{args.script} line {number}"
        return
    while line := sys.stdin.readline():
        yield line, "stdin"


def play_library_drill(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Play ``--scenario`` from stdin or ``--script``; print the score and the debrief."""
    out = out or sys.stdout
    session = _scenario(args)
    recorder = recorder_from(args)  # a bad --handle or --store fails before the drill starts
    plain = args.plain or bool(os.environ.get("NO_COLOR"))
    args.plain = plain
    interactive = args.script is None and sys.stdin.isatty()

    def show(lines: list[Message]) -> None:
        for m in lines:
            out.write((plain_text(m).translate(_ASCII) if plain else m.text) + "\n")
        out.flush()

    show(session.opening)
    answers = _answers(args, out)
    clock: Callable[[], float] = time.monotonic
    asked = clock()
    menu_shown = False
    while not session.finished:
        if session.acked and not menu_shown:
            _menu(session, out, plain)
            menu_shown = True
        out.write(session.prompt_text())
        out.flush()
        answer, where = next(answers, ("", ""))
        if not where:
            out.write("\n")
            raise DrillInterrupted(
                f"input ended while waiting for an answer to {session.prompt_text().strip()!r}"
            )
        if not interactive:
            out.write(answer.strip() + "\n")
        if args.tick is not None:  # real thinking time costs simulated minutes
            show(session.tick((clock() - asked) / args.tick))
        if answer.strip().lower() in ("?", "help", "menu"):
            _menu(session, out, plain)
            continue
        try:
            show(session.choose(answer))
        except InvalidAnswer as exc:
            if args.script is not None:
                raise ConfigError(
                    where, "answer", answer.strip(), str(exc).split(": ", 1)[1]
                ) from None
            out.write(f"   {exc}\n")
        asked = clock()
    _finish(session, args, out)
    status = 0 if recorder is None else report_outcome(recorder.record(session), out)
    if args.script is not None and (left := next(answers, None)) is not None:
        print(
            f"pager-lab: warning: {left[1]} and after were not used: the drill had ended "
            f"({session.outcome})",
            file=sys.stderr,
        )
    return status


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
    problems = []
    outputs = (
        (
            "--json",
            args.json,
            lambda: (
                json.dumps(
                    {
                        "save": session.to_dict(),
                        "score": card.to_dict(),
                        "debrief": debrief.to_dict(),
                        "incident": session.incident.to_dict(),
                    },
                    indent=2,
                    ensure_ascii=False,
                )
                + "\n"
            ),
        ),
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
