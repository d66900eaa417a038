"""``week_profile``: an alert source's rate by hour of the week (what calibration writes)."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from pager_lab.core.errors import ConfigError
from pager_lab.sim.arrivals import rate_at
from pager_lab.sim.model import simulate
from pager_lab.sim.scenario_io import load_scenario, parse_scenario
from tests.helpers import DATA


def _scenario_with(source_changes: dict, drop: tuple[str, ...] = ()) -> dict:
    raw = copy.deepcopy(dict(load_scenario(DATA / "scenarios" / "baseline.toml").raw))
    raw["sources"] = [raw["sources"][0]]
    for key in drop:
        raw["sources"][0].pop(key)
    raw["sources"][0].update(source_changes)
    return raw


ONLY_MONDAY_TEN = [0.0] * 168
ONLY_MONDAY_TEN[10] = 168.0  # mean 1: all of the week's rate in Monday 10:00-11:00


def test_all_alerts_fall_in_the_one_hour_the_week_profile_allows():
    raw = _scenario_with(
        {"week_profile": ONLY_MONDAY_TEN, "rate_per_hour": 0.02, "alerts_per_problem": 1},
        drop=("profile", "weekday_factor", "weekend_factor"),
    )
    scenario = parse_scenario(raw, "<week>")
    run = simulate(scenario, seed=4)
    local = pd.DatetimeIndex(run.alerts["timestamp"]).tz_convert(scenario.time_zone)
    assert len(local) > 0
    assert set(local.day_of_week) == {0} and set(local.hour) == {10}
    source = scenario.sources[0]
    monday_ten = 10 * 60 + 30.0  # the scenario starts on a Monday at 00:00 (Dublin, UTC+0)
    rates = rate_at(
        source, scenario.start, np.array([monday_ten, monday_ten + 60]), "Europe/Dublin"
    )
    assert rates.tolist() == [0.02 / 60 * 168, 0.0]


@pytest.mark.parametrize(
    ("changes", "drop", "message"),
    [
        (
            {"week_profile": [1.0] * 24},
            ("profile", "weekday_factor", "weekend_factor"),
            "168 numbers",
        ),
        (
            {"week_profile": [0.0] * 168},
            ("profile", "weekday_factor", "weekend_factor"),
            "not all 0",
        ),
        (
            {"week_profile": [1.0] * 167 + [-1.0]},
            ("profile", "weekday_factor", "weekend_factor"),
            ">= 0",
        ),
        ({"week_profile": [1.0] * 168}, (), "it replaces them"),
    ],
)
def test_a_bad_week_profile_is_refused_naming_the_key(changes, drop, message):
    with pytest.raises(ConfigError, match=r"sources\[0\]\.") as info:
        parse_scenario(_scenario_with(changes, drop), "<week>")
    assert message in str(info.value)
