"""What a student found working through the student edition: each wrong answer gets a
sentence that says what is really wrong (never a traceback, never "Well done")."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pager_lab.course import check_runbook, check_schedule, data_path, solutions

WELL_DONE = "✅ Well done"


def judged(feedback: Any) -> str:
    text = repr(feedback)
    assert "Traceback" not in text
    return text


# 02: the runbook --------------------------------------------------------------------------

DISK_INLINE = """# Runbook: Disk Full
## Severity: High
## Symptoms: Writes fail with "No space left on device".
## Steps:
1. Check disk usage: `df -h`
2. Find the biggest directories: `du -xh / --max-depth=2 | sort -h`
3. Delete logs older than 7 days, then check `df -h` again.
"""


def test_a_command_inline_in_its_step_counts_as_a_command():
    feedback = check_runbook(DISK_INLINE)
    assert feedback.passed, judged(feedback)


def test_the_seed_runbook_shape_without_backticks_is_told_to_add_a_command():
    bare = DISK_INLINE.replace("`", "")
    text = judged(check_runbook(bare))
    assert "exact command in backticks, in its step" in text
    assert "own line" not in text


def test_a_verbatim_copy_of_the_database_runbook_is_not_a_disk_full_runbook():
    seed = data_path("runbooks/database-connection-failed.md").read_text()
    feedback = check_runbook(seed)
    text = judged(feedback)
    assert not feedback.passed
    assert "the title is 'Database Connection Failed'" in text
    assert "runbook for Disk Full" in text


def test_a_disk_title_over_database_steps_is_caught():
    seed = data_path("runbooks/database-connection-failed.md").read_text()
    retitled = "# Runbook: Disk Full\n" + seed.split("\n", 1)[1]
    feedback = check_runbook(retitled)
    assert not feedback.passed
    assert "never mention the disk" in judged(feedback)


@pytest.mark.parametrize("severity", ["banana", "42", "urgent-ish"])
def test_a_severity_that_is_not_a_level_is_refused(severity):
    feedback = check_runbook(DISK_INLINE.replace("High", severity))
    assert not feedback.passed
    assert f"the severity '{severity}' is not a level" in judged(feedback)


@pytest.mark.parametrize("severity", ["Critical", "low", "SEV2", "Medium (SEV3 for one host)"])
def test_known_severity_levels_pass(severity):
    feedback = check_runbook(DISK_INLINE.replace("High", severity))
    assert feedback.passed, judged(feedback)


# 03: the schedule -------------------------------------------------------------------------

LAYER = {"turn_length": 1, "turn_unit": "weeks", "handoff": "2026-01-05T09:00"}
GOOD: dict[str, Any] = {
    "name": "challenge-2",
    "time_zone": "Europe/Dublin",
    "responders": {"Alice": "Europe/Dublin", "Bob": "Europe/Dublin"},
    "layers": [
        {"name": "bob", "responders": ["Bob"], **LAYER},
        {
            "name": "alice",
            "responders": ["Alice"],
            **LAYER,
            "restrictions": [{"start": "09:00", "end": "17:00"}],
        },
    ],
}


def changed(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    change(data)
    return data


def test_the_dictionary_itself_passes():
    assert check_schedule(copy.deepcopy(GOOD)).passed


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["layers"][1]["restrictions"][0].update(start=9, end=17), "start = 9"),
        (lambda d: d.update(time_zone="Dublin"), "time_zone = 'Dublin'"),
        (lambda d: d["layers"][1].update(days=["mon"]), "layers[1].days"),
        (lambda d: d.update(responders=None), "responders = None"),
    ],
)
def test_bad_dictionaries_come_back_as_feedback(change, expected):
    feedback = check_schedule(changed(change))
    assert not feedback.passed
    assert expected in judged(feedback)


@pytest.mark.parametrize("name", ["Alcie", "alice"])
def test_a_misspelt_responder_is_named_with_a_did_you_mean(name):
    def misspell(d: dict[str, Any]) -> None:
        d["layers"][1]["responders"] = [name]
        d["responders"][name] = "Europe/Dublin"

    for answer in (changed(misspell), solutions_schedule(name)):
        text = judged(check_schedule(answer))
        assert f"'{name}' is not a responder of the team" in text
        assert "did you mean 'Alice'?" in text
        assert "Alice is never on call" not in text


def solutions_schedule(name: str) -> Any:
    """A built Schedule whose Alice layer names *name* (no parse step to catch it)."""
    from dataclasses import replace

    schedule = solutions.challenge_2_schedule()
    layers = list(schedule.layers)
    layers[1] = replace(layers[1], responders=(name,))
    return replace(schedule, layers=tuple(layers))


def test_the_exercise_cell_imports_parse_schedule_and_the_hint_is_not_the_answer():
    import nbformat

    from tests.helpers import ROOT

    notebook = nbformat.read(ROOT / "notebooks" / "03_on_call_schedules.ipynb", as_version=4)
    exercise = next(c for c in notebook.cells if "check_schedule(my_schedule)" in c.source)
    assert "import parse_schedule" in exercise.source
    hint = next(c for c in notebook.cells if "Show a hint" in c.source)
    assert "business-hours.toml" not in hint.source.split("<!-- BEGIN SOLUTION")[0]
