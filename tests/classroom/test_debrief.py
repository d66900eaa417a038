"""The debrief reads the tables: summaries, wrong steps, stuck points, progress, the team."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from pager_lab.analysis.style import CourseFigure, png_bytes
from pager_lab.classroom import (
    DrillResult,
    PathStep,
    ResultsStore,
    class_beside_team,
    plot_class_beside_team,
    plot_progress,
    plot_scenarios,
    record_drill,
    result_from_session,
    results_tables,
    scenario_summary,
    store_tables,
    stuck_points,
    student_progress,
    synthetic_class,
    team_incidents,
    wrong_actions,
)
from pager_lab.classroom.team import class_incidents
from pager_lab.core import best_session, load_drill_library
from tests.helpers import DATA

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _result(handle, scenario, path, *, ack=1.0, resolve=None, score=50.0, at=0):
    return DrillResult(
        handle=handle,
        scenario=scenario,
        seed=1,
        path=tuple(PathStep(*step) for step in path),
        time_to_acknowledge=ack,
        time_to_mitigate=resolve,
        time_to_resolve=resolve,
        impact_minutes=2.0,
        score=score,
        finished_at=T0 + timedelta(minutes=at),
    )


GOOD = [
    (1, "page", "ack", "ack"),
    (3, "diagnostic", "pg-activity", "clue"),
    (5, "action", "terminate-query", "fixes"),
    (6, "end", "resolve", "resolved"),
]
STUCK = [
    (1, "page", "ack", "ack"),
    (2, "action", "restart-db", "relief"),
    (4, "diagnostic", "logs", "red herring"),
    (6, "action", "rollback", "no effect"),
    (9, "action", "scale-out", "worse"),
    (12, "action", "terminate-query", "fixes"),
    (13, "end", "resolve", "resolved"),
]
LOST = [
    (5, "page", "ignore", "ignore"),
    (6, "page", "ack", "ack"),
    (8, "action", "rollback", "no effect"),
    (11, "time", "wait", "wait"),
]


@pytest.fixture
def tables():
    results = [
        _result("ada", "db-runaway-query", GOOD, resolve=6.0, score=95, at=0),
        _result("bob", "db-runaway-query", STUCK, resolve=13.0, score=55, at=1),
        _result("cy", "db-runaway-query", LOST, ack=6.0, score=10, at=2),
        _result("ada", "disk-full", GOOD, resolve=6.0, score=99, at=40),
        _result("bob", "disk-full", GOOD, resolve=6.0, score=80, at=41),
    ]
    return results_tables(results)


def test_the_summary_counts_and_takes_medians_per_scenario(tables):
    results, _ = tables
    summary = scenario_summary(results).set_index("scenario")
    db = summary.loc["db-runaway-query"]
    assert (db["students"], db["drills"]) == (3, 3)
    assert db["resolved_share"] == pytest.approx(2 / 3)
    assert db["time_to_resolve_median"] == pytest.approx(np.median([6.0, 13.0]))
    assert db["score_median"] == 55
    assert summary.loc["disk-full", "resolved_share"] == 1.0


def test_wrong_steps_are_counted_by_students_and_times(tables):
    _, steps = tables
    table = wrong_actions(steps)
    rows = {(r.step, r.verdict): (r.students, r.times) for r in table.itertuples()}
    assert rows[("rollback", "no effect")] == (2, 2)  # bob and cy
    assert rows[("scale-out", "worse")] == (1, 1)
    assert rows[("ignore", "ignore")] == (1, 1)
    assert ("logs", "red herring") not in rows  # a wasted look is not a wrong action
    assert ("restart-db", "relief") not in rows
    assert list(table["students"]) == sorted(table["students"], reverse=True)


def test_stuck_points_name_the_last_helpful_step_and_the_minutes_lost(tables):
    results, steps = tables
    stuck = stuck_points(results, steps).set_index(["scenario", "stuck_after"])
    # bob: relief at 2, then logs/rollback/scale-out (4, 6, 9) until the fix at 12
    assert stuck.loc[("db-runaway-query", "restart-db"), "median_minutes"] == 12 - 4
    assert stuck.loc[("db-runaway-query", "restart-db"), "never_resolved"] == 0
    # cy: after the ack at 6, a rollback at 8 and a wait at 11 until giving up at 11
    assert stuck.loc[("db-runaway-query", "ack"), "never_resolved"] == 1
    assert ("disk-full", "ack") not in stuck.index  # good paths never get stuck


def test_progress_follows_the_order_played(tables):
    results, _ = tables
    progress = student_progress(results).set_index("handle")
    assert progress.loc["ada", "first_score"] == 95 and progress.loc["ada", "last_score"] == 99
    assert progress.loc["bob", "change"] == 80 - 55
    assert progress.loc["cy", "drills"] == 1 and progress.loc["cy", "resolved"] == 0


def test_an_unresolved_drill_is_censored_at_its_last_step_not_dropped(tables):
    results, _ = tables
    incidents = class_incidents(results).set_index("handle")
    cy = incidents[incidents.index == "cy"].iloc[0]
    assert cy["resolve_censored"] and cy["time_to_resolve"] == 11.0
    assert not cy["acknowledge_censored"] and cy["time_to_acknowledge"] == 6.0


def test_the_class_sits_beside_notebook_06s_team(tables):
    results, _ = tables
    team = team_incidents(DATA, weeks=2)
    assert not team["low_urgency"].any() and not team["noise"].any()
    table = class_beside_team(results, team, resamples=200)
    mttr = table[(table["metric"] == "MTTR") & (table["statistic"] == "median")]
    by_group = mttr.set_index("group")
    assert by_group.loc["class (drills)", "n"] == len(results)
    assert by_group.loc["class (drills)", "censored"] == 1
    assert (
        by_group.loc["team (simulated, notebook 06)", "n"] == team["time_to_resolve"].notna().sum()
    )
    figure = plot_class_beside_team(table)
    assert isinstance(figure, CourseFigure) and "class beside" in repr(figure)


def test_the_plots_are_pngs_with_titles(tables):
    results, _ = tables
    for figure in (plot_scenarios(results), plot_progress(results)):
        assert png_bytes(figure)[:4] == b"\x89PNG"
        assert repr(figure).startswith("Figure: ")


def test_the_store_and_memory_give_the_same_tables(tmp_path):
    store = ResultsStore(tmp_path / "class.db")
    originals = [
        _result("ada", "db-runaway-query", GOOD, resolve=6.0, score=95, at=0),
        _result("cy", "db-runaway-query", LOST, ack=6.0, score=10, at=2),
    ]
    for result in originals:
        store.add(result)
    from_store, steps_from_store = store_tables(store)
    in_memory, steps_in_memory = results_tables(originals)
    pd.testing.assert_frame_equal(from_store, in_memory, check_dtype=False)
    pd.testing.assert_frame_equal(steps_from_store, steps_in_memory, check_dtype=False)
    store.close()


LIBRARY = load_drill_library(DATA / "drills")


def test_a_played_drill_becomes_a_result_and_is_recorded_once(tmp_path):
    scenario = next(iter(LIBRARY.values()))
    session = best_session(scenario, seed=4)
    result = result_from_session("ada", session)
    assert result.score == 100 and result.resolved and result.seed == 4
    assert [s.name for s in result.path] == [s.choice for s in session.path]
    assert result.finished_at == session.clock.start + timedelta(minutes=session.now)
    with ResultsStore(tmp_path / "class.db") as store:
        record_drill(store, "ada", session)
        record_drill(store, "ada", session)
        assert store.count() == (1, len(session.path))


def test_the_synthetic_class_is_the_same_for_a_seed_and_differs_for_another():
    first = synthetic_class(LIBRARY, students=8, seed=5)
    again = synthetic_class(LIBRARY, students=8, seed=5)
    other = synthetic_class(LIBRARY, students=8, seed=6)
    assert [r.key for r in first] == [r.key for r in again]
    assert [r.key for r in first] != [r.key for r in other]
    assert len(first) == 8 * len(LIBRARY)
    assert {r.handle for r in first} == {f"synth-{i:02d}" for i in range(1, 9)}


def test_skilled_scripted_players_score_higher_than_clumsy_ones():
    from pager_lab.classroom.synthetic import play_drill
    from pager_lab.core import score_drill

    scenario = LIBRARY["db-runaway-query"]
    rng = np.random.default_rng(0)
    scores = {
        skill: np.mean([score_drill(play_drill(scenario, s, skill, rng)).total for s in range(20)])
        for skill in (0.1, 0.95)
    }
    assert scores[0.95] > scores[0.1] + 10
