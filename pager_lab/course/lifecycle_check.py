"""00's self-check: the four stages of the incident lifecycle, in order.

Every wrong answer gets a sentence: a number where a word belongs, a step
("ack", "restart") where the stage belongs, an inflection ("Triggered") taken as
its stage, a misspelling with a did-you-mean, a repeated or missing stage, and
an order that is reversed or has stages out of place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pager_lab.core.names import closest_name
from pager_lab.course.feedback import Feedback, describe, screened

__all__ = ["STAGES", "check_lifecycle"]

STAGES = ["trigger", "acknowledge", "triage", "resolve"]
"""The lifecycle's stages in order, as notebook 00 names them."""
_STEPS = {
    "ack": "acknowledge",
    "alert": "trigger",
    "fire": "trigger",
    "page": "trigger",
    "fix": "resolve",
    "restart": "resolve",
}
"""Words for a step (a button, a command) that the student meant as a stage."""
_INFLECTIONS = {
    "trigger": ("triggered", "triggers", "triggering"),
    "acknowledge": (
        "acknowledged",
        "acknowledges",
        "acknowledging",
        "acknowledgement",
        "acknowledgment",
    ),
    "triage": ("triaged", "triages", "triaging"),
    "resolve": ("resolved", "resolves", "resolving", "resolution"),
}
_FORMS = {form: stage for stage, forms in _INFLECTIONS.items() for form in forms}


def _stage(word: str) -> tuple[str | None, str | None]:
    """The stage *word* names, or None with a sentence saying why not."""
    if word in STAGES:
        return word, None
    if word in _FORMS:
        return _FORMS[word], None
    if word in _STEPS:
        return None, f"'{word}' names a step, not the stage: call it '{_STEPS[word]}'"
    near = closest_name(word, [*STAGES, *_FORMS], cutoff=0.7)
    if near:
        return None, f"'{word}' is not a stage: did you mean '{_FORMS.get(near, near)}'?"
    return None, (
        f"'{word}' is not one of the stages named in this notebook "
        "(the drill's timeline shows them)"
    )


def _order_hint(got: list[str]) -> str:
    """What is out of order in four distinct stages, as a hint."""
    if got == STAGES[::-1]:
        return "the whole order is reversed: the incident starts where your list ends"
    misplaced = [
        f"'{word}' is in place {i}, it belongs in place {STAGES.index(word) + 1}"
        for i, word in enumerate(got, 1)
        if STAGES[i - 1] != word
    ]
    if got.index("triage") < got.index("acknowledge"):
        why = "you cannot triage what nobody has acknowledged: acknowledge comes first"
    elif got[-1] != "resolve":
        why = "resolve comes last: you fix what you have triaged, not before"
    else:
        why = "everything starts with the trigger: an alert fires before anyone is paged"
    return "; ".join(misplaced) + ". Hint: " + why


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
    words = [w for w in order if not isinstance(w, str)]
    if words:
        return fb.fail(
            f'each stage is a word in quotes, like "trigger"; {describe(words[0])} is not'
        )
    stages = []
    for word in (w.strip().lower() for w in order):
        stage, why = _stage(word)
        if why:
            fb.fail(why)
        stages.append(stage)
    if not fb.passed:
        return fb
    got = [s for s in stages if s is not None]
    repeated = sorted({s for s in got if got.count(s) > 1}, key=STAGES.index)
    missing = [s for s in STAGES if s not in got]
    if repeated or missing or len(got) != 4:
        parts = [f"there are four stages, you gave {len(got)}"] if len(got) != 4 else []
        parts += [f"'{s}' appears {got.count(s)} times" for s in repeated]
        parts += [f"'{s}' is missing" for s in missing]
        return fb.fail(", ".join(parts))
    fb.ok(True, "four stages, each once", "")
    fb.ok(got == STAGES, "in the right order", _order_hint(got))
    return fb
