"""From a played drill to a class result: what a driver calls when a student finishes.

``result_from_session(handle, session)`` reads the drill engine's session and score
(``pager_lab.core``: ``DrillSession``, ``score_drill``) into a :class:`DrillResult`;
``record_drill(store, handle, session)`` writes it. The terminal, the notebook console and the
game master's console all record through here, so every result has the same shape.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pager_lab.classroom.results import DrillResult, PathStep, check_handle
from pager_lab.classroom.store import ResultsStore
from pager_lab.core.drill_score import DrillScore, score_drill
from pager_lab.core.drill_session import DrillSession

__all__ = ["record_drill", "result_from_session"]


def result_from_session(
    handle: str,
    session: DrillSession,
    *,
    score: DrillScore | None = None,
    finished_at: datetime | None = None,
) -> DrillResult:
    """*session* (finished or abandoned) as *handle*'s result.

    *finished_at* defaults to the drill's own clock: its start plus the simulated minutes
    played (the core never reads the wall clock; a driver may pass the real time)."""
    check_handle(handle)
    score = score if score is not None else score_drill(session)
    if finished_at is None:
        finished_at = session.clock.start + timedelta(minutes=session.now)
    path = tuple(PathStep(step.at, step.kind, step.choice, step.verdict) for step in session.path)
    return DrillResult(
        handle=handle,
        scenario=session.scenario.name,
        seed=session.seed,
        path=path,
        time_to_acknowledge=score.time_to_acknowledge,
        time_to_mitigate=score.time_to_mitigate,
        time_to_resolve=score.time_to_resolve,
        impact_minutes=score.impact_minutes,
        score=score.total / score.max_total * 100 if score.max_total else 0.0,
        finished_at=finished_at,
    )


def record_drill(
    store: ResultsStore,
    handle: str,
    session: DrillSession,
    *,
    finished_at: datetime | None = None,
) -> DrillResult:
    """Score *session*, write it to *store* as *handle*'s result (once), and return it."""
    result = result_from_session(handle, session, finished_at=finished_at)
    store.add(result)
    return result
