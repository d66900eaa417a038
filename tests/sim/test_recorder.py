"""The recorder builds rows by name, in its schemas' order, and its tables follow the core's."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

from pager_lab import load_scenario, simulate, with_changes
from pager_lab.core.tables import ALERTS, INCIDENTS, PAGES, TEAM, TIMESTAMP
from pager_lab.sim.recorder import INCIDENT_ROW, PAGE_ROW, Recorder
from tests.helpers import DATA


def _keywords(method) -> list[str]:
    parameters = inspect.signature(method).parameters.values()
    return [p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY]


def test_incident_rows_are_named_in_the_schemas_order():
    assert _keywords(Recorder.incident) == list(INCIDENT_ROW)


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
