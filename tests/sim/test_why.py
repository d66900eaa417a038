"""Why was I paged? The chain rebuilt from a run's tables and scenario (pager_lab.sim.why).

Every case is found in the tables of a real run and checked against facts read
independently of the explanation (times, schedules, other columns).
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from pager_lab.core.errors import ConfigError
from pager_lab.sim.model import simulate
from pager_lab.sim.run_dir import load_run, save_run
from pager_lab.sim.scenario_io import load_scenario, with_changes
from pager_lab.sim.why import STEPS, PageExplanation, check_page_id
from tests.helpers import DATA

CASES = Path(__file__).with_name("why_scenario.toml")
OVERRIDE = (datetime(2026, 11, 4, 10, tzinfo=UTC), datetime(2026, 11, 5, 10, tzinfo=UTC))


@pytest.fixture(scope="module")
def run():
    return simulate(load_scenario(CASES), seed=0)


def _pages(run, **where) -> pd.DataFrame:
    pages = run.pages.copy()
    pages["hour"] = pages["timestamp"].dt.hour
    for column, value in where.items():
        pages = pages[pages[column] == value]
    return pages


def _text(explanation: PageExplanation, step: str) -> str:
    return "\n".join(explanation.link(step).lines)


def test_every_page_of_a_run_is_explained_without_disagreement(run):
    """The reconstruction agrees with every recorded page: slot, person, level, window."""
    assert len(run.pages) > 100
    for page_id in range(len(run.pages)):
        explanation = run.why(page_id)
        assert [link.step for link in explanation.links] == list(STEPS)
        assert explanation.responder == run.pages["responder"].iloc[page_id]
        assert explanation.notes == [], (page_id, explanation.text())


@pytest.mark.parametrize("name", ["baseline", "follow-the-sun"])
def test_bundled_scenarios_pages_agree_with_their_reconstruction(name):
    result = simulate(load_scenario(DATA / "scenarios" / f"{name}.toml"), seed=1, weeks=1)
    notes = [(i, result.why(i).notes) for i in range(len(result.pages))]
    assert len(notes) > 10
    assert [n for n in notes if n[1]] == []


def test_an_override_chose_the_person(run):
    pages = _pages(run, level=1)
    inside = pages[(pages["timestamp"] >= OVERRIDE[0]) & (pages["timestamp"] < OVERRIDE[1])]
    assert not inside.empty
    assert set(inside["responder"]) == {"Dev"}  # the run itself paged the override's person
    text = _text(run.why(int(inside.index[0])), "schedule")
    assert "override puts Dev on call" in text
    assert "Wed 2026-11-04 10:00" in text and "Thu 2026-11-05 10:00" in text


def test_a_restriction_across_midnight_chose_the_night_layer(run):
    pages = _pages(run, level=1)
    after_midnight = pages[(pages["hour"] < 6) & (pages["timestamp"] < OVERRIDE[0])]
    assert not after_midnight.empty
    page = after_midnight.iloc[0]
    explanation = run.why(int(after_midnight.index[0]))
    text = _text(explanation, "schedule")
    assert page["responder"] == "Cat"
    assert "layer 'nights' (layer 2)" in text
    assert "22:00-06:00 (crosses midnight)" in text
    day_before = (page["timestamp"] - timedelta(days=1)).strftime("%Y-%m-%d")
    assert f"this window runs {page['timestamp'] - timedelta(days=1):%a} {day_before} 22:00" in (
        text
    )
    daytime = pages[(pages["hour"] == 12) & (pages["timestamp"] < OVERRIDE[0])]
    day_text = _text(run.why(int(daytime.index[0])), "schedule")
    assert "layer 'days' (layer 1)" in day_text
    assert "layer 'nights' (layer 2) did not decide" in day_text


def test_a_gap_skipped_a_level_without_waiting(run):
    pages = _pages(run, level=3)
    levels = run.pages.groupby(["incident_id", "loop"])["level"].apply(set)
    skipped = [i for i, p in pages.iterrows() if 2 not in levels[(p["incident_id"], p["loop"])]]
    assert skipped
    page_id = skipped[0]
    page = run.pages.loc[page_id]
    text = _text(run.why(page_id), "escalation")
    level_one = run.pages[
        (run.pages["incident_id"] == page["incident_id"])
        & (run.pages["loop"] == page["loop"])
        & (run.pages["level"] == 1)
    ]
    # the run paged level 3 exactly one timeout after level 1: level 2 cost no wait
    assert page["minute"] - level_one["minute"].iloc[0] == pytest.approx(5.0)
    assert f"level 2, loop {page['loop']} at {page['timestamp']:%H:%M}" in text
    assert "skipped, schedule 'secondary': nobody on call" in text
    assert "skipped without waiting" in text


def test_a_repeat_loop_starts_again_from_level_one(run):
    pages = _pages(run, loop=1, level=1)
    assert not pages.empty
    page_id = int(pages.index[0])
    explanation = run.why(page_id)
    text = _text(explanation, "escalation")
    assert "repeat 1; this page is level 1 of loop 1" in text
    assert "loop 1: the policy starts again from level 1 (repeat)" in text
    earlier = run.pages[
        (run.pages["incident_id"] == explanation.incident_id) & (run.pages.index < page_id)
    ]
    for responder in earlier["responder"]:
        assert responder in text


def test_a_low_urgency_incident_was_held_until_business_hours(run):
    incidents = run.incidents
    held = incidents[incidents["low_urgency"] & (incidents["triggered"].dt.hour >= 18)]
    held = held[held["incident_id"].isin(run.pages["incident_id"])]
    assert not held.empty
    incident = held.iloc[0]
    pages = run.pages[run.pages["incident_id"] == incident["incident_id"]]
    assert set(pages["level"]) == {1} and set(pages["loop"]) == {0}  # never escalates
    first = pages.iloc[0]
    assert first["timestamp"].hour == 8 and first["timestamp"].weekday() < 5
    text = _text(run.why(int(pages.index[0])), "urgency")
    hours = (first["minute"] - incident["triggered_minute"]) / 60
    assert "SEV3 is low urgency" in text
    assert f"held {hours:.1f} h until {first['timestamp']:%a %Y-%m-%d} 08:00" in text
    escalation = _text(run.why(int(pages.index[0])), "escalation")
    assert "policy 'low urgency': 1 level(s), repeat 0" in escalation


def test_a_dedup_join_is_counted(run):
    joined = run.incidents[run.incidents["alerts"] > 1]
    joined = joined[joined["incident_id"].isin(run.pages["incident_id"])]
    incident = joined.iloc[0]
    page_id = int(run.pages.index[run.pages["incident_id"] == incident["incident_id"]][0])
    text = _text(run.why(page_id), "dedup")
    assert f"{incident['alerts'] - 1} later alert(s) with the same key joined" in text
    assert f"opened a new incident, {incident['incident_id']}" in text


def test_a_replacement_and_a_vacant_slot_are_named_with_attrition():
    changes = {
        "attrition.enabled": True,
        "attrition.weekly_quit": 0.5,
        "attrition.max_weekly_quit": 1,
        "attrition.hiring_delay_weeks": 1,
    }
    scenario = with_changes(load_scenario(DATA / "scenarios" / "baseline.toml"), changes)
    result = simulate(scenario, seed=2, weeks=6)
    replaced = result.pages[result.pages["responder"] != result.pages["slot"]]
    assert not replaced.empty
    explanation = result.why(int(replaced.index[0]))
    assert explanation.notes == []
    page = replaced.iloc[0]
    assert f"slot {page['slot']} was held by {page['responder']}" in _text(explanation, "schedule")
    texts = [_text(result.why(i), "escalation") for i in range(len(result.pages))]
    vacant = [t for t in texts if "but the slot was vacant" in t]
    assert vacant, "a level skipped because its slot's holder had left"
    assert "skipped, schedule 'primary' had slot" in vacant[0]


def test_page_ids_are_checked():
    assert check_page_id("3", 10) == 3
    for bad in ("10", "-1", "x", 2.5, True):
        with pytest.raises(ConfigError, match="a page id from 0 to 9"):
            check_page_id(bad, 10)
    with pytest.raises(ConfigError, match="sent no pages"):
        check_page_id(0, 0)


def test_the_chain_prints_and_reprs(run):
    explanation = run.why(0)
    text = str(explanation)
    assert text.startswith(f"Why was {explanation.responder} paged? (page 0,")
    assert [line[:3] for line in text.splitlines() if line[:1].isdigit()] == [
        f"{i}. " for i in range(1, 7)
    ]
    assert repr(explanation).startswith("PageExplanation(page=0, responder=")
    with pytest.raises(KeyError, match="the steps are alert"):
        explanation.link("weather")


def test_a_run_folder_round_trips(run, tmp_path: Path):
    for name, table in run.tables().items():
        table.to_csv(tmp_path / f"{name}.csv", index=False)
    written = save_run(run, tmp_path)
    assert {p.name for p in written} == {"scenario.toml", "run.toml"}
    loaded = load_run(tmp_path)
    assert loaded.seed == 0
    assert replace(loaded.scenario, source=run.scenario.source) == run.scenario
    pd.testing.assert_frame_equal(
        loaded.pages.drop(columns="window"), run.pages.drop(columns="window")
    )
    assert list(loaded.pages["window"].astype(str)) == list(run.pages["window"].astype(str))
    text = [c for c in run.incidents if run.incidents[c].dtype == "str"]
    expected = run.incidents.fillna(dict.fromkeys(text, ""))  # CSV: a missing text reads as ""
    pd.testing.assert_frame_equal(loaded.incidents, expected)
    for page_id in (0, len(run.pages) // 2, len(run.pages) - 1):
        assert loaded.why(page_id).text() == run.why(page_id).text()
    rerun = simulate(loaded.scenario, loaded.seed)  # the saved scenario runs the same
    pd.testing.assert_frame_equal(rerun.pages, run.pages)


def test_a_scenario_changed_in_code_is_refused(run, tmp_path: Path):
    changed = replace(run, scenario=replace(run.scenario, auto_resolve_minutes=1.0))
    with pytest.raises(ConfigError, match="changed in code"):
        save_run(changed, tmp_path)


def test_a_run_folder_with_schedule_files_is_self_contained(tmp_path: Path):
    """follow-the-sun extends baseline and reads ../schedules/follow-the-sun.toml: the
    folder keeps a copy, so it still explains its pages after it is moved."""
    result = simulate(load_scenario(DATA / "scenarios" / "follow-the-sun.toml"), seed=3, weeks=1)
    first = tmp_path / "first"
    for name, table in result.tables().items():
        first.mkdir(exist_ok=True)
        table.to_csv(first / f"{name}.csv", index=False)
    save_run(result, first)
    assert (first / "schedules" / "0-follow-the-sun.toml").is_file()
    assert (
        'schedule_files = [\n    "schedules/0-follow-the-sun.toml",\n]'
        in (first / "scenario.toml").read_text()
    )
    moved = shutil.move(first, tmp_path / "elsewhere")
    loaded = load_run(moved)
    assert loaded.scenario.schedules == result.scenario.schedules
    last = len(result.pages) - 1
    assert loaded.why(last).text() == result.why(last).text()
    assert "layer" in "\n".join(loaded.why(last).link("schedule").lines)


def test_a_routed_run_says_notifications_opened_its_incidents_not_dedup_keys():
    scenario = with_changes(
        load_scenario(DATA / "scenarios" / "baseline.toml"),
        {"routing.group_by": ["alertname", "service"], "weeks": 1},
    )
    routed = simulate(scenario, seed=0)
    assert len(routed.pages) > 0
    dedup = routed.why(0).links[1]
    assert dedup.step == "dedup"
    text = " ".join(dedup.lines)
    assert "Alertmanager's grouping" in text and "groupKey" in text
    assert "['alertname', 'service']" in text
