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
from scipy import stats
from tqdm.auto import tqdm

from pager_lab.analysis.summary import HEADLINE_METRICS, summarize
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


def _interval(values: np.ndarray, confidence: float) -> tuple[float, float, float]:
    """Mean and Student-t interval over replications."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return (np.nan, np.nan, np.nan)
    mean = float(x.mean())
    if x.size < 2 or x.std() == 0:
        return mean, mean, mean
    half = float(stats.t.ppf((1 + confidence) / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size))
    return mean, mean - half, mean + half


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
) -> pd.DataFrame:
    """Each metric for *a* and *b* and the paired difference ``b - a`` with its interval."""
    seeds = replication_seeds(seed, replications)
    tasks: list[tuple[Scenario, Mapping[str, Any], int]] = [(a, {}, s) for s in seeds]
    tasks += [(b, {}, s) for s in seeds]
    runs = _run_all(tasks, executor, progress, f"{a.name} vs {b.name}")
    first, second = runs[:replications], runs[replications:]
    rows = []
    for metric in metrics:
        va = np.array([r[metric] for r in first])
        vb = np.array([r[metric] for r in second])
        ma, la, ha = _interval(va, confidence)
        mb, lb, hb = _interval(vb, confidence)
        md, ld, hd = _interval(vb - va, confidence)
        rows.append(
            {
                "metric": metric,
                a.name or "a": ma,
                "a_low": la,
                "a_high": ha,
                b.name or "b": mb,
                "b_low": lb,
                "b_high": hb,
                "difference": md,
                "difference_low": ld,
                "difference_high": hd,
                "clear": bool(ld > 0 or hd < 0),
            }
        )
    table = pd.DataFrame(rows)
    table.attrs.update(replications=replications, seed=seed, confidence=confidence)
    return table


def sweep(
    scenario: Scenario,
    grid: Mapping[str, Sequence[Any]],
    replications: int = 5,
    seed: int = 0,
    *,
    executor: Executor | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """One row per (grid point, replication): the grid's values, the seed and every metric."""
    if not grid:
        raise ValueError("grid is empty: give at least one key with values to try")
    keys = list(grid)
    for key, values in grid.items():
        if not list(values):
            raise ValueError(f"grid[{key!r}] has no values to try")
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
    """Mean and interval of *metric* at each grid point (for plots and reports)."""
    rows = []
    for point, frame in table.groupby(list(keys), sort=True):
        mean, low, high = _interval(frame[metric].to_numpy(), confidence)
        values = point if isinstance(point, tuple) else (point,)
        rows.append(
            {
                **dict(zip(keys, values, strict=True)),
                "mean": mean,
                "low": low,
                "high": high,
                "replications": len(frame),
            }
        )
    return pd.DataFrame(rows)
