"""Metrics over the model's tables (or any tables with the same columns).

MTTA and MTTR follow PagerDuty's analytics: time from the incident's start to
its first acknowledgement / to its resolution, reported as mean, median, p90
and p95. Incident durations are skewed, and a single run's mean misleads
(Davidovič 2021; VOID 2022), so every statistic comes with a bootstrap
confidence interval by default.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

__all__ = [
    "STATISTICS",
    "bootstrap_interval",
    "escalation_summary",
    "gini",
    "max_min_ratio",
    "response_table",
]

STATISTICS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "mean": lambda x: np.mean(x, axis=-1),
    "median": lambda x: np.median(x, axis=-1),
    "p90": lambda x: np.percentile(x, 90, axis=-1),
    "p95": lambda x: np.percentile(x, 95, axis=-1),
}
"""PagerDuty reports all four."""


def bootstrap_interval(
    values: np.ndarray,
    statistic: str = "mean",
    *,
    confidence: float = 0.9,
    resamples: int = 1000,
    seed: int = 0,
) -> tuple[float, float, float]:
    """``(estimate, low, high)``: the statistic and its percentile bootstrap interval.

    Resampling uses its own seeded generator, so the interval is reproducible.
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return (np.nan, np.nan, np.nan)
    if not 0 < confidence < 1:
        raise ValueError(f"confidence ({confidence}) must be between 0 and 1")
    stat = STATISTICS[statistic]
    rng = np.random.default_rng(seed)
    estimates = np.empty(resamples)
    chunk = max(1, 2_000_000 // x.size)  # bound memory: at most ~16 MB of resamples at once
    for lo in range(0, resamples, chunk):
        n = min(chunk, resamples - lo)
        estimates[lo : lo + n] = stat(x[rng.integers(0, x.size, (n, x.size))])
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(estimates, [tail, 100 - tail])
    return float(stat(x)), float(low), float(high)


def response_table(
    incidents: pd.DataFrame,
    *,
    by: str | None = None,
    confidence: float = 0.9,
    resamples: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """MTTA and MTTR (minutes) as mean, median, p90, p95 with bootstrap intervals.

    One row per (group, metric, statistic); *by* may be ``severity``, ``service``,
    ``acknowledged_by``, ... Unacknowledged or unresolved incidents are left out
    of the respective metric, as PagerDuty does.
    """
    groups = [("all", incidents)] if by is None else list(incidents.groupby(by, observed=True))
    rows = []
    for group, frame in groups:
        for metric, column in (("MTTA", "time_to_acknowledge"), ("MTTR", "time_to_resolve")):
            values = frame[column].to_numpy(dtype=float)
            for statistic in STATISTICS:
                est, low, high = bootstrap_interval(
                    values, statistic, confidence=confidence, resamples=resamples, seed=seed
                )
                rows.append(
                    {
                        "group": group,
                        "metric": metric,
                        "statistic": statistic,
                        "minutes": est,
                        "low": low,
                        "high": high,
                        "n": int(np.count_nonzero(~np.isnan(values))),
                    }
                )
    table = pd.DataFrame(rows)
    if by is not None:
        table = table.rename(columns={"group": by})
    return table


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative loads: 0 = perfectly even, near 1 = one person does all."""
    x = np.sort(np.asarray(values, dtype=float))
    if x.size == 0 or x.sum() == 0:
        return 0.0
    if (x < 0).any():
        raise ValueError("gini needs non-negative values")
    n = x.size
    return float((2 * np.arange(1, n + 1) - n - 1) @ x / (n * x.sum()))


def max_min_ratio(values: np.ndarray) -> float:
    """Largest load over the smallest (``inf`` when someone has none and another some)."""
    x = np.asarray(values, dtype=float)
    if x.size == 0 or x.max() == 0:
        return 1.0
    return float(x.max() / x.min()) if x.min() > 0 else float("inf")


def escalation_summary(incidents: pd.DataFrame) -> dict[str, float]:
    """How far escalation had to go: the funnel and the no-one-answered count."""
    paged = incidents[incidents["highest_level"] > 0]
    funnel = {
        f"reached_level_{k}": int((paged["highest_level"] >= k).sum())
        for k in range(1, int(paged["highest_level"].max() if len(paged) else 0) + 1)
    }
    return {
        "incidents_paged": len(paged),
        "escalation_rate": float((paged["highest_level"] > 1).mean()) if len(paged) else 0.0,
        "no_one_answered": int(incidents["no_one_answered"].sum()),
        **funnel,
    }
