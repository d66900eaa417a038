"""08's 'finish the draft': the student's sections go into the draft as sentences, never a crash."""

from __future__ import annotations

import pytest

from pager_lab.core.clock import ManualClock
from pager_lab.core.drill import Drill
from pager_lab.core.report import postmortem_markdown
from pager_lab.course import check_postmortem_sections, solutions
from pager_lab.course.postmortem_fill import fill_in

SOLUTION = solutions.postmortem_sections()


@pytest.fixture(scope="module")
def draft() -> str:
    drill = Drill(clock=ManualClock(), step_minutes=1.0)
    for answer in solutions.scenario_b_answers():
        drill.answer(answer)
    return postmortem_markdown(drill.incident, None, drill.root_cause)  # as notebook 08 does


def said(draft: str, sections) -> str:
    feedback = check_postmortem_sections(draft, sections)
    assert not feedback.passed
    return repr(feedback)


@pytest.mark.parametrize(
    "rename",
    [str.lower, str.upper, str.title, lambda t: f"## {t} "],
    ids=["lower", "upper", "title", "hashes"],
)
def test_section_names_match_in_any_case(draft, rename):
    sections = {rename(title): text for title, text in SOLUTION.items()}
    feedback = check_postmortem_sections(draft, sections)
    assert feedback.passed, repr(feedback)
    assert fill_in(draft, sections) == fill_in(draft, SOLUTION)


def test_the_filled_draft_holds_the_texts_and_keeps_the_other_sections(draft):
    text = fill_in(draft, SOLUTION)
    for body in SOLUTION.values():
        assert body in text
    assert "## Timeline\n| minute |" in text and "## What went well\n" in text
    assert "(fill in)" not in text.split("## Root cause")[0]


@pytest.mark.parametrize(
    ("sections", "expected"),
    [
        ({"Impakt": "x"}, "'Impakt' is not a section of the draft: did you mean 'Impact'?"),
        ({"Whats wrong": "x"}, "did you mean 'What went wrong'?"),
        ({"Actions": "x"}, "did you mean 'Action items'?"),
        ({"Lessons": "x"}, "'Lessons' is not a section of the draft: (its sections: Summary,"),
        (["Impact", "x"], "give a dictionary of section name to text"),
        ("Impact: x", "you gave a str ('Impact: x')"),
        (5, "you gave an int (5)"),
        ({"Impact": 5}, "the 'Impact' text is an int (5): give it as one string"),
        ({"Action items": ["a", "b"]}, "the 'Action items' text is a list"),
        ({"Impact": None}, "the 'Impact' text is still None"),
        ({"Impact": ...}, "the 'Impact' text is still Ellipsis"),
        ({1: "x"}, "a section name is an int (1)"),
        ({"Impact": "x", "IMPACT": "y"}, "'Impact' is given twice"),
    ],
)
def test_each_wrong_answer_is_a_sentence(draft, sections, expected):
    assert expected in said(draft, sections)


def test_an_empty_text_is_called_empty_not_missing(draft):
    text = said(draft, SOLUTION | {"Impact": "", "What went wrong": "  \n"})
    assert "the 'Impact' text is empty" in text
    assert "the 'What went wrong' text is empty" in text
    assert "add the '## Impact' section" not in text
    assert "fill in the 'Impact' section" not in text
    assert "✔ every action item has a due date" in text


def test_the_review_still_reads_the_filled_draft(draft):
    text = said(draft, SOLUTION | {"What went wrong": "Human error."})
    assert "this points at a person" in text


def test_not_answered_yet(draft):
    assert not check_postmortem_sections(draft, ...).answered


def test_fill_in_refuses_bad_sections_with_every_problem_named(draft):
    with pytest.raises(
        ValueError, match=r"'Impakt' is not a section.*the 'Action items' text is empty"
    ):
        fill_in(draft, {"Impakt": "x", "Action items": ""})


def test_a_root_cause_still_to_be_determined_is_not_written(draft):
    drill = Drill(clock=ManualClock(), step_minutes=1.0)
    for answer in solutions.scenario_b_answers():
        drill.answer(answer)
    unknown = postmortem_markdown(drill.incident)  # no root cause: "_To be determined._"
    assert "_To be determined._" in unknown
    said_ = said(unknown, SOLUTION)
    assert "fill in the 'Root cause' section: it still holds the template's placeholder" in said_
    assert check_postmortem_sections(draft, SOLUTION).passed
