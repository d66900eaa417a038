"""``pager-lab class``: forget, export, report and synthetic, on SQLite and PostgreSQL, and
every wrong input as one line (a password never shows)."""

from __future__ import annotations

import csv

import pytest

from pager_lab.classroom import ResultsStore
from tests.classroom.conftest import make_result
from tests.helpers import pager_lab

STUDENTS = 6


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
    assert "SYNTHETIC class" in done.stdout and f"{STUDENTS} new results" in done.stdout
    again = pager_lab("class", "synthetic", "--students", str(STUDENTS), "--store", store)
    assert f"0 new results ({STUDENTS} already there)" in again.stdout  # idempotent
    report = pager_lab("class", "report", "--store", store, "--out", str(tmp_path / "plots"))
    assert report.returncode == 0, report.stderr
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
    assert len(rows) == STUDENTS and {r["handle"] for r in rows} == {
        f"synth-{i:02d}" for i in range(1, STUDENTS + 1)
    }
    assert all(r["path"].startswith(("ack", "ignore")) for r in rows)
    forgot = pager_lab("class", "forget", "synth-02", "--store", store)
    assert forgot.returncode == 0 and "deleted 1 result" in forgot.stdout
    with ResultsStore(store, create=False) as opened:
        assert opened.count()[0] == STUDENTS - 1
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
    ],
)
def test_a_wrong_input_is_one_line_and_no_secret(args, expected, tmp_path):
    done = pager_lab("class", *args, cwd=tmp_path)
    assert done.returncode == 2
    assert expected in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr and "S3cretPW" not in done.stderr
