"""Self-checks pass the worked solutions, say "not answered yet" for ``...`` and ``None``,
answer a string or a wrong type with a sentence, and name the likeliest mistakes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pager_lab.core.clock import ManualClock
from pager_lab.core.drill import Drill
from pager_lab.core.report import postmortem_markdown
from pager_lab.core.schedule_io import parse_schedule
from pager_lab.course import exercises, solutions
from pager_lab.course.widgets import PagerConsole

NOT_ANSWERED = "✏️ Not answered yet"


def played(*answers: str) -> Drill:
    drill = Drill(clock=ManualClock(), step_minutes=1.0)
    for answer in answers:
        drill.answer(answer)
    return drill


def schedule(*layers: dict[str, Any], zone: str = "Europe/Dublin") -> Any:
    people = {"Alice": zone, "Bob": zone}
    return parse_schedule(
        {"name": "c2", "time_zone": zone, "responders": people, "layers": list(layers)}
    )


WEEKLY = {"turn_length": 1, "turn_unit": "weeks", "handoff": "2026-01-05T09:00"}
BOB = {"name": "bob", "responders": ["Bob"], **WEEKLY}


def alice(start: str = "09:00", end: str = "17:00") -> dict[str, Any]:
    window = [{"start": start, "end": end}]
    return {"name": "alice", "responders": ["Alice"], **WEEKLY, "restrictions": window}


def draft() -> str:
    drill = played("ignore", "ack", "sev2", "no", "restart")
    return postmortem_markdown(drill.incident, None, drill.root_cause)  # as notebook 08 does


def filled(**changes: str) -> str:
    """The drill's draft with the solution's sections, then *changes* (a_b names 'A b')."""
    sections = solutions.postmortem_sections() | {
        k.replace("_", " ").capitalize(): v for k, v in changes.items()
    }
    text = draft()
    for title, body in sections.items():
        before, after = text.split(f"## {title}\n", 1)
        rest = after.split("\n## ", 1)
        text = before + f"## {title}\n{body}\n" + ("\n## " + rest[1] if len(rest) > 1 else "")
    return text


SWEEP = pd.DataFrame({"team_size": [3, 4, 6, 8], "mean": [3.0, 2.5, 1.5, 1.0]})
UNOWNED = "| action | owner | due |\n|---|---|---|\n| Put the runbook link in the alert | | |"
PROFILE = solutions.office_profile()
SLACK = solutions.slack_message()
RUNBOOK = solutions.disk_full_runbook()
INCIDENTS = pd.DataFrame(
    {
        "time_to_resolve": [10.0, 20, 30, 40, 50, 60, 80, 100, 300, 900],
        "time_to_acknowledge": [1.0, 1, 2, 2, 3, 3, 4, 5, 30, 600],
    }
)
TTR = INCIDENTS["time_to_resolve"]
SKEW = (TTR.mean(), TTR.median(), TTR.quantile(0.9))
HEADER = "## Severity: High\n## Symptoms: x\n## Steps:\n"

# (check, the answer's arguments, a fragment of the expected feedback or None for a pass)
Case = tuple[Callable[..., exercises.Feedback], Callable[[], tuple[Any, ...]], str | None]
CASES: dict[str, Case] = {
    # 00: the lifecycle
    "lifecycle-correct": (exercises.check_lifecycle, lambda: (solutions.lifecycle(),), None),
    "lifecycle-none": (exercises.check_lifecycle, lambda: (None,), "Replace `...` with your list"),
    "lifecycle-ellipsis": (exercises.check_lifecycle, lambda: (...,), "then run this cell again"),
    "lifecycle-string": (
        exercises.check_lifecycle,
        lambda: ("trigger, acknowledge, triage, resolve",),
        "not one string",
    ),
    "lifecycle-type": (exercises.check_lifecycle, lambda: (4,), "you gave an int (4)"),
    "lifecycle-triage-first": (
        exercises.check_lifecycle,
        lambda: (["trigger", "triage", "acknowledge", "resolve"],),
        "cannot triage what nobody has acknowledged",
    ),
    "lifecycle-resolve-early": (
        exercises.check_lifecycle,
        lambda: (["trigger", "acknowledge", "resolve", "triage"],),
        "resolve comes last",
    ),
    "lifecycle-commands": (
        exercises.check_lifecycle,
        lambda: (["alert", "ack", "triage", "fix"],),
        "'ack' names a step, not the stage: call it 'acknowledge'",
    ),
    # 01: Scenario B
    "scenario-correct": (
        exercises.check_scenario_b,
        lambda: (played(*solutions.scenario_b_answers()),),
        None,
    ),
    "scenario-answers": (
        exercises.check_scenario_b,
        lambda: (solutions.scenario_b_answers(),),
        None,
    ),
    "scenario-none": (exercises.check_scenario_b, lambda: (None,), NOT_ANSWERED),
    "scenario-ellipsis": (exercises.check_scenario_b, lambda: (...,), "Replace `...`"),
    "scenario-string": (exercises.check_scenario_b, lambda: ("ignore ack",), "you gave a str"),
    "scenario-type": (exercises.check_scenario_b, lambda: (3,), "give a list of answers"),
    "scenario-alice-acks": (
        exercises.check_scenario_b,
        lambda: (["ack", "", "", "restart"],),
        "Alice must ignore the page first",
    ),
    "scenario-unfinished": (
        exercises.check_scenario_b,
        lambda: (["ignore", "ack", "sev2", "no"],),
        "the drill is not finished: it still asks 'Action (restart/ignore)'",
    ),
    "scenario-ignore-action": (
        exercises.check_scenario_b,
        lambda: (["ignore", "ack", "", "", "ignore"],),
        "still active: choose 'restart'",
    ),
    # 02: the runbook
    "runbook-correct": (exercises.check_runbook, lambda: (RUNBOOK,), None),
    "runbook-none": (exercises.check_runbook, lambda: (None,), "Replace `...` with your runbook"),
    "runbook-ellipsis": (exercises.check_runbook, lambda: (...,), NOT_ANSWERED),
    "runbook-string": (exercises.check_runbook, lambda: ("# Runbook: X\n",), "does not parse yet"),
    "runbook-type": (exercises.check_runbook, lambda: ({"title": "x"},), "one Markdown string"),
    "runbook-bullets": (
        exercises.check_runbook,
        lambda: ("# Runbook: Disk\n" + HEADER + "- check df\n- delete logs\n",),
        "number the steps ('1. ...', '2. ...'): bullets are not steps",
    ),
    "runbook-inline-code": (
        exercises.check_runbook,
        lambda: ("# Runbook: Disk\n" + HEADER + "1. Run `df -h`\n2. Run `du`\n3. Clean\n",),
        None,
    ),
    "runbook-no-severity": (
        exercises.check_runbook,
        lambda: (RUNBOOK.replace("## Severity: High\n", ""),),
        "add a '## Severity: High' line",
    ),
    # 03: the schedule
    "schedule-correct": (
        exercises.check_schedule,
        lambda: (solutions.challenge_2_schedule(),),
        None,
    ),
    "schedule-dict": (
        exercises.check_schedule,
        lambda: (
            {
                "name": "c2",
                "time_zone": "Europe/Dublin",
                "responders": {"Alice": "Europe/Dublin", "Bob": "Europe/Dublin"},
                "layers": [BOB, alice()],
            },
        ),
        None,
    ),
    "schedule-none": (
        exercises.check_schedule,
        lambda: (None,),
        "Replace `...` with your schedule",
    ),
    "schedule-ellipsis": (exercises.check_schedule, lambda: (...,), NOT_ANSWERED),
    "schedule-string": (exercises.check_schedule, lambda: ("Alice 9-5",), "does not parse as a"),
    "schedule-type": (exercises.check_schedule, lambda: (42,), "got an int (42)"),
    "schedule-no-bob": (
        exercises.check_schedule,
        lambda: (schedule(alice()),),
        "Bob is never on call: add a layer for Bob",
    ),
    "schedule-layers-reversed": (
        exercises.check_schedule,
        lambda: (schedule(alice(), BOB),),
        "Alice is never on call: a later layer wins",
    ),
    "schedule-utc": (
        exercises.check_schedule,
        lambda: (schedule(BOB, alice(), zone="UTC"),),
        "on 2026-07-01 Alice is on call 10:00-18:00",
    ),
    "schedule-one-hour-long": (
        exercises.check_schedule,
        lambda: (schedule(BOB, alice("09:00", "18:00")),),
        "Alice is on call 09:00-18:00, not 09:00-17:00",
    ),
    # 04: the Slack message
    "slack-correct": (exercises.check_slack_message, lambda: (SLACK,), None),
    "slack-none": (
        exercises.check_slack_message,
        lambda: (None,),
        "Replace `...` with your message",
    ),
    "slack-ellipsis": (exercises.check_slack_message, lambda: (...,), NOT_ANSWERED),
    "slack-string": (exercises.check_slack_message, lambda: ('{"text": "x"}',), "not a string"),
    "slack-type": (exercises.check_slack_message, lambda: (["text"],), "you gave a list"),
    "slack-no-text": (
        exercises.check_slack_message,
        lambda: ({"blocks": SLACK["blocks"]},),
        "Slack needs `text`",
    ),
    "slack-mrkdwn-header": (
        exercises.check_slack_message,
        lambda: ({"text": "x", "blocks": [{"type": "header", "text": {"type": "mrkdwn"}}]},),
        'a header\'s text is {"type": "plain_text"',
    ),
    "slack-secret": (
        exercises.check_slack_message,
        lambda: (SLACK | {"text": "see https://hooks.slack.com/services/T/B/x"},),
        "never put the webhook URL in the message",
    ),
    # 05: the profile
    "profile-correct": (exercises.check_profile, lambda: (PROFILE,), None),
    "profile-array": (exercises.check_profile, lambda: (np.array(PROFILE),), None),
    "profile-none": (
        exercises.check_profile,
        lambda: (None,),
        "Replace `...` with your 24 numbers",
    ),
    "profile-ellipsis": (exercises.check_profile, lambda: (...,), NOT_ANSWERED),
    "profile-string": (exercises.check_profile, lambda: ("0.3, 0.3",), "you gave a str"),
    "profile-type": (exercises.check_profile, lambda: ({"9": 2.0},), "you gave a dict"),
    "profile-not-scaled": (
        exercises.check_profile,
        lambda: ([v * 2 for v in PROFILE],),
        "scale it so the mean is 1 (now 2.00)",
    ),
    "profile-shifted": (
        exercises.check_profile,
        lambda: (PROFILE[12:] + PROFILE[:12],),
        "value 0 is midnight to 01:00",
    ),
    "profile-23-hours": (exercises.check_profile, lambda: (PROFILE[:23],), "24, not 23"),
    # 06: the skew
    "skew-correct": (exercises.check_skew, lambda: (*SKEW, INCIDENTS), None),
    "skew-numpy": (
        exercises.check_skew,
        lambda: (*(np.float64(v) for v in SKEW), INCIDENTS),
        None,
    ),
    "skew-series": (exercises.check_skew, lambda: (*(round(v, 1) for v in SKEW), TTR), None),
    "skew-none": (
        exercises.check_skew,
        lambda: (None, 30.0, 150.0, INCIDENTS),
        "Replace `...` with your mean",
    ),
    "skew-ellipsis": (exercises.check_skew, lambda: (..., ..., ..., INCIDENTS), NOT_ANSWERED),
    "skew-string": (
        exercises.check_skew,
        lambda: ("60", 30.0, 150.0, INCIDENTS),
        "you gave a str ('60')",
    ),
    "skew-type": (exercises.check_skew, lambda: ([60], 30.0, 150.0, INCIDENTS), "you gave a list"),
    "skew-no-data": (
        exercises.check_skew,
        lambda: (*SKEW, "run.incidents"),
        "the fourth argument is the incidents table",
    ),
    "skew-mean-median-swapped": (
        exercises.check_skew,
        lambda: (SKEW[1], SKEW[0], SKEW[2], INCIDENTS),
        "your mean (55) looks like the median of time_to_resolve. Use ttr.mean()",
    ),
    "skew-p10": (
        exercises.check_skew,
        lambda: (SKEW[0], SKEW[1], TTR.quantile(0.1), INCIDENTS),
        "looks like the 10th percentile (quantile(0.1)) of time_to_resolve",
    ),
    "skew-hours": (
        exercises.check_skew,
        lambda: (*(v / 60 for v in SKEW), INCIDENTS),
        "looks like the mean of time_to_resolve in hours (divided by 60)",
    ),
    "skew-seconds": (
        exercises.check_skew,
        lambda: (*(v * 60 for v in SKEW), INCIDENTS),
        "looks like the 90th percentile of time_to_resolve in seconds (times 60)",
    ),
    "skew-mtta": (
        exercises.check_skew,
        lambda: (*(INCIDENTS["time_to_acknowledge"].agg(["mean", "median"])), SKEW[2], INCIDENTS),
        "your mean (65.1) looks like the mean of time_to_acknowledge — that is MTTA",
    ),
    "skew-p95": (
        exercises.check_skew,
        lambda: (*SKEW[:2], TTR.quantile(0.95), INCIDENTS),
        "your p90 (630) looks like the 95th percentile (quantile(0.95)) of time_to_resolve",
    ),
    "skew-max": (
        exercises.check_skew,
        lambda: (*SKEW[:2], TTR.max(), INCIDENTS),
        "your p90 (900) looks like the maximum (max()) of time_to_resolve",
    ),
    "skew-made-up": (
        exercises.check_skew,
        lambda: (60.0, 30.0, 150.0, INCIDENTS),
        "your mean (60) is too low for the mean of time_to_resolve: compute it as ttr.mean()",
    ),
    # 07: the team size
    "team-correct": (exercises.check_team_size, lambda: (6, SWEEP, 2.0), None),
    "team-numpy": (exercises.check_team_size, lambda: (np.int64(6), SWEEP, 2.0), None),
    "team-none": (exercises.check_team_size, lambda: (None, SWEEP, 2.0), "your team size"),
    "team-ellipsis": (exercises.check_team_size, lambda: (..., SWEEP, 2.0), NOT_ANSWERED),
    "team-string": (exercises.check_team_size, lambda: ("6", SWEEP, 2.0), "you gave a str ('6')"),
    "team-type": (exercises.check_team_size, lambda: (6.5, SWEEP, 2.0), "a whole number"),
    "team-over-the-limit": (
        exercises.check_team_size,
        lambda: (4, SWEEP, 2.0),
        "at 4 people the mean is 2.50, not under 2",
    ),
    "team-not-smallest": (
        exercises.check_team_size,
        lambda: (8, SWEEP, 2.0),
        "but a smaller team is too: look for the smallest",
    ),
    "team-not-tried": (
        exercises.check_team_size,
        lambda: (5, SWEEP, 2.0),
        "5 is not a team size the sweep tried (3, 4, 6, 8)",
    ),
    # 08: the post-mortem
    "postmortem-correct": (exercises.check_postmortem, lambda: (filled(),), None),
    "postmortem-none": (exercises.check_postmortem, lambda: (None,), "your post-mortem (the draft"),
    "postmortem-ellipsis": (exercises.check_postmortem, lambda: (...,), NOT_ANSWERED),
    "postmortem-string": (
        exercises.check_postmortem,
        lambda: ("Bob was slow.",),
        "add the '## Summary' section",
    ),
    "postmortem-type": (
        exercises.check_postmortem,
        lambda: (solutions.postmortem_sections(),),
        "you gave the sections as a dictionary",
    ),
    "postmortem-untouched": (
        exercises.check_postmortem,
        lambda: (draft(),),
        "fill in the 'What went wrong' section: it still holds the template's placeholder",
    ),
    "postmortem-bob-careful": (
        exercises.check_postmortem,
        lambda: (filled(what_went_wrong="Bob should be more careful and answer faster."),),
        "'Bob should' (What went wrong)",
    ),
    "postmortem-human-error": (
        exercises.check_postmortem,
        lambda: (filled(root_cause="Human error."),),
        "'human error' is where a review starts",
    ),
    "postmortem-unowned": (
        exercises.check_postmortem,
        lambda: (filled(action_items=UNOWNED),),
        "give each action item an owner (a person or a team): missing for 'Put the runbook",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_check_answers_with_a_sentence(case):
    check, arguments, expected = CASES[case]
    feedback = check(*arguments())
    text = repr(feedback)
    if expected is None:
        assert feedback.passed, text
        assert text.startswith("✅ Well done")
    else:
        assert not feedback.passed
        assert expected in text, text
    not_answered = case.endswith(("-none", "-ellipsis"))
    assert feedback.answered is not not_answered, text
    if not_answered:
        assert text.startswith(NOT_ANSWERED), text
        assert "Replace `...` with your" in text and "then run this cell again." in text


def test_every_check_has_its_placeholder_wrong_types_and_three_likely_mistakes():
    names = {case.split("-")[0] for case in CASES}
    assert len(names) == 9
    for name in names:
        kinds = [case.split("-", 1)[1] for case in CASES if case.startswith(name + "-")]
        assert {"correct", "none", "ellipsis", "string", "type"} <= set(kinds), name
        assert len(kinds) >= 8, f"{name}: three likely wrong answers besides the basics"


@pytest.mark.parametrize(
    "mistake",
    [
        "Human error.",
        "The primary should have checked the phone volume.",
        "Alice forgot to charge her phone.",
        "The on-call engineer failed to respond in time.",
        "A careless restart made it worse.",
        "Charlie was paged but the outage had already ended.",
    ],
)
def test_blame_in_any_cause_section_is_caught(mistake):
    for section in ("impact", "root_cause", "what_went_wrong"):
        feedback = exercises.check_postmortem(filled(**{section: mistake}))
        assert "this points at a person" in repr(feedback), (section, mistake)


def test_a_blameless_cause_naming_conditions_passes():
    cause = "The page went unanswered for 5 minutes: the phone was on silent at night."
    assert exercises.check_postmortem(filled(what_went_wrong=cause)).passed


def test_action_items_need_an_owner_and_a_date_as_a_table_or_a_list():
    listed = "- Put the runbook link in the alert (owner: Bob, due 2026-12-04)\n- Add a CPU alert"
    text = repr(exercises.check_postmortem(filled(action_items=listed)))
    assert "an owner (a person or a team): missing for 'Add a CPU alert'" in text
    assert "a due date (like 2026-12-04): missing for 'Add a CPU alert'" in text
    dated = "- Put the runbook link in the alert (owner: Bob, due 4 Dec 2026)"
    assert exercises.check_postmortem(filled(action_items=dated)).passed


def test_the_draft_alone_names_every_unfilled_section():
    text = repr(exercises.check_postmortem(draft()))
    for section in ("Impact", "What went wrong", "Action items"):
        assert f"fill in the '{section}' section" in text
    assert "add at least one action item" in text


def test_the_lifecycle_never_counts_characters():
    text = repr(exercises.check_lifecycle("…"))
    assert "not one string" in text and "you gave 1" not in text and "you gave 3" not in text


def test_scenario_b_takes_the_pager_console_the_student_clicked():
    console = PagerConsole(Drill(clock=ManualClock()))
    for answer in solutions.scenario_b_answers():
        console.click(answer)
    assert exercises.check_scenario_b(console).passed
