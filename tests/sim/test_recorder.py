"""The recorder builds rows by name, in its schemas' order, and its tables follow the core's."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

from pager_lab import load_scenario, simulate, with_changes
from pager_lab.core.incident import IncidentFacts
from pager_lab.core.tables import ALERTS, INCIDENTS, PAGES, TEAM, TIMESTAMP
from pager_lab.sim.recorder import FROM_FACTS, INCIDENT_ROW, PAGE_ROW, Recorder
from tests.helpers import DATA


def _keywords(method) -> list[str]:
    parameters = inspect.signature(method).parameters.values()
    return [p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY]


def test_incident_rows_are_named_in_the_schemas_order():
    facts = [FROM_FACTS[name] for name in IncidentFacts._fields]
    assert list(INCIDENT_ROW) == [*_keywords(Recorder.incident), *facts]


def test_an_incident_row_holds_each_fact_in_its_column():
    recorder = Recorder(pd.DataFrame({"alert_id": [], "minute": []}))
    facts = IncidentFacts(1.0, 2.0, "Alice", 9.0, "Bob", 2, 3, False)
    named = {"incident_id": "INC-7", "alert_position": 4, "runbook": True, "alerts": 2}
    recorder.incident(facts, **named, work_started_minute=5.0, resolution="fixed", number=7)
    row = dict(zip(INCIDENT_ROW, recorder._incidents[0], strict=True))
    for field, column in FROM_FACTS.items():
        assert row[column] == getattr(facts, field), column
    assert row["incident_id"] == "INC-7" and row["number"] == 7


def test_page_rows_are_named_in_the_schemas_order():
    assert _keywords(Recorder.page) == [*PAGE_ROW, "answered"]


@pytest.mark.parametrize("name", ["baseline", "textbook-mm1"])
def test_every_table_has_the_cores_columns_and_dtypes(name):
    scenario = with_changes(load_scenario(DATA / "scenarios" / f"{name}.toml"), {"weeks": 3})
    result = simulate(scenario, 4)
    schemas = {"alerts": ALERTS, "incidents": INCIDENTS, "pages": PAGES, "team": TEAM}
    for table, schema in schemas.items():
        frame = result.tables()[table]
        assert list(frame.columns) == list(schema), table
        for column, dtype in schema.items():
            actual = frame[column].dtype
            if dtype == TIMESTAMP:
                assert isinstance(actual, pd.DatetimeTZDtype), (table, column, actual)
            else:
                assert str(actual) == dtype, (table, column, actual)


def test_a_page_outcome_changes_by_name_not_by_position():
    alerts = pd.DataFrame({"alert_id": [], "minute": []})
    recorder = Recorder(alerts)
    common = {"responder": "Alice", "slot": "Alice", "incident_id": "INC-1", "level": 1, "loop": 0}
    first = recorder.page(minute=1.0, window=0, answered=False, **common)
    second = recorder.page(minute=1.0, window=2, answered=True, **common)
    recorder.acknowledged(second)
    assert (first, second) == (0, 1)
    assert recorder._outcomes == ["missed", "acknowledged"]
