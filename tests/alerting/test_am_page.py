"""A real Alertmanager's notifications page the drill: which incident pages, and its drill."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pager_lab.alerting.alertmanager import AlertmanagerError
from pager_lab.alerting.am_page import PageWatch, drill_for_page, end_alerts, wait_for_page
from pager_lab.core.incident import Severity
from pager_lab.core.lab_config import load_lab
from tests.helpers import DATA

LAB = load_lab(DATA)


AT = 1_800_000_000.0
"""When the tests' notifications arrive (2027-01-15 08:00 UTC)."""


def _alert(name: str, status: str = "firing", **labels: str) -> dict:
    return {
        "status": status,
        "labels": {"alertname": name, **labels},
        "annotations": {},
        "startsAt": "2027-01-15T07:59:30.123456789Z",  # 30 s before: Alertmanager's group_wait
        "endsAt": "0001-01-01T00:00:00Z",
    }


def _post(name: str, status: str = "firing", at: float = AT, **labels: str) -> dict:
    alerts = [_alert(name, status, **labels)]
    body = {
        "version": "4",
        "groupKey": f'{{}}:{{alertname="{name}"}}',
        "status": status,
        "receiver": "lab",
        "groupLabels": {"alertname": name},
        "commonLabels": alerts[0]["labels"],
        "commonAnnotations": {},
        "externalURL": "http://127.0.0.1:9093",
        "alerts": alerts,
    }
    return {"path": "/alertmanager", "body": body, "key": None, "received_at": at}


def test_nothing_fired_pages_nobody_and_a_resolved_group_stops_paging():
    posts: list[dict] = []
    watch = PageWatch(lambda: posts)
    assert watch.paging() is None
    posts.append(_post("DiskFull", severity="warning", service="logs"))
    page = watch.paging()
    assert page is not None and page.incident_id == "INC-1"
    assert (page.alertname, page.service, page.severity, page.firing) == (
        "DiskFull",
        "logs",
        "warning",
        1,
    )
    assert page.at == datetime.fromtimestamp(AT, UTC) and page.held_back_minutes > 0.49
    posts.append(_post("DiskFull", "resolved", at=1_800_000_300.0))
    assert watch.paging() is None


def test_the_newest_open_incident_pages_and_other_posts_are_not_alertmanager():
    posts = [
        _post("DiskFull", severity="warning"),
        {"path": "/slack", "body": {"text": "hello"}, "key": None, "received_at": 1.0},
        _post("DatabaseConnectionFailed", at=1_800_000_060.0, severity="critical"),
        {"path": "/alertmanager", "body": {"version": "4"}, "received_at": 2.0},
    ]
    watch = PageWatch(lambda: posts)
    page = watch.paging()
    assert page is not None and page.incident_id == "INC-2"
    assert page.alertname == "DatabaseConnectionFailed"
    assert len(watch.inbox.problems) == 1  # the broken post is kept as a problem, not a page


def test_the_worst_severity_of_the_firing_alerts_is_the_pages():
    post = _post("Latency", severity="warning")
    post["body"]["alerts"].append(_alert("Latency", severity="critical", instance="b"))
    post["body"]["alerts"].append(_alert("Latency", "resolved", severity="info"))
    page = PageWatch(lambda: [post]).paging()
    assert page is not None and (page.severity, page.firing) == ("critical", 2)
    assert len(page.alerts) == 2


@pytest.mark.parametrize(
    "name", ["DatabaseConnectionFailed", "database-connection-failed", "DATABASE_CONNECTION_FAILED"]
)
def test_an_alertname_of_the_lab_brings_its_policy_runbook_and_cause(name: str):
    page = PageWatch(lambda: [_post(name, severity="critical")]).paging()
    assert page is not None and page.lab_alert(LAB) is LAB.alerts["database-connection-failed"]
    drill = drill_for_page(page, LAB)
    assert drill.runbook is not None and drill.runbook.title == "Database Connection Failed"
    assert drill.root_cause == "Database CPU 100%."
    assert drill.default_severity is Severity.SEV2  # the lab's definition, not the label
    assert drill.incident.service == "database"  # no service label: the definition's
    assert drill.incident.id == "INC-1"
    # the alert fired 30 s before the page: the timeline starts then, and the wait counts
    assert drill.clock.start == page.fired_at == datetime(2027, 1, 15, 7, 59, 30, 123456, UTC)
    assert [round(e.at, 3) for e in drill.incident.timeline[:2]] == [0.0, 0.498]
    assert "First page 0.5 min after the alert fired." in [m.text for m in drill.opening]
    assert [lv.targets for lv in drill.policy.levels] == [
        lv.targets for lv in LAB.policies["database"].levels
    ]


def test_another_alert_pages_the_default_policy_with_no_runbook_and_no_made_up_cause():
    page = PageWatch(lambda: [_post("DiskFull", severity="warning", service="logs")]).paging()
    assert page is not None and page.lab_alert(LAB) is None
    drill = drill_for_page(page, LAB)
    assert drill.runbook is None and drill.root_cause == ""
    assert drill.default_severity is Severity.SEV3
    assert drill.incident.service == "logs"
    assert drill.incident.summary == "alertname=DiskFull: 1 alert(s) firing"
    assert "ALERT: alertname=DiskFull" in drill.opening[0].text


def test_waiting_gives_up_after_the_timeout_with_a_sentence():
    now = [0.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    with pytest.raises(AlertmanagerError, match=r"no page from Alertmanager within 2 s"):
        wait_for_page(
            PageWatch(lambda: []), timeout=2, poll=0.5, sleep=sleep, monotonic=lambda: now[0]
        )
    assert sleeps == [0.5, 0.5, 0.5, 0.5]


def test_waiting_returns_the_page_once_it_arrives():
    posts: list[dict] = []
    calls = [0]

    def messages() -> list[dict]:
        calls[0] += 1
        if calls[0] == 3:
            posts.append(_post("DiskFull"))
        return posts

    page = wait_for_page(PageWatch(messages), timeout=60, sleep=lambda _s: None)
    assert page.alertname == "DiskFull" and calls[0] == 3


def test_an_incident_whose_alerts_ended_or_that_another_drill_answers_pages_nobody():
    posts = [_post("DiskFull", service="logs"), _post("Latency", at=AT + 60, service="api")]
    active = [{"alertname": "DiskFull", "service": "logs"}]
    page = PageWatch(lambda: posts, active=lambda: active).paging()
    assert page is not None and page.alertname == "DiskFull"  # Latency was fixed already
    assert PageWatch(lambda: posts, active=lambda: []).paging() is None
    taken = {"INC-2"}
    page = PageWatch(lambda: posts, claim=lambda i: i not in taken).paging()
    assert page is not None and page.incident_id == "INC-1"


def test_ending_the_alerts_keeps_when_each_started():
    class Recorder:
        def __init__(self) -> None:
            self.posted: list = []

        def post_alerts(self, alerts):
            self.posted.extend(alerts)

    page = PageWatch(lambda: [_post("DiskFull", service="logs")]).paging()
    assert page is not None
    am = Recorder()
    assert end_alerts(am, page, datetime(2027, 1, 15, 8, 5, tzinfo=UTC)) == 1  # type: ignore[arg-type]
    (posted,) = am.posted
    assert posted["startsAt"] == "2027-01-15T07:59:30.123456789Z"
    assert posted["endsAt"] == "2027-01-15T08:05:00+00:00"
    assert posted["labels"] == {"alertname": "DiskFull", "service": "logs"}


def test_the_page_line_names_every_service_and_quotes_label_values():
    post = _post('a"b', service="logs")
    post["body"]["alerts"].append(_alert('a"b', service="api"))
    post["body"]["commonLabels"] = {"alertname": 'a"b'}
    page = PageWatch(lambda: [post]).paging()
    assert page is not None
    assert page.describe().endswith(
        'group {alertname="a\\"b"}, 2 alert(s) firing, severity warning, services api, logs'
    )
