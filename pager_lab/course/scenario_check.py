"""01's self-check: Scenario B by the book, played from the student's list of answers.

The check plays the answers itself on a fresh :class:`~pager_lab.core.drill.Drill`
(the same engine as the console and the terminal; no drill logic is repeated
here), so a wrong answer becomes a sentence naming the answer, the prompt it was
given to and the answers that prompt accepts, never a traceback. It then reads
the drill's incident: Alice ignored, Bob acknowledged, severity kept at sev2, no
help asked, the service restarted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pager_lab.core.clock import ManualClock
from pager_lab.core.drill import Drill, StaleAnswer
from pager_lab.core.errors import InvalidAnswer
from pager_lab.core.incident import EntryKind, Severity
from pager_lab.course.feedback import Feedback, describe, unanswered

__all__ = ["check_scenario_b", "play_answers"]

_LIST_HINT = 'give a list of answers, like ["ignore", "ack", ...]'


def play_answers(fb: Feedback, answers: Sequence[Any]) -> Drill | None:
    """A fresh drill with *answers* played in order, or None after a sentence in *fb*."""
    loose = [(i, a) for i, a in enumerate(answers, 1) if not isinstance(a, str)]
    if loose:
        i, answer = loose[0]
        fb.fail(
            f"answer {i} is {describe(answer)}: each answer is a word in quotes, "
            'the word a button sends, like "ack" or "ignore"'
        )
        return None
    drill = Drill(clock=ManualClock())
    for i, answer in enumerate(answers, 1):
        prompt = drill.prompt
        try:
            drill.answer(answer)
        except StaleAnswer:
            extra = ", ".join(repr(a) for a in answers[i - 1 :])
            fb.fail(
                f"answer {i} ({answer!r}) comes after the drill has finished "
                f"({drill.outcome}): remove {extra}"
            )
            return None
        except InvalidAnswer:
            assert prompt is not None
            allowed = ", ".join(repr(a) for a in prompt.answers)
            default = f" (or '' for the default, {prompt.default})" if prompt.default else ""
            fb.fail(
                f"answer {i} ({answer!r}) is not an answer to prompt {prompt.number}, "
                f"{prompt.text.rstrip(': ')!r}: it accepts {allowed}{default}"
            )
            return None
    return drill


def _need_help(drill: Drill) -> bool | None:
    """Whether the responder asked for help at triage, or None before triage."""
    triaged = next(iter(drill.incident.entries(EntryKind.TRIAGED)), None)
    return None if triaged is None else bool(triaged.detail["need_help"])


def check_scenario_b(answers: Any) -> Feedback:
    """01: Scenario B — Alice ignores, Bob acknowledges, keeps sev2, needs no help, restarts.

    Takes your list of answers (played on a fresh drill), or the drill you
    played, or the pager console you clicked.
    """
    fb = Feedback("Scenario B (escalation)")
    if unanswered(fb, answers, "your list of answers"):
        return fb
    if isinstance(answers, str):
        return fb.fail(f"{_LIST_HINT}, not one string; you gave {describe(answers)}")
    drill = getattr(answers, "drill", answers)  # a PagerConsole holds its drill
    if isinstance(answers, Sequence) and not answers:
        return fb.fail("your list is empty: give the answers in order, starting with Alice's page")
    if isinstance(answers, Sequence):
        drill = play_answers(fb, answers)
        if drill is None:
            return fb
    if not isinstance(drill, Drill):
        return fb.fail(f"{_LIST_HINT} (or the drill you played); you gave {describe(answers)}")
    _read(fb, drill)
    return fb


def _read(fb: Feedback, drill: Drill) -> None:
    """Record what the played drill shows against Scenario B."""
    inc = drill.incident
    fb.ok(
        inc.highest_level >= 2,
        "the page escalated past level 1",
        "Alice must ignore the page first (answer 'ignore') so it escalates",
    )
    if inc.is_no_one_answered or inc.acknowledged_by is None:
        fb.fail("nobody acknowledged: when Bob is paged, he answers 'ack'")
        return
    fb.ok(
        inc.acknowledged_by == "Bob",
        "Bob acknowledged",
        f"the acknowledgement came from {inc.acknowledged_by}, not Bob",
    )
    if inc.severity is not None:
        fb.ok(
            inc.severity is Severity.SEV2,
            "severity kept at sev2",
            f"you set {inc.severity.value.lower()}: the task keeps the default, sev2",
        )
    if _need_help(drill) is not None:
        fb.ok(
            not _need_help(drill),
            "no help asked",
            "you asked for help ('yes'): in Scenario B Bob needs none, answer 'no'",
        )
    if drill.prompt is not None:
        fb.fail(f"the drill is not finished: it still asks {drill.prompt.text.rstrip(': ')!r}")
        return
    fb.ok(
        drill.outcome == "resolved",
        "the service was restarted and the incident resolved",
        "the incident is still active: choose 'restart' at the last prompt, not 'ignore'",
    )
