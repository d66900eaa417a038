"""DrillRecorder: a finished drill is recorded once, on both backends, and a failing store
loses nothing (the drill is saved as JSON that ``class submit`` records later)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from pager_lab.classroom import DrillGame, ResultsStore
from pager_lab.classroom.recorder import DrillRecorder, pending_name
from pager_lab.classroom.submit import submit_drill
from pager_lab.core.drill_scenario import load_drill_library
from pager_lab.core.drill_session import DrillSession
from pager_lab.core.errors import ConfigError, PagerLabError
from tests.helpers import DATA

LIBRARY = load_drill_library(DATA / "drills")
SCENARIO = LIBRARY["db-runaway-query"]
BEST = SCENARIO.best_paths[0].steps
UNREACHABLE = "postgresql://ta:s3cretpw@127.0.0.1:1/class"
"""A PostgreSQL URL where no server listens (port 1), with a password that must never show."""


def finished(seed: int = 2, path: tuple[str, ...] = BEST) -> DrillSession:
    session = DrillSession(SCENARIO, seed)
    for choice in path:
        session.choose(choice)
    assert session.finished
    return session


def test_a_finished_drill_is_recorded_once_however_often_it_is_finished(store_target):
    recorder, session = DrillRecorder("ada", store_target), finished()
    first = recorder.record(session)
    assert first.ok and first.added and first.result is not None
    assert first.line().startswith(f"recorded for ada in {recorder.where}: db-runaway-query")
    assert recorder.record(session) is first  # a re-render: the first outcome, no write
    again = DrillRecorder("ada", store_target).record(session)  # another driver, same drill
    assert again.ok and not again.added and "already recorded for ada" in again.line()
    with ResultsStore(store_target) as store:
        (row,) = store.result_rows()
        assert store.count() == (1, len(BEST))
    assert (row["handle"], row["scenario"], row["seed"], row["score"]) == (
        "ada",
        "db-runaway-query",
        2,
        100.0,
    )
    assert row["finished_at"] == session.clock.start + timedelta(minutes=session.now)


def test_two_students_and_two_drills_are_four_rows(store_target):
    for handle in ("ada", "grace"):
        recorder = DrillRecorder(handle, store_target)
        for seed in (1, 2):
            assert recorder.record(finished(seed)).added
    with ResultsStore(store_target) as store:
        assert store.count()[0] == 4


def test_a_drill_still_playing_is_not_recorded(tmp_path):
    session = DrillSession(SCENARIO, 1)
    session.choose("ack")
    with pytest.raises(PagerLabError, match=r"still playing \(\+1 min\)"):
        DrillRecorder("ada", tmp_path / "r.db").record(session)
    assert not (tmp_path / "r.db").exists()


@pytest.mark.parametrize("handle", ["", "ada lovelace", "ada@example.org", "-x"])
def test_a_bad_handle_is_refused_before_any_drill(handle, tmp_path):
    with pytest.raises(ConfigError, match="handle"):
        DrillRecorder(handle, tmp_path / "r.db")


def test_an_unreachable_server_loses_nothing_and_never_shows_its_password(tmp_path):
    recorder, session = DrillRecorder("ada", UNREACHABLE), finished()
    outcome = recorder.record(session)
    assert not outcome.ok and outcome.result is None
    assert "cannot reach the results store" in outcome.line()
    assert "s3cretpw" not in outcome.line() + repr(recorder) + outcome.advice()
    assert "pager-lab class submit FILE --handle ada" in outcome.advice()
    assert recorder.record(session) is outcome  # not retried on every re-render
    saved = outcome.save_for_later(tmp_path)
    assert saved.name == pending_name("ada", session) == "drill-ada-db-runaway-query-seed2.json"
    assert json.loads(saved.read_text())["save"]["events"][0] == ["choose", "ack"]
    hint = outcome.submit_hint(saved)  # the password is the student's to type, never shown
    assert hint == f"pager-lab class submit {saved} --handle ada --store STORE_URL"
    with ResultsStore(tmp_path / "later.db") as store:  # the JSON submits as the drill it was
        result, added = submit_drill(store, "ada", saved, LIBRARY)
        assert added and result.score == 100.0 and store.count() == (1, len(BEST))


def test_a_read_only_store_says_so_in_one_line(tmp_path):
    target = tmp_path / "r.db"
    with ResultsStore(target):
        pass  # a store with its schema
    read_only = f"sqlite:///file:{target}?mode=ro&uri=true"
    outcome = DrillRecorder("ada", read_only).record(finished())
    assert not outcome.ok and "readonly" in outcome.error.replace("read-only", "readonly")
    assert "\n" not in outcome.line()
    with ResultsStore(target) as store:
        assert store.count() == (0, 0)


def test_the_game_master_server_reports_a_finish_once(tmp_path):
    calls: list[DrillSession] = []
    game = DrillGame(DrillSession(SCENARIO, 2), calls.append)
    for n, choice in enumerate(BEST, 1):
        game.play("answer", {"name": choice, "prompt": n})
        assert len(calls) == (1 if n == len(BEST) else 0)
    game.player_state()
    game.gm_state()
    assert calls == [game.session]


def test_a_finish_by_another_driver_is_reported_at_the_servers_next_look():
    calls: list[DrillSession] = []
    session = DrillSession(SCENARIO, 2)
    game = DrillGame(session, calls.append)
    for choice in BEST:  # the notebook console plays the session directly
        session.choose(choice)
    assert calls == []
    game.player_state()
    game.player_state()
    assert calls == [session]


def test_the_store_in_the_environment_is_the_default(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGER_LAB_CLASS_STORE", str(tmp_path / "env.db"))
    recorder = DrillRecorder("ada")
    assert recorder.where == str(tmp_path / "env.db")
    assert recorder.record(finished()).added
    assert Path(tmp_path / "env.db").is_file()
