"""Scenario files: invalid ones fail before simulating, naming file, key path and value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pager_lab.core.errors import ConfigError
from pager_lab.sim.scenario_io import load_scenario, parse_scenario, with_changes
from tests.helpers import DATA, pager_lab

MINIMAL = {
    "name": "m",
    "start": "2026-11-02T00:00+00:00",
    "weeks": 1,
    "team": {"Ann": "UTC"},
    "sources": [{"service": "db", "rate_per_hour": 0.5}],
}


def scenario_with(**changes):
    import copy

    data = copy.deepcopy(MINIMAL)
    data.update(changes)
    return parse_scenario(data, "m.toml")


def test_a_minimal_scenario_gets_documented_defaults():
    scenario = scenario_with()
    assert scenario.auto_resolve_minutes == 240
    assert [s.name for s in scenario.schedules.values()] == ["primary"]
    assert scenario.policy.levels[0].timeout == 5.0
    assert repr(scenario) == "Scenario('m', team=1, sources=1, weeks=1)"


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        (
            {"sources": [{"service": "db", "rate_per_hour": -1}]},
            r"m\.toml: sources\[0\]\.rate_per_hour = -1: expected a number >= 0",
        ),
        (
            {"sources": [{"service": "db", "rate_per_hour": 1, "noise_share": 1.5}]},
            r"sources\[0\]\.noise_share = 1\.5: expected a number >= 0 and <= 1",
        ),
        ({"response": {"asleep_miss": -0.1}}, r"response\.asleep_miss = -0\.1"),
        (
            {"policy": {"levels": [{"targets": ["Zed"]}]}},
            r"policy\.levels\[0\]\.targets = 'Zed': expected a known responder or schedule",
        ),
        ({"team": {}}, r"team = \{\}: expected at least one person"),
        ({"colour": "blue"}, r"colour = 'blue': expected no such key here"),
        (
            {"sources": [{"service": "db", "rate_per_hour": 1, "profile": [1.0] * 23}]},
            r"sources\[0\]\.profile = .*24 numbers >= 0, one per hour of the day \(got 23\)",
        ),
        (
            {"sources": [{"service": "db", "rate_per_hour": 1, "severity_mix": {"SEV1": 0.5}}]},
            r"severity_mix = \{'SEV1': 0\.5\}: expected shares that add up to 1",
        ),
        ({"sources": []}, r"sources = \[\]: expected at least one"),
        ({"weeks": 0}, r"weeks = 0: expected a number > 0"),
        ({"start": "2026-11-02T00:00"}, r"start = '2026-11-02T00:00': expected a time with"),
        ({"dispatch": "random"}, r"dispatch = 'random': expected owner or pool"),
        ({"work": {"distribution": "gamma"}}, r"work\.distribution = 'gamma'"),
        (
            {"sources": [{"service": "db", "rate_per_hour": 1, "alerts_per_problem": 0.5}]},
            r"alerts_per_problem = 0\.5",
        ),
        (
            {"sources": [{"service": "db", "rate_per_hour": 1, "low_urgency_share": 0.2}]},
            r"low_urgency_share = 0\.2: expected no such key any more: urgency follows severity",
        ),
        (
            {"urgency": {"SEV3": "medium"}},
            r"urgency\.SEV3 = 'medium': expected \"high\" or \"low\"",
        ),
        (
            {"urgency": {"SEV9": "low"}},
            r"urgency\.SEV9 = 'SEV9': expected SEV1, SEV2, SEV3 or SEV4",
        ),
    ],
)
def test_invalid_scenarios_name_file_key_and_value(changes, match):
    with pytest.raises(ConfigError, match=match):
        scenario_with(**changes)


def test_a_schedule_with_gaps_needs_a_rule():
    office = [
        {
            "name": "office",
            "time_zone": "UTC",
            "layers": [
                {
                    "name": "o",
                    "responders": ["Ann"],
                    "turn_length": 1,
                    "turn_unit": "weeks",
                    "handoff": "2026-11-02T09:00",
                    "restrictions": [{"start": "09:00", "end": "17:00"}],
                }
            ],
        }
    ]
    with pytest.raises(
        ConfigError,
        match=r"schedules\.office = 'gap from 2026-11-02T00:00"
        r".*on_gap = \"escalate\"",
    ):
        scenario_with(schedules=office)
    assert scenario_with(schedules=office, on_gap="escalate").on_gap == "escalate"


def test_a_schedule_naming_someone_outside_the_team_is_refused():
    other = [
        {
            "name": "p",
            "time_zone": "UTC",
            "responders": {"Zed": "UTC"},
            "layers": [
                {
                    "name": "o",
                    "responders": ["Zed"],
                    "turn_length": 1,
                    "turn_unit": "weeks",
                    "handoff": "2026-11-02T09:00",
                }
            ],
        }
    ]
    with pytest.raises(ConfigError, match=r"schedules\.p\.o = 'Zed': expected a member"):
        scenario_with(schedules=other)


def test_extends_merges_behaviour_tables_and_replaces_the_rest(tmp_path: Path):
    noisy = load_scenario(DATA / "scenarios" / "noisy.toml")
    assert all(s.noise_share == 0.6 for s in noisy.sources)
    assert noisy.response.asleep_miss == 0.2 and len(noisy.team) == 6
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n')
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n')
    with pytest.raises(ConfigError, match="extends"):
        load_scenario(tmp_path / "a.toml")


def test_with_changes_validates_again():
    scenario = scenario_with()
    assert with_changes(scenario, {"team_size": 3}).team.keys() == {"Alice", "Bob", "Charlie"}
    with pytest.raises(ConfigError, match=r"asleep_miss = 2"):
        with_changes(scenario, {"response.asleep_miss": 2})


def test_cli_simulate_writes_csv_tables_and_json(tmp_path: Path):
    out = pager_lab(
        "simulate", "baseline", "--seed", "3", "--weeks", "1", "--out", str(tmp_path), "--json"
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["scenario"] == "baseline" and data["seed"] == 3 and data["weeks"] == 1
    facts = {k: int(v) for k, v in data["metrics"].items() if k in ("alerts", "incidents")}
    assert facts["alerts"] > 0 and facts["incidents"] > 0
    assert sorted(Path(p).name for p in data["written"])[:4] == [
        "alerts.csv",
        "escalation_funnel.png",
        "incidents.csv",
        "interruptions.png",
    ]
    import pandas as pd

    incidents = pd.read_csv(tmp_path / "incidents.csv")
    assert len(incidents) == facts["incidents"]
    assert {"time_to_acknowledge", "time_to_resolve", "acknowledged_by"} <= set(incidents)
    pages = pd.read_csv(tmp_path / "pages.csv")
    assert set(pages["window"]) <= {"business", "off-hours", "sleep"}


def test_cli_simulate_errors_are_one_line(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'name = "b"\nstart = "2026-11-02T00:00+00:00"\nweeks = 1\nteam_size = 2\n'
        '[[sources]]\nservice = "db"\nrate_per_hour = -2\n'
    )
    out = pager_lab("simulate", str(bad))
    assert out.returncode == 2
    assert out.stderr.strip() == (
        f"pager-lab: error: {bad}: sources[0].rate_per_hour = -2: expected a number >= 0"
    )
    out = pager_lab("simulate", "baseline", "--weeks", "-1")
    assert (
        out.returncode == 2
        and "argument --weeks: '-1': expected a number of weeks > 0" in out.stderr
    )
    assert len(out.stderr.strip().splitlines()) == 1


def test_noisy_differs_from_baseline_only_in_noise():
    from dataclasses import replace

    baseline = load_scenario(DATA / "scenarios" / "baseline.toml")
    noisy = load_scenario(DATA / "scenarios" / "noisy.toml")
    assert [replace(s, noise_share=0.6) for s in baseline.sources] == list(noisy.sources)


def test_with_changes_wildcard_changes_every_list_element():
    baseline = load_scenario(DATA / "scenarios" / "baseline.toml")
    assert len(baseline.sources) == 3
    changed = with_changes(baseline, {"sources[*].noise_share": 0.15})
    assert [s.noise_share for s in changed.sources] == [0.15, 0.15, 0.15]
    assert [s.service for s in changed.sources] == [s.service for s in baseline.sources]
    with pytest.raises(ConfigError, match=r"team\[\*\]\.x = 1: expected a key path"):
        with_changes(baseline, {"team[*].x": 1})  # team is a table, not a list
    with pytest.raises(ConfigError, match=r"sources\[0\]\.noise_share = 3: expected a number"):
        with_changes(baseline, {"sources[*].noise_share": 3})


@pytest.mark.parametrize(
    ("key", "value", "match"),
    [
        ("sources[0].rate_per_hour", 1e9, r"rate_per_hour = 1000000000\.0: expected alerts per"),
        ("sources[0].rate_per_hour", 3601, r"at most 3600 \(one a second\)"),
        ("work.resolve_mean_minutes", 0.001, r"resolve_mean_minutes = 0\.001: expected minutes"),
        ("work.resolve_median_minutes", {"SEV1": 0.005}, r"resolve_median_minutes\.SEV1"),
    ],
)
def test_values_surely_in_the_wrong_unit_are_refused(key, value, match):
    textbook = load_scenario(DATA / "scenarios" / "textbook-mm1.toml")
    with pytest.raises(ConfigError, match=match):
        with_changes(textbook, {key: value})


def test_an_overloaded_textbook_queue_warns_with_its_load():
    from pager_lab.sim.scenario_parts import UnstableQueueWarning, offered_load

    textbook = load_scenario(DATA / "scenarios" / "textbook-mm1.toml")
    assert offered_load(textbook) == pytest.approx(0.8)
    with pytest.warns(UnstableQueueWarning, match=r"load rho = 1\.60 >= 1 .* 120 minutes, c = 1"):
        with_changes(textbook, {"work.resolve_mean_minutes": 120.0})
    assert offered_load(load_scenario(DATA / "scenarios" / "baseline.toml")) is None


def test_cli_reports_an_overloaded_queue_in_one_warning_line(tmp_path: Path):
    path = tmp_path / "over.toml"
    path.write_text(
        f'extends = "{(DATA / "scenarios" / "textbook-mm1.toml").as_posix()}"\n'
        "weeks = 1\nwarmup_minutes = 0\n[work]\nresolve_mean_minutes = 90.0\n"
    )
    out = pager_lab("simulate", str(path))
    assert out.returncode == 0, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "UnstableQueueWarning: load rho = 1.20 >= 1" in lines[0]
    assert lines[0].startswith(str(path))


def test_urgency_follows_severity_as_pagerdutys_dynamic_notifications():
    default = scenario_with()
    assert default.low_urgency_severities == {"SEV3", "SEV4"}
    changed = scenario_with(urgency={"SEV3": "high", "sev1": "low"})
    assert changed.low_urgency_severities == {"SEV1", "SEV4"}


def test_cli_simulate_json_is_strict_json_without_infinities():
    import json

    out = pager_lab("simulate", "baseline", "--weeks", "1", "--seed", "1", "--json")
    assert out.returncode == 0, out.stderr

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    data = json.loads(out.stdout, parse_constant=refuse)
    assert data["metrics"]["pages_max_min"] is None or data["metrics"]["pages_max_min"] >= 1


def test_every_misspelt_key_of_a_table_is_named_at_once_with_its_closest_key(tmp_path):
    base = DATA / "scenarios" / "baseline.toml"
    file = tmp_path / "two.toml"
    file.write_text(f'extends = "{base}"\nauto_resolve_minuts = 5\n[respons]\nx = 1\n')
    with pytest.raises(ConfigError) as caught:
        load_scenario(file)
    message = str(caught.value)
    assert "auto_resolve_minuts, respons = [5, {'x': 1}]" in message
    assert (
        "did you mean auto_resolve_minuts -> auto_resolve_minutes, respons -> response?" in message
    )
