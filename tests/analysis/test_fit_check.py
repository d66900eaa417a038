"""The fit check: a verdict per part that names its threshold, and it can say "differs"."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from pager_lab.alerting.importing import load_export
from pager_lab.analysis.calibration import calibrate
from pager_lab.analysis.calibration_toml import calibrated_scenario, scenario_toml
from pager_lab.analysis.fit_check import fit_report, simulate_and_compare
from pager_lab.analysis.fit_plots import plot_fit_check
from pager_lab.analysis.style import png_bytes
from pager_lab.sim.scenario_io import with_changes
from tests.helpers import DATA

SAMPLE = DATA / "imports" / "pagerduty-synthetic-sample.json"
PARTS = [
    "hourly profile",
    "weekly profile",
    "time to acknowledge",
    "time to resolve",
    "interruptions by window",
]


@pytest.fixture(scope="module")
def fitted():
    result, _ = load_export(SAMPLE, zone="Europe/Dublin")
    scenario = calibrated_scenario(scenario_toml(calibrate(result), "sample"))
    return result, scenario


def test_each_part_has_a_verdict_and_the_report_names_the_threshold(fitted):
    result, scenario = fitted
    check = simulate_and_compare(result, scenario, seeds=3, seed=1)
    assert [v.part for v in check.verdicts] == PARTS
    verdicts = {v.part: v.verdict for v in check.verdicts}
    # the calibrated model reproduces when incidents start and how fast pages are answered
    assert verdicts["hourly profile"] == "no evidence of a difference"
    assert verdicts["time to acknowledge"] == "no evidence of a difference"
    report = fit_report(check)
    assert "p < 0.01 -> differs" in report and "Kaplan-Meier median" in report
    assert (
        simulate_and_compare(result, scenario, seeds=3, seed=1).table().equals(check.table())
    )  # seeded
    assert png_bytes(plot_fit_check(check)).startswith(b"\x89PNG")


def test_a_model_that_answers_five_times_slower_is_found_to_differ(fitted):
    result, scenario = fitted
    slow = with_changes(
        scenario,
        {
            "response.awake_median_minutes": scenario.response.awake_median_minutes * 5,
            "response.asleep_median_minutes": scenario.response.asleep_median_minutes * 5,
        },
    )
    check = simulate_and_compare(result, slow, seeds=2, seed=1)
    tta = next(v for v in check.verdicts if v.part == "time to acknowledge")
    assert tta.verdict == "differs" and tta.p_value < 0.01
    assert "+" in tta.detail.split(":")[1]  # the simulated median is longer


def test_few_incidents_are_warned_about(fitted, tmp_path: Path):
    _, scenario = fitted
    body = json.loads(SAMPLE.read_text())
    body["data"] = body["data"][:30]
    body.pop("exported_at")
    small = tmp_path / "small.json"
    small.write_text(json.dumps(body))
    result, _ = load_export(small, zone="Europe/Dublin")
    assert any("under 50" in w for w in calibrate(result).warnings)
    check = simulate_and_compare(result, dataclasses.replace(scenario, weeks=2.0), seeds=2)
    assert "under 50, too few to say" in fit_report(check)


def test_an_export_without_interruption_counts_leaves_that_part_untested(fitted, tmp_path):
    _, scenario = fitted
    body = json.loads(SAMPLE.read_text())
    for row in body["data"]:
        for key in (
            "business_hour_interruptions",
            "off_hour_interruptions",
            "sleep_hour_interruptions",
        ):
            row.pop(key)
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps(body))
    result, _ = load_export(bare, zone="Europe/Dublin")
    check = simulate_and_compare(result, scenario, seeds=2)
    window = check.verdicts[-1]
    assert window.verdict == "untested" and "no interruption counts" in window.detail


def test_the_report_counts_one_run_of_one_week_in_the_singular(fitted):
    result, scenario = fitted
    check = simulate_and_compare(result, dataclasses.replace(scenario, weeks=1.0), seeds=1)
    first = fit_report(check).splitlines()[0]
    assert "against 1 simulated run of 1 week (seeds " in first, first
