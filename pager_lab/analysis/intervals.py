"""Confidence intervals, each honest about what it assumes.

- **bootstrap** (percentile): resamples incidents as if they were independent.
  Fine at the shipped loads; wrong in a busy queue, where one long incident
  delays the next ones (textbook M/M/1 at rho = 0.75: 4 of 40 runs covered the
  true mean).
- **batch means**: cut the run, in time order, into a few long contiguous
  batches; batch statistics are nearly independent when a batch is much longer
  than the queue's memory, so a Student-t interval over them is valid for
  steady-state output (Law & Kelton, *Simulation Modeling and Analysis*, ch. 9;
  the "several replications or batch means" practice in REFERENCES.md, Ciw).
- **replications**: a Student-t interval over independent runs (and over the
  paired differences of runs on common random numbers).

Every function returns ``(estimate, low, high)``; with too little data for an
interval, low and high are NaN (never a zero-width interval that looks certain).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy import stats

__all__ = [
    "BATCHES",
    "METHODS",
    "STATISTICS",
    "batch_means_interval",
    "bootstrap_interval",
    "holm",
    "interval_method",
    "paired_p_value",
    "replication_interval",
]

STATISTICS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "mean": lambda x: np.mean(x, axis=-1),
    "median": lambda x: np.median(x, axis=-1),
    "p90": lambda x: np.percentile(x, 90, axis=-1),
    "p95": lambda x: np.percentile(x, 95, axis=-1),
}
"""PagerDuty reports all four (REFERENCES.md, PagerDuty analytics)."""

BATCHES = 10
"""Batch means: 10 batches (Law & Kelton suggest 10 to 30; fewer, longer batches are
less correlated, which matters more than degrees of freedom in a busy queue)."""
MIN_PER_BATCH = 30
"""Fewer values than this per batch and a batch's statistic is too noisy to use."""

BATCH_MEANS_FROM = 1000
"""``method="auto"`` uses batch means from this many values (100 per batch) and the
bootstrap below it: long runs of a busy queue are where independence fails, and
short ones have too few values per batch."""

METHODS = {
    "bootstrap": "bootstrap (incidents treated as independent)",
    "batch_means": f"batch means ({BATCHES} batches in time order)",
    "replications": "Student t over replications",
    "kaplan_meier": "Kaplan-Meier (right-censored incidents kept)",
}
"""How each interval method is named in tables and reports."""

NO_INTERVAL = (np.nan, np.nan)


def interval_method(values: int, method: str = "auto") -> str:
    """``bootstrap`` or ``batch_means``: what *method* resolves to for *values* values."""
    if method not in ("auto", "bootstrap", "batch_means"):
        raise ValueError(f"method ({method!r}) must be 'auto', 'bootstrap' or 'batch_means'")
    if method != "auto":
        return method
    return "batch_means" if values >= BATCH_MEANS_FROM else "bootstrap"


def _clean(values: np.ndarray | Sequence[float]) -> np.ndarray:
    x = np.asarray(values, dtype=float)
    return x[~np.isnan(x)]


def _check(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence ({confidence}) must be between 0 and 1")


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
    Assumes independent values: for a busy queue use :func:`batch_means_interval`.
    """
    x = _clean(values)
    if x.size == 0:
        return (np.nan, np.nan, np.nan)
    _check(confidence)
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


def _t_half_width(x: np.ndarray, confidence: float) -> float:
    return float(stats.t.ppf((1 + confidence) / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size))


def batch_means_interval(
    values: np.ndarray,
    statistic: str = "mean",
    *,
    confidence: float = 0.9,
    batches: int = BATCHES,
) -> tuple[float, float, float]:
    """The statistic of all *values* (in time order) and a batch-means interval.

    The run is cut into *batches* contiguous batches; the half-width is Student t
    over the batches' statistics (sectioning). NaN bounds when there are fewer
    than ``MIN_PER_BATCH`` values per batch.
    """
    x = _clean(values)
    if x.size == 0:
        return (np.nan, np.nan, np.nan)
    _check(confidence)
    stat = STATISTICS[statistic]
    estimate = float(stat(x))
    if batches < 2 or x.size < batches * MIN_PER_BATCH:
        return (estimate, *NO_INTERVAL)
    per_batch = np.array([float(stat(b)) for b in np.array_split(x, batches)])
    half = _t_half_width(per_batch, confidence)
    return estimate, estimate - half, estimate + half


def replication_interval(values: np.ndarray, confidence: float = 0.9) -> tuple[float, float, float]:
    """Mean and Student-t interval over replications (NaN bounds with fewer than 2)."""
    x = _clean(values)
    if x.size == 0:
        return (np.nan, np.nan, np.nan)
    _check(confidence)
    mean = float(x.mean())
    if x.size < 2:
        return (mean, *NO_INTERVAL)
    if x.std() == 0:  # every replication agrees exactly (common random numbers)
        return mean, mean, mean
    half = _t_half_width(x, confidence)
    return mean, mean - half, mean + half


def paired_p_value(differences: np.ndarray) -> float:
    """Two-sided paired t-test p-value that the mean difference is 0 (NaN with < 2 pairs)."""
    x = _clean(differences)
    if x.size < 2:
        return float("nan")
    if x.std() == 0:
        return 1.0 if x.mean() == 0 else 0.0
    return float(stats.ttest_1samp(x, 0.0).pvalue)


def holm(p_values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values (family-wise error control; NaN stays NaN)."""
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    known = np.flatnonzero(~np.isnan(p))
    order = known[np.argsort(p[known], kind="stable")]
    m, running = len(order), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out
