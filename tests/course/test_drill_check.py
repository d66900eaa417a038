"""09's self-check of a drill path: played by the engine, each shortfall named."""

from __future__ import annotations

from pager_lab.core.drill_scenario import load_drill_library
from pager_lab.course.drill_check import check_drill_path
from tests.helpers import DATA

SCENARIO = load_drill_library(DATA / "drills")["db-runaway-query"]
BEST = list(SCENARIO.best_paths[0].steps)


def shown(path: object) -> str:
    return repr(check_drill_path(SCENARIO, 11, path))


def test_the_best_path_passes_with_full_marks():
    assert check_drill_path(SCENARIO, 11, BEST).passed
    assert "score 100/100" in shown(BEST)


def test_the_placeholder_is_not_answered_yet():
    assert shown(...).startswith("✏️ Not answered yet")


def test_one_string_or_a_number_as_a_step_is_named():
    assert "not one string ('ack')" in shown("ack")
    assert "step 2 should be a choice id (a string); it is an int (3)" in shown(["ack", 3])


def test_an_unknown_step_lists_the_choices_of_that_moment():
    text = shown(["ack", "terminate"])
    assert "step 2 ('terminate') is not a choice at that moment" in text
    assert "terminate-query" in text and "pg-activity" in text


def test_a_restart_then_resolve_is_resolved_too_early():
    fb = check_drill_path(SCENARIO, 11, ["ack", "restart-db", "wait", "resolve"])
    assert not fb.passed and "resolved too early" in repr(fb)


def test_a_silent_fix_is_below_the_pass_mark_and_says_what_is_missing():
    text = shown(["ack", "pg-activity", "terminate-query", "resolve"])
    assert text.startswith("❌ Not yet") and "below the pass mark of 90" in text
    assert "runbook 0/5" in text and "missing: declare, status" in text


def test_steps_after_the_end_are_named():
    assert "before step 9 ('wait')" in shown([*BEST, "wait"])


def test_the_score_table_has_a_row_per_play_and_says_which_are_not_finished():
    from pager_lab.core.drill_session import DrillSession
    from pager_lab.course.drill_scores import EMPTY, NOT_FINISHED, SCORE_COLUMNS, score_table
    from pager_lab.course.widgets import DrillConsole

    best = DrillSession(SCENARIO, 11)
    for choice in BEST:
        best.choose(choice)
    playing = DrillConsole(DrillSession(SCENARIO, 11), plot=False)
    table = score_table({"best": best, "you": playing})
    assert list(table.columns) == list(SCORE_COLUMNS) and list(table.index) == ["best", "you"]
    assert table.loc["best", "outcome"] == "resolved" and table.loc["best", "score"] == 100
    assert table.loc["best", "acknowledge_min"] == 1 and table.loc["best", "harmful"] == 0
    assert table.loc["you", "outcome"] == NOT_FINISHED and table.loc["you", "score"] == EMPTY
    assert table.loc["you", "seed"] == 11


def test_the_score_table_names_what_is_not_a_play():
    import pytest

    from pager_lab.course.drill_scores import score_table

    with pytest.raises(
        TypeError, match=r"'mine': give a drill session or a drill console, not list"
    ):
        score_table({"mine": ["ack"]})
