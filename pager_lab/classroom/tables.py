"""A class's results as two tables — what the debrief reads, and what ``class export`` writes.

``results``: one row per finished drill (``RESULT_COLUMNS``); ``steps``: one row per step of
each path (``STEP_COLUMNS``), joined to its result by ``result_id``. The same tables come from
a store (:func:`store_tables`) or straight from :class:`DrillResult` objects
(:func:`results_tables`), so a notebook can debrief a class without a database.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from pager_lab.classroom.results import NOT_ACTIONS, WRONG, DrillResult
from pager_lab.classroom.store import ResultsStore

__all__ = [
    "EXPORT_COLUMNS",
    "RESULT_COLUMNS",
    "STEP_COLUMNS",
    "export_csv",
    "results_tables",
    "store_tables",
    "wrong_steps",
]

RESULT_COLUMNS = (
    "result_id",
    "handle",
    "scenario",
    "seed",
    "time_to_acknowledge",
    "time_to_mitigate",
    "time_to_resolve",
    "impact_minutes",
    "score",
    "finished_at",
    "step_count",
    "resolved",
    "end_minute",
)
"""The results table: minutes from the alert; ``end_minute`` is the path's last step."""
STEP_COLUMNS = ("result_id", "handle", "scenario", "position", "minute", "kind", "name", "verdict")
"""The steps table: each path in order."""
EXPORT_COLUMNS = (
    "handle",
    "scenario",
    "seed",
    "finished_at",
    "score",
    "time_to_acknowledge",
    "time_to_mitigate",
    "time_to_resolve",
    "impact_minutes",
    "resolved",
    "path",
    "wrong_actions",
)
"""The columns of ``pager-lab class export`` (the path as ``step > step > ...``)."""
_FLOATS = ("time_to_acknowledge", "time_to_mitigate", "time_to_resolve", "impact_minutes")


def wrong_steps(steps: pd.DataFrame) -> pd.Series:
    """Which rows of a steps table are wrong steps (:attr:`PathStep.wrong`)."""
    return steps["verdict"].isin(WRONG) & ~steps["kind"].isin(NOT_ACTIONS)


def _finish(results: pd.DataFrame, steps: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    results = results.reindex(columns=list(RESULT_COLUMNS[:-2]))
    steps = steps.reindex(columns=list(STEP_COLUMNS))
    for column in (*_FLOATS, "score"):
        results[column] = results[column].astype(float)
    results["finished_at"] = pd.to_datetime(results["finished_at"], utc=True)
    results["resolved"] = results["time_to_resolve"].notna()
    last = steps.groupby("result_id")["minute"].max()
    ends = results["result_id"].map(last).astype(float)
    results["end_minute"] = ends.fillna(results["time_to_resolve"]).fillna(0.0)
    steps["minute"] = steps["minute"].astype(float)
    return results.reset_index(drop=True), steps.reset_index(drop=True)


def store_tables(store: ResultsStore) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The store's results and steps tables."""
    rows = pd.DataFrame(store.result_rows()).rename(columns={"id": "result_id"})
    if rows.empty:
        rows = pd.DataFrame(columns=list(RESULT_COLUMNS[:-2]))
    return _finish(rows, pd.DataFrame(store.step_rows(), columns=list(STEP_COLUMNS)))


def results_tables(results: Iterable[DrillResult]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The same two tables from results in memory (``result_id`` numbers them from 1)."""
    result_rows: list[dict[str, Any]] = []
    step_rows: list[dict[str, Any]] = []
    for result_id, result in enumerate(results, start=1):
        result_rows.append(
            {
                "result_id": result_id,
                **{name: getattr(result, name) for name in RESULT_COLUMNS[1:-3]},
                "step_count": len(result.path),
            }
        )
        step_rows += [
            {
                "result_id": result_id,
                "handle": result.handle,
                "scenario": result.scenario,
                "position": position,
                "minute": step.minute,
                "kind": step.kind,
                "name": step.name,
                "verdict": step.verdict,
            }
            for position, step in enumerate(result.path)
        ]
    frame = pd.DataFrame(result_rows, columns=list(RESULT_COLUMNS[:-2]))
    return _finish(frame, pd.DataFrame(step_rows, columns=list(STEP_COLUMNS)))


def export_table(results: pd.DataFrame, steps: pd.DataFrame) -> pd.DataFrame:
    """One row per result with its path and wrong actions as text (``EXPORT_COLUMNS``)."""
    ordered = steps.sort_values(["result_id", "position"])
    path = ordered.groupby("result_id")["name"].agg(" > ".join)
    wrong = ordered[wrong_steps(ordered)]
    wrong_names = wrong.groupby("result_id")["name"].agg(" > ".join)
    table = results.assign(
        path=results["result_id"].map(path).fillna(""),
        wrong_actions=results["result_id"].map(wrong_names).fillna(""),
        finished_at=results["finished_at"].map(lambda t: t.isoformat()),
    )
    return table[list(EXPORT_COLUMNS)]


def export_csv(results: pd.DataFrame, steps: pd.DataFrame, target: Path | TextIO) -> int:
    """Write the export table to *target* (a CSV file, or an open text stream such as
    standard output); how many results it holds."""
    table = export_table(results, steps)
    table.to_csv(target, index=False)
    return len(table)
