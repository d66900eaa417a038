"""What a newcomer instructor found in ``pager-lab class``: a drill recorded twice by two
drivers, a handle split by its capitals, a score shown three ways, ``export --to -``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from pager_lab.classroom import ResultsStore
from tests.helpers import pager_lab

# two wrong steps before the right path: a score that is not a whole number
ANSWERS = "ack\nrestart-db\nlogs\ndeclare-sev2\nrunbook\ndashboard\npg-activity\nterminate-query\nstatus\nresolve\n"  # noqa: E501


def _drill(tmp_path: Path, handle: str, store: Path) -> Path:
    """Play a drill in the terminal recording it for *handle* in *store*, saved with --json."""
    (tmp_path / "ans.txt").write_text(ANSWERS)
    saved = tmp_path / "j.json"
    done = pager_lab(
        "drill", "--scenario", "db-runaway-query", "--script", "ans.txt",
        "--handle", handle, "--store", str(store), "--json", str(saved), cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"recorded for {handle.lower()}" in done.stdout, done.stdout
    assert "score 87.9" in done.stdout, done.stdout  # one decimal, as the report shows it
    return saved


def test_a_drill_recorded_by_the_terminal_and_then_submitted_is_stored_once(tmp_path):
    store = tmp_path / "a.db"
    saved = _drill(tmp_path, "jo", store)
    done = pager_lab("class", "submit", str(saved), "--handle", "jo", "--store", str(store))
    assert done.returncode == 0, done.stderr
    assert "already recorded" in done.stdout, done.stdout
    with ResultsStore(store, create=False) as opened:
        (row,) = opened.result_rows()
    start = json.loads(saved.read_text())["save"]["start"]
    assert row["finished_at"].date().isoformat() == start[:10]  # the drill's clock, not the wall's


def test_a_handle_in_capitals_is_the_same_student(tmp_path):
    store = tmp_path / "a.db"
    saved = _drill(tmp_path, "carol", store)
    done = pager_lab("class", "submit", str(saved), "--handle", "Carol", "--store", str(store))
    assert done.returncode == 0, done.stderr
    assert "already recorded: carol's db-runaway-query" in done.stdout, done.stdout
    again = _drill(tmp_path, "CAROL", store)  # the terminal's recorder folds it too
    assert again.is_file()
    with ResultsStore(store, create=False) as opened:
        assert [row["handle"] for row in opened.result_rows()] == ["carol"]
    report = pager_lab("class", "report", "--no-team", "--store", str(store))
    assert "1 drills by 1 students" in report.stdout, report.stdout


def test_a_score_is_one_decimal_in_the_line_the_report_and_the_export(tmp_path):
    from dataclasses import replace

    from tests.classroom.conftest import make_result

    store = tmp_path / "a.db"
    noisy = replace(make_result("eve"), score=57.7 / 100 * 100)  # 57.70000000000001
    assert noisy.score == 57.7
    with ResultsStore(store) as opened:
        opened.add(noisy)
    saved = _drill(tmp_path, "jo", store)  # the engine's score: 87.87... before rounding
    done = pager_lab("class", "submit", str(saved), "--handle", "jo", "--store", str(store))
    assert "score 87.9/100" in done.stdout, done.stdout
    report = pager_lab("class", "report", "--no-team", "--store", str(store))
    assert "57.7" in report.stdout and "87.9" in report.stdout, report.stdout
    export = tmp_path / "x.csv"
    assert pager_lab("class", "export", "--store", str(store), "--to", str(export)).returncode == 0
    scores = {row["handle"]: row["score"] for row in csv.DictReader(export.open())}
    assert scores == {"eve": "57.7", "jo": "87.9"}


def test_export_to_dash_writes_the_csv_alone_to_stdout(tmp_path):
    from tests.classroom.conftest import make_result

    store = tmp_path / "a.db"
    with ResultsStore(store) as opened:
        opened.add(make_result("ada"))
        opened.add(make_result("bob", n=1))
    done = pager_lab("class", "export", "--to", "-", "--store", str(store), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "-").exists()
    rows = list(csv.DictReader(io.StringIO(done.stdout)))  # nothing but the CSV on stdout
    assert [row["handle"] for row in rows] == ["ada", "bob"]
    assert "exported 2 results" in done.stderr
