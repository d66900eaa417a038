"""The seed drill for an alert of the data folder: its own page brings its runbook and cause."""

from __future__ import annotations

from pager_lab.core.clock import ManualClock
from pager_lab.core.incident import Severity
from pager_lab.core.lab_config import load_lab
from pager_lab.core.lab_drill import lab_drill
from tests.helpers import DATA

LAB = load_lab(DATA)
ALERT = LAB.alerts["database-connection-failed"]


def test_the_alerts_own_page_brings_its_runbook_cause_severity_and_service():
    drill = lab_drill(LAB, ALERT, own=True, clock=ManualClock())
    assert drill.runbook is not None and drill.runbook.title == "Database Connection Failed"
    assert drill.root_cause == ALERT.root_cause != ""
    assert drill.default_severity is ALERT.severity
    assert drill.incident.service == "database"
    assert drill.incident.summary == ALERT.summary


def test_another_incident_under_its_policy_gets_no_runbook_and_no_cause():
    drill = lab_drill(
        LAB, ALERT, own=False, clock=ManualClock(), text="Disk full", service="logs",
        default_severity=Severity.SEV3,
    )  # fmt: skip
    assert drill.runbook is None and drill.root_cause == ""
    assert drill.incident.summary == "Disk full" and drill.incident.service == "logs"
    assert drill.default_severity is Severity.SEV3
    assert drill.policy is LAB.policies[ALERT.policy]
