"""The joint fit of answer delay and misses under PagerDuty's escalation."""

from __future__ import annotations

import numpy as np

from pager_lab.analysis.calibration_base import lognormal_fit
from pager_lab.analysis.escalation_fit import escalation_fit, timeout_between


def escalations(n: int, median: float, sigma: float, miss: float, timeout: float, seed: int):
    """First person: a miss or a lognormal delay; past the timeout the second answers too."""
    rng = np.random.default_rng(seed)
    missed = rng.random(n) < miss
    first = median * np.exp(sigma * rng.standard_normal(n))
    second = timeout + median * np.exp(sigma * rng.standard_normal(n))
    kept = ~missed & (first <= timeout)
    answered = np.where(missed, second, np.minimum(first, second))
    return answered[kept], answered[~kept]


def test_a_large_sample_recovers_delay_and_misses_within_three_standard_errors():
    first, escalated = escalations(20_000, 2.5, 0.7, 0.08, 5.0, seed=1)
    fit = escalation_fit(first, escalated, 5.0)
    for value, truth, se in (
        (fit.median, 2.5, fit.median_se),
        (fit.sigma, 0.7, fit.sigma_se),
        (fit.miss, 0.08, fit.miss_se),
    ):
        assert abs(value - truth) < 3 * se and se < 0.05
    naive_median, _ = lognormal_fit(first)
    assert naive_median < 2.3  # the not-escalated answers alone lose the slow tail


def test_the_timeout_lies_between_the_two_kinds_of_answer():
    first, escalated = escalations(2000, 2.5, 0.7, 0.08, 5.0, seed=2)
    timeout = timeout_between(first, escalated)
    assert timeout is not None and first.max() <= timeout <= escalated.min()
    assert abs(timeout - 5.0) < 0.1
    assert timeout_between(np.array([6.0]), np.array([5.5])) is None  # no single timeout
    assert timeout_between(np.array([]), np.array([5.5])) is None
