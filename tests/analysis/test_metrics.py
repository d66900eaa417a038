"""Metric functions against hand-computed tables, and bootstrap interval coverage."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from pager_lab.analysis.metrics import (
    bootstrap_interval,
    escalation_summary,
    gini,
    max_min_ratio,
    response_table,
)
from pager_lab.analysis.oncall_load import (
    BurnoutThresholds,
    burnout_flags,
    hours_worked,
    interruptions,
    shift_budget,
    team_over_time,
)
from pager_lab.core.windows import window_at

WEEK = 7 * 24 * 60


def incidents_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "severity": ["SEV1", "SEV2", "SEV2", "SEV3"],
            "time_to_acknowledge": [1.0, 3.0, 5.0, np.nan],
            "time_to_resolve": [10.0, 20.0, 60.0, 4.0],
            "highest_level": [1, 2, 3, 0],
            "no_one_answered": [False, False, True, False],
            "triggered_minute": [0.0, 100.0, 800.0, 900.0],
            "work_started_minute": [1.0, 103.0, np.nan, np.nan],
            "resolved_minute": [10.0, 120.0, 860.0, 904.0],
            "resolved_by": ["Ann", "Ann", "pager", "monitor"],
        }
    )


def test_response_table_by_hand():
    table = response_table(incidents_table(), resamples=200).set_index(["metric", "statistic"])
    assert table.loc[("MTTA", "mean"), "minutes"] == pytest.approx(3.0)
    assert table.loc[("MTTA", "median"), "minutes"] == pytest.approx(3.0)
    assert table.loc[("MTTA", "mean"), "n"] == 3  # the unacknowledged one is left out
    assert table.loc[("MTTR", "mean"), "minutes"] == pytest.approx(23.5)
    assert table.loc[("MTTR", "median"), "minutes"] == pytest.approx(15.0)
    assert table.loc[("MTTR", "p90"), "minutes"] == pytest.approx(
        np.percentile([10, 20, 60, 4], 90)
    )
    low, high = table.loc[("MTTR", "mean"), ["low", "high"]]
    assert 4 <= low <= 23.5 <= high <= 60


def test_response_table_per_severity():
    table = response_table(incidents_table(), by="severity", resamples=50)
    sev2 = table[(table["severity"] == "SEV2") & (table["statistic"] == "mean")]
    assert sev2.set_index("metric").loc["MTTR", "minutes"] == pytest.approx(40.0)


def test_bootstrap_interval_covers_a_known_mean_most_of_the_time():
    # Exponential work times with mean 10 minutes: a nominal 90 % interval should
    # cover the true mean in about 90 % of 200 synthetic samples (binomial sd ~2 %).
    def coverage(confidence: float) -> float:
        rng = np.random.default_rng(7)
        samples = (rng.exponential(10.0, 400) for _ in range(200))
        intervals = (
            bootstrap_interval(sample, confidence=confidence, resamples=500, seed=k)[1:]
            for k, sample in enumerate(samples)
        )
        return sum(lo <= 10.0 <= hi for lo, hi in intervals) / 200

    covered = coverage(0.9)
    assert 0.84 <= covered <= 0.96, covered
    # Much narrower intervals must not pass: a 50 % interval covers far less often.
    narrow = coverage(0.5)
    assert narrow < 0.65, narrow


def test_bootstrap_is_reproducible_and_rejects_bad_confidence():
    x = np.arange(50.0)
    assert bootstrap_interval(x, seed=3) == bootstrap_interval(x, seed=3)
    assert np.isnan(bootstrap_interval(np.array([np.nan]))[0])
    with pytest.raises(ValueError, match=r"confidence \(1\.5\)"):
        bootstrap_interval(x, confidence=1.5)


def test_gini_and_max_min():
    assert gini(np.array([5, 5, 5, 5])) == 0
    assert gini(np.array([0, 0, 0, 10])) == pytest.approx(0.75)
    assert max_min_ratio(np.array([2, 4, 8])) == 4
    assert max_min_ratio(np.array([0, 3])) == float("inf")
    assert max_min_ratio(np.array([0, 0])) == 1.0


def test_escalation_summary_funnel():
    summary = escalation_summary(incidents_table())
    assert summary["incidents_paged"] == 3
    assert summary["escalation_rate"] == pytest.approx(2 / 3)
    assert summary["no_one_answered"] == 1
    assert (summary["reached_level_1"], summary["reached_level_2"], summary["reached_level_3"]) == (
        3,
        2,
        1,
    )


def pages_and_team():
    # Ann in Dublin, Raj in New York; 2026-11-27 is a Friday.
    start = datetime(2026, 11, 23, tzinfo=UTC)  # Monday 00:00 UTC
    stamps = [
        datetime(2026, 11, 27, 9, 0, tzinfo=UTC),  # Ann 09:00 business; Raj 04:00 sleep
        datetime(2026, 11, 28, 2, 0, tzinfo=UTC),  # Saturday 02:00 Dublin: sleep
        datetime(2026, 11, 27, 19, 0, tzinfo=UTC),
    ]  # Ann 19:00 off-hours; Raj 14:00
    who = [
        ("Ann", "Europe/Dublin"),
        ("Ann", "Europe/Dublin"),
        ("Ann", "Europe/Dublin"),
        ("Raj", "America/New_York"),
        ("Raj", "America/New_York"),
    ]
    at = [stamps[0], stamps[1], stamps[2], stamps[0], stamps[2]]
    pages = pd.DataFrame(
        {
            "responder": [w for w, _ in who],
            "minute": [(t - start).total_seconds() / 60 for t in at],
            "window": [window_at(t, z).value for t, (_, z) in zip(at, who, strict=True)],
            "incident_id": ["INC-1"] * 5,
        }
    )
    team = pd.DataFrame(
        {"person": ["Ann", "Raj"], "joined_minute": [0.0, 0.0], "left_minute": [np.nan, WEEK / 2]}
    )
    return pages, team


def test_window_classification_across_time_zones_feeds_interruptions():
    pages, team = pages_and_team()
    assert list(pages["window"]) == ["business", "sleep", "off-hours", "sleep", "business"]
    table = interruptions(pages, team, WEEK).set_index("responder")
    assert table.loc["Ann", ["business", "off-hours", "sleep", "total"]].tolist() == [1, 1, 1, 3]
    assert table.loc["Raj", ["business", "sleep"]].tolist() == [1, 1]
    assert table.loc["Ann", "total_per_week"] == pytest.approx(3.0)
    assert table.loc["Raj", "total_per_week"] == pytest.approx(4.0)  # half a week on the roster


def test_dst_changes_the_window_of_the_same_utc_hour():
    # 07:30 UTC is 07:30 in Dublin in winter (sleep) but 08:30 in summer (business).
    assert window_at(datetime(2026, 1, 7, 7, 30, tzinfo=UTC), "Europe/Dublin").value == "sleep"
    assert window_at(datetime(2026, 7, 8, 7, 30, tzinfo=UTC), "Europe/Dublin").value == "business"


def test_burnout_flags_are_a_labelled_heuristic_with_thresholds():
    pages, team = pages_and_team()
    flags = burnout_flags(pages, team, WEEK, BurnoutThresholds(elevated=5, high=10, days=30))
    by = flags.set_index("responder")
    assert by.loc["Ann", "off_hour_pages"] == 2
    assert by.loc["Ann", "per_30_days"] == pytest.approx(2 * 30 / 7)
    assert by.loc["Ann", "burnout_risk"] == "elevated"
    assert by.loc["Raj", "per_30_days"] == pytest.approx(1 * 30 / 3.5)
    assert by.loc["Raj", "burnout_risk"] == "elevated"
    assert (flags["note"] == "teaching heuristic, not a clinical measure").all()
    assert BurnoutThresholds().level(19) == "high" and BurnoutThresholds().level(6.9) == "ok"


def test_team_over_time_counts_people_on_the_roster():
    pages, team = pages_and_team()
    over = team_over_time(pages, team, 2 * WEEK, BurnoutThresholds(elevated=1, high=50))
    assert over["team_size"].tolist() == [1, 1]
    assert over["elevated"].tolist() == [1, 1]


def test_shift_budget_uses_twelve_hour_local_shifts():
    start = datetime(2026, 11, 23, tzinfo=UTC)
    incidents = pd.DataFrame({"triggered_minute": [60.0, 61.0, 62.0, 9 * 60.0, 21 * 60.0]})
    table = shift_budget(incidents, start, "UTC", 24 * 60)
    assert table["hours"].tolist() == [8.0, 12.0, 4.0]  # 00-08, 08-20, 20-24
    assert table["incidents"].tolist() == [3, 1, 1]
    assert table["over_budget"].tolist() == [True, False, False]


def test_hours_worked_by_responder():
    assert hours_worked(incidents_table()).to_dict() == {"Ann": pytest.approx((9 + 17) / 60)}


def test_hours_on_call_sum_over_schedules():
    from pager_lab.analysis.oncall_load import hours_on_call
    from pager_lab.core.schedule_io import load_schedule
    from tests.helpers import DATA

    primary = load_schedule(DATA / "schedules" / "primary.toml")
    secondary = load_schedule(DATA / "schedules" / "secondary.toml")
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)  # a Monday hand-off (Dublin is UTC in winter)
    hours = hours_on_call([primary, secondary], start, 4 * WEEK)
    assert hours.to_dict() == {
        name: pytest.approx(2 * 168) for name in ("Alice", "Bob", "Charlie", "Dana")
    }
    assert hours_on_call([], start, WEEK).empty
