"""Right-censoring: counting open incidents and Kaplan-Meier medians and percentiles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pager_lab.analysis.metrics import response_table
from pager_lab.analysis.survival import censor, kaplan_meier, kaplan_meier_statistic


def test_without_censoring_km_quantiles_equal_the_plain_ones():
    rng = np.random.default_rng(3)
    t = rng.exponential(60, 101)  # odd: the plain median is one of the values
    none = np.zeros(t.size, dtype=bool)
    assert kaplan_meier_statistic(t, none, "median")[0] == pytest.approx(np.median(t))
    # Without censoring the curve is 1 - ECDF: p90 is the 91st of 101 sorted values.
    assert kaplan_meier_statistic(t, none, "p90")[0] == pytest.approx(np.sort(t)[90])
    assert kaplan_meier_statistic(t, none, "mean")[0] == pytest.approx(t.mean())


def test_km_median_is_at_least_the_naive_median_of_resolved_only():
    rng = np.random.default_rng(4)
    t = rng.exponential(60, 400)
    cut = rng.uniform(0, 150, 400)  # each incident is watched for a random window
    observed = np.minimum(t, cut)
    censored = t > cut
    assert censored.sum() > 50
    km = kaplan_meier_statistic(observed, censored, "median")[0]
    naive = np.median(observed[~censored])
    assert km >= naive
    assert km == pytest.approx(60 * np.log(2), rel=0.15)  # the exponential's true median


def test_km_matches_lifelines_on_a_censored_sample():
    """Reference numbers from lifelines 0.30.3 KaplanMeierFitter(alpha=0.1) on this sample
    (qth_survival_times on survival_function_ and confidence_interval_survival_function_,
    restricted_mean_survival_time up to the largest time)."""
    rng = np.random.default_rng(2026)
    t = np.round(rng.exponential(60, 200), 1)
    censored = rng.random(200) < 0.3
    assert kaplan_meier_statistic(t, censored, "median") == pytest.approx((63.1, 55.0, 77.1))
    assert kaplan_meier_statistic(t, censored, "p90") == pytest.approx((207.4, 177.0, 332.5))
    assert kaplan_meier_statistic(t, censored, "p95") == pytest.approx((332.5, 207.4, 612.2))
    assert kaplan_meier_statistic(t, censored, "mean")[0] == pytest.approx(99.66575028)


def test_km_curve_by_hand():
    # Times 1, 2+, 3, 3, 4+: S(1) = 4/5, S(3) = 4/5 * (1 - 2/3) = 4/15.
    curve = kaplan_meier(np.array([1, 2, 3, 3, 4.0]), np.array([0, 1, 0, 0, 1], dtype=bool))
    assert list(curve["time"]) == [1.0, 3.0]
    assert list(curve["at_risk"]) == [5, 3]
    assert curve["survival"].to_numpy() == pytest.approx([0.8, 4 / 15])


def incidents() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "triggered_minute": [0.0, 10.0, 20.0, 30.0, 200.0],
            "acknowledged_minute": [5.0, 150.0, np.nan, np.nan, 205.0],
            "resolved_minute": [50.0, 300.0, 60.0, np.nan, 260.0],
            "time_to_acknowledge": [5.0, 140.0, np.nan, np.nan, 5.0],
            "time_to_resolve": [50.0, 290.0, 40.0, np.nan, 60.0],
        }
    )


def test_censor_cuts_a_window_and_marks_what_was_still_open():
    window = censor(incidents(), end_minute=100.0)
    assert len(window) == 4  # the one triggered at 200 is outside the window
    assert list(window["resolve_censored"]) == [False, True, False, True]
    assert list(window["time_to_resolve"]) == [50.0, 90.0, 40.0, 70.0]
    # Acked at 150 (after the end) and never acked while open: censored; auto-resolved: not.
    assert list(window["acknowledge_censored"]) == [False, True, False, True]
    assert list(window["time_to_acknowledge"][:2]) == [5.0, 90.0]
    assert np.isnan(window["time_to_acknowledge"][2])


def test_response_table_reports_censored_counts_and_uses_kaplan_meier():
    table = response_table(incidents(), end_minute=100.0, resamples=100)
    mttr = table[(table["metric"] == "MTTR")].set_index("statistic")
    assert (mttr["censored"] == 2).all() and (mttr["n"] == 4).all()
    assert set(mttr["method"]) == {"Kaplan-Meier (right-censored incidents kept)"}
    # Real data with an open incident (NaN resolved_minute) is censored without a window.
    open_data = response_table(incidents(), resamples=100)
    assert (open_data[open_data["metric"] == "MTTR"]["censored"] == 1).all()
