"""Calibration recovers the known parameters of the synthetic sample export.

The sample (``data/imports/pagerduty-synthetic-sample.json``) is made by
``data/imports/make_sample.py``, which uses numpy and the standard library only, not the
lab's model, so this is not circular. Tolerances are stated per parameter: three
standard errors of the estimate at the sample's size (so a correct estimator fails about
1 time in 370), except where the method is approximate, which says so.
"""

from __future__ import annotations

import importlib.util
import json
import math

import numpy as np
import pytest
from scipy import stats

from pager_lab.alerting.importing import load_export
from pager_lab.analysis.calibration import calibrate
from pager_lab.analysis.calibration_toml import calibrated_scenario, scenario_toml
from tests.helpers import DATA

SAMPLE = DATA / "imports" / "pagerduty-synthetic-sample.json"


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_sample", DATA / "imports" / "make_sample.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()
TRUTH = GENERATOR.PARAMETERS


@pytest.fixture(scope="module")
def calibration():
    result, _ = load_export(SAMPLE, zone=TRUTH["zone"])
    return calibrate(result)


def test_the_sample_is_what_the_documented_generator_makes_and_says_synthetic():
    committed = json.loads(SAMPLE.read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(GENERATOR.make()))
    assert committed["synthetic"] is True and "SYNTHETIC" in committed["note"]


def test_arrival_rate_weekend_factor_and_profile(calibration):
    n = calibration.incidents
    profile = np.asarray(TRUTH["profile"])
    weekly_mean = TRUTH["rate_per_hour"] * profile.mean() * (5 + 2 * TRUTH["weekend_factor"]) / 7
    total = sum(calibration["rate_per_hour"].values())  # mean incidents per hour over the week
    assert abs(math.log(total / weekly_mean)) < 3 / math.sqrt(n)
    weekend = calibration.estimates["weekend_factor"]
    weekday = calibration.estimates["weekday_factor"]
    log_se = math.sqrt(1 / weekend.support + 1 / weekday.support)
    assert abs(math.log(weekend.value / TRUTH["weekend_factor"])) < 3 * log_se
    correlation = np.corrcoef(calibration["profile"], profile)[0, 1]
    assert correlation > 0.9  # the smoothed profile follows the true shape


def test_the_hour_of_week_profile_keeps_the_shape_and_the_weekend(calibration):
    week = np.asarray(calibration["week_profile"]).reshape(7, 24)
    assert week.mean() == pytest.approx(1.0, abs=0.01)
    truth = np.outer([1.0] * 5 + [TRUTH["weekend_factor"]] * 2, TRUTH["profile"])
    assert np.corrcoef(week.ravel(), truth.ravel())[0, 1] > 0.85
    weekend = calibration.estimates["weekend_factor"]
    log_se = math.sqrt(1 / weekend.support + 1 / calibration.estimates["weekday_factor"].support)
    ratio = week[5:].mean() / week[:5].mean()
    assert abs(math.log(ratio / TRUTH["weekend_factor"])) < 3 * log_se


def test_severity_and_urgency_mix(calibration):
    n = calibration.incidents
    for priority, share in TRUTH["priority_mix"].items():
        got = calibration["severity_mix"][f"SEV{priority[1]}"]
        assert abs(got - share) < 3 * math.sqrt(share * (1 - share) / n), priority
    assert calibration["urgency"] == {"SEV1": "high", "SEV2": "high", "SEV3": "high", "SEV4": "low"}


def _se(calibration, key: str) -> float:
    source = calibration.estimates[key].source  # "SE 0.218; maximum likelihood over ..."
    return float(source.split(";")[0].removeprefix("SE "))


@pytest.mark.parametrize("state", ["awake", "asleep"])
def test_time_to_acknowledge_by_window(calibration, state):
    # the joint fit of delay and misses (escalation_fit) reports its standard errors
    for key, truth in (
        (f"{state}_median_minutes", TRUTH["ack_median"][state]),
        (f"{state}_sigma", TRUTH["ack_sigma"][state]),
    ):
        assert abs(calibration[key] - truth) < 3 * _se(calibration, key), key


def test_misses_awake_and_the_escalated_share_asleep(calibration):
    p = TRUTH["miss"]["awake"]
    assert abs(calibration["awake_miss"] - p) < 3 * _se(calibration, "awake_miss")
    # Asleep, most pages escalate whatever happens (median answer 8 min, timeout 5), so a
    # miss and a slow answer are hard to tell apart in ~80 incidents: the share escalated
    # the fit implies is what the data pin down, within 3 binomial standard errors.
    timeout = TRUTH["timeout_minutes"]

    def escalated(median: float, sigma: float, miss: float) -> float:
        slow = 1 - stats.norm.cdf(math.log(timeout / median) / sigma)
        return miss + (1 - miss) * slow

    truth = escalated(
        TRUTH["ack_median"]["asleep"], TRUTH["ack_sigma"]["asleep"], TRUTH["miss"]["asleep"]
    )
    fitted = escalated(
        calibration["asleep_median_minutes"],
        calibration["asleep_sigma"],
        calibration["asleep_miss"],
    )
    n = calibration.estimates["asleep_miss"].support
    assert abs(fitted - truth) < 3 * math.sqrt(truth * (1 - truth) / n)
    assert abs(calibration["asleep_miss"] - TRUTH["miss"]["asleep"]) < 3 * _se(
        calibration, "asleep_miss"
    )


def test_level_timeout(calibration):
    # between the longest answer not escalated and the shortest escalated one
    assert abs(calibration["timeout_minutes"] - TRUTH["timeout_minutes"]) < 0.5


def test_work_time_per_severity_and_sigma(calibration):
    sigma = TRUTH["work_sigma"]
    support = calibration["severity_mix"]
    n = calibration.incidents
    for priority in ("P2", "P3", "P4"):  # P1 has ~20 incidents: checked only loosely below
        got = calibration["resolve_median_minutes"][f"SEV{priority[1]}"]
        count = support[f"SEV{priority[1]}"] * n
        assert abs(math.log(got / TRUTH["work_median"][priority])) < 3 * sigma / math.sqrt(count)
    assert abs(math.log(calibration["resolve_median_minutes"]["SEV1"] / 90.0)) < 0.7
    assert abs(calibration["resolve_sigma"] - sigma) < 0.1
    assert calibration["ttr_distribution"] == "lognorm"  # the generator's shape wins by AIC


def test_the_calibrated_scenario_runs_and_says_where_each_number_came_from(calibration):
    text = scenario_toml(calibration, "sample")
    scenario = calibrated_scenario(text)
    assert scenario.time_zone == "Europe/Dublin" and len(scenario.team) == 6
    assert "assumption: the export names no responders" in text
    assert "[450 incidents]" in text  # support is stated
    for line in text.splitlines():
        if "=" in line and not line.startswith(
            ("#", "[", "name", "description", "targets", "service", "week_profile")
        ):
            assert "#" in line, f"no comment on: {line}"
