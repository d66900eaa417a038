"""12's self-check: reading the class debrief to decide what to re-teach first."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pager_lab.classroom.debrief import wrong_actions
from pager_lab.classroom.results import NOT_ACTIONS
from pager_lab.course.feedback import Feedback, screened

__all__ = ["check_reteach"]


def check_reteach(answer: Any, steps: pd.DataFrame) -> Feedback:
    """12: the wrong step the most students took (what to re-teach first), from *steps*."""
    fb = Feedback("the wrong step the most students took")
    expected = "give the step's name as a string, e.g. 'restart-db'"
    if screened(fb, answer, "the name of a step (a string)", str, expected):
        return fb
    table = wrong_actions(steps, top=len(steps) or 1)
    by_step = table.groupby("step")["students"].max()
    most = int(by_step.max()) if len(by_step) else 0
    looked = set(steps.loc[steps["kind"].isin(NOT_ACTIONS), "name"])
    name = answer.strip()
    if name not in set(steps["name"]):
        return fb.fail(f"no student took a step called {name!r}: copy a name from the table")
    if name not in by_step.index:
        why = (
            "it is a look (a diagnostic or the runbook): a wasted look costs minutes, but "
            "it is not a wrong action"
            if name in looked
            else "it helped (or was neutral) every time it was taken"
        )
        return fb.fail(f"{name!r} is never a wrong step here: {why}")
    took = int(by_step[name])
    fb.ok(
        took == most,
        f"{name!r}: {took} students took it — the most of any wrong step",
        f"{name!r} was wrong for {took} students, but one step was wrong for {most}: "
        "sort by the students column",
    )
    return fb
