"""compare() and sweep(): common random numbers, executors (process pool and Dask), the CLI."""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pager_lab.analysis.experiments import (
    compare,
    replication_seeds,
    sweep,
    sweep_summary,
)
from pager_lab.core.errors import ConfigError
from pager_lab.sim.scenario_io import load_scenario, with_changes
from tests.helpers import DATA, pager_lab


@pytest.fixture(scope="module")
def short_baseline():
    return with_changes(load_scenario(DATA / "scenarios" / "baseline.toml"), {"weeks": 2})


def test_identical_scenarios_differ_by_exactly_zero(short_baseline):
    table = compare(short_baseline, short_baseline, replications=3, seed=1, progress=False)
    assert (table["difference"] == 0).all()
    assert (table["difference_low"] == 0).all() and (table["difference_high"] == 0).all()
    assert not table["clear"].any()


def test_a_different_policy_is_compared_on_the_same_alert_stream(short_baseline):
    slow = with_changes(short_baseline, {"policy.levels[0].timeout_minutes": 60.0})
    table = compare(
        short_baseline,
        slow,
        replications=4,
        seed=2,
        metrics=["mtta_mean", "alerts", "escalation_rate"],
        progress=False,
    ).set_index("metric")
    # Same alerts in every replication, so the difference is exactly 0 ...
    assert table.loc["alerts", "difference"] == 0
    assert table.loc["alerts", "difference_high"] == 0
    assert table.loc["alerts", "baseline"] > 0
    # A one-hour first-level timeout means fewer escalations.
    assert table.loc["escalation_rate", "difference"] < 0


def test_sweep_is_identical_on_one_and_two_workers(short_baseline):
    grid = {"response.asleep_miss": [0.1, 0.5]}
    with ProcessPoolExecutor(1) as one, ProcessPoolExecutor(2) as two:
        a = sweep(short_baseline, grid, replications=2, seed=3, executor=one, progress=False)
        b = sweep(short_baseline, grid, replications=2, seed=3, executor=two, progress=False)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 4 and list(a["replication"]) == [0, 1, 0, 1]
    miss = sweep_summary(a, ["response.asleep_miss"], "escalation_rate").set_index(
        "response.asleep_miss"
    )
    assert miss.loc[0.5, "mean"] > miss.loc[0.1, "mean"]


def test_sweep_runs_on_a_dask_local_cluster(short_baseline):
    distributed = pytest.importorskip("distributed", reason="the pager-lab[dask] extra")
    grid = {"team_size": [3, 6]}
    local = sweep(short_baseline, grid, replications=2, seed=4, progress=False)
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = sweep(
            short_baseline,
            grid,
            replications=2,
            seed=4,
            executor=client.get_executor(),
            progress=False,
        )
    pd.testing.assert_frame_equal(local, remote)


def test_sweep_refuses_bad_grids_before_running(short_baseline):
    with pytest.raises(ValueError, match="grid is empty"):
        sweep(short_baseline, {}, progress=False)
    with pytest.raises(ValueError, match=r"grid\['team_size'\] has no values"):
        sweep(short_baseline, {"team_size": []}, progress=False)
    with pytest.raises(ConfigError, match=r"response\.asleep_miss = 3"):
        sweep(short_baseline, {"response.asleep_miss": [3]}, progress=False)


def test_replication_seeds_are_distinct_and_stable():
    seeds = replication_seeds(5, 4)
    assert seeds == replication_seeds(5, 4) and len(set(seeds)) == 4
    assert seeds[:2] == replication_seeds(5, 2)
    with pytest.raises(ValueError, match=r"replications \(0\)"):
        replication_seeds(5, 0)


def test_cli_simulate_prints_a_summary_and_writes_plots(tmp_path: Path):
    out = pager_lab("simulate", "baseline", "--weeks", "2", "--seed", "1", "--out", str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert "MTTA mean" in out.stdout and "MTTR p95" in out.stdout
    assert "SRE budget (2 incidents per 12-hour shift)" in out.stdout
    assert "teaching heuristic, not a clinical measure" in out.stdout
    for name in (
        "mtta",
        "mttr",
        "pages_heatmap",
        "interruptions",
        "escalation_funnel",
        "team_over_time",
    ):
        assert (tmp_path / f"{name}.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "incidents.csv").exists()


def test_cli_simulate_json_parses_back():
    out = pager_lab("simulate", "understaffed", "--weeks", "2", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["scenario"] == "understaffed" and data["weeks"] == 2
    assert {"mtta_median", "mttr_p90", "sleep_pages_per_person_week"} <= set(data["metrics"])
    mtta = [r for r in data["response"] if r["metric"] == "MTTA" and r["statistic"] == "mean"]
    assert mtta[0]["low"] <= mtta[0]["minutes"] <= mtta[0]["high"]
    assert {r["burnout_risk"] for r in data["burnout"]} <= {"ok", "elevated", "high"}


def test_cli_compare_and_sweep(tmp_path: Path):
    out = pager_lab(
        "compare",
        "baseline",
        "understaffed",
        "--replications",
        "2",
        "--weeks",
        "1",
        "--workers",
        "1",
        "--json",
        "--out",
        str(tmp_path),
    )
    assert out.returncode == 0, out.stderr
    rows = {r["metric"]: r for r in json.loads(out.stdout)["rows"]}
    assert rows["pages_per_person_week"]["difference"] > 0
    assert (tmp_path / "compare.png").exists()
    out = pager_lab(
        "sweep",
        "baseline",
        "--set",
        "team_size=3,6",
        "--replications",
        "2",
        "--weeks",
        "1",
        "--workers",
        "2",
        "--out",
        str(tmp_path),
    )
    assert out.returncode == 0, out.stderr
    table = pd.read_csv(tmp_path / "sweep.csv")
    assert sorted(set(table["team_size"])) == [3, 6] and len(table) == 4
    assert (tmp_path / "sweep_mtta_median.png").exists()
    assert "mtta_median (minutes):" in out.stdout
    assert "Means with 90% Student t intervals over replications" in out.stdout
    assert np.isfinite(table["mttr_mean"]).all()


def test_cli_experiment_errors_are_one_line():
    out = pager_lab("sweep", "baseline", "--set", "team_size")
    assert out.returncode == 2 and "KEY=V1,V2" in out.stderr
    out = pager_lab("compare", "baseline", "nope")
    assert out.returncode == 2 and "SCENARIO = 'nope'" in out.stderr
    out = pager_lab("compare", "baseline", "noisy", "--replications", "0")
    assert out.returncode == 2 and "--replications (0) must be greater than 0" in out.stderr
    for result in (out,):
        assert "Traceback" not in result.stderr


def test_one_replication_has_no_interval_and_flags_nothing(short_baseline):
    slow = with_changes(short_baseline, {"team_size": 3, "name": "small"})
    table = compare(short_baseline, slow, replications=1, seed=1, progress=False)
    assert table["difference_low"].isna().all() and table["difference_high"].isna().all()
    assert not table["clear"].any()
    assert table["difference"].abs().sum() > 0  # there were differences, none is claimed


def test_a_large_real_difference_is_flagged_on_the_primary_metric(short_baseline):
    # every incident high urgency: hours-long business-hours waits would drown the signal
    urgent = with_changes(short_baseline, {"urgency": {"SEV3": "high", "SEV4": "high"}})
    slow = with_changes(urgent, {"policy.levels[0].timeout_minutes": 60.0, "name": "slow"})
    deaf = with_changes(slow, {"response.awake_miss": 0.6, "response.asleep_miss": 0.8})
    table = compare(urgent, deaf, replications=6, seed=2, progress=False)
    primary = table[table["primary"]]
    assert list(primary["metric"]) == ["mtta_mean"]  # the default primary metric
    assert bool(primary["clear"].iloc[0]) and primary["difference"].iloc[0] > 0
    others = table[~table["primary"]].dropna(subset=["p_value"])
    assert (others["p_adjusted"] >= others["p_value"]).all()
    assert table["clear"].sum() >= 2  # the primary opened the gate to the others
    assert set(table["unit"]) >= {"minutes", "pages per person-week", "people"}


def test_primary_metric_is_chosen_and_put_first(short_baseline):
    table = compare(
        short_baseline,
        short_baseline,
        replications=2,
        seed=1,
        metrics=["mtta_mean", "alerts"],
        primary="people_at_risk_share",
        progress=False,
    )
    assert list(table["metric"]) == ["people_at_risk_share", "mtta_mean", "alerts"]
    assert list(table["primary"]) == [True, False, False]
    assert not table["clear"].any()


def test_sweep_summary_pairs_differences_against_the_first_value():
    table = pd.DataFrame(
        {
            "k": [2, 2, 1, 1, 3, 3],
            "replication": [0, 1, 0, 1, 0, 1],
            "m": [10.0, 20.0, 11.0, 23.0, 10.0, 20.0],
        }
    )
    summary = sweep_summary(table, ["k"], "m").set_index("k")
    # The first value in the grid's order is k = 2: differences are against it.
    assert summary.loc[2, "difference"] == 0
    assert summary.loc[1, "difference"] == pytest.approx(2.0)  # (1 + 3) / 2
    assert summary.loc[3, "difference_low"] == summary.loc[3, "difference_high"] == 0
    one = sweep_summary(table[table["replication"] == 0], ["k"], "m")
    assert one["low"].isna().all() and one["difference_low"].isna().all()


def test_cli_compare_prints_the_set_up_units_and_the_primary_metric():
    out = pager_lab(
        "compare", "baseline", "understaffed", "--replications", "1", "--weeks", "1",
        "--workers", "1", "--seed", "7", "--metric", "mtta_median",
        "--metric", "people_at_risk", "--metric", "people_at_risk_share",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "1 week (warm-up 0 weeks, 1 observed), seed 7, 1 replication" in text
    assert "With 1 replication there is no interval (n/a) and nothing is flagged" in text
    assert "Primary metric: mtta_median (minutes)" in text
    assert "Holm-adjusted" in text and "unadjusted" in text and "family-wise" in text
    rows = [line for line in text.splitlines() if line[2:].startswith(("mtta", "people"))]
    assert [row.split()[1] if row.startswith("*") else row.split()[0] for row in rows] == [
        "mtta_median",
        "people_at_risk",
        "people_at_risk_share",
    ]
    assert rows[0].startswith("* mtta_median") and "minutes" in rows[0]
    assert "share of the team (0-1)" in rows[2]
    assert all(row.rstrip().endswith("no") for row in rows)
    assert "Traceback" not in out.stderr


def test_cli_compare_refuses_an_unknown_metric_in_one_line():
    out = pager_lab("compare", "baseline", "noisy", "--metric", "mtta_avg")
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "--metric = 'mtta_avg': expected one of: " in lines[0]
    assert "mtta_mean" in lines[0] and "Traceback" not in out.stderr


def test_cli_compare_help_says_what_a_replication_is():
    out = pager_lab("compare", "--help")
    text = " ".join(out.stdout.split())
    assert "same seed" in text and "common random numbers" in text and "paired" in text
    assert "--metric NAME" in text and "primary metric" in text


def test_cli_sweep_two_keys_with_a_wildcard_facets_and_pairs(tmp_path: Path):
    out = pager_lab(
        "sweep", "baseline", "--set", "team_size=3,6", "--set",
        "sources[*].noise_share=0.1,0.5", "--metric", "pages_per_person_week",
        "--metric", "people_at_risk_share", "--replications", "2", "--weeks", "1",
        "--workers", "1", "--seed", "5", "--out", str(tmp_path),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "1 week (warm-up 0 weeks, 1 observed), seed 5, 2 replications per grid point" in text
    assert "paired (same seeds) against team_size = 3 with the same other keys" in text
    assert "pages_per_person_week (pages per person-week):" in text
    assert "people_at_risk_share (share of the team (0-1)):" in text
    assert "mtta_median" not in text  # only the chosen metrics are printed
    table = pd.read_csv(tmp_path / "sweep.csv")
    assert len(table) == 8
    noisy = table[table["sources[*].noise_share"] == 0.5]["pages_per_person_week"].mean()
    quiet = table[table["sources[*].noise_share"] == 0.1]["pages_per_person_week"].mean()
    assert noisy > quiet  # the wildcard changed every source
    assert (tmp_path / "sweep_pages_per_person_week.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "sweep_people_at_risk_share.png").exists()


def test_cli_sweep_blames_the_flag_for_a_bad_key():
    out = pager_lab("sweep", "baseline", "--set", "sources[*].noize=1", "--weeks", "1")
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pager-lab: error: --set = ")
    assert "sources[*].noize" in lines[0] and "baseline.toml" not in lines[0]


def test_cli_json_without_intervals_is_strict_json():
    out = pager_lab(
        "compare", "baseline", "noisy", "--replications", "1", "--weeks", "1",
        "--workers", "1", "--json", "--metric", "mtta_mean",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "NaN" not in out.stdout
    row = json.loads(out.stdout)["rows"][0]
    assert row["difference_low"] is None and row["clear"] is False
    assert isinstance(row["difference"], float)


def test_the_report_says_untested_when_the_primary_metric_is_not_clear(short_baseline):
    from pager_lab.analysis.experiment_report import compare_report

    same = with_changes(short_baseline, {"name": "same"})
    metrics = ["mtta_mean", "sleep_pages_per_person_week"]
    table = compare(short_baseline, same, replications=3, seed=1, metrics=metrics, progress=False)
    report = compare_report(table, short_baseline, same, 3, 1)
    row = next(line for line in report.splitlines() if "sleep_pages_per_person_week" in line)
    assert "untested" in row and row.rstrip().endswith("no")
    assert "it is not clear, so the others were not tested" in report


def test_cli_compare_tells_two_scenarios_with_one_name_apart_by_their_files(tmp_path: Path):
    base = (DATA / "scenarios" / "baseline.toml").resolve()
    (tmp_path / "ours.toml").write_text(f'extends = "{base}"\nname = "ours"\n')
    (tmp_path / "ours4.toml").write_text(f'extends = "{base}"\nname = "ours"\nweeks = 2\n')
    out = pager_lab(
        "compare", str(tmp_path / "ours.toml"), str(tmp_path / "ours4.toml"),
        "--replications", "1", "--weeks", "1", "--workers", "1", "--metric", "mtta_median",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    header = out.stdout.splitlines()[0]
    assert header.startswith("ours [ours.toml] (a) vs ours [ours4.toml] (b):"), header
