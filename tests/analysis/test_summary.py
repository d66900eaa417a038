"""One run's summary: rates over the observed time, MTTA by urgency, shares of the team."""

from __future__ import annotations

import numpy as np
import pytest

from pager_lab.analysis.summary import METRIC_UNITS, summarize, summary_report, urgency_report
from pager_lab.sim.model import simulate
from pager_lab.sim.scenario_io import load_scenario, with_changes
from tests.helpers import DATA


@pytest.fixture(scope="module")
def baseline():
    return with_changes(load_scenario(DATA / "scenarios" / "baseline.toml"), {"weeks": 8})


SCALED = ("pages_per_person_week", "sleep_pages_per_person_week", "incidents_per_shift")


def test_rates_divide_by_the_observed_time_with_a_warm_up(baseline):
    means = {}
    for share in (0, 0.25, 0.5):
        scenario = with_changes(baseline, {"warmup_minutes": share * baseline.horizon_minutes})
        runs = [summarize(simulate(scenario, seed)) for seed in range(3)]
        means[share] = {metric: np.mean([r[metric] for r in runs]) for metric in SCALED}
    for share in (0.25, 0.5):
        for metric, value in means[share].items():
            # Sampling noise of 3 runs of 4-8 weeks is ~10 %; dividing by the whole
            # horizon gave x0.75 and x0.5.
            assert value == pytest.approx(means[0][metric], rel=0.2), (share, metric)


def test_every_metric_has_a_unit_and_people_counts_have_shares(baseline):
    facts = summarize(simulate(baseline, 1))
    assert set(facts) <= set(METRIC_UNITS)
    team = len(baseline.team)
    assert facts["people_at_risk_share"] == pytest.approx(facts["people_at_risk"] / team)
    assert facts["people_left_share"] == pytest.approx(facts["people_left"] / team)


def test_mtta_by_urgency_separates_business_hours_waits(baseline):
    result = simulate(baseline, 2)
    lines, records = urgency_report(result)
    by = {(r["urgency"], r["statistic"]): r for r in records}
    low = result.incidents[result.incidents["low_urgency"]]["time_to_acknowledge"].dropna()
    assert by[("low", "p95")]["minutes"] == pytest.approx(np.percentile(low, 95))
    assert by[("low", "p95")]["hours"] == pytest.approx(by[("low", "p95")]["minutes"] / 60)
    assert by[("low", "p95")]["minutes"] > 10 * by[("high", "p95")]["minutes"]
    assert lines[0].startswith("MTTA by urgency (minutes and hours; 90% intervals)")
    assert sum(r["statistic"] == "mean" for r in records) == 2


def test_the_summary_splits_mtta_by_urgency_for_compare_and_sweep(baseline):
    result = simulate(baseline, 2)
    facts = summarize(result)
    incidents = result.incidents
    for level, rows in (("high", ~incidents["low_urgency"]), ("low", incidents["low_urgency"])):
        waits = incidents.loc[rows, "time_to_acknowledge"].dropna()
        assert facts[f"mtta_{level}_mean"] == pytest.approx(waits.mean())
        assert facts[f"mtta_{level}_median"] == pytest.approx(waits.median())
        assert METRIC_UNITS[f"mtta_{level}_p90"] == "minutes"
    # the overall mean lies between the two: the business-hours waits pull it up
    assert facts["mtta_high_mean"] < facts["mtta_mean"] < facts["mtta_low_mean"]


def test_summary_report_states_the_window_and_the_interval_method(baseline):
    scenario = with_changes(baseline, {"warmup_minutes": 2 * 7 * 24 * 60})
    text, data = summary_report(simulate(scenario, 3))
    assert "Observed 6 weeks (warm-up of 2 weeks left out" in text
    assert "incidents still open at the end" in text
    assert "bootstrap (incidents treated as independent)" in text
    assert "MTTA by urgency" in text and "of the team)" in text
    assert data["observed_minutes"] == 6 * 7 * 24 * 60
    assert {r["method"] for r in data["response"]} == {
        "bootstrap (incidents treated as independent)"
    }
    assert data["units"]["mtta_mean"] == "minutes"


def test_the_summary_counts_in_words_that_agree_with_the_number() -> None:
    from pager_lab.analysis.summary import _count

    assert _count(1, "week") == "1 week"
    assert _count(1.0, "incident") == "1 incident"
    assert _count(0, "page") == "0 pages"
    assert _count(0.5, "week") == "0.5 weeks"
    assert _count(1234567.0, "alert") == "1234567 alerts"  # never 1.23457e+06
