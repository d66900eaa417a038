"""09's comparison of plays: one row per played drill, the score card's numbers side by side."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from pager_lab.core.drill_score import score_drill
from pager_lab.core.drill_session import DrillSession

__all__ = ["SCORE_COLUMNS", "score_table"]

SCORE_COLUMNS = (
    "scenario",
    "seed",
    "outcome",
    "score",
    "acknowledge_min",
    "mitigate_min",
    "resolve_min",
    "impact_min",
    "wasted",
    "harmful",
)
"""The table's columns: times in simulated minutes, impact in error-budget minutes."""
NOT_FINISHED = "not finished yet"
EMPTY = "—"
"""What an unfinished play shows in place of a number."""


def score_table(plays: Mapping[str, Any]) -> pd.DataFrame:
    """A row per play (a :class:`DrillSession`, or a console holding one as ``.session``).

    An unfinished play gets its scenario and seed, :data:`NOT_FINISHED` and :data:`EMPTY`
    in place of each number (a time not reached yet is ``None``).
    """
    rows = {}
    for label, play in plays.items():
        session = getattr(play, "session", play)
        if not isinstance(session, DrillSession):
            raise TypeError(
                f"{label!r}: give a drill session or a drill console, not {type(play).__name__}"
            )
        rows[label] = _row(session)
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(SCORE_COLUMNS))


def _row(session: DrillSession) -> dict[str, Any]:
    head = {"scenario": session.scenario.name, "seed": session.seed}
    if not session.finished:
        return head | {"outcome": NOT_FINISHED} | dict.fromkeys(SCORE_COLUMNS[3:], EMPTY)
    score = score_drill(session)
    return head | {
        "outcome": score.outcome,
        "score": round(score.total),
        "acknowledge_min": score.time_to_acknowledge,
        "mitigate_min": score.time_to_mitigate,
        "resolve_min": score.time_to_resolve,
        "impact_min": round(score.impact_minutes, 1),
        "wasted": len(score.wasted),
        "harmful": len(score.harmful),
    }
