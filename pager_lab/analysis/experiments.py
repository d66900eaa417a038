"""Comparisons and what-if sweeps over replications, with confidence intervals.

Replication ``r`` of every scenario uses the same seed, so scenarios that
differ only in team or policy see the same alert streams (common random
numbers) and their paired difference is far less noisy than two independent
runs. Runs go through any ``concurrent.futures`` executor: a process pool over
all cores by default, or a ``dask.distributed`` client's executor.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from pager_lab.analysis.experiment_checks import (
    check_confidence,
    check_distinct_values,
    check_metric_names,
)
from pager_lab.analysis.intervals import holm, paired_p_value, replication_interval
from pager_lab.analysis.summary import HEADLINE_METRICS, metric_unit, summarize
from pager_lab.sim.model import simulate
from pager_lab.sim.scenario import Scenario
from pager_lab.sim.scenario_io import with_changes

__all__ = [
    "SerialExecutor",
    "compare",
    "replication_seeds",
    "run_replication",
    "sweep",
    "sweep_summary",
]


class SerialExecutor(Executor):
    """Runs each task at once in this process: for notebooks and small runs (no pool)."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


def replication_seeds(seed: int, replications: int) -> list[int]:
    """Independent integer seeds for each replication (``SeedSequence.spawn``)."""
    if replications < 1:
        raise ValueError(f"replications ({replications}) must be at least 1")
    children = np.random.SeedSequence(seed).spawn(replications)
    return [int(c.generate_state(1, dtype=np.uint32)[0]) for c in children]


def run_replication(scenario: Scenario, changes: Mapping[str, Any], seed: int) -> dict[str, float]:
    """One run's scalar metrics (a top-level function, so process pools can pickle it)."""
    changed = with_changes(scenario, changes) if changes else scenario
    return summarize(simulate(changed, seed))


def _run_all(
    tasks: Sequence[tuple[Scenario, Mapping[str, Any], int]],
    executor: Executor | None,
    progress: bool | None,
    description: str,
) -> list[dict[str, float]]:
    own = executor is None
    pool = ProcessPoolExecutor(max_workers=os.cpu_count() or 1) if own else executor
    assert pool is not None
    try:
        futures = {pool.submit(run_replication, *task): i for i, task in enumerate(tasks)}
        results: list[dict[str, float]] = [{} for _ in tasks]
        bar = (
            tqdm(total=len(tasks), desc=description, disable=progress is False, leave=False)
            if progress is not False
            else None
        )
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            if bar is not None:
                bar.update()
        if bar is not None:
            bar.close()
        return results
    finally:
        if own:
            pool.shutdown()


def _paired_row(
    metric: str, va: np.ndarray, vb: np.ndarray, names: tuple[str, str], confidence: float
) -> dict[str, Any]:
    ma, la, ha = replication_interval(va, confidence)
    mb, lb, hb = replication_interval(vb, confidence)
    md, ld, hd = replication_interval(vb - va, confidence)
    return {
        "metric": metric,
        "unit": metric_unit(metric),
        names[0]: ma,
        "a_low": la,
        "a_high": ha,
        names[1]: mb,
        "b_low": lb,
        "b_high": hb,
        "difference": md,
        "difference_low": ld,
        "difference_high": hd,
        "p_value": paired_p_value(vb - va),
    }


def compare(
    a: Scenario,
    b: Scenario,
    replications: int = 10,
    seed: int = 0,
    *,
    metrics: Iterable[str] = HEADLINE_METRICS,
    confidence: float = 0.9,
    executor: Executor | None = None,
    progress: bool | None = None,
    primary: str | None = None,
) -> pd.DataFrame:
    """Each metric for *a* and *b* and the paired difference ``b - a`` with its interval.

    Replication ``r`` of *a* and of *b* run on the same seed (common random
    numbers), so the difference is paired. Intervals are Student t over
    replications at *confidence*, each on its own (unadjusted). *primary*
    (default: the first of *metrics*) is the one metric the comparison is about.
    The decision column ``clear`` keeps the family-wise error at ``1 - confidence``
    (serial gatekeeping): the primary metric is clear when its paired t-test
    p-value is below ``1 - confidence`` (its interval excludes 0); only then are
    the others tested, with Holm-adjusted p-values (``p_adjusted``). With fewer
    than 2 replications there is no interval and nothing is clear; an untested
    metric has no ``p_adjusted`` (NaN). Metric names and *confidence* are checked
    before anything runs (a ConfigError names the bad one).
    """
    metrics = check_metric_names(metrics)
    primary = check_metric_names([primary], "primary")[0] if primary else metrics[0]
    confidence = check_confidence(confidence)
    if primary not in metrics:
        metrics.insert(0, primary)
    seeds = replication_seeds(seed, replications)
    tasks: list[tuple[Scenario, Mapping[str, Any], int]] = [(a, {}, s) for s in seeds]
    tasks += [(b, {}, s) for s in seeds]
    runs = _run_all(tasks, executor, progress, f"{a.name} vs {b.name}")
    first, second = runs[:replications], runs[replications:]
    names = (a.name or "a", b.name or "b")
    if names[0] == names[1]:  # one column each: b's gets a suffix
        names = (names[0], f"{names[1]} (b)")
    rows = [
        _paired_row(
            metric,
            np.array([r[metric] for r in first]),
            np.array([r[metric] for r in second]),
            names,
            confidence,
        )
        for metric in metrics
    ]
    table = pd.DataFrame(rows)
    table.insert(1, "primary", table["metric"] == primary)
    _gatekeep(table, 1 - confidence)
    table.attrs.update(
        replications=replications,
        seed=seed,
        confidence=confidence,
        primary=primary,
        names=names,
        weeks=a.weeks,
        warmup_minutes=a.warmup_minutes,
    )
    return table


def _gatekeep(table: pd.DataFrame, alpha: float) -> None:
    """``p_adjusted`` and ``clear``: the primary at *alpha*, then Holm over the others.

    When the primary is not clear the others are not tested: their ``p_adjusted``
    is NaN (an empty cell in compare.csv), as the report prints "untested".
    """
    primary = table["primary"].to_numpy(dtype=bool)
    adjusted = table["p_value"].to_numpy(dtype=float).copy()
    gate = bool((adjusted[primary] < alpha).all())
    adjusted[~primary] = holm(adjusted[~primary]) if gate else np.nan
    table["p_adjusted"] = adjusted
    table["clear"] = (adjusted < alpha) & gate


def sweep(
    scenario: Scenario,
    grid: Mapping[str, Sequence[Any]],
    replications: int = 5,
    seed: int = 0,
    *,
    executor: Executor | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """One row per (grid point, replication): the grid's values, the seed and every metric.

    A value given twice for one key is refused before anything runs (the two
    points would pool into one row with twice the replications).
    """
    if not grid:
        raise ValueError("grid is empty: give at least one key with values to try")
    keys = list(grid)
    for key, values in grid.items():
        if not list(values):
            raise ValueError(f"grid[{key!r}] has no values to try")
    check_distinct_values({k: list(v) for k, v in grid.items()})
    for key, values in grid.items():
        with_changes(scenario, {key: next(iter(values))})  # fail early on a bad key or value
    points = list(itertools.product(*(list(grid[k]) for k in keys)))
    seeds = replication_seeds(seed, replications)
    tasks = [(scenario, dict(zip(keys, p, strict=True)), s) for p in points for s in seeds]
    runs = _run_all(tasks, executor, progress, f"sweep {scenario.name}")
    rows = []
    for (point, rep), metrics in zip(
        itertools.product(points, range(replications)), runs, strict=True
    ):
        rows.append(
            {
                **dict(zip(keys, point, strict=True)),
                "replication": rep,
                "seed": seeds[rep],
                **metrics,
            }
        )
    return pd.DataFrame(rows)


def sweep_summary(
    table: pd.DataFrame, keys: Sequence[str], metric: str, confidence: float = 0.9
) -> pd.DataFrame:
    """Mean and interval of *metric* at each grid point (for plots and reports).

    Intervals are Student t over replications (NaN with one replication). With a
    ``replication`` column, ``difference`` is the paired difference (same seeds)
    from the grid point that has the first value of ``keys[0]`` (in the table's
    order) and the same values of the other keys, with its interval.
    """
    metric = check_metric_names([metric], "metric")[0] if metric not in table else metric
    confidence = check_confidence(confidence)
    keys = list(keys)
    reference = table[keys[0]].iloc[0] if len(table) else None
    paired = "replication" in table
    rows = []
    for point, frame in table.groupby(keys, sort=True):
        mean, low, high = replication_interval(frame[metric].to_numpy(), confidence)
        values = point if isinstance(point, tuple) else (point,)
        row = {
            **dict(zip(keys, values, strict=True)),
            "mean": mean,
            "low": low,
            "high": high,
            "replications": len(frame),
        }
        if paired:
            row.update(
                _difference_from_reference(table, frame, keys, reference, metric, confidence)
            )
        rows.append(row)
    return pd.DataFrame(rows)


def _difference_from_reference(
    table: pd.DataFrame,
    frame: pd.DataFrame,
    keys: list[str],
    reference: Any,
    metric: str,
    confidence: float,
) -> dict[str, float]:
    """Paired difference of *frame* from the reference point with the same other keys."""
    same = table[keys[0]] == reference
    for key in keys[1:]:
        same &= table[key] == frame[key].iloc[0]
    base = table[same].set_index("replication")[metric]
    ours = frame.set_index("replication")[metric]
    both = ours.index.intersection(base.index)
    diff, low, high = replication_interval(
        ours.loc[both].to_numpy(dtype=float) - base.loc[both].to_numpy(dtype=float), confidence
    )
    return {"difference": diff, "difference_low": low, "difference_high": high}
