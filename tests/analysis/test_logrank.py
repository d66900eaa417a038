"""The own log-rank test against a textbook example, and the KM median difference."""

from __future__ import annotations

import numpy as np
import pytest

from pager_lab.analysis.logrank import logrank_test, median_difference

# Freireich et al. (1963), 6-MP against placebo: weeks in remission; + = censored.
# Kleinbaum & Klein, Survival Analysis (3rd ed.), ch. 2: log-rank chi-square 16.79, p < 0.0001.
SIX_MP = [6, 6, 6, 7, 10, 13, 16, 22, 23, 6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35]
SIX_MP_CENSORED = [False] * 9 + [True] * 12
PLACEBO = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]


def test_freireich_leukaemia_trial_matches_the_textbook():
    result = logrank_test(
        np.array(SIX_MP, float),
        np.array(SIX_MP_CENSORED),
        np.array(PLACEBO, float),
        np.zeros(21, bool),
    )
    assert result.statistic == pytest.approx(16.793, abs=1e-3)  # lifelines 0.30.0: 16.79294
    assert result.p_value == pytest.approx(4.169e-5, rel=1e-3)
    assert (result.observed_a, result.expected_a) == (9, pytest.approx(19.25, abs=0.01))


def test_the_same_sample_twice_shows_no_difference():
    t = np.random.default_rng(3).lognormal(1, 1, 200)
    c = np.zeros(200, bool)
    assert logrank_test(t, c, t, c).p_value == pytest.approx(1.0)


def test_a_shifted_sample_differs_and_its_median_difference_is_found():
    rng = np.random.default_rng(7)
    a, b = rng.lognormal(np.log(10), 0.5, 400), rng.lognormal(np.log(20), 0.5, 400)
    none = np.zeros(400, bool)
    assert logrank_test(a, none, b, none).p_value < 1e-10
    estimate, low, high = median_difference(a, none, b, none, rng=np.random.default_rng(1))
    assert low < estimate < high and low < 10.0 < high
    again = median_difference(a, none, b, none, rng=np.random.default_rng(1))
    assert again == (estimate, low, high)  # seeded: the same interval
