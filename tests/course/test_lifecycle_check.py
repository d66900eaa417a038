"""00's lifecycle check: duplicates, numbers, inflections and a reversed order get sentences."""

from __future__ import annotations

import pytest

from pager_lab.course.lifecycle_check import check_lifecycle


def said(order) -> str:
    feedback = check_lifecycle(order)
    assert not feedback.passed
    return repr(feedback)


def test_a_repeated_stage_names_the_repeat_and_the_missing_stage():
    text = said(["Trigger", "Trigger", "Triage", "Resolve"])
    assert "'trigger' appears 2 times" in text and "'acknowledge' is missing" in text
    assert "you gave 4" not in text


def test_numbers_get_one_sentence_and_no_tick():
    text = said([1, 2, 3, 4])
    assert "each stage is a word in quotes" in text and "an int (1)" in text
    assert "✔" not in text and text.count("✘") == 1


@pytest.mark.parametrize(
    "order",
    [
        ["Triggered", "Acknowledged", "Triaged", "Resolved"],
        ["triggering", "acknowledgement", "triage", "resolution"],
        [" Trigger ", "ACKNOWLEDGE", "Triage", "resolve"],
    ],
)
def test_obvious_inflections_are_the_stage(order):
    assert check_lifecycle(order).passed, repr(check_lifecycle(order))


def test_a_misspelling_gets_a_did_you_mean():
    assert "did you mean 'acknowledge'?" in said(["trigger", "acknowlege", "triage", "resolve"])


def test_a_step_is_told_its_stage():
    assert "'restart' names a step, not the stage: call it 'resolve'" in said(
        ["trigger", "acknowledge", "triage", "restart"]
    )


def test_a_reversed_order_is_called_reversed():
    assert "the whole order is reversed" in said(["resolve", "triage", "acknowledge", "trigger"])


def test_each_stage_out_of_place_is_named():
    text = said(["acknowledge", "trigger", "resolve", "triage"])
    for part in (
        "'acknowledge' is in place 1, it belongs in place 2",
        "'trigger' is in place 2, it belongs in place 1",
        "'resolve' is in place 3, it belongs in place 4",
        "'triage' is in place 4, it belongs in place 3",
    ):
        assert part in text, text


def test_too_few_stages_names_the_count_and_the_missing_ones():
    text = said(["trigger", "resolve"])
    assert "you gave 2" in text and "'triage' is missing" in text
