"""The results store on SQLite and PostgreSQL: round trips, idempotency, forget, atomicity."""

from __future__ import annotations

import multiprocessing
import os
import signal
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import event, text

from pager_lab.classroom import DrillResult, PathStep, ResultsStore, StoreError
from pager_lab.core.errors import ConfigError
from tests.classroom.conftest import make_result

WRITERS = 30


def test_a_result_and_its_path_round_trip(store_target):
    with ResultsStore(store_target) as store:
        assert store.add(make_result(n=2))
        (row,) = store.result_rows()
        steps = store.step_rows()
    assert row["handle"] == "ada" and row["seed"] == 2 and row["step_count"] == 3
    assert row["time_to_acknowledge"] == 3.0 and row["time_to_resolve"] == 11.0
    assert row["finished_at"] == datetime(2026, 11, 29, 9, 2, tzinfo=UTC)
    assert row["finished_at"].utcoffset() == timedelta(0)
    assert [s["name"] for s in steps] == ["ack", "restart-db", "terminate-query"]
    assert [s["position"] for s in steps] == [0, 1, 2]


def test_a_finish_time_in_another_zone_is_the_same_instant(store_target):
    paris = timezone(timedelta(hours=1))
    result = make_result()
    local = DrillResult(
        **{**_fields(result), "finished_at": datetime(2026, 11, 29, 10, 0, tzinfo=paris)}
    )
    with ResultsStore(store_target) as store:
        store.add(local)
        (row,) = store.result_rows()
    assert row["finished_at"] == datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


def test_a_retried_write_stores_once(store_target):
    with ResultsStore(store_target) as store:
        result = make_result()
        assert store.add(result) is True
        assert store.add(make_result()) is False  # the same content: the same key
        assert store.add(make_result(n=1)) is True
        assert store.count() == (2, 6)


def test_forget_deletes_every_row_of_one_handle_and_only_those(store_target):
    with ResultsStore(store_target) as store:
        for n in range(3):
            store.add(make_result("ada", n=n))
        store.add(make_result("grace", n=0))
        store.add(make_result("ADA", n=7))  # the same person, typed in capitals once
        assert store.forget("Ada") == 4
        assert store.forget("ada") == 0
        assert store.count() == (1, 3)
        assert {r["handle"] for r in store.result_rows()} == {"grace"}
        assert {s["handle"] for s in store.step_rows()} == {"grace"}


def test_a_store_remembers_across_opens_and_keeps_its_version(store_target):
    with ResultsStore(store_target) as store:
        store.add(make_result())
    with ResultsStore(store_target, create=False) as again:
        assert again.count() == (1, 3)
        assert again.version() == 1


def test_a_store_of_a_newer_schema_is_refused(store_target):
    with ResultsStore(store_target) as store, store._engine.begin() as conn:
        conn.execute(text("UPDATE schema_version SET version = 2"))
    with pytest.raises(StoreError, match="schema version 2; this pager_lab reads version 1"):
        ResultsStore(store_target)


def test_an_empty_database_is_not_a_store_when_not_creating(store_target, tmp_path):
    if "://" not in store_target:
        with pytest.raises(StoreError, match=r"no results store file .*results\.db"):
            ResultsStore(store_target, create=False)
        assert not (tmp_path / "results.db").exists()
    else:
        with pytest.raises(StoreError, match=r"no pager_lab results store in .*\*\*\*"):
            ResultsStore(store_target, create=False)


@pytest.mark.parametrize(
    "handle", ["", "ada lovelace", "ada@example.org", "-ada", "x" * 33, "ädä", None]
)
def test_a_handle_that_is_not_a_pseudonym_is_refused(handle):
    with pytest.raises(ConfigError, match=r"handle = .*expected 1-32 letters"):
        make_result(handle=handle)


def test_bad_result_fields_name_the_field_and_value():
    base = _fields(make_result())
    for key, value, expected in [
        ("seed", -1, "whole number"),
        ("time_to_resolve", -2.0, ">= 0"),
        ("impact_minutes", float("nan"), "finite"),
        ("score", 120, "0 to 100"),
        ("finished_at", datetime(2026, 11, 29, 9, 0), "time-zone aware"),
        ("scenario", "Disk Full!", "scenario name"),
    ]:
        with pytest.raises(ConfigError, match=f"{key} = .*{expected}"):
            DrillResult(**{**base, key: value})
    with pytest.raises(ConfigError, match=r"path\.verdict = 'Meh!'"):
        PathStep(1.0, "action", "restart", "Meh!")
    with pytest.raises(ConfigError, match=r"path\.minute = -1"):
        PathStep(-1, "action", "restart", "fixes")


def _fields(result: DrillResult) -> dict:
    names = ["handle", "scenario", "seed", "path", "time_to_acknowledge", "time_to_mitigate"]
    names += ["time_to_resolve", "impact_minutes", "score", "finished_at"]
    return {name: getattr(result, name) for name in names}


def _die_at_the_path(store: ResultsStore, how: str) -> None:
    """Hook the store's engine: when the path's INSERT is about to run, die or raise."""

    def before(conn, cursor, statement, *args) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO DRILL_STEPS"):
            if how == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            raise RuntimeError("the power went out")

    event.listen(store._engine, "before_cursor_execute", before)


def _killed_writer(target: str) -> None:
    store = ResultsStore(target)
    _die_at_the_path(store, "kill")
    store.add(make_result("victim"))


def test_a_writer_killed_mid_write_leaves_no_half_row(store_target):
    with ResultsStore(store_target) as store:
        store.add(make_result("grace"))
    child = multiprocessing.get_context("fork").Process(target=_killed_writer, args=(store_target,))
    child.start()
    child.join(60)
    assert child.exitcode == -signal.SIGKILL  # it died inside the transaction
    with ResultsStore(store_target) as store:
        assert store.count() == (1, 3)  # grace's result whole, nothing of the victim
        assert store.add(make_result("victim"))  # and the store still takes writes
        assert store.count() == (2, 6)


def test_an_error_inside_the_transaction_rolls_the_result_back(store_target):
    store = ResultsStore(store_target)
    _die_at_the_path(store, "raise")
    with pytest.raises(RuntimeError, match="power went out"):
        store.add(make_result())
    store.close()
    with ResultsStore(store_target) as fresh:
        assert fresh.count() == (0, 0)


def _writer(target: str, index: int, barrier) -> None:
    barrier.wait(60)  # everyone opens the (maybe not yet created) store at the same moment
    store = ResultsStore(target)
    result = make_result(f"student-{index:02d}", n=index)
    added = store.add(result)
    retried = store.add(make_result(f"student-{index:02d}", n=index))  # a retry: same key
    store.close()
    os._exit(0 if added and not retried else 3)


def test_thirty_students_finishing_at_once_lose_nothing_and_double_nothing(store_target):
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(WRITERS)
    writers = [
        context.Process(target=_writer, args=(store_target, i, barrier)) for i in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(120)
    assert [w.exitcode for w in writers] == [0] * WRITERS
    with ResultsStore(store_target, create=False) as store:
        assert store.count() == (WRITERS, 3 * WRITERS)
        rows = store.result_rows()
    assert sorted(r["handle"] for r in rows) == [f"student-{i:02d}" for i in range(WRITERS)]
    assert len({r["result_key"] for r in rows}) == WRITERS


def test_the_sqlite_store_is_wal_with_a_busy_timeout(tmp_path):
    with ResultsStore(tmp_path / "class.db") as store, store._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000


def test_a_store_shows_its_url_without_the_password(postgres_server):
    target = postgres_server.fresh_database()
    with ResultsStore(target) as store:
        shown = f"{store!r} {store.where}"
    assert postgres_server.password not in shown and ":***@127.0.0.1" in shown


def test_without_a_server_the_postgresql_tests_skip_outside_ci_and_fail_in_ci():
    from tests.postgres import server_binaries, without_server

    assert without_server(ci=True)[0] is True
    must_run, reason = without_server(ci=False)
    assert must_run is False and "apt-get install postgresql" in reason
    if os.environ.get("CI") == "true":  # .ci/run installs the server: it must be found
        assert server_binaries() is not None


def _locked_at_the_path(store: ResultsStore, times: int) -> list[int]:
    """Hook the store's engine: the path's INSERT fails *times* times as SQLite's lock does."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    seen: list[int] = []

    def before(conn, cursor, statement, *args) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO DRILL_STEPS"):
            seen.append(1)
            if len(seen) <= times:
                locked = sqlite3.OperationalError("database is locked")
                raise OperationalError(statement, {}, locked)

    event.listen(store._engine, "before_cursor_execute", before)
    return seen


def test_database_is_locked_is_retried_whole_and_never_doubles(tmp_path):
    """Thirty first openers of a new SQLite file can get "database is locked" past the busy
    timeout: the whole transaction is rolled back and tried again, the result stored once."""
    with ResultsStore(tmp_path / "class.db") as store:
        attempts = _locked_at_the_path(store, times=2)
        assert store.add(make_result("ada")) is True
        assert len(attempts) == 3
        assert store.count() == (1, 3)


def test_a_lock_that_never_clears_is_one_line_and_leaves_no_half_row(tmp_path):
    from pager_lab.classroom.store import LOCKED_ATTEMPTS
    from pager_lab.classroom.target import StoreError

    with ResultsStore(tmp_path / "class.db") as store:
        attempts = _locked_at_the_path(store, times=LOCKED_ATTEMPTS)
        with pytest.raises(StoreError, match="writing a result failed: database is locked"):
            store.add(make_result("ada"))
        assert len(attempts) == LOCKED_ATTEMPTS
        assert store.count() == (0, 0)
