"""Every store test runs on both backends: a SQLite file and a throw-away PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pager_lab.classroom import DrillResult, PathStep

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def store_target(request: pytest.FixtureRequest, tmp_path) -> str:
    """A fresh, empty store location: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "results.db")
    return request.getfixturevalue("postgres_server").fresh_database()


def make_result(handle: str = "ada", scenario: str = "db-runaway-query", n: int = 0) -> DrillResult:
    """A plausible finished drill; *n* varies the seed, times and finish time."""
    path = (
        PathStep(1.0, "page", "ack", "ack"),
        PathStep(3.0, "action", "restart-db", "relief"),
        PathStep(6.0, "action", "terminate-query", "fixes"),
    )
    return DrillResult(
        handle=handle,
        scenario=scenario,
        seed=n,
        path=path,
        time_to_acknowledge=1.0 + n,
        time_to_mitigate=6.0 + n,
        time_to_resolve=9.0 + n,
        impact_minutes=4.5,
        score=70.0,
        finished_at=datetime(2026, 11, 29, 9, 0, tzinfo=UTC) + timedelta(minutes=n),
    )
