"""The drill scenario format's errors and ``lint_scenario``'s findings, on planted mistakes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from pager_lab.core.drill_lint import lint_scenario
from pager_lab.core.drill_scenario import load_drill_scenario, parse_drill_scenario
from pager_lab.core.errors import ConfigError
from pager_lab.core.runbook import load_runbook
from tests.helpers import DATA

SOURCE = (DATA / "drills" / "db-runaway-query.toml").read_text("utf-8")


RUNBOOKS = {"runbooks/db-runaway-query.md": load_runbook(DATA / "runbooks" / "db-runaway-query.md")}


def parsed(text: str = SOURCE):
    return parse_drill_scenario(tomllib.loads(text), "planted.toml", RUNBOOKS)


def test_the_bundled_scenario_is_clean():
    assert lint_scenario(parsed()) == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'difficulty = "easy"',
            'dificulty = "easy"',
            "planted.toml: scenario.dificulty = 'easy': expected no such key here",
        ),
        (
            'difficulty = "easy"',
            'difficulty = "trivial"',
            "scenario.difficulty = 'trivial': expected easy, medium or hard",
        ),
        (
            'requires = ["pg-activity"]',
            'requires = ["pg-stats"]',
            "actions[1].requires = 'pg-stats': expected a diagnostic or action id",
        ),
        (
            'kind = "relief"',
            'kind = "heal"',
            "actions[0].effects[0].kind = 'heal': expected one of fixes, relief, starts",
        ),
        (
            'fault = "runaway_query"\nrecur_after = 10',
            'fault = "runaway"\nrecur_after = 10',
            "actions[0].effects[0].fault = 'runaway': expected a fault",
        ),
        ("recur_after = 10", "", "recur_after = None: expected minutes until the fault returns"),
        (
            'signals = ["db_cpu", "db_connections", "error_rate"]',
            'signals = ["cpu"]',
            "diagnostics[1].signals = 'cpu': expected a signal",
        ),
        ('id = "deploys"', 'id = "logs"', "diagnostics[3].id = 'logs': expected a unique id"),
        ('id = "deploys"', 'id = "wait"', "diagnostics[3].id = 'wait': expected an id other than"),
        ("cost = 4", "cost = -4", "actions[0].cost = -4: expected a number >= 0"),
        (
            '  ["60122", "00:00:01", "active", "SELECT id FROM carts WHERE ..."],',
            '  ["60122"],',
            "diagnostics[2].rows = ['60122']: expected a list of 4 values",
        ),
        (
            'required = ["declare", "status"]',
            'required = ["tweet"]',
            "comms.required = 'tweet': expected one of declare, status, page-ic, page-sme",
        ),
        ('kind = "eta"', 'kind = "party"', "injections[0].kind = 'party'"),
        (
            "(pid {pid})",
            "(pid {pdi})",
            "{pdi} = 'An analytics report ran an unbounded join on {host} (pid {pdi}); it held "
            "the CPU at 100 % and starved the connection pool.': expected a [vary] variable "
            "(herring_service, host, pid, region, requeued_pid, started_before)",
        ),
    ],
)
def test_format_errors_name_the_file_key_value_and_expectation(old: str, new: str, message: str):
    assert old in SOURCE
    with pytest.raises(ConfigError) as caught:
        parsed(SOURCE.replace(old, new, 1))
    assert message in str(caught.value)


def test_a_missing_runbook_and_a_wrong_file_name_are_reported(tmp_path: Path):
    (tmp_path / "drills").mkdir()
    file = tmp_path / "drills" / "db-runaway-query.toml"
    file.write_text(SOURCE)
    with pytest.raises(
        ConfigError, match=re.escape("scenario.runbook = 'runbooks/db-runaway-query.md'")
    ):
        load_drill_scenario(file)
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "runbooks" / "db-runaway-query.md").write_text("# Runbook: X\n## Steps:\n1. a\n")
    assert load_drill_scenario(file).runbook is not None
    renamed = tmp_path / "drills" / "other.toml"
    renamed.write_text(SOURCE)
    with pytest.raises(
        ConfigError, match=re.escape("scenario.name = 'db-runaway-query': expected the file")
    ):
        load_drill_scenario(renamed)


def test_an_unresolvable_best_path_is_found():
    text = SOURCE.replace('"pg-activity", "terminate-query", "status", "resolve"]',
                          '"pg-activity", "restart-db", "status", "resolve"]')  # fmt: skip
    problems = lint_scenario(parsed(text))
    assert len(problems) == 1
    # resolve takes its minute: the reboot is over, the query will return
    assert "planted.toml: best path 1 ends 'resolved too early'" in problems[0]
    assert "resolution 5/25 (resolved while the fix was only temporary" in problems[0]


def test_a_best_path_without_full_marks_is_found():
    text = SOURCE.replace(
        'steps = ["ack", "declare-sev2", "runbook",', 'steps = ["ack", "runbook",'
    )
    (problem,) = lint_scenario(parsed(text))
    assert "best path 1 ends 'resolved' with 92.5/100" in problem
    assert "communication" in problem and "missing: declare" in problem


def test_a_best_path_step_that_is_no_choice_is_found():
    text = SOURCE.replace('"terminate-query", "status", "resolve"]', '"kill-it", "resolve"]')
    (problem,) = lint_scenario(parsed(text))
    assert "best path 1: step 'kill-it' is not an answer here" in problem


def test_an_unreachable_action_is_found():
    text = SOURCE.replace('id = "rollback"\n', 'id = "rollback"\nrequires = ["rollback"]\n')
    problems = lint_scenario(parsed(text))
    assert problems == [
        "planted.toml: action 'rollback' is never usable within 16 choices (its requires "
        "['rollback'] are never met): unreachable"
    ]


def test_states_that_cannot_resolve_are_reported():
    # scale-out now starts a fault that nothing fixes: after it, no path resolves
    assert 'fault = "connection_surge"\nif_active = "runaway_query"' in SOURCE
    text = SOURCE.replace(
        'fault = "connection_surge"\nif_active = "runaway_query"',
        'fault = "doom"\nif_active = "runaway_query"',
    ).replace(
        "[[diagnostics]]",
        '[[faults]]\nname = "doom"\ndrives = [{ signal = "error_rate", rate = 1, peak = 5 }]\n\n'
        "[[diagnostics]]",
        1,
    )
    problems = lint_scenario(parsed(text))
    assert problems, "the dead end went unnoticed"
    *states, more = problems
    assert more == "planted.toml: ... and 4 more states that cannot resolve"
    assert all("no path of at most 8 choices resolves the incident" in p for p in states)
    assert "planted.toml: after ack → scale-out, no path" in states[0]
    assert all("scale-out" in p for p in states)


def test_a_sev2_scenario_must_require_its_communication():
    text = SOURCE.replace('required = ["declare", "status"]', 'required = ["declare"]')
    text = text.replace('"terminate-query", "status", "resolve"]', '"terminate-query", "resolve"]')
    assert lint_scenario(parsed(text)) == [
        "planted.toml: comms.required = ['declare']: a SEV2 scenario must require declare, "
        "status (missing status)"
    ]
