"""Notebooks that need a system program are skipped, with the reason, when it is missing.

Outside CI only: with ``CI=true`` (``.ci/run`` installs them) every notebook runs under
strict nbval. Students without Alertmanager read notebook 11's stored outputs instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

NEEDS_ALERTMANAGER = {"11_alert_routing.ipynb"}
"""Notebooks that start a real Prometheus Alertmanager."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from pager_lab.alerting.alertmanager import ALERTMANAGER_INSTALL_LINE, find_alertmanager

    if os.environ.get("CI") == "true" or find_alertmanager() is not None:
        return
    skip = pytest.mark.skip(
        reason=f"Prometheus Alertmanager is not installed ({ALERTMANAGER_INSTALL_LINE})"
    )
    for item in items:
        if Path(str(item.fspath)).name in NEEDS_ALERTMANAGER:
            item.add_marker(skip)
