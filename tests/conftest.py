"""Shared fixtures. Hypothesis runs derandomized in CI so a run can be repeated exactly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from tests.helpers import DATA

settings.register_profile("ci", derandomize=True, max_examples=150, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture
def data_dir() -> Path:
    return DATA


from tests.postgres import postgres_server  # noqa: E402, F401  (a session fixture: PostgreSQL)
