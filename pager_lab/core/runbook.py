"""Runbooks: the seed's Markdown format, parsed into an object and linted against alerts.

The format (seed Part 3)::

    # Runbook: <title>
    ## Severity: <text>
    ## Symptoms: <text>
    ## Steps:
    1. <step>
       `<code snippet>`
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pager_lab.core.errors import ConfigError
from pager_lab.core.tomlfile import read_text_file

__all__ = ["Runbook", "RunbookStep", "lint_runbooks", "load_runbook", "parse_runbook"]

_TITLE = re.compile(r"^#\s+(?:Runbook:\s*)?(?P<title>.+?)\s*$")
_FIELD = re.compile(r"^##\s+(?P<key>[A-Za-z ]+?):\s*(?P<value>.*?)\s*$")
_STEP = re.compile(r"^\s*(?P<n>\d+)[.)]\s+(?P<text>.+?)\s*$")
_CODE = re.compile(r"^\s*`(?P<code>[^`]+)`\s*$")


@dataclass(frozen=True)
class RunbookStep:
    """One numbered step with any code snippets under it."""

    text: str
    code: tuple[str, ...] = ()


@dataclass(frozen=True)
class Runbook:
    """What to do when an alert fires."""

    title: str
    severity: str
    symptoms: str
    steps: tuple[RunbookStep, ...]
    source: str = ""
    """The file it came from, if any."""

    def lines(self) -> list[str]:
        """The steps as numbered lines, code indented beneath: for terminals and widgets."""
        out: list[str] = []
        for number, step in enumerate(self.steps, 1):
            out.append(f"{number}. {step.text}")
            out.extend(f"   {snippet}" for snippet in step.code)
        return out


def parse_runbook(text: str, source: str = "<runbook>") -> Runbook:
    """Parse the seed's runbook Markdown; a runbook without steps is rejected."""
    title = severity = symptoms = ""
    steps: list[RunbookStep] = []
    in_steps = False
    for line in text.splitlines():
        if not line.strip():
            continue
        if (field := _FIELD.match(line)) is not None:
            key = field["key"].strip().lower()
            in_steps = key == "steps"
            if key == "severity":
                severity = field["value"]
            elif key == "symptoms":
                symptoms = field["value"]
        elif line.startswith("# ") and not title and (head := _TITLE.match(line)):
            title = head["title"]
        elif in_steps and (step := _STEP.match(line)):
            steps.append(RunbookStep(step["text"]))
        elif in_steps and steps and (code := _CODE.match(line)):
            last = steps[-1]
            steps[-1] = RunbookStep(last.text, (*last.code, code["code"]))
        elif in_steps and steps and line.startswith((" ", "\t")):
            last = steps[-1]
            steps[-1] = RunbookStep(f"{last.text} {line.strip()}", last.code)
    if not title:
        raise ConfigError(source, "title", "", "a first line like '# Runbook: Database Down'")
    if not steps:
        raise ConfigError(
            source, "Steps", "", "a '## Steps:' section with numbered steps ('1. Check ...')"
        )
    return Runbook(title, severity, symptoms, tuple(steps), source)


def load_runbook(path: str | Path) -> Runbook:
    """Read and parse a runbook file."""
    return parse_runbook(read_text_file(path, "Markdown runbook"), str(path))


def lint_runbooks(
    alert_runbooks: dict[str, str | None],
    runbook_files: Iterable[Path],
    used_elsewhere: Iterable[str] = (),
) -> tuple[list[str], list[str]]:
    """Alerts without a runbook, and runbooks that nothing uses.

    *alert_runbooks* maps alert name to its runbook's file name (or ``None``);
    *used_elsewhere* names runbook files other users read (the drill library's scenarios,
    :func:`~pager_lab.core.drill_scenario.drill_runbook_names`).
    Returns ``(alerts_without_runbook, unused_runbooks)``, both sorted.
    """
    files = {Path(f).name: Path(f) for f in runbook_files}
    used = {Path(r).name for r in alert_runbooks.values() if r} | {
        Path(r).name for r in used_elsewhere
    }
    missing = sorted(
        name for name, rb in alert_runbooks.items() if not rb or Path(rb).name not in files
    )
    unused = sorted(str(files[name]) for name in files if name not in used)
    return missing, unused
