"""A real Prometheus Alertmanager in the loop: started, replayed into, checked against the model.

These tests need Debian's ``prometheus-alertmanager``; outside CI they skip, saying how to
install it, only when it is missing. Every Alertmanager and receiver is stopped by its test.
"""

from __future__ import annotations

import os
import socket
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from pager_lab.alerting.alertmanager import Alertmanager, AlertmanagerError
from pager_lab.alerting.am_replay import AlertmanagerLoop
from pager_lab.alerting.receiver import Misbehaviour
from pager_lab.analysis.routing_check import compare_with_alertmanager, plot_routing_check
from pager_lab.core.routing import RoutedAlert, route
from pager_lab.core.routing_config import RoutingConfig, Silence, parse_matcher
from pager_lab.course.routing_lab import API_DEPLOY_SILENCE, routing_configurations, storm
from tests.helpers import need_alertmanager

SPEED = 300.0  # one simulated minute is 0.2 s: the storm takes about 6 s


@pytest.fixture(scope="module")
def checks():
    need_alertmanager()
    configurations = routing_configurations()
    inhibit = configurations["by alertname+service, inhibit"]
    configurations["... and a silence"] = replace(inhibit, silences=(API_DEPLOY_SILENCE,))
    return {c.name: c for c in compare_with_alertmanager(storm(), configurations, speed=SPEED)}


def _cmdline(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")


def test_it_starts_on_127_0_0_1_without_a_cluster_and_stops_with_its_folder():
    need_alertmanager()
    with Alertmanager(RoutingConfig(), "http://127.0.0.1:9/alertmanager") as am:
        pid, folder = am.pid, am.folder
        assert pid is not None and folder is not None and folder.is_dir()
        args = _cmdline(pid)
        assert f"--web.listen-address=127.0.0.1:{am.port}" in args
        assert "--cluster.listen-address=" in args
        status = am.request("GET", "/api/v2/status")
        assert status["cluster"]["status"] == "disabled"
        assert "127.0.0.1:9/alertmanager" in status["config"]["original"]
        assert f"127.0.0.1:{am.port}" in repr(am) and "pid" in repr(am)
    assert not folder.exists() and am.pid is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_binary_that_dies_at_start_is_reported_not_waited_for(tmp_path):
    need_alertmanager()
    fake = tmp_path / "alertmanager"
    fake.write_text("#!/bin/sh\necho 'err=\"bad config\"'\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(
        AlertmanagerError, match=r"exited with status 3 at start: err=\"bad config\""
    ):
        Alertmanager(RoutingConfig(), "http://x/", binary=str(fake)).start()


def test_a_refused_request_names_the_call_and_the_answer():
    need_alertmanager()
    refused = pytest.raises(AlertmanagerError, match=r"POST /api/v2/alerts: .* answered 400")
    with Alertmanager(RoutingConfig(), "http://127.0.0.1:9/") as am, refused:
        am.post_alerts([{"labels": {}}])


@pytest.mark.parametrize(
    "name",
    ["no grouping", "by alertname", "by alertname+service, inhibit", "... and a silence"],
)
def test_the_model_sends_what_alertmanager_sends_per_group_within_one_interval(checks, name):
    check = checks[name]
    assert check.agrees, check.groups.to_string()
    assert check.real.alerts_sent == len(storm())
    assert len(check.real.notifications) == len(check.model.notifications)
    assert check.real.incidents_opened == check.real.pages == check.model.groups
    assert not check.real.problems
    alerts = storm()

    def model_sets(n) -> tuple:
        return tuple(frozenset(alerts[p].labels for p in part) for part in (n.firing, n.resolved))

    def real_sets(n) -> tuple:
        return tuple(
            frozenset(tuple(sorted(lab.items())) for lab in part) for part in (n.firing, n.resolved)
        )

    for key in set(check.groups["group"]):  # the same alerts, firing and resolved, in order
        ours = [model_sets(n) for n in check.model.notifications if n.group_key == key]
        theirs = [real_sets(n) for n in check.real.notifications if n.group_key == key]
        assert ours == theirs, key


def test_grouping_turns_a_page_per_alert_into_a_page_per_group(checks):
    alone, grouped = checks["no grouping"].real, checks["by alertname"].real
    assert alone.pages == len(storm()) == alone.groups
    assert grouped.pages == len({dict(a.labels)["alertname"] for a in storm()})
    assert grouped.pages < alone.pages


def test_inhibition_and_a_silence_drop_pages_and_the_report_says_why(checks):
    by_name_service = checks["by alertname+service, inhibit"]
    silenced = checks["... and a silence"].real
    inhibited = by_name_service.real
    groups = {n.group_key for n in inhibited.notifications}
    assert '{}:{alertname="DiskFull", service="db"}' not in groups  # muted by DatabaseDown
    assert inhibited.inhibited >= 1 and "inhibited:" in "\n".join(inhibited.lines())
    assert silenced.pages == inhibited.pages - 1  # the api group is silenced
    report = "\n".join(silenced.lines())
    assert "by the silence 'api deploy in progress'" in report
    assert not any('service="api"' in n.group_key for n in silenced.notifications)


def test_the_comparison_figure_has_a_panel_per_configuration(checks):
    figure = plot_routing_check(list(checks.values()))
    assert len(figure.axes) == len(checks)
    assert figure._repr_png_().startswith(b"\x89PNG")


def test_the_loop_stops_its_alertmanager_and_receiver():
    need_alertmanager()
    with AlertmanagerLoop(RoutingConfig(), speed=SPEED) as loop:
        pid = loop.alertmanager.pid
        port = loop.receiver.port
        assert pid is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))  # the receiver's port is free again


def test_a_failing_receiver_loses_and_doubles_nothing():
    """The receiver answers 500 twice: Alertmanager retries, each notification is kept once."""
    need_alertmanager()
    routing = routing_configurations()["by alertname"]
    alerts = storm()
    with AlertmanagerLoop(routing, speed=SPEED) as loop:
        loop.receiver.misbehaviour = Misbehaviour([500, 503])
        report = loop.replay(alerts, origin=0.0)
        attempts, stored = loop.receiver.attempts, len(loop.receiver.messages)
    model = route(alerts, routing)
    assert attempts == stored + 2
    assert len(report.notifications) == stored == len(model.notifications)

    def shape(notes) -> Counter:
        return Counter((n.group_key, n.status, len(n.firing), len(n.resolved)) for n in notes)

    assert shape(report.notifications) == shape(model.notifications)
    assert report.pages == model.groups


def test_a_silence_outside_the_replayed_alerts_is_reported_not_posted():
    need_alertmanager()
    later = Silence((parse_matcher('service="web"'),), 100.0, 200.0, "next week's deploy")
    routing = RoutingConfig(silences=(later,))
    alert = RoutedAlert.of({"alertname": "Down", "service": "web"}, 0.0, 1.0)
    with AlertmanagerLoop(routing, speed=600) as loop:
        report = loop.replay([alert])
        posted = loop.alertmanager.request("GET", "/api/v2/silences")
    assert posted == []
    assert report.not_posted == (
        "silence 'next week's deploy' (minutes 100-200): outside the replayed alerts",
    )
    assert "not posted: silence 'next week's deploy'" in "\n".join(report.lines())
    assert report.pages == 1 and not report.silenced


def test_a_refilled_group_follows_alertmanagers_clean_up_not_a_fresh_group_wait():
    """A group empties at minute 5.5 and refills at 7. Alertmanager removes empty groups only
    every 30 s of wall-clock time (150 simulated minutes at 300x), so the new alert joins the
    old group's rhythm: notified at 10.5, not 7.5. The report's model_routing says so."""
    need_alertmanager()
    routing = RoutingConfig(group_wait_minutes=0.5, group_interval_minutes=5.0)
    alerts = [
        RoutedAlert.of({"alertname": "Disk", "instance": "a"}, 0.0, 2.0),
        RoutedAlert.of({"alertname": "Disk", "instance": "b"}, 7.0, 14.0),
    ]
    with AlertmanagerLoop(routing, speed=SPEED) as loop:
        report = loop.replay(alerts, origin=0.0)
    assert report.model_routing is not None
    assert report.model_routing.group_cleanup_minutes == 30 * SPEED / 60
    real = [n.minute for n in report.notifications]
    phased = [n.minute for n in route(alerts, report.model_routing).notifications]
    fresh = [
        n.minute for n in route(alerts, replace(routing, group_cleanup_minutes=0)).notifications
    ]
    assert len(real) == len(phased) == len(fresh) == 4
    assert max(abs(a - b) for a, b in zip(real, phased, strict=True)) < 0.5
    assert phased == pytest.approx([0.5, 5.5, 10.5, 15.5])
    assert fresh == pytest.approx([0.5, 5.5, 7.5, 17.5])  # a new group would wait group_wait
