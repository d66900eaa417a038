"""The CLI's help tree is complete, and a small command starts without the heavy libraries."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from pager_lab.cli.app import COMMANDS, build_parser
from tests.helpers import DATA, ROOT

HEAVY = ("pandas", "numpy", "scipy", "simpy", "matplotlib", "requests", "urllib3")

RUN_CLI = """
import json, runpy, sys
sys.argv = ["pager-lab", *sys.argv[1:]]
try:
    runpy.run_module("pager_lab", run_name="__main__")
except SystemExit as exit:
    code = exit.code
print(json.dumps({"exit": code, "loaded": sorted(sys.modules)}), file=sys.stderr)
"""
"""Runs ``python -m pager_lab ARGS`` and reports, as the last stderr line, what it imported."""


def _walk(parser: argparse.ArgumentParser, path: str) -> list[str]:
    """Every positional, option and sub-command under *parser* that has no help text."""
    missing = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                if not helps.get(name):
                    missing.append(f"{path} {name}")
                missing += _walk(sub, f"{path} {name}")
        elif not isinstance(action, argparse._HelpAction) and not action.help:
            missing.append(f"{path} {'/'.join(action.option_strings) or action.dest}")
    return missing


def test_every_positional_option_and_command_has_help():
    parser = build_parser()
    assert _walk(parser, "pager-lab") == []
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert sorted(commands.choices) == sorted(COMMANDS)


def test_the_light_help_lists_each_command_as_the_full_tree_does():
    def summaries(parser: argparse.ArgumentParser) -> dict[str, str | None]:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        return {choice.dest: choice.help for choice in sub._choices_actions}

    assert summaries(build_parser(full=False)) == summaries(build_parser())
    assert summaries(build_parser()) == {name: text for name, (text, _, _) in COMMANDS.items()}


@pytest.mark.parametrize(
    ("args", "stdout"),
    [
        (("--help",), "usage: pager-lab"),
        (
            (
                "schedule",
                "who",
                str(DATA / "schedules" / "business-hours.toml"),
                "--at",
                "2026-11-27T03:00+00:00",
            ),
            "Fri 2026-11-27 03:00 GMT: Bob",
        ),
    ],
)
def test_a_small_command_does_not_import_heavy_libraries(args: tuple[str, ...], stdout: str):
    out = subprocess.run(
        [sys.executable, "-c", RUN_CLI, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    report = json.loads(out.stderr.splitlines()[-1])
    assert report["exit"] in (0, None) and out.stdout.startswith(stdout), out
    assert [m for m in HEAVY if m in report["loaded"]] == []


def test_the_check_sees_heavy_imports_when_there_are_some():
    out = subprocess.run(
        [sys.executable, "-c", RUN_CLI, "simulate", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert "pandas" in json.loads(out.stderr.splitlines()[-1])["loaded"]
