"""The SimPy model: determinism, common random numbers, dedup, windows, fatigue, attrition."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
import simpy

from pager_lab.sim.calendars import WindowCalendar
from pager_lab.sim.model import simulate
from pager_lab.sim.people import Person
from pager_lab.sim.scenario import Fatigue, ResponseModel
from pager_lab.sim.scenario_io import load_scenario, with_changes
from tests.helpers import DATA

SCENARIOS = sorted((DATA / "scenarios").glob("*.toml"))


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(DATA / "scenarios" / "baseline.toml")


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_bundled_scenario_validates_and_runs(path: Path):
    scenario = load_scenario(path)
    warmup_weeks = scenario.warmup_minutes / (7 * 24 * 60)
    result = simulate(scenario, seed=3, weeks=min(scenario.weeks, 2 + warmup_weeks))
    assert len(result.incidents) > 0
    assert result.incidents["resolved_minute"].notna().all(), "every incident drains"
    acked = result.incidents.dropna(subset=["time_to_acknowledge"])
    assert (acked["time_to_resolve"] >= acked["time_to_acknowledge"]).all()
    assert result.incidents["triggered"].dt.tz is not None
    assert set(result.tables()) == {"alerts", "incidents", "pages", "team"}


def test_same_seed_gives_identical_tables(baseline):
    a, b = simulate(baseline, seed=11, weeks=2), simulate(baseline, seed=11, weeks=2)
    for name, table in a.tables().items():
        pd.testing.assert_frame_equal(table, b.tables()[name])
    c = simulate(baseline, seed=12, weeks=2)
    assert not a.alerts["minute"].equals(c.alerts["minute"])


def test_a_different_policy_or_team_sees_the_same_alert_stream(baseline):
    slow = with_changes(baseline, {"policy.levels[0].timeout_minutes": 30.0, "policy.repeat": 3})
    small = with_changes(baseline, {"team_size": 4})
    a = simulate(baseline, seed=5, weeks=3)
    for other in (simulate(slow, seed=5, weeks=3), simulate(small, seed=5, weeks=3)):
        columns = ["alert_id", "minute", "service", "dedup_key", "kind", "severity", "noise"]
        pd.testing.assert_frame_equal(a.alerts[columns], other.alerts[columns])
    assert not a.pages.equals(simulate(slow, seed=5, weeks=3).pages)


def test_a_storm_is_deduplicated_into_one_incident_per_key():
    scenario = load_scenario(DATA / "scenarios" / "storm-week.toml")
    result = simulate(scenario, seed=1)
    storm = result.alerts[result.alerts["origin"] == "storm"]
    assert len(storm) == 180
    by_key = storm.groupby("dedup_key")["incident_id"].nunique()
    # One cause, one incident per key while it stays open; re-fires after a resolve may reopen.
    partition = storm[storm["dedup_key"] == "database/storm-0/0"]
    assert partition["joined"].sum() >= 100
    assert by_key.max() <= 3
    incident_ids = set(storm["incident_id"])
    incidents = result.incidents.set_index("incident_id").loc[sorted(incident_ids)]
    assert incidents["alerts"].sum() >= partition["joined"].sum()


def test_flapping_alerts_resolve_by_monitor_when_nobody_acknowledged():
    scenario = load_scenario(DATA / "scenarios" / "storm-week.toml")
    result = simulate(scenario, seed=2)
    flaps = result.incidents[result.incidents["dedup_key"].str.contains("flap")]
    assert (result.alerts["origin"] == "flapping").sum() == 48  # 4 episodes x 6 cycles x 2
    by_monitor = flaps[flaps["resolution"] == "monitor"]
    assert len(by_monitor) >= 3, "a flap that clears before anyone acks is closed by the monitor"
    assert by_monitor["acknowledged_by"].isna().all()
    assert (by_monitor["resolved_by"] == "monitor").all()
    assert (by_monitor["time_to_resolve"] <= 3.0 + 1e-9).all()  # it cleared after fire_minutes


@pytest.mark.parametrize("zone", ["Europe/Dublin", "Asia/Singapore"])
@pytest.mark.parametrize(
    ("hour", "minute", "asleep"), [(7, 59, True), (8, 0, False), (21, 59, False), (22, 0, True)]
)
def test_the_sleep_window_boundaries_in_the_responders_zone(zone, hour, minute, asleep):
    start = datetime(2026, 11, 2, tzinfo=ZoneInfo("UTC"))
    calendar = WindowCalendar(zone, start, start + timedelta(days=7))
    person = Person("Ann", "Ann", calendar, np.random.default_rng(0), simpy.Environment(), 0.0)
    local = datetime(2026, 11, 4, hour, minute, tzinfo=ZoneInfo(zone))
    now = (local - start).total_seconds() / 60
    always_miss_asleep = ResponseModel(awake_miss=0.0, asleep_miss=1.0)
    window, delay = person.answer_page(now, always_miss_asleep, Fatigue())
    assert (window == 2) is asleep
    assert (delay is None) is asleep
    assert person.sleep_pages == ([now] if asleep else [])


def test_fatigue_slows_acknowledgements_and_raises_misses(baseline):
    noisy = with_changes(baseline, {"sources[2].rate_per_hour": 0.3})
    tired = with_changes(
        noisy,
        {
            "fatigue.enabled": True,
            "fatigue.slowdown_per_interruption": 0.5,
            "fatigue.miss_per_interruption": 0.05,
        },
    )
    fresh, worn = simulate(noisy, seed=8, weeks=6), simulate(tired, seed=8, weeks=6)
    assert worn.pages["outcome"].eq("missed").mean() > fresh.pages["outcome"].eq("missed").mean()
    high = ~fresh.incidents["low_urgency"]
    assert (
        worn.incidents.loc[high, "time_to_acknowledge"].median()
        > fresh.incidents.loc[high, "time_to_acknowledge"].median()
    )


def test_attrition_makes_people_leave_and_replacements_join(baseline):
    night_heavy = with_changes(baseline, {"sources[2].rate_per_hour": 0.5, "weeks": 26})
    spiral = with_changes(
        night_heavy,
        {
            "attrition.enabled": True,
            "attrition.per_sleep_interruption": 0.05,
            "attrition.hiring_delay_weeks": 4,
        },
    )
    calm = simulate(night_heavy, seed=2)
    stormy = simulate(spiral, seed=2)
    assert calm.team["left_minute"].isna().all() and len(calm.team) == 6
    left = stormy.team[stormy.team["left_minute"].notna()]
    assert len(left) >= 1
    replacements = stormy.team[stormy.team["person"].str.contains("#")]
    assert len(replacements) >= 1
    assert (replacements["joined_minute"] > 0).all()
    assert set(replacements["slot"]) <= set(left["slot"])


def test_low_urgency_alerts_wait_for_business_hours(baseline):
    result = simulate(baseline, seed=9, weeks=6)
    low = result.incidents["low_urgency"] & ~result.incidents["dedup_key"].str.contains("flap")
    first_pages = result.pages.groupby("incident_id")["window"].first()
    low_ids = result.incidents.loc[low, "incident_id"]
    windows = first_pages.reindex(low_ids).dropna()
    assert len(windows) > 10 and (windows == "business").all()
    assert (result.pages.loc[result.pages["incident_id"].isin(low_ids), "level"] == 1).all()


def test_urgency_follows_severity_in_every_alert(baseline):
    alerts = simulate(baseline, seed=3, weeks=4).alerts
    low = alerts["severity"].isin(["SEV3", "SEV4"])
    assert low.any() and (~low).any()
    assert (alerts["low_urgency"] == low).all()
    everything_high = with_changes(baseline, {"urgency": {"SEV3": "high", "SEV4": "high"}})
    assert not simulate(everything_high, seed=3, weeks=4).alerts["low_urgency"].any()


def test_low_urgency_notifies_level_one_once_and_never_repeats(baseline):
    looping = with_changes(baseline, {"policy.repeat": 3})
    result = simulate(looping, seed=9, weeks=6)
    low_ids = result.incidents.loc[result.incidents["low_urgency"], "incident_id"]
    pages = result.pages[result.pages["incident_id"].isin(low_ids)]
    assert len(pages) > 10
    assert (pages["level"] == 1).all() and (pages["loop"] == 0).all()
    high_ids = result.incidents.loc[~result.incidents["low_urgency"], "incident_id"]
    high = result.pages[result.pages["incident_id"].isin(high_ids)]
    assert (high["loop"] > 0).any()  # high urgency does loop with repeat = 3


def test_attritions_draws_leave_everyones_answers_alone(baseline):
    """With attrition on but nobody quitting, the weekly quit draws change nothing."""
    never_quit = {
        "attrition.enabled": True,
        "attrition.weekly_quit": 0.0,
        "attrition.per_sleep_interruption": 0.0,
    }
    on = simulate(with_changes(baseline, never_quit), seed=5, weeks=6)
    off = simulate(baseline, seed=5, weeks=6)
    assert len(on.team) == len(off.team)
    pd.testing.assert_frame_equal(on.pages, off.pages)
    pd.testing.assert_frame_equal(on.incidents, off.incidents)


def test_simulate_refuses_a_bad_horizon(baseline):
    with pytest.raises(ValueError, match=r"weeks \(0\) must be greater than 0"):
        simulate(baseline, weeks=0)


def test_a_desk_serves_first_come_first_served_within_capacity():
    from pager_lab.sim.people import Desk

    desk, started = Desk(2), []
    for name in "abcd":
        desk.take(started.append, name)
    assert started == ["a", "b"] and desk.busy == 2 and len(desk.waiting) == 2
    desk.release()
    assert started == ["a", "b", "c"] and desk.busy == 2
    desk.release()
    desk.release()
    desk.release()
    assert started == ["a", "b", "c", "d"] and desk.busy == 0
    assert repr(desk) == "Desk(busy=0/2, waiting=0)"
    with pytest.raises(ValueError, match=r"capacity \(0\)"):
        Desk(0)


def test_the_sim_clock_reads_simpys_time_and_cannot_be_moved_by_hand():
    from pager_lab.sim.model import SimClock

    env = simpy.Environment()
    clock = SimClock(env, datetime(2026, 11, 27, tzinfo=ZoneInfo("UTC")))
    seen = []

    def tick():
        for gap in (0.5, 2.25, 7.0):
            yield env.timeout(gap)
            seen.append((clock.now(), env.now))

    env.process(tick())
    env.run()
    assert seen == [(0.5, 0.5), (2.75, 2.75), (9.75, 9.75)]
    with pytest.raises(TypeError, match="only through SimPy"):
        clock.advance(1.0)


def test_alerts_are_read_in_order_across_slices(baseline):
    from pager_lab.sim.model import ALERT_SLICE, Simulation, _alert_rows

    alerts = Simulation(with_changes(baseline, {"weeks": 30}), 2).alerts
    assert len(alerts) > 2 * ALERT_SLICE  # several slices, the last one partial
    rows = list(_alert_rows(alerts))
    assert [row.position for row in rows] == list(range(len(alerts)))
    assert [row.minute for row in rows] == alerts["minute"].tolist()
    assert [row.dedup_key for row in rows] == alerts["dedup_key"].tolist()
    assert all(type(row.noise) is bool and type(row.work_z) is float for row in rows)


def test_the_model_uses_only_simpys_public_api():
    """No env._queue, env._eid, env._now, event._value or pushes onto SimPy's heap."""
    import re

    from tests.helpers import ROOT

    private = re.compile(
        r"\benv\._\w|\b\w*(event|timeout)\._\w|\._(queue|eid)\b|simpy\.events\.NORMAL|heappush\(\w*queue"
    )
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted((ROOT / "pager_lab").rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if private.search(line)
    ]
    assert not offenders, offenders


def test_triage_is_recorded_at_its_own_minute_between_work_start_and_fix(baseline):
    import math

    from pager_lab.core.incident import EntryKind
    from pager_lab.sim.model import Simulation

    sim = Simulation(with_changes(baseline, {"weeks": 2}), 5)
    finished = []
    finish = sim.life.finish
    sim.life.finish = lambda rec: (finished.append(rec), finish(rec))[1]  # type: ignore[method-assign]
    sim.run()
    fixed = [rec for rec in finished if rec.resolution == "fixed"]
    assert len(fixed) > 20
    work = baseline.work
    assert work.distribution == "lognormal"
    for rec in fixed:
        kinds = [(e.kind, e.at) for e in rec.incident.timeline]
        (triaged,) = [at for kind, at in kinds if kind is EntryKind.TRIAGED]
        draw = math.exp(
            math.log(work.triage_median_minutes) + work.triage_sigma * rec.alert.triage_z
        )
        assert triaged == pytest.approx(rec.work_started + draw, abs=1e-9)
        assert rec.work_started < triaged < rec.incident.resolved_at
        ack, triage, fix = EntryKind.ACKNOWLEDGED, EntryKind.TRIAGED, EntryKind.RESOLVED
        assert [kind for kind, _ in kinds][-3:] == [ack, triage, fix]


@pytest.mark.parametrize("name", ["baseline", "storm-week", "textbook-mmc"])
def test_a_run_leaves_no_reference_cycles_so_pausing_the_collector_is_safe(name):
    import gc

    scenario = with_changes(load_scenario(DATA / "scenarios" / f"{name}.toml"), {"weeks": 4})
    scenario = (
        with_changes(scenario, {"attrition.enabled": True}) if name == "baseline" else scenario
    )
    gc.collect()
    gc.disable()
    try:
        result = simulate(scenario, 3)
        assert len(result.incidents) > 100
        del result
        # a handful of objects of the run itself (environment, simulation); never per incident
        assert gc.collect() < 100
    finally:
        gc.enable()


def test_the_collector_is_paused_only_during_a_run(baseline, monkeypatch):
    import gc

    from pager_lab.sim import model

    seen = []
    original = model.Recorder.result
    monkeypatch.setattr(
        model.Recorder,
        "result",
        lambda self, *args: (seen.append(gc.isenabled()), original(self, *args))[1],
    )
    short = with_changes(baseline, {"weeks": 1})
    assert gc.isenabled()
    simulate(short, 1)
    assert gc.isenabled() and seen == [False]
    gc.disable()
    try:
        simulate(short, 1)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
    monkeypatch.setattr(model.Simulation, "_feed", lambda self, _e=None: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        simulate(short, 1)
    assert gc.isenabled()
