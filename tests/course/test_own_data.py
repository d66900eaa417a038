"""10's self-check: the calibrated team with four people."""

from __future__ import annotations

import pytest

from pager_lab.alerting.importing import load_export
from pager_lab.analysis.calibration import calibrate
from pager_lab.analysis.calibration_toml import calibrated_scenario, scenario_toml
from pager_lab.analysis.summary import summarize
from pager_lab.course.own_data import WHAT_IF_SEED, check_own_what_if
from pager_lab.sim.model import simulate
from pager_lab.sim.scenario_io import with_changes
from tests.helpers import DATA


@pytest.fixture(scope="module")
def calibrated():
    result, _ = load_export(
        DATA / "imports" / "pagerduty-synthetic-sample.json", zone="Europe/Dublin"
    )
    return with_changes(calibrated_scenario(scenario_toml(calibrate(result))), {"weeks": 4})


def test_not_answered_yet_says_what_to_do(calibrated):
    fb = check_own_what_if(..., ..., calibrated)
    assert not fb.answered and "Replace `...`" in repr(fb)


def test_the_right_answer_passes_and_wrong_ones_say_why(calibrated):
    smaller = with_changes(calibrated, {"team_size": 4})
    value = summarize(simulate(smaller, seed=WHAT_IF_SEED))["sleep_pages_per_person_week"]
    assert check_own_what_if(smaller, value, calibrated).passed
    wrong_team = check_own_what_if(calibrated, value, calibrated)
    assert not wrong_team.passed and "has 6 people" in repr(wrong_team)
    wrong_seed = summarize(simulate(smaller, seed=WHAT_IF_SEED + 1))["sleep_pages_per_person_week"]
    assert wrong_seed != value
    assert "with seed 3 this scenario gives" in repr(
        check_own_what_if(smaller, wrong_seed, calibrated)
    )
    text = check_own_what_if("4 people", value, calibrated)
    assert not text.passed and "with_changes" in repr(text)
