"""Alertmanager's config, silences and notifications as the lab writes and reads them.

No binary needed: these run everywhere."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from pager_lab.alerting.alertmanager import Alertmanager, AlertmanagerMissing
from pager_lab.alerting.am_config import (
    alertmanager_config,
    describe_routing,
    load_routing,
    silence_body,
)
from pager_lab.alerting.am_inbox import AlertmanagerInbox, group_event
from pager_lab.alerting.ingest import EventError
from pager_lab.alerting.receiver import describe
from pager_lab.core.errors import ConfigError
from pager_lab.core.incident import IncidentState
from pager_lab.core.routing_config import RoutingConfig
from pager_lab.course.routing_lab import API_DEPLOY_SILENCE, routing_configurations
from tests.helpers import ROOT

START = datetime(2026, 11, 3, 3, 0, tzinfo=UTC)


def test_timers_are_divided_by_the_speed_and_sent_to_the_lab_receiver():
    config = alertmanager_config(RoutingConfig(), "http://127.0.0.1:9/alertmanager", speed=60)
    route = config["route"]
    assert route["group_by"] == ["alertname"]
    # 30 s, 5 min, 4 h at 60x: 0.5 s, 5 s, 240 s
    assert (route["group_wait"], route["group_interval"], route["repeat_interval"]) == (
        "500ms",
        "5000ms",
        "240000ms",
    )
    (receiver,) = config["receivers"]
    assert receiver["webhook_configs"] == [
        {"url": "http://127.0.0.1:9/alertmanager", "send_resolved": True}
    ]
    json.dumps(config)  # written as JSON, which Alertmanager's YAML reader accepts


def test_inhibit_rules_become_alertmanager_matchers():
    routing = routing_configurations()["by alertname+service, inhibit"]
    (rule,) = alertmanager_config(routing, "http://x/")["inhibit_rules"]
    assert rule == {
        "source_matchers": ['severity="critical"'],
        "target_matchers": ['severity="warning"'],
        "equal": ["service"],
    }
    assert "1 inhibit rule(s)" in describe_routing(routing)
    assert describe_routing(routing_configurations()["no grouping"]).startswith("no grouping")


@pytest.mark.parametrize("speed", [0, -1.0, 1e9])
def test_a_speed_that_makes_timers_vanish_is_refused_by_name(speed):
    with pytest.raises(ConfigError, match="speed"):
        alertmanager_config(RoutingConfig(), "http://x/", speed=speed)


def test_a_silence_in_simulated_minutes_becomes_wall_clock_time():
    body = silence_body(API_DEPLOY_SILENCE, START, speed=60)  # 60 min at 60x: one minute
    assert body["matchers"] == [
        {"name": "service", "value": "api", "isRegex": False, "isEqual": True}
    ]
    starts = datetime.fromisoformat(body["startsAt"])
    ends = datetime.fromisoformat(body["endsAt"])
    assert starts == START and ends - starts == timedelta(minutes=1)
    assert body["comment"] == "api deploy in progress"


def test_load_routing_reads_a_routing_table_and_names_bad_values(tmp_path):
    good = tmp_path / "route.toml"
    good.write_text('[routing]\ngroup_by = ["alertname", "service"]\ngroup_wait_minutes = 1\n')
    assert load_routing(good).group_by == ("alertname", "service")
    none = tmp_path / "empty.toml"
    none.write_text("name = 'x'\n")
    with pytest.raises(ConfigError, match=r"empty.toml has no \[routing\] table") as missing:
        load_routing(none)
    assert "None" not in str(missing.value) and "storm-week-routed.toml" in str(missing.value)
    bad = tmp_path / "bad.toml"
    bad.write_text("[routing]\ngroup_wait_minutes = -1\n")
    with pytest.raises(ConfigError, match="group_wait_minutes"):
        load_routing(bad)


def test_a_missing_binary_says_how_to_install_it(monkeypatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(AlertmanagerMissing, match="apt-get install -y prometheus-alertmanager"):
        Alertmanager(RoutingConfig(), "http://x/").start()


def _body(status: str, key: str, *alerts: tuple[str, str, str]) -> dict:
    return {
        "version": "4",
        "groupKey": key,
        "status": status,
        "receiver": "lab",
        "groupLabels": {"alertname": "HighLatency"},
        "commonLabels": {"alertname": "HighLatency", "service": "web"},
        "commonAnnotations": {},
        "alerts": [
            {
                "status": s,
                "labels": {"alertname": "HighLatency", "instance": i, "severity": sev},
                "annotations": {},
                "startsAt": "2026-11-03T03:00:00Z",
                "endsAt": "0001-01-01T00:00:00Z",
            }
            for s, i, sev in alerts
        ],
    }


def test_a_group_notification_is_one_event_keyed_by_its_group():
    key = '{}:{alertname="HighLatency"}'
    event = group_event(
        _body("firing", key, ("firing", "a", "warning"), ("firing", "b", "critical")), START
    )
    assert (event.action, event.dedup_key, event.severity) == ("trigger", key, "critical")
    assert event.source == "web" and event.custom_details["firing"] == 2
    assert group_event(_body("resolved", key, ("resolved", "a", "warning")), START).action == (
        "resolve"
    )
    with pytest.raises(EventError, match="groupKey"):
        group_event(_body("firing", "", ("firing", "a", "warning")), START)


def test_the_inbox_opens_one_incident_per_group_and_resolves_it():
    inbox = AlertmanagerInbox(START, wall_zero=1000.0, speed=60)
    web, api = '{}:{service="web"}', '{}:{service="api"}'
    posts = [
        (web, "firing", 1000.5),  # 0.5 s of wall-clock time at 60x: minute 0.5
        (api, "firing", 1001.0),
        (web, "firing", 1005.5),  # the group changed: joins the open incident, no page
        (web, "resolved", 1010.5),
        (web, "firing", 1020.5),  # fires again after it resolved: a new incident
    ]
    messages = [
        {
            "body": _body(s, k, ("firing" if s == "firing" else "resolved", "x", "warning")),
            "received_at": t,
        }
        for k, s, t in posts
    ]
    messages.append({"body": {"text": "not alertmanager"}, "received_at": 1021.0})
    assert inbox.sync(messages) == 6 and inbox.sync(messages) == 0
    assert [n.minute for n in inbox.notifications] == [0.5, 1.0, 5.5, 10.5, 20.5]
    first, second, third = inbox.incidents
    assert first.state is IncidentState.RESOLVED and first.timeline[0].detail["dedup_key"] == web
    assert second.state is IncidentState.TRIGGERED and third.timeline[0].detail["dedup_key"] == web
    assert inbox.pages == 3 and inbox.replay.alerts[first.id] == 2
    assert len(inbox.problems) == 1 and "version" in inbox.problems[0]


def test_the_receiver_prints_an_alertmanager_notification_as_one_line():
    body = _body("firing", '{}:{alertname="HighLatency"}', ("firing", "a", "warning"))
    line = describe({"body": body})
    assert line == '[alertmanager] firing {}:{alertname="HighLatency"}: 1 alert(s)'


def test_every_routing_file_the_readme_names_loads_as_routing_and_as_a_scenario():
    from pager_lab.sim.scenario_io import load_scenario

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"--config (data/\S+\.toml)", readme))
    assert "data/routing/storm-week-routed.toml" in named
    for name in named:
        routing = load_routing(ROOT / name)
        scenario = load_scenario(ROOT / name)
        assert scenario.routing == routing and scenario.weeks == 1, name
