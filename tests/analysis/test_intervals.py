"""Interval methods: batch means cover a busy queue's true mean where the bootstrap does not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pager_lab.analysis.intervals import (
    batch_means_interval,
    bootstrap_interval,
    holm,
    interval_method,
    paired_p_value,
    replication_interval,
)
from pager_lab.analysis.metrics import response_table
from pager_lab.sim.model import simulate
from pager_lab.sim.scenario_io import load_scenario, with_changes
from tests.helpers import DATA


def test_replication_interval_needs_two_replications():
    mean, low, high = replication_interval(np.array([3.0]))
    assert mean == 3.0 and np.isnan(low) and np.isnan(high)
    mean, low, high = replication_interval(np.array([1.0, 2.0, 3.0]), confidence=0.9)
    assert low < mean == 2.0 < high
    # 2.92 is Student t's 95th percentile with 2 degrees of freedom.
    assert high - mean == pytest.approx(2.919986 * 1.0 / np.sqrt(3), rel=1e-5)


def test_holm_matches_the_step_down_by_hand():
    adjusted = holm([0.01, 0.04, 0.03, np.nan, 0.5])
    # Sorted: 0.01*4, 0.03*3, 0.04*2 (kept monotone), 0.5*1; NaN stays NaN.
    assert adjusted[0] == pytest.approx(0.04)
    assert adjusted[2] == pytest.approx(0.09)
    assert adjusted[1] == pytest.approx(0.09)
    assert np.isnan(adjusted[3])
    assert adjusted[4] == pytest.approx(0.5)


def test_paired_p_value_edge_cases():
    assert np.isnan(paired_p_value(np.array([1.0])))
    assert paired_p_value(np.zeros(5)) == 1.0
    assert paired_p_value(np.full(5, 2.0)) == 0.0
    assert paired_p_value(np.array([-1.0, 1.0, -0.5, 0.5])) > 0.5


def test_batch_means_refuse_too_few_values_and_unknown_methods():
    estimate, low, high = batch_means_interval(np.arange(50.0))
    assert estimate == pytest.approx(24.5) and np.isnan(low) and np.isnan(high)
    with pytest.raises(ValueError, match="method \\('jackknife'\\)"):
        interval_method(10, "jackknife")
    assert interval_method(999) == "bootstrap" and interval_method(1000) == "batch_means"


def test_batch_means_cover_mm1_at_rho_075_where_the_bootstrap_does_not():
    """Textbook M/M/1, lambda = 0.75/h, mu = 1/h: W = 1/(mu - lambda) = 4 h = 240 min.

    40 runs of 80 weeks (about 10,000 incidents each, one week of warm-up): a nominal
    90 % batch-means interval must cover W in at least 80 % of them. The bootstrap,
    which treats waiting incidents as independent, covers it far less often.
    """
    base = load_scenario(DATA / "scenarios" / "textbook-mm1.toml")
    scenario = with_changes(
        base, {"sources[0].rate_per_hour": 0.75, "weeks": 80, "warmup_minutes": 10080}
    )
    true_w = 240.0
    batch = boot = 0
    runs = 40
    for seed in range(runs):
        incidents = simulate(scenario, seed=seed).incidents
        values = incidents.sort_values("triggered_minute")["time_to_resolve"].to_numpy()
        _, low, high = batch_means_interval(values, confidence=0.9)
        batch += low <= true_w <= high
        _, low, high = bootstrap_interval(values, confidence=0.9, resamples=200, seed=seed)
        boot += low <= true_w <= high
    assert batch >= 0.8 * runs, f"batch means covered W in {batch} of {runs} runs"
    assert boot <= 0.5 * runs, f"the bootstrap covered W in {boot} of {runs} runs"


def test_response_table_names_its_method():
    rng = np.random.default_rng(1)
    incidents = pd.DataFrame(
        {
            "triggered_minute": np.arange(1200.0),
            "time_to_acknowledge": rng.exponential(5, 1200),
            "time_to_resolve": rng.exponential(60, 1200),
            "resolved_minute": np.arange(1200.0) + 60,
        }
    )
    auto = response_table(incidents, method="auto", resamples=100)
    assert set(auto["method"]) == {"batch means (10 batches in time order)"}
    boot = response_table(incidents.head(100), method="auto", resamples=100)
    assert set(boot["method"]) == {"bootstrap (incidents treated as independent)"}
    assert (boot["censored"] == 0).all()
