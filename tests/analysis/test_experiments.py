"""compare() and sweep(): common random numbers, executors (process pool and Dask), the CLI."""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pager_lab.analysis.experiments import compare, replication_seeds, sweep, sweep_summary
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
    assert "mtta_median (mean and 90% interval over 2 replications)" in out.stdout
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
