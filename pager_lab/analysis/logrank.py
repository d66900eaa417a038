"""Comparing two sets of censored durations: the log-rank test and Kaplan-Meier medians.

The log-rank (Mantel-Cox) test is written here rather than taken from lifelines for
the reason ``survival.py`` gives: lifelines 0.30.3 requires pandas < 3 and this
project pins pandas 3 (pip would fall back to lifelines 0.30.0, whose author later
capped pandas below 3). It is the textbook statistic: at each distinct event time,
the observed minus expected events of group 1 and the hypergeometric variance,
summed; chi-square with one degree of freedom. ``tests/analysis/test_logrank.py``
checks it against Freireich's 6-MP leukaemia trial (chi-square 16.79, as in Kleinbaum &
Klein, *Survival Analysis*, 3rd ed., ch. 2, and lifelines' ``logrank_test``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import stats

from pager_lab.analysis.survival import kaplan_meier_statistic

__all__ = ["LogRank", "logrank_test", "median_difference"]


class LogRank(NamedTuple):
    """A log-rank test's result."""

    statistic: float
    """Chi-square, one degree of freedom."""
    p_value: float
    observed_a: int
    """Events (uncensored durations) in group a."""
    expected_a: float
    """Events group a would have had if both groups shared one survival curve."""


def _clean(durations: np.ndarray, censored: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(durations, dtype=float)
    c = np.asarray(censored, dtype=bool)
    keep = ~np.isnan(t)
    return t[keep], ~c[keep]


def logrank_test(
    durations_a: np.ndarray,
    censored_a: np.ndarray,
    durations_b: np.ndarray,
    censored_b: np.ndarray,
) -> LogRank:
    """Do groups a and b share one survival curve? (Mantel-Cox log-rank test)."""
    ta, ea = _clean(durations_a, censored_a)
    tb, eb = _clean(durations_b, censored_b)
    times = np.unique(np.concatenate([ta[ea], tb[eb]]))
    if times.size == 0:
        return LogRank(0.0, 1.0, 0, 0.0)
    # at risk just before each time: durations >= t; events at t
    at_risk_a = ta.size - np.searchsorted(np.sort(ta), times, side="left")
    at_risk_b = tb.size - np.searchsorted(np.sort(tb), times, side="left")
    events_a = np.searchsorted(np.sort(ta[ea]), times, side="right") - np.searchsorted(
        np.sort(ta[ea]), times, side="left"
    )
    events_b = np.searchsorted(np.sort(tb[eb]), times, side="right") - np.searchsorted(
        np.sort(tb[eb]), times, side="left"
    )
    at_risk = at_risk_a + at_risk_b
    events = events_a + events_b
    expected_a = events * at_risk_a / at_risk
    with np.errstate(invalid="ignore", divide="ignore"):
        variance = np.where(
            at_risk > 1,
            events
            * (at_risk_a / at_risk)
            * (1 - at_risk_a / at_risk)
            * (at_risk - events)
            / (at_risk - 1),
            0.0,
        )
    total_variance = float(variance.sum())
    difference = float(events_a.sum() - expected_a.sum())
    if total_variance <= 0:
        return LogRank(0.0, 1.0, int(events_a.sum()), float(expected_a.sum()))
    statistic = difference**2 / total_variance
    return LogRank(
        statistic, float(stats.chi2.sf(statistic, 1)), int(events_a.sum()), float(expected_a.sum())
    )


def median_difference(
    durations_a: np.ndarray,
    censored_a: np.ndarray,
    durations_b: np.ndarray,
    censored_b: np.ndarray,
    *,
    rng: np.random.Generator,
    resamples: int = 400,
    confidence: float = 0.9,
) -> tuple[float, float, float]:
    """Kaplan-Meier median of b minus that of a, with a percentile bootstrap interval.

    Each resample draws both groups with replacement (from *rng*, the caller's seeded
    generator). A median the curve never reaches is ``inf``; such resamples are kept, so
    an interval may be unbounded.
    """

    def median(t: np.ndarray, c: np.ndarray) -> float:
        return kaplan_meier_statistic(t, c, "median")[0]

    ta, ca = np.asarray(durations_a, float), np.asarray(censored_a, bool)
    tb, cb = np.asarray(durations_b, float), np.asarray(censored_b, bool)
    estimate = median(tb, cb) - median(ta, ca)
    draws = np.empty(resamples)
    for i in range(resamples):
        ia = rng.integers(0, ta.size, ta.size)
        ib = rng.integers(0, tb.size, tb.size)
        draws[i] = median(tb[ib], cb[ib]) - median(ta[ia], ca[ia])
    tail = (1 - confidence) / 2 * 100
    low = np.percentile(draws, tail, method="lower")  # no interpolation: inf stays inf
    high = np.percentile(draws, 100 - tail, method="higher")
    return float(estimate), float(low), float(high)
