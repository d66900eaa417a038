"""Self-checks for the notebooks' exercises: each explains what is right and what is wrong.

Every ``check_...`` returns a :class:`Feedback` whose text is the helpful part:
it says which part is wrong and gives a hint, not just "wrong". None of them
raises on a student's answer: ``...`` (the student edition's placeholder) and
``None`` get a friendly "not answered yet" that says what to do, and a string or
another type where something else was expected gets a sentence naming both.
The post-mortem's review lives in :mod:`pager_lab.course.postmortem_review`, the
schedule's in :mod:`pager_lab.course.schedule_check`, the runbook's in
:mod:`pager_lab.course.runbook_check`.
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from pager_lab.core.drill import Drill
from pager_lab.core.errors import InvalidAnswer
from pager_lab.course.feedback import Feedback, describe, screened, unanswered
from pager_lab.course.postmortem_review import check_postmortem
from pager_lab.course.runbook_check import check_runbook
from pager_lab.course.schedule_check import check_schedule

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

STAGES = ["trigger", "acknowledge", "triage", "resolve"]
_SYNONYMS = {
    "ack": "acknowledge",
    "acknowledged": "acknowledge",
    "alert": "trigger",
    "triggered": "trigger",
    "fire": "trigger",
    "page": "trigger",
    "fix": "resolve",
    "resolved": "resolve",
    "restart": "resolve",
    "triaged": "triage",
}


def check_lifecycle(order: Any) -> Feedback:
    """00: the four stages of the lifecycle in order."""
    fb = Feedback("the incident lifecycle")
    hint = 'give a list of four words, like ["...", "...", "...", "..."], not one string'
    if screened(
        fb,
        order,
        "your list of the four stages",
        Sequence,
        "give a list of four words",
        {str: f"{hint} ({describe(order)})"},
    ):
        return fb
    got = [str(s).strip().lower() for s in order]
    if not fb.ok(len(got) == 4, "four stages", f"there are four stages, you gave {len(got)}"):
        return fb
    for word in got:
        if word in _SYNONYMS:
            fb.ok(False, "", f"'{word}' names a step, not the stage: call it '{_SYNONYMS[word]}'")
        elif word not in STAGES:
            fb.ok(False, "", f"'{word}' is not one of the stages named in this notebook")
    if not fb.passed:
        return fb
    if got.index("triage") < got.index("acknowledge"):
        hint = "you cannot triage what nobody has acknowledged: acknowledge comes first"
    elif got[-1] != "resolve":
        hint = "resolve comes last: you fix what you have triaged, not before"
    else:
        hint = "everything starts with the trigger: an alert fires before anyone is paged"
    fb.ok(got == STAGES, "in the right order", "hint: " + hint)
    return fb


def check_scenario_b(drill: Any) -> Feedback:
    """01: Scenario B — Alice ignores, Bob acknowledges and restarts.

    Takes the drill you played (or the pager console, or your list of answers,
    which it plays on a fresh drill).
    """
    fb = Feedback("Scenario B (escalation)")
    if unanswered(fb, drill, "your list of answers"):
        return fb
    if isinstance(drill, Sequence) and not isinstance(drill, str):
        played = Drill()
        for i, answer in enumerate(drill, 1):
            try:
                played.answer(str(answer))
            except InvalidAnswer as exc:
                return fb.fail(f"answer {i} ({answer!r}) was not accepted: {exc}")
        drill = played
    drill = getattr(drill, "drill", drill)  # a PagerConsole holds its drill
    if not isinstance(drill, Drill):
        return fb.fail(
            "give the drill you played (or your list of answers, like "
            f'["ignore", ...]); you gave {describe(drill)}'
        )
    inc = drill.incident
    fb.ok(
        inc.highest_level >= 2,
        "the page escalated past level 1",
        "Alice must ignore the page first (press Ignore) so it escalates",
    )
    if inc.is_no_one_answered:
        return fb.fail("nobody acknowledged: when Bob is paged, he answers 'ack'")
    fb.ok(
        inc.acknowledged_by == "Bob",
        "Bob acknowledged",
        f"the acknowledgement came from {inc.acknowledged_by or 'nobody'}, not Bob",
    )
    if drill.prompt is not None:
        fb.ok(
            False,
            "",
            f"the drill is not finished: it still asks {drill.prompt.text.rstrip(': ')!r}",
        )
    else:
        fb.ok(
            drill.outcome == "resolved",
            "the service was restarted and the incident resolved",
            "the incident is still active: choose Restart at the last prompt, not Ignore",
        )
    return fb


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
        close = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.6)
        if close:
            return f" (did you mean '{close[0]}' for '{word}'?)"
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


def _number(fb: Feedback, value: Any, name: str) -> float | None:
    """*value* as a float, or None with a sentence saying what was expected."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if math.isnan(float(value)):
            fb.ok(False, "", f"{name} is NaN: compute it from a column that has values")
            return None
        return float(value)
    fb.ok(False, "", f"{name} must be a number of minutes; you gave {describe(value)}")
    return None


def check_skew(mean: Any, median: Any, p90: Any) -> Feedback:
    """06: reading a skewed distribution."""
    fb = Feedback("mean, median and p90")
    if unanswered(fb, (mean, median, p90), "your mean, median and p90"):
        return fb
    got = [_number(fb, v, n) for v, n in ((mean, "mean"), (median, "median"), (p90, "p90"))]
    if any(v is None for v in got):
        return fb
    m, med, p = (float(v) for v in got if v is not None)
    if p < med:
        return fb.fail(
            "p90 is below the median: 90 % of incidents take at most p90, so it "
            "cannot be below the middle one (did you take quantile(0.1)?)"
        )
    fb.ok(
        m > med,
        "the mean is above the median: a long right tail",
        "look again: for incident durations the mean is pulled up by a few long ones",
    )
    fb.ok(p > m, "p90 is above the mean", "the 90th percentile should sit above the mean")
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
