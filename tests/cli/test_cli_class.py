"""``pager-lab class``: forget, export, report and synthetic, on SQLite and PostgreSQL, and
every wrong input as one line (a password never shows)."""

from __future__ import annotations

import csv

import pytest

from pager_lab.classroom import ResultsStore
from tests.classroom.conftest import make_result
from tests.helpers import DATA, pager_lab

STUDENTS = 6
SCENARIOS = len(list((DATA / "drills").glob("*.toml")))
DRILLS = STUDENTS * SCENARIOS


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "class.db")
    return request.getfixturevalue("postgres_server").fresh_database()


def _no_secret(done, store: str) -> None:
    from sqlalchemy.engine import make_url

    password = make_url(store).password if "://" in store else None
    if password:
        assert password not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_a_class_round_trip_synthetic_report_export_forget(store, tmp_path):
    done = pager_lab("class", "synthetic", "--students", str(STUDENTS), "--store", store)
    assert done.returncode == 0, done.stderr
    assert "SYNTHETIC class" in done.stdout and f"{DRILLS} new results" in done.stdout
    again = pager_lab("class", "synthetic", "--students", str(STUDENTS), "--store", store)
    assert f"0 new results ({DRILLS} already there)" in again.stdout  # idempotent
    report = pager_lab("class", "report", "--store", store, "--out", str(tmp_path / "plots"))
    assert report.returncode == 0, report.stderr
    assert f"{STUDENTS} of the {STUDENTS} are the SYNTHETIC class" in report.stdout
    for heading in (
        "Per scenario",
        "Most common wrong steps",
        "Where students got stuck",
        "Each student across scenarios",
        "The class as a team",
    ):
        assert heading in report.stdout
    pngs = sorted(p.name for p in (tmp_path / "plots").glob("*.png"))
    assert pngs == ["class-beside-team.png", "progress.png", "scenarios.png"]
    assert all((tmp_path / "plots" / n).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for n in pngs)
    target = tmp_path / "results.csv"
    exported = pager_lab("class", "export", "--to", str(target), "--store", store)
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(target.open()))
    assert len(rows) == DRILLS and {r["handle"] for r in rows} == {
        f"synth-{i:02d}" for i in range(1, STUDENTS + 1)
    }
    assert all(r["path"].startswith(("ack", "ignore")) for r in rows)
    forgot = pager_lab("class", "forget", "synth-02", "--store", store)
    assert forgot.returncode == 0 and f"deleted {SCENARIOS} results" in forgot.stdout
    with ResultsStore(store, create=False) as opened:
        assert opened.count()[0] == DRILLS - SCENARIOS
        assert "synth-02" not in {r["handle"] for r in opened.result_rows()}
    for output in (done, again, report, exported, forgot):
        _no_secret(output, store)


def test_forget_says_how_many_and_touches_no_one_else(store):
    with ResultsStore(store) as opened:
        for n in range(3):
            opened.add(make_result("ada", n=n))
        opened.add(make_result("grace"))
    done = pager_lab("class", "forget", "ada", "--store", store)
    assert done.returncode == 0 and "deleted 3 results" in done.stdout
    none = pager_lab("class", "forget", "ada", "--store", store)
    assert none.returncode == 0 and "ada has no results" in none.stdout
    with ResultsStore(store) as opened:
        assert opened.count() == (1, 3)


def test_an_empty_store_has_nothing_to_debrief(store):
    ResultsStore(store).close()
    done = pager_lab("class", "report", "--store", store)
    assert done.returncode == 0 and "nothing to debrief" in done.stdout


def test_the_store_comes_from_the_environment(tmp_path, monkeypatch):
    target = tmp_path / "from-env.db"
    monkeypatch.setenv("PAGER_LAB_CLASS_STORE", str(target))
    done = pager_lab("class", "synthetic", "--students", "2")
    assert done.returncode == 0 and str(target) in done.stdout
    assert target.is_file()


def test_a_wrong_password_is_one_line_without_the_password(postgres_server):
    from sqlalchemy.engine import make_url

    url = make_url(postgres_server.url).set(password="WrongPassword123")
    done = pager_lab("class", "report", "--store", url.render_as_string(hide_password=False))
    assert done.returncode == 2
    assert "WrongPassword123" not in done.stdout + done.stderr
    assert postgres_server.password not in done.stderr
    assert "password authentication failed" in done.stderr and "***" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["report", "--store", "missing.db"], "no results store file"),
        (
            ["report", "--store", "postgresql://ta:S3cretPW@127.0.0.1:1/class"],
            "cannot reach the results store postgresql+psycopg://ta:***@127.0.0.1:1/class",
        ),
        (["report", "--store", "foo://x"], "no database driver for 'foo'"),
        (["report", "--store", "://"], "not a database URL"),
        (["report", "--store", "sqlite://"], "in-memory SQLite store would forget"),
        (["report", "--store", ""], "expected a SQLite file or a SQLAlchemy URL"),
        (["forget", "Ada Lovelace"], "handle = 'Ada Lovelace': expected 1-32 letters"),
        (["forget", "ada@example.org"], "(a handle, not an e-mail address)"),
        (["export", "--to", "no/such/folder/r.csv"], "the folder 'no/such/folder' does not exist"),
        (["export"], "the following arguments are required: --to"),
        (["synthetic", "--students", "0"], "expected an integer of students >= 1"),
        (["dance"], "invalid choice: 'dance'"),
        (["report", "--store", "."], "is a folder: expected a results store file"),
        (["export", "--to", "/proc/no.csv", "--store", "."], "is a folder"),
        (["report", "--out", "/proc/x/y"], "--out = '/proc/x/y': expected a folder you may create"),
    ],
)
def test_a_wrong_input_is_one_line_and_no_secret(args, expected, tmp_path):
    done = pager_lab("class", *args, cwd=tmp_path)
    assert done.returncode == 2
    assert expected in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr and "S3cretPW" not in done.stderr


BEST = "ack\ndeclare-sev2\nrunbook\ndashboard\npg-activity\nterminate-query\nstatus\nresolve\n"


def _played(tmp_path, answers: str = BEST) -> str:
    """A drill played to the end in the terminal, saved with --json."""
    script = tmp_path / "answers.txt"
    script.write_text(answers)
    target = tmp_path / "drill.json"
    done = pager_lab(
        "drill",
        "--scenario",
        "db-runaway-query",
        "--seed",
        "3",
        "--script",
        str(script),
        "--json",
        str(target),
    )
    assert done.returncode == 0, done.stderr
    return str(target)


def test_a_terminal_drill_is_submitted_once_and_scored_by_the_engine(store, tmp_path):
    import json

    played = _played(tmp_path)
    with open(played) as file:
        document = json.load(file)
    document["score"]["total"] = 0  # an edited score counts for nothing: the engine re-scores
    with open(played, "w") as file:
        json.dump(document, file)
    done = pager_lab("class", "submit", played, "--handle", "ada", "--store", store)
    assert done.returncode == 0, done.stderr
    assert "recorded ada's db-runaway-query (seed 3): score 100/100, resolved in" in done.stdout
    again = pager_lab("class", "submit", played, "--handle", "ada", "--store", store)
    assert again.returncode == 0 and "already recorded" in again.stdout
    with ResultsStore(store, create=False) as opened:
        (row,) = opened.result_rows()
        assert opened.count() == (1, len(document["save"]["events"]))
    assert (row["handle"], row["seed"], row["score"]) == ("ada", 3, 100.0)
    _no_secret(done, store)


def test_an_abandoned_drill_is_recorded_unresolved(tmp_path):
    import json

    from pager_lab.core import DrillSession, load_drill_library
    from tests.helpers import DATA

    session = DrillSession(load_drill_library(DATA / "drills")["db-runaway-query"], seed=3)
    for answer in ("ack", "restart-db", "logs"):  # then the student walks away
        session.choose(answer)
    played = tmp_path / "saved.json"
    played.write_text(json.dumps({"save": session.to_dict()}))
    store = str(tmp_path / "class.db")
    done = pager_lab("class", "submit", str(played), "--handle", "bob", "--store", store)
    assert done.returncode == 0 and "not resolved" in done.stdout, done.stderr
    with ResultsStore(store, create=False) as opened:
        (row,) = opened.result_rows()
        assert row["time_to_resolve"] is None and row["step_count"] == 3


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "file = 'drill.json': expected an existing file"),
        ('{"save": ', "line 1 column 10"),
        (
            '{"save": {"format": "x"}}',
            "save.format = 'x': expected a saved drill ('pager-lab-drill/1')",
        ),
        ('{"format": "pager-lab-drill/1", "scenario": "nope"}', "save.scenario = 'nope'"),
        (
            '{"format": "pager-lab-drill/1", "scenario": "db-runaway-query", "seed": 1,'
            ' "start": "2026-11-27T03:00+00:00", "events": [["choose", "fly"]]}',
            "the saved drill does not replay on db-runaway-query",
        ),
    ],
)
def test_a_bad_drill_file_is_one_line_and_creates_no_store(content, expected, tmp_path):
    if content is not None:
        (tmp_path / "drill.json").write_text(content)
    done = pager_lab("class", "submit", "drill.json", "--handle", "ada", cwd=tmp_path)
    assert done.returncode == 2 and expected in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / ".pager-lab-class.db").exists()


def test_an_export_that_cannot_be_written_is_one_line(tmp_path):
    store = str(tmp_path / "class.db")
    with ResultsStore(store) as opened:
        opened.add(make_result())
    done = pager_lab("class", "export", "--to", "/proc/no.csv", "--store", store)
    assert done.returncode == 2
    assert "--to = '/proc/no.csv': expected a file you may write" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
