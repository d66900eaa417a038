"""10 · Your own data: the self-check of the what-if on a calibrated team."""

from __future__ import annotations

import math
from typing import Any

from pager_lab.analysis.summary import summarize
from pager_lab.course.feedback import Feedback, describe, unanswered
from pager_lab.sim.model import simulate
from pager_lab.sim.scenario import Scenario

__all__ = ["WHAT_IF_SEED", "check_own_what_if"]

WHAT_IF_SEED = 3
"""The seed the exercise asks for, so the check can run the same simulation."""


def check_own_what_if(smaller: Any, sleep_pages: Any, calibrated: Scenario) -> Feedback:
    """10: the calibrated team with 4 people, and its sleep pages per person-week (seed 3)."""
    fb = Feedback("a what-if on the calibrated team: 4 people")
    if unanswered(fb, (smaller, sleep_pages), "the 4-person scenario and its sleep pages"):
        return fb
    if not isinstance(smaller, Scenario):
        return fb.fail(
            'the first answer is a scenario: with_changes(calibrated, {"team_size": 4}); '
            f"you gave {describe(smaller)}"
        )
    fb.ok(
        len(smaller.team) == 4,
        "the team has 4 people",
        f'the team has {len(smaller.team)} people: change the key "team_size" to 4',
    )
    same_load = [s.rate_per_hour for s in smaller.sources] == [
        s.rate_per_hour for s in calibrated.sources
    ]
    fb.ok(
        same_load,
        "the alert sources are the calibrated ones",
        "start from the calibrated scenario so only the team changes",
    )
    if isinstance(sleep_pages, bool) or not isinstance(sleep_pages, int | float):
        return fb.fail(
            'the second answer is a number: summarize(run)["sleep_pages_per_person_week"]; '
            f"you gave {describe(sleep_pages)}"
        )
    want = float(summarize(simulate(smaller, seed=WHAT_IF_SEED))["sleep_pages_per_person_week"])
    fb.ok(
        math.isclose(float(sleep_pages), want, rel_tol=1e-9, abs_tol=1e-9),
        f"{want:.2f} sleep pages per person-week with 4 people (seed {WHAT_IF_SEED})",
        f"with seed {WHAT_IF_SEED} this scenario gives {want:.2f}, you have "
        f"{float(sleep_pages):.2f}: simulate(smaller, seed={WHAT_IF_SEED}) and read "
        '"sleep_pages_per_person_week" from summarize(...)',
    )
    return fb
