"""A real Alertmanager pages the drill: its notification opens the incident you answer.

The lab's receiver stores every notification Alertmanager posts to it; a :class:`PageWatch`
folds them into incidents through the same path as a replay (:class:`AlertmanagerInbox`:
one group is one incident, keyed by ``groupKey``; ``resolved`` resolves it) and tells
which incident is paging now: the newest one still open. :func:`wait_for_page` waits for
one; :func:`drill_for_page` turns it into the step-wise :class:`~pager_lab.core.drill.Drill`
that the terminal drill and the notebook's pager console both drive.

An alert whose ``alertname`` names an alert of the lab's data folder (``alerts.toml``;
``DatabaseConnectionFailed`` and ``database-connection-failed`` are the same name) is that
alert: its escalation policy, runbook, root cause and severity. Any other alert pages the
lab's default policy, with no runbook and no made-up cause, and a severity read from its
``severity`` label (:data:`SEVERITY_OF`).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pager_lab.alerting.alertmanager import Alertmanager, AlertmanagerError
from pager_lab.alerting.am_inbox import AlertmanagerInbox, group_event
from pager_lab.alerting.ingest import parse_timestamp
from pager_lab.core.clock import ManualClock
from pager_lab.core.drill import SEED_ALERT_NAME, Drill
from pager_lab.core.escalation import EscalationPolicy
from pager_lab.core.incident import Incident, IncidentState, Severity
from pager_lab.core.lab_config import AlertDefinition, Lab
from pager_lab.core.lab_drill import lab_drill
from pager_lab.core.runbook import Runbook

__all__ = [
    "SEVERITY_OF",
    "WEBHOOK_PATH",
    "AlertmanagerPage",
    "PageWatch",
    "drill_for_page",
    "end_alerts",
    "firing_alert",
    "in_words",
    "wait_for_page",
]

WEBHOOK_PATH = "/alertmanager"
"""Where the generated Alertmanager config posts, on the lab's receiver."""

SEVERITY_OF = {
    "critical": Severity.SEV1,
    "error": Severity.SEV2,
    "warning": Severity.SEV3,
    "info": Severity.SEV4,
}
"""Alertmanager's ``severity`` label (PagerDuty Events v2's four severities) as the drill's
suggested severity, for an alert the lab's data folder does not define."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _plain(name: str) -> str:
    """``DatabaseConnectionFailed`` and ``database-connection-failed`` are one name."""
    return "".join(c for c in name.lower() if c.isalnum())


@dataclass(frozen=True)
class AlertmanagerPage:
    """One incident a real Alertmanager opened through the lab's receiver."""

    incident_id: str
    """The receiver's incident (``INC-3``: the third group that fired since it started)."""
    summary: str
    """The group's ``summary`` annotation, else its group labels and alert count."""
    service: str
    """The group's common ``service`` label (else ``instance``; empty if neither)."""
    severity: str
    """The worst ``severity`` of its firing alerts, by the ingest path's rule (``critical`` …
    ``info``; a missing or unknown label counts as ``warning``)."""
    group_labels: Mapping[str, str]
    firing: int
    """Alerts firing in the notification that opened it."""
    at: datetime
    """When that notification arrived (time-zone aware)."""
    alerts: tuple[Mapping[str, str], ...] = ()
    """The label sets of its firing alerts (what :func:`end_alerts` ends)."""
    fired_at: datetime | None = None
    """When its first alert started firing (``startsAt``): Alertmanager held the page back
    from then until :attr:`at` (``group_wait``, or a group's next flush)."""
    starts: tuple[str, ...] = ()
    """Each alert's ``startsAt`` as Alertmanager gave it (kept when :func:`end_alerts` ends it)."""

    @property
    def alertname(self) -> str:
        return self.group_labels.get("alertname", "")

    @property
    def held_back_minutes(self) -> float:
        """Minutes from the first alert firing to the page (0 when unknown)."""
        if self.fired_at is None:
            return 0.0
        return max(0.0, (self.at - self.fired_at).total_seconds() / 60)

    def lab_alert(self, lab: Lab) -> AlertDefinition | None:
        """The lab's alert definition this page is, by ``alertname`` (any case, ``-``/``_``)."""
        wanted = _plain(self.alertname)
        return next((a for a in lab.alerts.values() if wanted and _plain(a.name) == wanted), None)

    def describe(self) -> str:
        """One line: which group paged, and what it carried."""
        labels = ", ".join(f"{k}={json.dumps(v)}" for k, v in sorted(self.group_labels.items()))
        services = sorted({a.get("service", "") for a in self.alerts} - {""})
        where = (
            f"service {self.service}"
            if self.service
            else f"services {', '.join(services)}"
            if services
            else "no service label"
        )
        return (
            f"{self.incident_id}: group {{{labels}}}, {self.firing} alert(s) firing, "
            f"severity {self.severity}, {where}"
        )


def _page(
    incident: Incident, opening: Mapping[str, Any], latest: Mapping[str, Any]
) -> AlertmanagerPage:
    """The page *incident* is: when its opening notification came, what its latest carries."""
    body = latest["body"]
    firing = [a for a in body["alerts"] if a["status"] == "firing"]
    at = datetime.fromtimestamp(float(opening["received_at"]), UTC)
    worst = group_event(body, at).severity  # the ingest path's rule, not a second one
    common = body.get("commonLabels") or {}
    starts = [parse_timestamp(a.get("startsAt"), "startsAt") for a in firing]
    return AlertmanagerPage(
        incident.id,
        incident.summary,
        str(common.get("service") or common.get("instance") or ""),
        worst,
        dict(body.get("groupLabels") or {}),
        len(firing),
        at,
        tuple(dict(a["labels"]) for a in firing),
        min((s for s in starts if s is not None), default=None),
        tuple(str(a.get("startsAt", "")) for a in firing),
    )


@dataclass
class PageWatch:
    """Folds the receiver's stored posts into incidents and names the one paging now."""

    messages: Callable[[], Sequence[Mapping[str, Any]]]
    """The receiver's posts in arrival order (``LocalReceiver.messages`` or its
    ``GET /messages``); posts to other paths (a Slack webhook) are not Alertmanager's."""
    active: Callable[[], Sequence[Mapping[str, str]]] | None = None
    """The label sets of the alerts Alertmanager holds active now: an incident none of whose
    alerts is still active was fixed (or ended) though its ``resolved`` has not come yet,
    and pages nobody. ``None``: trust the notifications alone."""
    claim: Callable[[str], bool] | None = None
    """Asked for each candidate, newest first: ``False`` when another drill answers it."""
    inbox: AlertmanagerInbox = field(
        default_factory=lambda: AlertmanagerInbox(_EPOCH, wall_zero=0.0)
    )
    _opening: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    _latest: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    _seen: int = 0

    def paging(self) -> AlertmanagerPage | None:
        """The newest open incident whose alerts still fire (and that no other drill has
        claimed), if any: an alert already firing pages at once."""
        for message in self.messages()[self._seen :]:
            self._seen += 1
            if str(message.get("path", "")).partition("?")[0] != WEBHOOK_PATH:
                continue
            incident = self.inbox.take(message)
            if incident is not None and message["body"].get("status") == "firing":
                self._opening.setdefault(incident.id, message)
                self._latest[incident.id] = message
        open_ones = [i for i in self.inbox.incidents if i.state is not IncidentState.RESOLVED]
        if not open_ones:
            return None
        active = None if self.active is None else [dict(a) for a in self.active()]
        for incident in reversed(open_ones):
            page = _page(incident, self._opening[incident.id], self._latest[incident.id])
            if active is not None and not any(dict(a) in active for a in page.alerts):
                continue
            if self.claim is None or self.claim(page.incident_id):
                return page
        return None


def wait_for_page(
    watch: PageWatch | Callable[[], Sequence[Mapping[str, Any]]],
    *,
    timeout: float,
    poll: float = 0.25,
    sleep: Callable[[float], None] = time.sleep,
    monotonic: Callable[[], float] = time.monotonic,
) -> AlertmanagerPage:
    """The page *watch* finds (or a plain :class:`PageWatch` over *watch*, the receiver's
    posts), waiting up to *timeout* seconds for one."""
    watch = watch if isinstance(watch, PageWatch) else PageWatch(watch)
    deadline = monotonic() + timeout
    while True:
        page = watch.paging()
        if page is not None:
            return page
        if monotonic() >= deadline:
            raise AlertmanagerError(
                f"no page from Alertmanager within {timeout:g} s: no incident with an alert "
                "still firing"
            )
        sleep(poll)


def drill_for_page(
    page: AlertmanagerPage,
    lab: Lab,
    *,
    default_alert: str = SEED_ALERT_NAME,
    policy: EscalationPolicy | None = None,
    runbook: Runbook | None = None,
    step_minutes: float = 1.0,
) -> Drill:
    """The drill for *page*: the lab's alert it names (policy, runbook, root cause,
    severity), else *default_alert*'s policy with no runbook and no cause. *policy* and
    *runbook*, when given, replace the alert's (the drill's ``--escalation``, ``--runbook``)."""
    own = page.lab_alert(lab)
    return lab_drill(
        lab,
        own or lab.alerts[default_alert],
        own=own is not None,
        clock=ManualClock(page.fired_at or page.at),
        text=page.summary,
        policy=policy,
        runbook=runbook,
        default_severity=None if own else SEVERITY_OF.get(page.severity, Severity.SEV2),
        service=page.service or None,
        incident_id=page.incident_id,
        step_minutes=step_minutes,
        paged_after=page.held_back_minutes,
    )


def in_words(name: str) -> str:
    """``DatabaseConnectionFailed`` and ``database-connection-failed`` as words."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return re.sub(r"[-_]+", " ", spaced).strip()


def firing_alert(
    name: str,
    *,
    at: datetime,
    severity: str = "critical",
    service: str = "",
    summary: str | None = None,
    minutes: float = 60.0,
) -> dict[str, Any]:
    """One alert as ``POST /api/v2/alerts`` takes it, firing from *at* for *minutes*
    (0: it ends at once, which resolves an alert with the same labels); its ``summary``
    annotation is *summary*, else the name in words."""
    labels = {"alertname": name, "severity": severity}
    if service:
        labels["service"] = service
    return {
        "labels": labels,
        "annotations": {"summary": summary or in_words(name)},
        "startsAt": at.isoformat(),
        "endsAt": (at + timedelta(minutes=minutes)).isoformat(),
    }


def end_alerts(alertmanager: Alertmanager, page: AlertmanagerPage, at: datetime) -> int:
    """The fix worked, so the monitor stops firing: post the page's alerts again with
    ``endsAt`` *at*; Alertmanager sends ``resolved`` at the group's next flush. Returns how
    many alerts were ended."""
    stamp = at.isoformat()
    starts = page.starts or ("",) * len(page.alerts)  # a new startsAt would rewrite history
    alertmanager.post_alerts(
        [
            {"labels": dict(labels), "startsAt": started or stamp, "endsAt": stamp}
            for labels, started in zip(page.alerts, starts, strict=True)
        ]
    )
    return len(page.alerts)
