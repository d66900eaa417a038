"""What a student found working through the student edition: each wrong answer gets a
sentence that says what is really wrong (never a traceback, never "Well done")."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pager_lab.core.drill_scenario import load_drill_library
from pager_lab.core.routing_config import RoutingConfig
from pager_lab.course import check_runbook, check_schedule, data_path, solutions
from pager_lab.course.drill_check import check_drill_path
from pager_lab.course.exercises import check_profile, check_slack_message
from pager_lab.course.routing_lab import check_routing_config

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


# 09: a path through disk-full-logs ---------------------------------------------------------

DISK_DRILL = load_drill_library(data_path("drills"))["disk-full-logs"]


def drill_feedback(path: list[str]) -> str:
    feedback = check_drill_path(DISK_DRILL, 11, path)
    assert not feedback.passed
    return judged(feedback)


def test_a_refused_step_is_named_with_the_engines_reason():
    text = drill_feedback(["ack", "log-level-info", "resolve"])
    assert "step 2 ('log-level-info') was refused: Which log? Find out what uses the disk" in text
    assert "step 3 ('resolve') was too soon" in text
    assert "end your path with 'resolve'" not in text


def test_resolve_before_the_signals_are_healthy_is_too_soon_not_missing():
    text = drill_feedback(["ack", "resolve"])
    assert "step 2 ('resolve') was too soon: The signals are still bad" in text
    assert "end your path with 'resolve'" not in text


def test_a_quick_fix_then_resolve_names_the_fix_and_does_not_contradict_itself():
    text = drill_feedback(["ack", "delete-logs", "resolve"])
    assert "resolved too early" in text and "'delete-logs' only eased the symptom" in text
    assert "did not end resolved" not in text


def test_a_path_that_stops_short_is_told_to_resolve():
    text = drill_feedback(["ack", "disk-usage"])
    assert "still open" in text and "end your path with 'resolve'" in text


# 04: the Slack message --------------------------------------------------------------------

SLACK = solutions.slack_message()
HEADER, SECTION = SLACK["blocks"]


def slack_feedback(payload: Any) -> str:
    feedback = check_slack_message(payload)
    assert not feedback.passed
    return judged(feedback)


def test_a_header_that_is_not_the_first_block_is_refused():
    text = slack_feedback({"text": "x", "blocks": [SECTION, HEADER]})
    assert "start with a header" in text and "(yours is block 2)" in text


def test_a_misspelt_key_is_named_with_a_did_you_mean():
    text = slack_feedback({"text": "x", "blocs": [HEADER]})
    assert "Slack does not know the key(s) ['blocs']" in text
    assert "did you mean 'blocks' for 'blocs'?" in text


def test_text_that_is_not_a_string_is_not_called_missing():
    text = slack_feedback({"text": 42, "blocks": [HEADER]})
    assert "`text` must be a string of words; yours is an int (42)" in text
    assert "Slack needs `text`" not in text


# 05: the profile --------------------------------------------------------------------------


def profile_feedback(profile: Any) -> str:
    feedback = check_profile(profile)
    assert not feedback.passed
    return judged(feedback)


def test_strings_are_not_numbers():
    text = profile_feedback([str(v) for v in solutions.office_profile()])
    assert "value 0 (hour 00:00) is a str" in text


def test_none_in_the_list_is_named_as_empty_not_nan():
    text = profile_feedback([None, *solutions.office_profile()[1:]])
    assert "value 0 (hour 00:00) is None (empty)" in text
    assert "NaN" not in text


def test_a_flat_profile_is_told_its_numbers_not_about_midnight():
    text = profile_feedback([1.0] * 24)
    assert "yours have 1.00 by day and 1.00 at night" in text
    assert "midnight" not in text


def test_notebook_05_adds_up_its_storms():
    import nbformat

    from tests.helpers import ROOT

    notebook = nbformat.read(ROOT / "notebooks" / "05_alert_streams.ipynb", as_version=4)
    at = next(i for i, c in enumerate(notebook.cells) if c.source.startswith("## A storm"))
    said = notebook.cells[at].source
    printed = "".join(o.get("text", "") for o in notebook.cells[at + 1].outputs)
    assert "120 alerts" in said and "60 alerts" in said and "180 storm alerts" in said
    assert "180 storm alerts" in printed


# 11: the routing --------------------------------------------------------------------------


def test_a_string_group_by_is_refused_with_a_sentence():
    feedback = check_routing_config(RoutingConfig(group_by="alertname"))  # type: ignore[arg-type]
    text = judged(feedback)
    assert not feedback.passed
    assert "group_by is one string ('alertname')" in text and "('alertname',)" in text


def test_a_mixed_group_names_its_services_not_an_empty_key():
    text = judged(check_routing_config(RoutingConfig(group_by=())))
    assert "{}" not in text and "mix services, e.g. one page about" in text


# 09: the text agrees with the numbers the engine plays -------------------------------------

WORDS = {2: "twice", 3: "three times", 4: "four times", 5: "five times"}


def test_notebook_09_says_what_its_plays_show():
    import nbformat

    from pager_lab.core.drill_score import score_drill
    from pager_lab.core.drill_session import DrillSession
    from tests.helpers import ROOT

    library = load_drill_library(data_path("drills"))

    def impact(name: str, path: Any) -> float:
        session = DrillSession(library[name], 7)
        for choice in path:
            session.choose(choice)
        return score_drill(session).impact_minutes

    hasty = ["ack", "restart-db", "wait", "wait", "wait", "runbook", "pg-activity"]
    hasty += ["terminate-query", "resolve"]
    careful = library["db-runaway-query"].best_paths[0].steps
    alarmed = ["ack", "declare-sev2", "page-ic", "page-sme", "reboot-host", "wait", "wait"]
    alarmed += ["silence-ticket", "resolve"]
    ratio = WORDS[round(impact("db-runaway-query", hasty) / impact("db-runaway-query", careful))]
    burned = impact("flapping-alert-3am", alarmed)

    notebook = nbformat.read(ROOT / "notebooks" / "09_drill_library.ipynb", as_version=4)
    text = " ".join(
        c.source.replace("\n", " ") for c in notebook.cells if c.cell_type == "markdown"
    )
    code = " ".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert '"restart-db", "wait", "wait", "wait", "runbook"' in code and '"reboot-host"' in code
    claims = [w for w in WORDS.values() if f"burned about {w}" in text or f"burned {w}" in text]
    assert claims and set(claims) == {ratio}, (claims, ratio)
    assert burned > 0 and "lost no customer minutes" not in text
    assert f"cost customers only {burned:.1f} error-budget minutes" in text


def test_a_block_type_that_is_not_a_word_is_feedback_not_a_traceback():
    text = slack_feedback({"text": "x", "blocks": [{"type": ["header"]}]})
    assert "unknown block type(s): [['header']]" in text


def test_a_generator_is_described_without_a_memory_address():
    text = profile_feedback(v for v in solutions.office_profile())
    assert "you gave a generator" in text and "0x" not in text
