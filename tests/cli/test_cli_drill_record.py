"""``pager-lab drill --scenario ... --handle H [--store]``: the finished drill lands in the class
store once; a failing store saves it for ``class submit``; bad inputs are one line each."""

from __future__ import annotations

from pathlib import Path

import pytest

from pager_lab.classroom import ResultsStore
from tests.helpers import pager_lab

BEST = "ack\ndeclare-sev2\nrunbook\ndashboard\npg-activity\nterminate-query\nstatus\nresolve\n"
POOR = "ack\nrestart-db\npg-activity\nterminate-query\nresolve\n"


def play(tmp_path: Path, *extra: str, answers: str = BEST, seed: str = "2"):
    script = tmp_path / "answers.txt"
    script.write_text(answers)
    return pager_lab(
        "drill", "--scenario", "db-runaway-query", "--seed", seed, "--script", str(script),
        *extra, cwd=tmp_path,
    )  # fmt: skip


def test_a_handle_records_the_finished_drill_once(tmp_path):
    store = tmp_path / "class.db"
    out = play(tmp_path, "--handle", "ada", "--store", str(store))
    assert out.returncode == 0, out.stderr
    assert out.stdout.rstrip().endswith(
        f"recorded for ada in {store}: db-runaway-query (seed 2), score 100"
    )
    again = play(tmp_path, "--handle", "ada", "--store", str(store))
    assert again.returncode == 0 and "already recorded for ada" in again.stdout
    other = play(tmp_path, "--handle", "ada", "--store", str(store), seed="3")
    assert "recorded for ada" in other.stdout
    with ResultsStore(store) as s:
        rows = s.result_rows()
    assert sorted((r["seed"], r["score"]) for r in rows) == [(2, 100.0), (3, 100.0)]


def test_the_store_from_the_environment_is_used_and_a_missing_handle_is_said_once(
    tmp_path, monkeypatch
):
    store = tmp_path / "env.db"
    monkeypatch.setenv("PAGER_LAB_CLASS_STORE", str(store))
    out = play(tmp_path)
    assert out.returncode == 0
    assert out.stderr.count("without --handle H this drill is not recorded") == 1
    assert not store.exists()
    recorded = play(tmp_path, "--handle", "grace")
    assert f"recorded for grace in {store}" in recorded.stdout and recorded.stderr == ""


def test_without_a_handle_or_a_store_in_the_environment_nothing_is_said(tmp_path, monkeypatch):
    monkeypatch.delenv("PAGER_LAB_CLASS_STORE", raising=False)
    out = play(tmp_path)
    assert out.returncode == 0 and out.stderr == "" and "recorded" not in out.stdout
    assert not (tmp_path / ".pager-lab-class.db").exists()


def test_an_unreachable_store_saves_the_drill_and_says_how_to_submit_it(tmp_path):
    url = "postgresql://ta:s3cretpw@127.0.0.1:1/class"
    out = play(tmp_path, "--handle", "ada", "--store", url, answers=POOR)
    assert out.returncode == 1
    (error,) = out.stderr.strip().splitlines()
    assert error.startswith("pager-lab: error: NOT recorded for ada: cannot reach")
    saved = tmp_path / "drill-ada-db-runaway-query-seed2.json"
    assert saved.is_file()
    assert f"saved the drill to {saved.name}; to record it later: pager-lab class submit" in (
        out.stdout
    )
    assert "s3cretpw" not in out.stdout + out.stderr and "Traceback" not in out.stderr
    later = pager_lab(
        "class", "submit", str(saved), "--handle", "ada", "--store", str(tmp_path / "c.db")
    )
    assert later.returncode == 0 and "recorded ada's db-runaway-query (seed 2)" in later.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--handle", "ada lovelace"), "--handle: handle = 'ada lovelace': expected 1-32"),
        (("--handle", "ada@uni.org"), "(a handle, not an e-mail address)"),
        (("--store", "x.db"), "--store = 'x.db': expected --handle H too"),
        (("--handle", "ada", "--store", "nosuch://x"), "no database driver"),
    ],
)
def test_a_bad_handle_or_store_is_one_line_before_the_drill(tmp_path, args, says):
    out = play(tmp_path, *args)
    assert out.returncode != 0 and out.stdout == "", out.stdout
    (line,) = out.stderr.strip().splitlines()
    assert says in line and "Traceback" not in out.stderr


def test_the_seed_drill_refuses_a_handle(tmp_path):
    out = pager_lab("drill", "--handle", "ada", cwd=tmp_path)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.strip() == (
        "pager-lab: error: --handle 'ada' plays a drill-library scenario: give --scenario NAME too"
    )
