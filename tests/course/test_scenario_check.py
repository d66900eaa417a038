"""01's Scenario B check plays the list of answers itself: every mistake is a sentence."""

from __future__ import annotations

import pytest

from pager_lab.course.scenario_check import check_scenario_b

BY_THE_BOOK = ["ignore", "ack", "sev2", "no", "restart"]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (
            ["ingore", "ack", "sev2", "no", "restart"],
            "answer 1 ('ingore') is not an answer to prompt 1, 'Are you Alice? (ack/ignore)': "
            "it accepts 'ack', 'ignore'",
        ),
        (
            [*BY_THE_BOOK, "restart"],
            "answer 6 ('restart') comes after the drill has finished (resolved): remove 'restart'",
        ),
        (
            ["ignore", "ack", "sev9", "no", "restart"],
            "answer 3 ('sev9') is not an answer to prompt 3, 'Severity? (sev1/sev2/sev3/sev4) "
            "[sev2]': it accepts 'sev1', 'sev2', 'sev3', 'sev4' (or '' for the default, sev2)",
        ),
        ("ignore, ack, sev2, no, restart", "not one string; you gave a str"),
        (5, "give a list of answers"),
        ([1, 2, 3], "answer 1 is an int (1): each answer is a word in quotes"),
        (["ignore", "ack", None], "answer 3 is a NoneType (None)"),
        (["ignore", "ack", "sev1", "no", "restart"], "you set sev1: the task keeps the default"),
        (["ignore", "ack", "sev2", "yes", "restart"], "you asked for help ('yes')"),
        ([], "your list is empty"),
    ],
)
def test_a_wrong_answer_is_a_sentence_not_a_traceback(answers, expected):
    feedback = check_scenario_b(answers)
    assert not feedback.passed
    assert expected in repr(feedback), repr(feedback)


def test_none_is_not_answered_yet():
    assert not check_scenario_b(None).answered


@pytest.mark.parametrize(
    "answers",
    [BY_THE_BOOK, ("ignore", "ack", "", "", "restart"), ["i", "a", "2", "n", "r"]],
)
def test_the_book_answers_pass_in_any_spelling_the_console_accepts(answers):
    assert check_scenario_b(answers).passed, repr(check_scenario_b(answers))
