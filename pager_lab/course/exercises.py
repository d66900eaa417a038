"""Self-checks for the notebooks' exercises: each explains what is right and what is wrong.

Every ``check_...`` returns a :class:`Feedback` whose text is the helpful part:
it says which part is wrong and gives a hint, not just "wrong".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from pager_lab.core.drill import Drill
from pager_lab.core.errors import ConfigError
from pager_lab.core.runbook import parse_runbook
from pager_lab.core.schedule import Schedule

__all__ = [
    "Feedback",
    "check_lifecycle",
    "check_postmortem",
    "check_profile",
    "check_runbook",
    "check_scenario_b",
    "check_schedule",
    "check_skew",
    "check_slack_message",
    "check_team_size",
]


@dataclass
class Feedback:
    """The result of a self-check: passed or not, with a line per point checked."""

    exercise: str
    points: list[tuple[bool, str]] = field(default_factory=list)

    def ok(self, condition: bool, good: str, hint: str) -> bool:
        self.points.append((bool(condition), good if condition else hint))
        return bool(condition)

    @property
    def passed(self) -> bool:
        return all(ok for ok, _ in self.points)

    def __repr__(self) -> str:
        head = "✅ Well done" if self.passed else "❌ Not yet"
        lines = [f"{head}: {self.exercise}"]
        lines += [f"  {'✔' if ok else '✘'} {text}" for ok, text in self.points]
        return "\n".join(lines)


def check_lifecycle(order: Sequence[str]) -> Feedback:
    """00: the four stages of the lifecycle in order."""
    fb = Feedback("the incident lifecycle")
    want = ["trigger", "acknowledge", "triage", "resolve"]
    got = [str(s).strip().lower() for s in order]
    fb.ok(len(got) == 4, "four stages", f"there are four stages, you gave {len(got)}")
    fb.ok(
        got == want,
        "in the right order",
        "hint: you cannot triage what nobody has acknowledged, and resolve comes last",
    )
    return fb


def check_scenario_b(drill: Drill) -> Feedback:
    """01: Scenario B — Alice ignores, Bob acknowledges and restarts."""
    fb = Feedback("Scenario B (escalation)")
    inc = drill.incident
    fb.ok(
        inc.highest_level >= 2,
        "the page escalated past level 1",
        "Alice must ignore the page first (press Ignore) so it escalates",
    )
    fb.ok(
        inc.acknowledged_by == "Bob",
        "Bob acknowledged",
        f"the acknowledgement came from {inc.acknowledged_by or 'nobody'}, not Bob",
    )
    fb.ok(
        drill.outcome == "resolved",
        "the service was restarted and the incident resolved",
        "finish the drill: choose Restart at the last prompt",
    )
    return fb


def check_runbook(text: str) -> Feedback:
    """02: a runbook in the seed's format that a half-asleep engineer can follow."""
    fb = Feedback("your runbook")
    try:
        runbook = parse_runbook(text, "your runbook")
    except ConfigError as exc:
        fb.ok(False, "", f"it does not parse yet: {exc}")
        return fb
    fb.ok(
        bool(runbook.severity),
        f"severity: {runbook.severity}",
        "add a '## Severity: High' line so the reader knows how urgent it is",
    )
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
        any(step.code for step in runbook.steps),
        "a command to copy",
        "give at least one exact command in backticks under a step",
    )
    return fb


def check_schedule(schedule: Schedule, day: str = "2026-11-25") -> Feedback:
    """03 (the seed's Challenge 2): Alice 09:00-17:00, Bob otherwise, no gaps, any DST."""
    fb = Feedback("Challenge 2: Alice 9-5, Bob 5-9")
    zone = ZoneInfo(schedule.time_zone)
    start = datetime.fromisoformat(day).replace(tzinfo=zone)
    wrong = []
    for hour in range(24):
        at = start + timedelta(hours=hour, minutes=30)
        want = "Alice" if 9 <= hour < 17 else "Bob"
        if schedule.on_call(at) != want:
            wrong.append(f"{hour:02d}:30 → {schedule.on_call(at) or 'nobody'} (want {want})")
    fb.ok(
        not wrong,
        "the right person every hour",
        "wrong at " + "; ".join(wrong[:4]) + (" ..." if len(wrong) > 4 else ""),
    )
    gaps = schedule.gaps(start, start + timedelta(days=7))
    fb.ok(
        not gaps,
        "no gaps in a week",
        f"{len(gaps)} gap(s), the first from {gaps[0][0]:%a %H:%M}" if gaps else "",
    )
    return fb


def check_slack_message(payload: Mapping[str, Any]) -> Feedback:
    """04: a Slack incoming-webhook body Slack will accept."""
    fb = Feedback("your Slack message")
    text = payload.get("text")
    fb.ok(
        isinstance(text, str) and bool(text.strip()),
        "a `text` fallback",
        "Slack needs `text` (notifications and old clients show it)",
    )
    blocks = payload.get("blocks", [])
    fb.ok(
        isinstance(blocks, list) and len(blocks) <= 50,
        "at most 50 blocks",
        "`blocks` must be a list of at most 50 blocks",
    )
    types = [b.get("type") for b in blocks if isinstance(b, Mapping)]
    fb.ok(
        all(t in {"header", "section", "context", "divider", "actions"} for t in types),
        "known block types",
        f"unknown block type(s): {types}",
    )
    fb.ok("header" in types, "a header block", "start with a header: what broke, in a line")
    fb.ok(
        "hooks.slack.com" not in str(payload),
        "no webhook URL inside the message",
        "never put the webhook URL in the message: it is a secret",
    )
    return fb


def check_profile(profile: Sequence[float]) -> Feedback:
    """05: a 24-hour alert profile for a service busy in office hours."""
    fb = Feedback("your daily profile")
    values = np.asarray(profile, dtype=float)
    if not fb.ok(values.size == 24, "24 values", f"one value per hour: 24, not {values.size}"):
        return fb
    fb.ok(bool((values >= 0).all()), "no negative rates", "a rate cannot be negative")
    fb.ok(
        abs(values.mean() - 1) < 0.05,
        f"mean {values.mean():.2f}",
        f"scale it so the mean is 1 (now {values.mean():.2f}), so rate_per_hour keeps its meaning",
    )
    fb.ok(
        values[9:17].mean() > values[0:6].mean(),
        "busier by day than at night",
        "office hours (09-17) should have more alerts than the night (00-06)",
    )
    return fb


def check_skew(mean: float, median: float, p90: float) -> Feedback:
    """06: reading a skewed distribution."""
    fb = Feedback("mean, median and p90")
    fb.ok(
        mean > median,
        "the mean is above the median: a long right tail",
        "look again: for incident durations the mean is pulled up by a few long ones",
    )
    fb.ok(p90 > mean, "p90 is above the mean", "the 90th percentile should sit above the mean")
    return fb


def check_team_size(answer: int, sweep_summary: Any, limit: float = 1.0) -> Feedback:
    """07: the smallest team with under *limit* sleep pages per person-week."""
    fb = Feedback(f"the smallest team with < {limit:g} sleep pages per person-week")
    table = sweep_summary.sort_values("team_size")
    fitting = table[table["mean"] < limit]["team_size"]
    want = int(fitting.iloc[0]) if len(fitting) else None
    fb.ok(
        answer == want,
        f"{answer} people",
        f"read the curve again: at {answer} people the mean is "
        f"{table.set_index('team_size')['mean'].get(answer, float('nan')):.2f}",
    )
    return fb


BLAME = re.compile(r"\b(fault|blame|careless|stupid|incompetent|should have known)\b", re.I)


def check_postmortem(markdown: str) -> Feedback:
    """08: a blameless post-mortem draft with every section filled."""
    fb = Feedback("your post-mortem")
    for section in ("Summary", "Impact", "Timeline", "Root cause", "Action items"):
        body = (
            markdown.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
            if f"## {section}" in markdown
            else ""
        )
        fb.ok(
            bool(body.strip()) and "(fill in)" not in body,
            f"{section} written",
            f"fill in the '{section}' section",
        )
    prose = "\n".join(line for line in markdown.splitlines() if not line.startswith("*Blameless"))
    match = BLAME.search(prose)
    fb.ok(
        match is None,
        "blameless wording",
        f"'{match.group(0) if match else ''}' blames a person: describe what the system "
        "allowed instead",
    )
    return fb
