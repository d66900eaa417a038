"""Metrics over the model's tables (or any tables with the same columns).

MTTA and MTTR follow PagerDuty's analytics: time from the incident's start to
its first acknowledgement / to its resolution, reported as mean, median, p90
and p95. Incident durations are skewed, and a single run's mean misleads
(Davidovič 2021; VOID 2022), so every statistic comes with a bootstrap
confidence interval by default, and every interval names its method
(``pager_lab.analysis.intervals``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pager_lab.analysis.intervals import (
    METHODS,
    STATISTICS,
    batch_means_interval,
    bootstrap_interval,
    interval_method,
)
from pager_lab.analysis.survival import censor, kaplan_meier_statistic

__all__ = [
    "STATISTICS",
    "bootstrap_interval",
    "escalation_summary",
    "gini",
    "max_min_ratio",
    "mtta_by_urgency",
    "response_table",
    "urgency",
]

RESPONSE_METRICS = (
    ("MTTA", "time_to_acknowledge", "acknowledge_censored"),
    ("MTTR", "time_to_resolve", "resolve_censored"),
)


def _interval(
    frame: pd.DataFrame,
    column: str,
    censored_column: str,
    statistic: str,
    method: str,
    confidence: float,
    resamples: int,
    seed: int,
) -> tuple[float, float, float, str]:
    """One statistic of one column with the interval *method* (Kaplan-Meier when censored)."""
    censored = (
        frame[censored_column].to_numpy(dtype=bool)
        if censored_column in frame
        else np.zeros(len(frame), dtype=bool)
    )
    values = frame[column].to_numpy(dtype=float)
    if censored.any():
        return (
            *kaplan_meier_statistic(values, censored, statistic, confidence=confidence),
            "kaplan_meier",
        )
    if method == "batch_means":
        order = np.argsort(frame["triggered_minute"].to_numpy(dtype=float), kind="stable")
        return (*batch_means_interval(values[order], statistic, confidence=confidence), method)
    return (
        *bootstrap_interval(
            values, statistic, confidence=confidence, resamples=resamples, seed=seed
        ),
        method,
    )


def _group_rows(
    group: Any, frame: pd.DataFrame, method: str, confidence: float, resamples: int, seed: int
) -> list[dict[str, Any]]:
    """The response table's rows of one group: each metric and statistic with its interval."""
    rows = []
    for metric, column, censored_column in RESPONSE_METRICS:
        counted = frame[frame[column].notna()]
        used = interval_method(len(counted), method)
        n_censored = int(counted[censored_column].sum()) if censored_column in counted else 0
        for statistic in STATISTICS:
            est, low, high, label = _interval(
                counted, column, censored_column, statistic, used, confidence, resamples, seed
            )
            rows.append(
                {
                    "group": group,
                    "metric": metric,
                    "statistic": statistic,
                    "minutes": est,
                    "low": low,
                    "high": high,
                    "n": len(counted),
                    "censored": n_censored,
                    "method": METHODS[label],
                }
            )
    return rows


def response_table(
    incidents: pd.DataFrame,
    *,
    by: str | None = None,
    confidence: float = 0.9,
    resamples: int = 1000,
    seed: int = 0,
    method: str = "bootstrap",
    end_minute: float | None = None,
) -> pd.DataFrame:
    """MTTA and MTTR (minutes) as mean, median, p90, p95 with confidence intervals.

    One row per (group, metric, statistic); *by* may be ``severity``, ``service``,
    ``urgency``, ``acknowledged_by``, ... Unacknowledged incidents that were
    resolved are left out of MTTA, as PagerDuty does.

    *method* is ``bootstrap`` (incidents independent: right at light loads),
    ``batch_means`` (steady-state queues, where incidents wait on each other) or
    ``auto`` (batch means for a group of ``BATCH_MEANS_FROM`` values or more).
    With *end_minute*, the table is cut at that minute (:func:`censor`); incidents
    still open then — or open in the data (NaN ``resolved_minute``) — are
    right-censored, counted in ``censored``, and their statistics are
    Kaplan-Meier estimates. The ``method`` column names what each interval uses.
    """
    interval_method(0, method)  # refuse an unknown method before any work
    open_in_data = "resolved_minute" in incidents and incidents["resolved_minute"].isna().any()
    if end_minute is not None or open_in_data:
        incidents = censor(incidents, end_minute)
    if by == "urgency" and "urgency" not in incidents:
        incidents = incidents.assign(urgency=urgency(incidents))
    groups = [("all", incidents)] if by is None else list(incidents.groupby(by, observed=True))
    rows = [
        row
        for group, frame in groups
        for row in _group_rows(group, frame, method, confidence, resamples, seed)
    ]
    table = pd.DataFrame(rows)
    if by is not None:
        table = table.rename(columns={"group": by})
    return table


def urgency(incidents: pd.DataFrame) -> pd.Series:
    """Each incident's urgency, ``high`` or ``low`` (from ``urgency`` or ``low_urgency``)."""
    if "urgency" in incidents:
        return incidents["urgency"].astype(str)
    low = incidents["low_urgency"].astype(bool).to_numpy()
    return pd.Series(np.where(low, "low", "high"), index=incidents.index, name="urgency")


def mtta_by_urgency(
    incidents: pd.DataFrame,
    *,
    confidence: float = 0.9,
    resamples: int = 1000,
    seed: int = 0,
    method: str = "bootstrap",
) -> pd.DataFrame:
    """MTTA (mean, median, p90, p95; minutes and hours) for high- and low-urgency incidents.

    Low-urgency incidents wait for business hours before anyone is paged
    (PagerDuty urgency), so their MTTA is hours, not minutes: mixed into one
    MTTA they make its p95 look like a slow team.
    """
    table = response_table(
        incidents.assign(urgency=urgency(incidents)),
        by="urgency",
        confidence=confidence,
        resamples=resamples,
        seed=seed,
        method=method,
    )
    table = table[table["metric"] == "MTTA"].drop(columns="metric").reset_index(drop=True)
    table.insert(list(table.columns).index("minutes") + 1, "hours", table["minutes"] / 60)
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
