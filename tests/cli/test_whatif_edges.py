"""The instructor's what-if edges: simulate, compare and sweep as a user types them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers import one_line_error, pager_lab

FAST = ("--replications", "2", "--workers", "1")


def warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("pager-lab: warning:")]


@pytest.mark.parametrize("values", ["4,6,4", "4,4"])
def test_sweep_refuses_a_repeated_value_in_one_line(values):
    out = pager_lab("sweep", "baseline", "--set", f"team_size={values}", "--weeks", "1", *FAST)
    one_line_error(out, "--set", f"team_size={values}", "team_size = 4 is repeated")
    assert out.stdout == ""


@pytest.mark.parametrize("command", [("compare", "baseline", "noisy"), ("sweep", "baseline")])
def test_a_misspelt_metric_gets_a_did_you_mean(command):
    grid = ("--set", "team_size=3,4") if command[0] == "sweep" else ()
    out = pager_lab(*command, *grid, "--metric", "mtta_meen", "--weeks", "1", *FAST)
    one_line_error(out, "--metric = 'mtta_meen'", "did you mean 'mtta_mean'?", "mttr_p90")


def test_compare_a_scenario_with_itself_says_every_difference_is_zero():
    out = pager_lab("compare", "baseline", "baseline", "--weeks", "6", "--metric", "pages", *FAST)
    assert out.returncode == 0, out.stderr
    notes = [line for line in out.stderr.splitlines() if line.startswith("pager-lab: note:")]
    assert len(notes) == 1 and "same scenario (baseline)" in notes[0]
    assert "0 by construction" in notes[0] and "common random numbers" in notes[0]
    assert warnings(out.stderr) == []  # 6 weeks is one whole rotation
    out = pager_lab(
        "compare", "baseline", "understaffed", "--weeks", "6", "--metric", "pages", *FAST
    )
    assert out.returncode == 0 and "same scenario" not in out.stderr, out.stderr


def test_simulate_warns_once_when_the_horizon_is_shorter_than_the_rotation():
    out = pager_lab("simulate", "baseline", "--weeks", "4")
    assert out.returncode == 0, out.stderr
    (warning,) = warnings(out.stderr)
    for fragment in ("baseline", "primary rotation", "6 weeks", "only 4 weeks", "--weeks 6"):
        assert fragment in warning, fragment
    assert warnings(pager_lab("simulate", "baseline", "--weeks", "6").stderr) == []


def test_compare_and_sweep_warn_about_a_short_horizon_too():
    out = pager_lab(
        "compare", "understaffed", "baseline", "--weeks", "2", "--metric", "pages", *FAST
    )
    assert out.returncode == 0, out.stderr
    (warning,) = warnings(out.stderr)  # the longer (6-week) rotation, once
    assert "baseline's primary rotation takes 6 weeks" in warning
    out = pager_lab("sweep", "baseline", "--set", "team_size=2,3", "--weeks", "2", *FAST)
    assert out.returncode == 0, out.stderr
    (warning,) = warnings(out.stderr)
    assert "team_size=3" in warning and "3 weeks" in warning and "--weeks 3" in warning


def test_json_outputs_state_their_interval_level_and_method():
    out = pager_lab("sweep", "baseline", "--set", "team_size=2,3", "--weeks", "3", "--json", *FAST)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["confidence"] == 0.9 and "Student t over replications" in data["intervals"]
    out = pager_lab("simulate", "understaffed", "--weeks", "3", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["confidence"] == 0.9
    assert data["intervals"] and all(r["method"] in data["intervals"] for r in data["response"])
    out = pager_lab(
        "compare", "understaffed", "noisy", "--weeks", "3", "--metric", "pages", "--json", *FAST
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["confidence"] == 0.9 and "Student t" in data["intervals"]  # the same names


def test_compare_csv_leaves_untested_metrics_without_an_adjusted_p(tmp_path: Path):
    out = pager_lab(
        "compare", "baseline", "noisy", "--weeks", "6", "--seed", "1", "--out", str(tmp_path),
        "--metric", "mtta_mean", "--metric", "pages", *FAST,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    row = next(line for line in out.stdout.splitlines() if line.startswith("  pages "))
    assert "untested" in row  # the primary is not clear at 2 replications
    table = pd.read_csv(tmp_path / "compare.csv").set_index("metric")
    assert pd.notna(table.loc["pages", "p_value"])
    assert pd.isna(table.loc["pages", "p_adjusted"])


def test_counts_of_one_are_singular():
    out = pager_lab("compare", "understaffed", "noisy", "--weeks", "1", "--metric", "pages", *FAST)
    assert out.returncode == 0, out.stderr
    assert "1 week (warm-up 0 weeks, 1 observed), seed 0, 2 replications" in out.stdout
    assert "1 weeks" not in out.stdout + out.stderr
    out = pager_lab("sweep", "understaffed", "--set", "team_size=2,3", "--weeks", "1",
                    "--replications", "1", "--workers", "1")  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "1 week (warm-up 0 weeks, 1 observed), seed 0, 1 replication per" in out.stdout
    assert "1 weeks" not in out.stdout + out.stderr and "1 replications" not in out.stdout


def test_a_missing_scenario_file_is_named_and_the_closest_name_suggested():
    line = one_line_error(pager_lab("simulate", "nosuch.toml"), "no file nosuch.toml")
    assert "did you mean" not in line
    one_line_error(pager_lab("simulate", "basline"), "no file basline", "did you mean 'baseline'?")
    one_line_error(pager_lab("compare", "baseline", "undrstaffed.toml"), "'understaffed'")


@pytest.mark.parametrize("text", ["", "\n# nothing here yet\n"])
def test_an_empty_scenario_file_is_called_empty(tmp_path: Path, text: str):
    path = tmp_path / "mine.toml"
    path.write_text(text)
    line = one_line_error(pager_lab("simulate", str(path)), str(path), "empty", "no keys")
    assert "start" not in line.split("expected")[0]
