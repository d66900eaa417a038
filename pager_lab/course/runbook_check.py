"""02's self-check: a runbook for Disk Full in the seed's format.

The rules are the ones notebook 02 states: a title naming the disk and symptoms and
steps about it (a copy of the database runbook is not an answer), a severity that is
a level (Critical, High, Medium, Low or SEV1-SEV4), at least three numbered steps, and
at least one exact command in backticks, in its step or on the line under it.
"""

from __future__ import annotations

import re
from typing import Any

from pager_lab.core.errors import ConfigError
from pager_lab.core.runbook import Runbook, parse_runbook
from pager_lab.course.feedback import Feedback, screened

__all__ = ["SEVERITIES", "check_runbook"]


SEVERITIES = ("Critical", "High", "Medium", "Low")
"""The words a runbook's severity starts with (the seed says High; SEV1-SEV4 also read)."""
_SEVERITY = re.compile(r"^(critical|high|medium|low|sev ?[1-5]|p[1-5])\b", re.I)
_INLINE_CODE = re.compile(r"`[^`]+`")
_DISK_WORDS = re.compile(r"\b(disk|space|df|du|inode|filesystem|full)\b", re.I)


def check_runbook(text: Any) -> Feedback:
    """02: a runbook in the seed's format that a half-asleep engineer can follow."""
    fb = Feedback("your runbook")
    if screened(
        fb, text, "your runbook's Markdown text", str, "give the runbook as one Markdown string"
    ):
        return fb
    try:
        runbook = parse_runbook(text, "your runbook")
    except ConfigError as exc:
        if exc.key == "Steps" and re.search(r"^\s*[-*]\s", text, re.M):
            return fb.fail("number the steps ('1. ...', '2. ...'): bullets are not steps")
        return fb.fail(f"it does not parse yet: {exc}")
    _check_about_disk_full(fb, runbook)
    _check_severity(fb, runbook.severity)
    fb.ok(
        bool(runbook.symptoms),
        "symptoms described",
        "add '## Symptoms: ...' so the reader can tell they have the right runbook",
    )
    fb.ok(
        len(runbook.steps) >= 3,
        f"{len(runbook.steps)} steps",
        f"only {len(runbook.steps)} step(s): break the fix into at least 3 concrete steps",
    )
    fb.ok(
        any(step.code or _INLINE_CODE.search(step.text) for step in runbook.steps),
        "a command to copy",
        "give at least one exact command in backticks, in its step (`df -h`) or on the "
        "line under it",
    )
    return fb


def _check_about_disk_full(fb: Feedback, runbook: Runbook) -> None:
    """The runbook is for a full disk: its title names the disk and its body is about one."""
    if not fb.ok(
        "disk" in runbook.title.lower(),
        f"a runbook for {runbook.title}",
        f"the title is '{runbook.title}': this exercise is the runbook for Disk Full "
        "('# Runbook: Disk Full'); the seed's runbook is only the shape to copy",
    ):
        return
    body = " ".join([runbook.symptoms, *(s.text for s in runbook.steps)])
    body += " " + " ".join(c for s in runbook.steps for c in s.code)
    fb.ok(
        bool(_DISK_WORDS.search(body)),
        "symptoms and steps about the disk",
        "the symptoms and steps never mention the disk: say how a full disk shows itself "
        "and how to find what fills it",
    )


def _check_severity(fb: Feedback, severity: str) -> None:
    """The severity is a level the reader knows (High, SEV2, ...), not any text."""
    if not severity:
        fb.ok(False, "", "add a '## Severity: High' line so the reader knows how urgent it is")
        return
    fb.ok(
        bool(_SEVERITY.match(severity.strip())),
        f"severity: {severity}",
        f"the severity '{severity}' is not a level: start it with "
        f"{', '.join(SEVERITIES)} (or SEV1-SEV4), like the seed's 'High'",
    )
