"""The seed drill for an alert of a data folder: one rule for what comes with the page.

The page *is* the alert (``own``): its runbook and root cause come along. Another incident
under the alert's policy (another text on the command line, an Alertmanager alert the folder
does not define) gets no runbook and no made-up cause (issue 15: "Disk full" had shown the
database's). Used by ``pager-lab drill`` and by a real Alertmanager's page
(:func:`pager_lab.alerting.am_page.drill_for_page`).
"""

from __future__ import annotations

from pager_lab.core.clock import Clock
from pager_lab.core.drill import Drill
from pager_lab.core.escalation import EscalationPolicy
from pager_lab.core.incident import Severity
from pager_lab.core.lab_config import AlertDefinition, Lab
from pager_lab.core.runbook import Runbook, load_runbook

__all__ = ["lab_drill"]


def lab_drill(
    lab: Lab,
    alert: AlertDefinition,
    *,
    own: bool,
    clock: Clock,
    text: str | None = None,
    policy: EscalationPolicy | None = None,
    runbook: Runbook | None = None,
    default_severity: Severity | None = None,
    service: str | None = None,
    incident_id: str = "INC-1",
    step_minutes: float = 0.0,
    paged_after: float = 0.0,
) -> Drill:
    """The drill paging *alert*'s policy with *text* (default: its summary). *policy*,
    *runbook*, *default_severity* and *service*, when given, replace the alert's."""
    if runbook is None and own and alert.runbook is not None:
        runbook = load_runbook(lab.folder / alert.runbook)
    return Drill(
        policy or lab.policies[alert.policy],
        alert=text or alert.summary,
        runbook=runbook,
        root_cause=alert.root_cause if own else "",
        clock=clock,
        default_severity=default_severity or alert.severity,
        incident_id=incident_id,
        service=alert.service if service is None else service,
        step_minutes=step_minutes,
        paged_after=paged_after,
    )
