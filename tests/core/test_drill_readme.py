"""The README's annotated drill scenario is a valid scenario, and its numbers are true."""

from __future__ import annotations

import re
import tomllib

from pager_lab.core.drill_lint import lint_scenario
from pager_lab.core.drill_scenario import load_drill_library, parse_drill_scenario
from pager_lab.core.drill_score import score_drill
from pager_lab.core.drill_session import DrillSession
from pager_lab.core.runbook import load_runbook
from tests.helpers import DATA, ROOT

README = (ROOT / "README.md").read_text("utf-8")
SECTION = README[README.index("## Drill library") :]


def test_the_annotated_example_parses_lints_and_its_best_path_gets_full_marks():
    example = re.search(r"```toml\n(.*?)```", SECTION, re.S)
    assert example is not None
    runbooks = {"runbooks/db-runaway-query.md": load_runbook(DATA / "runbooks/db-runaway-query.md")}
    scenario = parse_drill_scenario(tomllib.loads(example[1]), "README.md", runbooks)
    assert lint_scenario(scenario) == []
    session = DrillSession(scenario)
    for step in scenario.best_paths[0].steps:
        session.choose(step)
    assert score_drill(session).total == 100
    assert len(scenario.diagnostics) == 3 and {d.kind for d in scenario.diagnostics} == {
        "text", "table", "series",
    }  # fmt: skip


def test_the_table_lists_every_bundled_scenario_and_the_restart_score_is_true():
    library = load_drill_library(DATA / "drills")
    for name, scenario in library.items():
        assert f"| `{name}` | {scenario.difficulty} |" in SECTION
    session = DrillSession(library["db-runaway-query"], 0)
    for step in ["ack", "restart-db", "wait", "wait", "wait", "pg-activity", "terminate-query",
                 "resolve"]:  # fmt: skip
        session.choose(step)
    assert session.recurrences == 1
    assert f"scores {score_drill(session).total:.0f}." in SECTION
