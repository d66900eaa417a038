"""compare() and sweep() refuse bad input before any run; rotations against the horizon."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pager_lab.analysis.experiment_checks import (
    check_confidence,
    rotation_cycle,
    short_horizon_warning,
)
from pager_lab.analysis.experiment_report import run_header
from pager_lab.analysis.experiments import SerialExecutor, compare, sweep, sweep_summary
from pager_lab.core.errors import ConfigError
from pager_lab.sim.scenario_io import load_scenario, with_changes
from tests.helpers import DATA


class CountingExecutor(SerialExecutor):
    """A serial executor that counts the runs it was given."""

    def __init__(self) -> None:
        self.runs = 0

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.runs += 1
        return super().submit(fn, *args, **kwargs)


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(DATA / "scenarios" / "baseline.toml")


@pytest.fixture(scope="module")
def one_week(baseline):
    return with_changes(baseline, {"weeks": 1})


def test_compare_refuses_a_misspelt_metric_before_any_run(one_week):
    pool = CountingExecutor()
    with pytest.raises(ConfigError) as caught:
        compare(one_week, one_week, 2, metrics=["mtta_meen"], executor=pool, progress=False)
    message = str(caught.value)
    assert "'mtta_meen'" in message and "did you mean 'mtta_mean'?" in message
    assert "sleep_pages_per_person_week" in message  # the valid names are listed
    with pytest.raises(ConfigError, match="primary = 'mtta_meen'"):
        compare(one_week, one_week, 2, primary="mtta_meen", executor=pool, progress=False)
    assert pool.runs == 0


@pytest.mark.parametrize("level", [95, 0, 1, -0.1, float("nan"), "high", True])
def test_compare_refuses_a_confidence_outside_0_1_before_any_run(one_week, level):
    pool = CountingExecutor()
    with pytest.raises(ConfigError, match=r"confidence = .*between 0 and 1"):
        compare(one_week, one_week, 2, confidence=level, executor=pool, progress=False)
    assert pool.runs == 0


def test_a_percent_confidence_gets_a_hint():
    with pytest.raises(ConfigError, match=r"did you mean 0\.95\?"):
        check_confidence(95)
    assert check_confidence(0.95) == 0.95


@pytest.mark.parametrize("values", [[4, 6, 4], [4, 4], [4, 4.0]])
def test_sweep_refuses_a_repeated_value_before_any_run(one_week, values):
    pool = CountingExecutor()
    with pytest.raises(ConfigError, match=r"team_size = 4(\.0)? is repeated"):
        sweep(one_week, {"team_size": values}, 2, executor=pool, progress=False)
    assert pool.runs == 0


def test_sweep_summary_refuses_a_misspelt_metric_and_a_percent_confidence():
    table = pd.DataFrame({"k": [1, 1], "replication": [0, 1], "mtta_mean": [1.0, 2.0]})
    with pytest.raises(ConfigError, match="did you mean 'mtta_mean'"):
        sweep_summary(table, ["k"], "mtta_meen")
    with pytest.raises(ConfigError, match="confidence = 90"):
        sweep_summary(table, ["k"], "mtta_mean", confidence=90)


def test_untested_metrics_have_no_adjusted_p_value(one_week):
    same = with_changes(one_week, {"name": "same"})
    table = compare(
        one_week, same, 3, seed=1, metrics=["mtta_mean", "pages"], executor=SerialExecutor()
    ).set_index("metric")
    assert not table.loc["mtta_mean", "clear"]  # the primary is not clear ...
    assert table.loc["pages", "p_value"] == 1.0  # ... so pages, which has a p-value,
    assert np.isnan(table.loc["pages", "p_adjusted"])  # is not tested (as printed)


def test_tested_metrics_keep_their_holm_adjusted_p_value(one_week):
    urgent = with_changes(one_week, {"urgency": {"SEV3": "high", "SEV4": "high"}, "weeks": 2})
    slow = with_changes(urgent, {"policy.levels[0].timeout_minutes": 60.0, "name": "slow"})
    deaf = with_changes(slow, {"response.awake_miss": 0.6, "response.asleep_miss": 0.8})
    metrics = ["mtta_mean", "escalation_rate", "alerts"]
    table = compare(urgent, deaf, 6, seed=2, metrics=metrics, executor=SerialExecutor())
    table = table.set_index("metric")
    assert table.loc["mtta_mean", "clear"]
    assert np.isfinite(table.loc[["escalation_rate", "alerts"], "p_adjusted"]).all()


def test_the_rotation_cycle_is_people_times_turn_length(baseline):
    assert rotation_cycle(baseline) == ("primary", 6.0)
    assert rotation_cycle(with_changes(baseline, {"team_size": 3}))[1] == 3.0
    daily = with_changes(
        baseline,
        {"schedules[*].layers[0].turn_unit": "days", "schedules[*].layers[0].turn_length": 2},
    )
    assert rotation_cycle(daily)[1] == pytest.approx(12 / 7)


def test_a_horizon_shorter_than_a_rotation_is_warned_about(baseline):
    warning = short_horizon_warning(baseline)  # 4 weeks of a 6-week rotation
    assert warning is not None and "\n" not in warning
    for fragment in ("baseline", "6 weeks", "only 4 weeks", "--weeks 6", "multiple"):
        assert fragment in warning, fragment
    assert short_horizon_warning(with_changes(baseline, {"weeks": 6})) is None
    assert short_horizon_warning(with_changes(baseline, {"weeks": 12})) is None


def test_the_warm_up_does_not_count_as_observed():
    mmc = load_scenario(DATA / "scenarios" / "textbook-mmc.toml")  # 1-week warm-up, 3 people
    warning = short_horizon_warning(with_changes(mmc, {"weeks": 3}))
    assert warning is not None and "only 2 weeks" in warning and "--weeks 4" in warning
    assert short_horizon_warning(with_changes(mmc, {"weeks": 4})) is None


def test_run_header_counts_in_the_singular_for_one():
    one = with_changes(load_scenario(DATA / "scenarios" / "baseline.toml"), {"weeks": 1})
    assert run_header(one, 0, 1) == "1 week (warm-up 0 weeks, 1 observed), seed 0, 1 replication"
    two = with_changes(one, {"weeks": 2})
    assert run_header(two, 0, 2).startswith("2 weeks (warm-up 0 weeks, 2 observed)")
