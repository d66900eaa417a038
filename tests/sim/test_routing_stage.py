"""The model's optional routing stage: notifications, not alerts, trigger incidents."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from pager_lab.core.errors import ConfigError
from pager_lab.core.routing_config import RoutingConfig
from pager_lab.sim.model import simulate
from pager_lab.sim.routing_stage import alert_labels, routing_alerts
from pager_lab.sim.scenario_io import parse_scenario
from tests.helpers import pager_lab

STORM = {
    "name": "storm",
    "start": "2026-11-02T00:00+00:00",
    "weeks": 1,
    "team": {"Ann": "UTC", "Bo": "UTC"},
    "response": {"awake_miss": 0.0, "asleep_miss": 0.0},
    "sources": [
        {
            "service": "db",
            "rate_per_hour": 0.0,
            "severity_mix": {"SEV2": 1.0},
            "storms": [{"at_minutes": 600.0, "count": 40, "spread_minutes": 10, "dedup_keys": 8}],
        }
    ],
}


def storm(routing: dict | None = None, where: str = "storm.toml"):
    data = copy.deepcopy(STORM)
    if routing is not None:
        data["routing"] = routing
    return parse_scenario(data, where)


def test_without_routing_each_dedup_key_opens_an_incident() -> None:
    result = simulate(storm(), seed=3)
    assert result.routing is None
    assert len(result.incidents) == 8


def test_grouping_by_alertname_folds_the_storm_into_one_incident() -> None:
    result = simulate(storm({"group_by": ["alertname"]}), seed=3)
    assert len(result.incidents) == 1
    incident = result.incidents.iloc[0]
    assert incident["alerts"] == 40  # every model alert of the storm joined it
    assert (result.alerts["incident_id"] == incident["incident_id"]).all()
    assert result.routing is not None
    assert result.routing.alerts == 8 and result.routing.groups == 1
    # the first notification waited group_wait (30 s) after the first alert
    assert incident["triggered_minute"] == pytest.approx(result.alerts["minute"].min() + 0.5)


def test_no_grouping_gives_one_incident_per_alert_again() -> None:
    result = simulate(storm({"group_by": ["..."]}), seed=3)
    assert len(result.incidents) == 8
    assert result.routing is not None and result.routing.grouped == 0


def test_a_silence_over_the_storm_pages_nobody_and_the_report_says_so() -> None:
    silence = {"matchers": ['service="db"'], "start_minute": 0, "end_minute": 2000}
    result = simulate(storm({"silences": [silence]}), seed=3)
    assert len(result.incidents) == 0 and len(result.pages) == 0
    assert (result.alerts["incident_id"] == "").all()
    assert result.routing is not None and len(result.routing.silenced) == 8
    assert "8 silenced, 8 never notified" in result.routing.summary()


def test_routed_runs_are_deterministic() -> None:
    scenario = storm({"group_by": ["alertname", "service"]})
    a, b = simulate(scenario, seed=5), simulate(scenario, seed=5)
    for name, table in a.tables().items():
        pd.testing.assert_frame_equal(table, b.tables()[name])
    assert a.routing == b.routing


def test_episodes_merge_re_sends_and_end_at_an_explicit_resolve() -> None:
    alerts = pd.DataFrame(
        {
            "minute": [0.0, 3.0, 20.0, 30.0, 33.0, 40.0],
            "service": ["db"] * 3 + ["disk"] * 3,
            "dedup_key": ["db/1", "db/1", "db/1", "disk/flap-0", "disk/flap-0", "disk/flap-0"],
            "kind": ["trigger", "trigger", "trigger", "trigger", "resolve", "resolve"],
            "severity": ["SEV1", "SEV2", "SEV1", "SEV3", "SEV3", "SEV3"],
        }
    )
    episodes = routing_alerts(alerts, RoutingConfig(resolve_timeout_minutes=5.0))
    spans = [(a.starts_at, a.ends_at) for a in episodes.alerts]
    assert spans == [(0.0, 8.0), (20.0, 25.0), (30.0, 33.0)]
    assert episodes.rows == ((0, 1), (2,), (3, 4))
    assert episodes.unmatched == (5,)
    assert dict(episodes.alerts[2].labels) == alert_labels("disk", "disk/flap-0", "SEV3")
    assert dict(episodes.alerts[2].labels)["alertname"] == "flapping"
    assert dict(episodes.alerts[0].labels)["severity"] == "critical"


@pytest.mark.parametrize(
    ("routing", "match"),
    [
        (
            {"group_by": "alertname"},
            r"storm\.toml: routing\.group_by = 'alertname': expected a list",
        ),
        ({"group_by": ["alert name"]}, r"routing\.group_by\[0\] = 'alert name': expected a label"),
        ({"group_by": ["...", "service"]}, r"routing\.group_by = \['\.\.\.', 'service'\]"),
        ({"group_wait_minutes": 0}, r"routing\.group_wait_minutes = 0: expected a number > 0"),
        ({"group_intervall_minutes": 5}, r"routing\.group_intervall_minutes = 5: expected no such"),
        ({"enabled": "yes"}, r"routing\.enabled = 'yes': expected true or false"),
        (
            {"inhibit_rules": [{"source_matchers": ["severity critical"], "target_matchers": []}]},
            r"routing\.inhibit_rules\[0\]\.source_matchers\[0\] = 'severity critical': "
            r"expected a matcher",
        ),
        (
            {"inhibit_rules": [{"source_matchers": ['alertname=~"("'], "target_matchers": []}]},
            r"source_matchers\[0\] = 'alertname=~\"\(\"': expected a valid regular expression",
        ),
        (
            {"silences": [{"matchers": ["service=db"], "start_minute": 60, "end_minute": 30}]},
            r"routing\.silences\[0\]\.end_minute = 30: expected a minute after start_minute",
        ),
        (
            {"silences": [{"matchers": [], "start_minute": 0, "end_minute": 30}]},
            r"routing\.silences\[0\]\.matchers = \[\]: expected at least one matcher",
        ),
        ({"silences": [{"matchers": ["service=db"]}]}, r"silences\[0\]\.start_minute = None"),
    ],
)
def test_bad_routing_tables_name_the_file_the_key_and_the_value(routing, match) -> None:
    with pytest.raises(ConfigError, match=match):
        storm(routing)


def test_a_disabled_routing_table_is_still_checked_and_changes_nothing() -> None:
    assert storm({"enabled": False, "group_by": ["service"]}).routing is None
    with pytest.raises(ConfigError, match="group_by"):
        storm({"enabled": False, "group_by": 3})


def test_the_cli_reports_routing_and_a_bad_table_in_one_line(tmp_path) -> None:
    good = tmp_path / "routed.toml"
    good.write_text(
        'extends = "'
        + str(pager_lab_data("storm-week.toml"))
        + '"\nname = "routed"\n[routing]\ngroup_by = ["alertname"]\n'
    )
    done = pager_lab("simulate", str(good))
    assert done.returncode == 0, done.stderr
    assert "Routing: the model's alerts as " in done.stdout and " silenced, " in done.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text() + "group_wait_minutes = -1\n")
    done = pager_lab("simulate", str(bad))
    assert done.returncode != 0
    assert done.stderr.strip().count("\n") == 0
    assert "routing.group_wait_minutes = -1: expected a number > 0" in done.stderr
    assert "Traceback" not in done.stderr


def pager_lab_data(name: str):
    from tests.helpers import DATA

    return DATA / "scenarios" / name
