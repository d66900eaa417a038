"""Right-censored times: incidents still open when an observation window ends.

An incident open at the end of a window (a real export, or a simulated window
cut short) has a time to resolve of *at least* ``end - triggered``. Dropping it
biases medians and percentiles down; the Kaplan-Meier estimator keeps it
(REFERENCES.md, "Censoring": lifelines' ``KaplanMeierFitter``).

The estimator is written here rather than taken from lifelines: lifelines 0.30.3
requires pandas < 3 (lifelines issue #1685) and this project pins pandas 3. It
follows lifelines' conventions and matches its numbers (tests/analysis/test_survival.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["censor", "kaplan_meier", "kaplan_meier_statistic"]

QUANTILES = {"median": 0.5, "p90": 0.9, "p95": 0.95}


def censor(incidents: pd.DataFrame, end_minute: float | None = None) -> pd.DataFrame:
    """The incidents of a window ending at *end_minute*, with censoring marked.

    Incidents triggered at or after the end are outside the window and dropped.
    One resolved after the end, or never (NaN ``resolved_minute``, as in real
    data), is censored at the end: ``time_to_resolve = end - triggered`` and
    ``resolve_censored`` is true; likewise an acknowledgement after the end
    (``acknowledge_censored``). Without *end_minute*, only open incidents
    (NaN ``resolved_minute``) are censored, at the latest time the table knows.
    """
    table = incidents.copy()
    triggered = table["triggered_minute"].astype(float)
    if end_minute is None:
        known = table[["triggered_minute", "acknowledged_minute", "resolved_minute"]].max()
        end_minute = float(np.nanmax(known.to_numpy(dtype=float))) if len(table) else 0.0
    else:
        table = table[triggered < end_minute].copy()
        triggered = triggered[triggered < end_minute]
    resolved = table["resolved_minute"].astype(float)
    open_at_end = resolved.isna() | resolved.gt(end_minute)
    acknowledged = table["acknowledged_minute"].astype(float)
    # Resolved without an acknowledgement (auto-resolved) in the window: not censored.
    unacknowledged_at_end = acknowledged.gt(end_minute) | (acknowledged.isna() & open_at_end)
    for event, late in (("resolve", open_at_end), ("acknowledge", unacknowledged_at_end)):
        table[f"{event}_censored"] = late.to_numpy()
        table.loc[late, f"time_to_{event}"] = end_minute - triggered[late]
    return table.reset_index(drop=True)


def kaplan_meier(durations: np.ndarray, censored: np.ndarray) -> pd.DataFrame:
    """The Kaplan-Meier product-limit curve: one row per distinct event time.

    Columns ``time``, ``at_risk``, ``events``, ``survival`` and ``greenwood`` (the
    running sum of d / (n (n - d)) for the variance). Ties: events happen before
    censorings at the same time, as in lifelines.
    """
    t = np.asarray(durations, dtype=float)
    keep = ~np.isnan(t)
    t, observed = t[keep], ~np.asarray(censored, dtype=bool)[keep]
    times, events = np.unique(t[observed], return_counts=True)
    at_risk = t.size - np.searchsorted(np.sort(t), times, side="left")
    survival = np.cumprod(1 - events / at_risk)
    with np.errstate(divide="ignore"):
        greenwood = np.cumsum(events / (at_risk * (at_risk - events)))
    return pd.DataFrame(
        {
            "time": times,
            "at_risk": at_risk,
            "events": events,
            "survival": survival,
            "greenwood": greenwood,
        }
    )


def _first_below(times: np.ndarray, survival: np.ndarray, level: float) -> float:
    """The first time the curve is at or below *level* (``inf`` if it never is)."""
    below = np.flatnonzero(survival <= level + 1e-12)
    return float(times[below[0]]) if below.size else float("inf")


def kaplan_meier_statistic(
    durations: np.ndarray, censored: np.ndarray, statistic: str, *, confidence: float = 0.9
) -> tuple[float, float, float]:
    """``(estimate, low, high)`` of a time-to-event statistic with right-censoring.

    ``median``, ``p90`` and ``p95`` are quantiles of the Kaplan-Meier curve, with
    the pointwise exponential-Greenwood (log-log) band lifelines'
    ``KaplanMeierFitter`` uses; ``mean`` is the mean restricted to the longest time
    observed (a lower bound when that time is censored), without an interval. A
    quantile the curve never reaches is ``inf``.
    """
    t = np.asarray(durations, dtype=float)
    t = t[~np.isnan(t)]
    if t.size == 0:
        return (np.nan, np.nan, np.nan)
    curve = kaplan_meier(durations, censored)
    times, survival = curve["time"].to_numpy(), curve["survival"].to_numpy()
    if statistic == "mean":
        steps = np.diff(np.concatenate([[0.0], times, [t.max()]]))
        return float(steps @ np.concatenate([[1.0], survival])), np.nan, np.nan
    z = float(stats.norm.ppf((1 + confidence) / 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_log = np.log(-np.log(survival))
        spread = z * np.sqrt(curve["greenwood"].to_numpy()) / np.abs(np.log(survival))
        upper_band = np.exp(-np.exp(log_log - spread))
        lower_band = np.exp(-np.exp(log_log + spread))
    gone = survival == 0  # the band closes where the curve reaches 0, as in lifelines
    lower_band, upper_band = np.where(gone, 0.0, lower_band), np.where(gone, 0.0, upper_band)
    level = 1 - QUANTILES[statistic]
    return (
        _first_below(times, survival, level),
        _first_below(times, np.nan_to_num(lower_band, nan=0.0), level),
        _first_below(times, np.nan_to_num(upper_band, nan=1.0), level),
    )
