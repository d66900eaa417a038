"""Self-checks for the notebooks' exercises: each explains what is right and what is wrong.

Every ``check_...`` returns a :class:`Feedback` whose text is the helpful part:
it says which part is wrong and gives a hint, not just "wrong". None of them
raises on a student's answer: ``...`` (the student edition's placeholder) and
``None`` get a friendly "not answered yet" that says what to do, and a string or
another type where something else was expected gets a sentence naming both.
The post-mortem's review lives in :mod:`pager_lab.course.postmortem_review`, the
schedule's in :mod:`pager_lab.course.schedule_check`, the runbook's in
:mod:`pager_lab.course.runbook_check`, the lifecycle's, Scenario B's and the skew's in
:mod:`~pager_lab.course.lifecycle_check`, :mod:`~pager_lab.course.scenario_check` and
:mod:`~pager_lab.course.skew_check`.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from pager_lab.core.names import closest_name
from pager_lab.course.feedback import Feedback, describe, screened, unanswered
from pager_lab.course.lifecycle_check import check_lifecycle
from pager_lab.course.postmortem_review import check_postmortem
from pager_lab.course.runbook_check import check_runbook
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


HEADER_LIMIT = 150
"""Slack's limit on a header block's text (Block Kit reference, header block)."""
_BLOCK_TYPES = {"header", "section", "context", "divider", "actions"}
_MESSAGE_KEYS = {
    *("text", "blocks", "attachments", "thread_ts", "mrkdwn", "unfurl_links", "unfurl_media"),
    *("username", "icon_emoji", "icon_url", "channel"),
}
"""Top-level keys of an incoming-webhook message (Slack's message payload; the last four
only legacy webhooks honour)."""


def _did_you_mean(typed: Sequence[str], known: set[str]) -> str:
    """`` (did you mean 'blocks'?)`` for the first of *typed* close to a *known* key, else ''."""
    for word in typed:
        close = closest_name(word, sorted(known))
        if close:
            return f" (did you mean '{close}' for '{word}'?)"
    return ""


def _check_text(fb: Feedback, payload: Mapping[str, Any]) -> None:
    """The ``text`` fallback: present, a string, not blank."""
    if "text" not in payload:
        fb.ok(False, "", "Slack needs `text` (notifications and old clients show it)")
        return
    text = payload["text"]
    if not isinstance(text, str):
        fb.ok(False, "", f"`text` must be a string of words; yours is {describe(text)}")
        return
    fb.ok(bool(text.strip()), "a `text` fallback", "`text` is blank: say what broke in words")


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
    unknown_keys = sorted(str(k) for k in payload if k not in _MESSAGE_KEYS)
    fb.ok(
        not unknown_keys,
        "only keys Slack knows",
        f"Slack does not know the key(s) {unknown_keys}: the message's keys are "
        f"{', '.join(sorted(_MESSAGE_KEYS))}" + _did_you_mean(unknown_keys, _MESSAGE_KEYS),
    )
    _check_text(fb, payload)
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
    unknown = [t for t in types if not isinstance(t, str) or t not in _BLOCK_TYPES]
    fb.ok(
        not unknown,
        "known block types",
        f"unknown block type(s): {unknown} (each block's "
        "`type` is header, section, context, divider or actions)",
    )
    header = blocks[0] if types[:1] == ["header"] else None
    where = f" (yours is block {types.index('header') + 1})" if "header" in types else ""
    if fb.ok(
        header is not None,
        "a header block first",
        f"start with a header: the first block is the header, what broke in a line{where}",
    ):
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
    shape = np.shape(np.asarray(profile, dtype=object))
    if len(shape) != 1:
        return fb.fail(f"give one flat list of 24 numbers, not a table of shape {shape}")
    if not fb.ok(len(profile) == 24, "24 values", f"one value per hour: 24, not {len(profile)}"):
        return fb
    bad = next((i for i, v in enumerate(profile) if not _is_number(v)), None)
    if bad is not None:
        given = "None (empty)" if profile[bad] is None else describe(profile[bad])
        return fb.fail(
            f"value {bad} (hour {bad:02d}:00) is {given}: every hour needs a number, "
            "a multiplier like 0.3 or 1.8 (no quotes)"
        )
    values = np.asarray(profile, dtype=float)
    odd = int(np.argmin(np.isfinite(values)))
    if not fb.ok(
        bool(np.isfinite(values).all()),
        "finite numbers",
        f"value {odd} is {values[odd]}: no NaN or infinity, every hour a real multiplier",
    ):
        return fb
    fb.ok(bool((values >= 0).all()), "no negative rates", "a rate cannot be negative")
    fb.ok(
        abs(values.mean() - 1) < 0.05,
        f"mean {values.mean():.2f}",
        f"scale it so the mean is 1 (now {values.mean():.2f}), so rate_per_hour keeps its "
        "meaning: divide each value by their mean",
    )
    day, night = values[9:17].mean(), values[0:6].mean()
    fb.ok(
        day > night,
        "busier by day than at night",
        f"office hours (09-17) should have more alerts than the night (00-06); yours have "
        f"{day:.2f} by day and {night:.2f} at night"
        + (": did you start at 09:00? value 0 is midnight to 01:00" if night > day else ""),
    )
    return fb


def _is_number(value: Any) -> bool:
    """A real number, not a bool, a string or None (numpy's numbers count)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


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
