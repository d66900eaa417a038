"""Self-checks for the notebooks' exercises: each explains what is right and what is wrong.

Every ``check_...`` returns a :class:`Feedback` whose text is the helpful part:
it says which part is wrong and gives a hint, not just "wrong". None of them
raises on a student's answer: ``...`` (the student edition's placeholder) and
``None`` get a friendly "not answered yet" that says what to do, and a string or
another type where something else was expected gets a sentence naming both.
The post-mortem's review lives in :mod:`pager_lab.course.postmortem_review`, the
schedule's in :mod:`pager_lab.course.schedule_check`, the lifecycle's, Scenario B's
and the skew's in :mod:`~pager_lab.course.lifecycle_check`,
:mod:`~pager_lab.course.scenario_check` and :mod:`~pager_lab.course.skew_check`.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from pager_lab.core.errors import ConfigError
from pager_lab.core.runbook import parse_runbook
from pager_lab.course.feedback import Feedback, describe, screened, unanswered
from pager_lab.course.lifecycle_check import check_lifecycle
from pager_lab.course.postmortem_review import check_postmortem
from pager_lab.course.scenario_check import check_scenario_b
from pager_lab.course.schedule_check import check_schedule
from pager_lab.course.skew_check import check_skew

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
    inline = any("`" in step.text for step in runbook.steps)
    fb.ok(
        any(step.code for step in runbook.steps),
        "a command to copy",
        "put each command on its own line under its step, in backticks, so it can be copied"
        if inline
        else "give at least one exact command in backticks under a step",
    )
    return fb


HEADER_LIMIT = 150
"""Slack's limit on a header block's text (Block Kit reference, header block)."""
_BLOCK_TYPES = {"header", "section", "context", "divider", "actions"}


def check_slack_message(payload: Any) -> Feedback:
    """04: a Slack incoming-webhook body Slack will accept."""
    fb = Feedback("your Slack message")
    json_hint = (
        'give the message as a dictionary, like {"text": ..., "blocks": [...]}, not a string: '
        "the notifier turns it into JSON itself"
    )
    if screened(
        fb,
        payload,
        "your message (a dictionary)",
        Mapping,
        "give the message as a dictionary",
        {str: json_hint},
    ):
        return fb
    text = payload.get("text")
    fb.ok(
        isinstance(text, str) and bool(text.strip()),
        "a `text` fallback",
        "Slack needs `text` (notifications and old clients show it)",
    )
    blocks = payload.get("blocks", [])
    if not fb.ok(
        isinstance(blocks, list) and len(blocks) <= 50,
        "at most 50 blocks",
        "`blocks` must be a list of at most 50 blocks, each a dictionary",
    ):
        return fb
    loose = [i for i, b in enumerate(blocks, 1) if not isinstance(b, Mapping)]
    if not fb.ok(
        not loose,
        "each block a dictionary",
        f"block {loose[0] if loose else 0} is not a "
        'dictionary: each block is like {"type": "section", "text": {...}}',
    ):
        return fb
    types = [b.get("type") for b in blocks]
    unknown = [t for t in types if t not in _BLOCK_TYPES]
    fb.ok(
        not unknown,
        "known block types",
        f"unknown block type(s): {unknown} (each block's "
        "`type` is header, section, context, divider or actions)",
    )
    header = next((b for b in blocks if isinstance(b, Mapping) and b.get("type") == "header"), None)
    if fb.ok(header is not None, "a header block", "start with a header: what broke, in a line"):
        assert header is not None
        inner = header.get("text")
        fb.ok(
            isinstance(inner, Mapping) and inner.get("type") == "plain_text",
            "a plain-text header",
            'a header\'s text is {"type": "plain_text", "text": '
            "...}: Slack rejects mrkdwn or a bare string there",
        )
        words = str(inner.get("text", "")) if isinstance(inner, Mapping) else ""
        fb.ok(
            len(words) <= HEADER_LIMIT,
            "a short header",
            f"the header has {len(words)} characters: Slack allows {HEADER_LIMIT}",
        )
    fb.ok(
        "hooks.slack.com" not in str(payload),
        "no webhook URL inside the message",
        "never put the webhook URL in the message: it is a secret",
    )
    return fb


def check_profile(profile: Any) -> Feedback:
    """05: a 24-hour alert profile for a service busy in office hours."""
    fb = Feedback("your daily profile")
    if unanswered(fb, profile, "your 24 numbers"):
        return fb
    if isinstance(profile, str | bytes | Mapping) or not isinstance(profile, Sequence | np.ndarray):
        return fb.fail(f"give a list of 24 numbers, one per hour; you gave {describe(profile)}")
    try:
        values = np.asarray(profile, dtype=float)
    except (TypeError, ValueError):
        return fb.fail("every value must be a number (a multiplier like 0.3 or 1.8)")
    if values.ndim != 1:
        return fb.fail(f"give one flat list of 24 numbers, not a table of shape {values.shape}")
    if not fb.ok(values.size == 24, "24 values", f"one value per hour: 24, not {values.size}"):
        return fb
    if not fb.ok(bool(np.isfinite(values).all()), "finite numbers", "no NaN or infinity"):
        return fb
    fb.ok(bool((values >= 0).all()), "no negative rates", "a rate cannot be negative")
    fb.ok(
        abs(values.mean() - 1) < 0.05,
        f"mean {values.mean():.2f}",
        f"scale it so the mean is 1 (now {values.mean():.2f}), so rate_per_hour keeps its "
        "meaning: divide each value by their mean",
    )
    fb.ok(
        values[9:17].mean() > values[0:6].mean(),
        "busier by day than at night",
        "office hours (09-17) should have more alerts than the night (00-06): "
        "value 0 is midnight to 01:00",
    )
    return fb


def check_team_size(answer: Any, sweep_summary: Any, limit: float = 1.0) -> Feedback:
    """07: the smallest team with under *limit* sleep pages per person-week."""
    fb = Feedback(f"the smallest team with < {limit:g} sleep pages per person-week")
    if unanswered(fb, answer, "your team size (a whole number)"):
        return fb
    whole = isinstance(answer, numbers.Real) and float(answer).is_integer()
    if isinstance(answer, bool) or not whole:
        return fb.fail(f"give a whole number of people; you gave {describe(answer)}")
    if not all(hasattr(sweep_summary, a) for a in ("sort_values", "set_index")):
        return fb.fail(
            "the second argument is the sweep summary table (sweep_summary(...)); "
            f"you gave {describe(sweep_summary)}"
        )
    table = sweep_summary.sort_values("team_size")
    means = table.set_index("team_size")["mean"]
    fitting = table[table["mean"] < limit]["team_size"]
    want = int(fitting.iloc[0]) if len(fitting) else None
    people = int(float(answer))
    if people not in means.index:
        fb.ok(
            False,
            "",
            f"{people} is not a team size the sweep tried "
            f"({', '.join(str(int(t)) for t in means.index)})",
        )
    elif means[people] >= limit:
        fb.ok(
            False,
            "",
            f"read the curve again: at {people} people the mean is "
            f"{means[people]:.2f}, not under {limit:g}",
        )
    else:
        fb.ok(
            people == want,
            f"{people} people",
            f"{people} people are under {limit:g} ({means[people]:.2f}), but a smaller team is "
            "too: look for the smallest",
        )
    return fb
