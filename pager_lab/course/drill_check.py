"""09's self-check: a path through a drill scenario, played by the engine and judged by its score.

The path is a list of choice ids (the words the console's buttons send); it is played on a
fresh :class:`~pager_lab.core.drill_session.DrillSession` with the seed given, so the check
judges exactly what the console would. It says which step was not a choice at that moment,
whether the incident was resolved for good, and which part of the score fell short and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pager_lab.core.drill_scenario import DrillScenario
from pager_lab.core.drill_score import score_drill
from pager_lab.core.drill_session import DrillSession
from pager_lab.core.errors import InvalidAnswer
from pager_lab.course.feedback import Feedback, describe, screened

__all__ = ["PASS_MARK", "check_drill_path"]

PASS_MARK = 90
"""The score (out of 100) a path needs to pass: a good response, not necessarily the best."""


def check_drill_path(scenario: DrillScenario, seed: int, path: Any) -> Feedback:
    """Play *path* (a list of choice ids) on *scenario* with *seed* and judge it."""
    fb = Feedback(f"a path through {scenario.name}")
    hints: dict[type, str] = {
        str: f'give a list of choice ids, like ["ack", "..."], not one string ({path!r})'
    }
    if screened(fb, path, "your list of choices", Sequence, "give a list of choice ids", hints):
        return fb
    session = DrillSession(scenario, seed)
    for number, choice in enumerate(path, 1):
        if session.finished:
            return fb.fail(
                f"the drill ended ({session.outcome}) before step {number} ({choice!r}): "
                "drop the steps after it"
            )
        if not isinstance(choice, str):
            return fb.fail(
                f"step {number} should be a choice id (a string); it is {describe(choice)}"
            )
        try:
            session.choose(choice)
        except InvalidAnswer:
            ids = ", ".join(c.id for c in session.choices())
            return fb.fail(
                f"step {number} ({choice!r}) is not a choice at that moment; "
                f"the choices were: {ids}"
            )
    return _judge(fb, session)


def _judge(fb: Feedback, session: DrillSession) -> Feedback:
    if session.outcome != "resolved":
        for sentence in _what_happened(session):
            fb.ok(False, "", sentence)
        return fb
    fb.ok(True, "resolved: the cause is fixed and the incident closed", "")
    score = score_drill(session)
    weak = [i for i in score.items if i.points < i.max_points]
    fb.ok(
        score.total >= PASS_MARK,
        f"score {score.total:.0f}/100 (the pass mark is {PASS_MARK})",
        f"score {score.total:.0f}/100, below the pass mark of {PASS_MARK}",
    )
    if score.total >= PASS_MARK:
        if weak:
            fb.ok(True, "for full marks: " + "; ".join(f"{i.name} ({i.why})" for i in weak), "")
        return fb
    for item in weak:
        fb.ok(False, "", f"{item.name} {item.points:.0f}/{item.max_points:g}: {item.why}")
    return fb


def _what_happened(session: DrillSession) -> list[str]:
    """Why the path did not end resolved, in the engine's own words: its outcome and the
    steps it refused or called too soon."""
    said = [
        f"step {n} ({step.choice!r}) was {step.verdict}: {step.text}"
        for n, step in enumerate(session.path, 1)
        if step.verdict in ("refused", "too soon")
    ]
    if session.outcome == "resolved too early":
        relief = [s.choice for s in session.path if s.verdict == "relief"]
        cure = f" ({', '.join(map(repr, relief))} only eased the symptom)" if relief else ""
        head = (
            "resolved too early: the cause was still there, so it comes back"
            f"{cure}; find what removes the cause before 'resolve'"
        )
    elif session.outcome:
        head = f"the drill ended {session.outcome} at +{session.now:.0f} min"
    else:
        last = session.path[-1].choice if session.path else None
        head = (
            f"the incident is still open at +{session.now:.0f} min"
            + (": the engine did not accept your 'resolve'" if last == "resolve" else "")
            + ("" if said else ": end your path with 'resolve' once the signals are healthy")
        )
    return [head, *said]
