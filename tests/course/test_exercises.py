"""Self-checks pass the worked solutions and explain what is wrong otherwise."""

from __future__ import annotations

import pandas as pd

from pager_lab.core.clock import ManualClock
from pager_lab.core.drill import Drill
from pager_lab.core.schedule_io import parse_schedule
from pager_lab.course import exercises, solutions


def test_every_solution_passes_its_check():
    drill = Drill(clock=ManualClock())
    for answer in solutions.scenario_b_answers():
        drill.answer(answer)
    results = [
        exercises.check_lifecycle(solutions.lifecycle()),
        exercises.check_scenario_b(drill),
        exercises.check_runbook(solutions.disk_full_runbook()),
        exercises.check_schedule(solutions.challenge_2_schedule()),
        exercises.check_slack_message(solutions.slack_message()),
        exercises.check_profile(solutions.office_profile()),
        exercises.check_skew(60.0, 30.0, 150.0),
    ]
    assert all(r.passed for r in results), "\n".join(map(repr, results))


def test_wrong_answers_get_specific_feedback():
    fb = exercises.check_lifecycle(["acknowledge", "trigger", "triage", "resolve"])
    assert not fb.passed and "cannot triage what nobody has acknowledged" in repr(fb)
    drill = Drill(clock=ManualClock())
    for answer in ["ack", "", "", "restart"]:
        drill.answer(answer)
    assert "Alice must ignore the page first" in repr(exercises.check_scenario_b(drill))
    assert "it does not parse yet" in repr(exercises.check_runbook("# Runbook: X\n"))
    seed_split_in_utc = parse_schedule(
        {
            "name": "s",
            "time_zone": "UTC",
            "responders": {"Alice": "UTC", "Bob": "UTC"},
            "layers": [
                {
                    "name": "a",
                    "responders": ["Alice"],
                    "turn_length": 1,
                    "turn_unit": "weeks",
                    "handoff": "2026-01-05T09:00",
                    "restrictions": [{"start": "09:00", "end": "17:00"}],
                }
            ],
        }
    )
    fb = exercises.check_schedule(seed_split_in_utc)
    assert "00:30 → nobody (want Bob)" in repr(fb) and "gap(s)" in repr(fb)
    fb = exercises.check_slack_message(
        {"text": "x", "blocks": [{"type": "section"}], "url": "https://hooks.slack.com/x"}
    )
    assert "start with a header" in repr(fb) and "never put the webhook URL" in repr(fb)
    assert "24, not 23" in repr(exercises.check_profile([1.0] * 23))
    assert "mean is pulled up" in repr(exercises.check_skew(10.0, 30.0, 50.0))
    table = pd.DataFrame({"team_size": [3, 4, 6], "mean": [3.0, 2.5, 1.5]})
    assert exercises.check_team_size(6, table, limit=2.0).passed
    assert "at 4 people the mean is 2.50" in repr(exercises.check_team_size(4, table, 2.0))
    draft = (
        "## Summary\nx\n## Impact\n_(fill in)_\n## Timeline\nx\n## Root cause\nx\n"
        "## Action items\nBob was careless\n"
    )
    fb = exercises.check_postmortem(draft)
    assert "fill in the 'Impact' section" in repr(fb) and "'careless' blames" in repr(fb)
