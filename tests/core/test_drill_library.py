"""The drill library's engine: best paths, consequences, seeds, save/restore, injections."""

from __future__ import annotations

import json

import pytest

from pager_lab.core.drill import StaleAnswer
from pager_lab.core.drill_debrief import debrief_drill, drill_postmortem
from pager_lab.core.drill_scenario import load_drill_library
from pager_lab.core.drill_score import best_session, score_drill
from pager_lab.core.drill_session import DrillSession
from pager_lab.core.errors import ConfigError, InvalidAnswer
from tests.helpers import DATA

LIBRARY = load_drill_library(DATA / "drills")
DB = LIBRARY["db-runaway-query"]
BEST_DB = DB.best_paths[0].steps


def play(scenario, steps, seed=0) -> DrillSession:
    session = DrillSession(scenario, seed)
    for step in steps:
        session.choose(step)
    return session


def test_the_library_has_the_nine_scenarios_of_the_issue_at_three_levels():
    assert set(LIBRARY) >= {
        "db-runaway-query", "pool-exhaustion-deploy", "disk-full-logs", "tls-cert-expiry",
        "memory-leak", "upstream-outage", "flapping-alert-3am", "retry-storm", "sev1-comms",
    }  # fmt: skip
    assert {s.difficulty for s in LIBRARY.values()} == {"easy", "medium", "hard"}
    assert all(s.runbook is not None and s.runbook.steps for s in LIBRARY.values())
    assert len({s.lesson for s in LIBRARY.values()}) == len(LIBRARY)


@pytest.mark.parametrize("name", sorted(LIBRARY))
@pytest.mark.parametrize("seed", [0, 1, 5])
def test_every_best_path_resolves_with_full_marks(name: str, seed: int):
    scenario = LIBRARY[name]
    for best in scenario.best_paths:
        session = play(scenario, best.steps, seed)
        card = score_drill(session)
        assert session.outcome == "resolved", (name, session.path)
        assert card.total == card.max_total == 100, card.lines()
        assert card.wasted == () and card.harmful == () and card.comms_missing == ()


def test_restart_without_terminate_brings_it_back_and_scores_lower():
    session = play(DB, ["ack", "declare-sev2", "runbook", "dashboard", "restart-db"])
    assert session.state.healthy is False  # the reboot itself fails every query
    lines = []
    for _ in range(4):
        lines += [m.text for m in session.choose("wait")]
    assert any("it is back" in line for line in lines), lines
    assert session.recurrences == 1 and "runaway_query" in session.state.active()
    assert session.signals()["db_cpu"] > 90
    for step in ["pg-activity", "terminate-query", "status", "resolve"]:
        session.choose(step)
    assert session.outcome == "resolved"
    restart, best = score_drill(session), score_drill(play(DB, BEST_DB))
    assert restart.total < best.total
    assert restart.impact_minutes > best.impact_minutes
    parts = {i.name: i.points for i in restart.items}
    assert parts["efficiency"] < 10 and parts["impact"] < 15


def test_resolving_on_a_temporary_fix_ends_the_drill_resolved_too_early():
    session = play(DB, ["ack", "restart-db", "wait", "resolve"])
    assert session.outcome == "resolved too early"
    card = score_drill(session)
    assert next(i for i in card.items if i.name == "resolution").points == 5
    assert card.time_to_resolve is None


def test_resolving_while_signals_are_bad_is_refused_and_wasted():
    session = play(DB, ["ack", "resolve"])
    assert not session.finished and session.path[-1].verdict == "too soon"
    assert "resolve" in score_drill(session).wasted


def test_an_action_needs_its_precondition():
    session = play(DB, ["ack", "terminate-query"])
    assert session.path[-1].verdict == "refused"
    assert "runaway_query" in session.state.active()
    session.choose("pg-activity")
    session.choose("terminate-query")
    assert session.path[-1].verdict == "fixes" and session.state.fixed


def test_making_it_worse_is_harmful_and_costs_customers():
    worse = play(DB, ["ack", "scale-out"])
    assert worse.path[-1].verdict == "worse" and "connection_surge" in worse.state.active()
    calm = play(DB, ["ack", "wait"])
    assert worse.now == calm.now - 2  # scale-out costs 3 minutes, wait 5
    worse.choose("wait")
    calm.choose("wait")
    assert worse.signals()["error_rate"] > calm.signals()["error_rate"]
    assert "scale-out" in score_drill(worse).harmful


def test_red_herrings_and_clues_are_explained_in_the_debrief():
    session = play(DB, ["ack", "deploys", "rollback", "dashboard"], seed=1)  # offers 'deploys'
    debrief = debrief_drill(session)
    verdicts = {line.choice: line.verdict for line in debrief.path}
    assert verdicts == {"ack": "ack", "deploys": "red herring", "rollback": "no effect",
                        "dashboard": "clue"}  # fmt: skip
    assert "changed nothing the database sees" in debrief.path[1].explanation
    assert "terminate-query" in debrief.missed and debrief.best_path == BEST_DB
    text = "\n".join(debrief.lines())
    assert "Best path: ack → declare-sev2" in text and session.variables["host"] in text


def test_a_seed_picks_which_red_herring_is_offered():
    offered = {seed: DrillSession(DB, seed).herrings for seed in range(8)}
    assert set(offered.values()) == {frozenset({"deploys"}), frozenset({"cloud-status"})}
    seed = next(s for s, h in offered.items() if h == {"cloud-status"})
    session = play(DB, ["ack"], seed)
    ids = [c.id for c in session.choices()]
    assert "cloud-status" in ids and "deploys" not in ids
    with pytest.raises(InvalidAnswer, match="'deploys' is not an answer here"):
        session.choose("deploys")
    assert session.choose("cloud-status")[1].text.strip().startswith("Degraded performance")


def test_the_same_seed_replays_identically_and_another_seed_differs():
    def transcript(seed: int) -> list[str]:
        session = DrillSession(DB, seed)
        out = [m.text for m in session.opening]
        for step in ["ack", "dashboard", "pg-activity", "restart-db", "wait", "wait", "wait"]:
            out += [m.text for m in session.choose(step)]
        return [*out, f"{session.state.burned:.6f}"]

    assert transcript(3) == transcript(3)
    others = {tuple(transcript(seed)) for seed in range(6)}
    assert len(others) > 1
    picks = {tuple(DrillSession(DB, seed).variables.values()) for seed in range(10)}
    assert len(picks) > 1


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_save_and_restore_mid_drill_continues_identically(name: str):
    scenario = LIBRARY[name]
    steps = scenario.best_paths[0].steps
    half = len(steps) // 2
    original = DrillSession(scenario, 4)
    for step in steps[:half]:
        original.choose(step)
    original.tick(2.5)
    if scenario.injections:
        original.inject(scenario.injections[-1].id)
    original.inject_event("note", "The game master says hello.")
    saved = json.loads(json.dumps(original.to_dict()))
    restored = DrillSession.from_dict(saved, scenario)
    assert restored.path == original.path and restored.now == original.now
    for step in ["wait", *steps[half:]]:
        if original.finished:
            break
        assert restored.choose(step) == original.choose(step)
    assert restored.history() == original.history()
    assert score_drill(restored) == score_drill(original)
    assert restored.to_dict() == original.to_dict()


def test_restoring_bad_data_is_a_config_error():
    with pytest.raises(ConfigError, match="format"):
        DrillSession.from_dict({"format": "nope"}, DB)
    saved = DrillSession(DB).to_dict()
    with pytest.raises(ConfigError, match="scenario"):
        DrillSession.from_dict(saved, LIBRARY["memory-leak"])
    saved["events"] = [["choose", "not-a-choice"]]
    with pytest.raises(ConfigError, match="'not-a-choice' is not an answer here"):
        DrillSession.from_dict(saved, DB)
    saved["events"] = [["dance", 1]]
    with pytest.raises(ConfigError, match="unknown event 'dance'"):
        DrillSession.from_dict(saved, DB)


def test_scripted_injections_fire_on_time_and_expect_an_answer():
    session = play(DB, ["ack", "wait", "wait"])  # minute 11
    assert not session.injected
    lines = [m.text for m in session.choose("wait")]  # minute 16: the manager asks at 12
    assert any("ETA" in line and "+12 min" in line for line in lines)
    assert [(at, i.id) for at, i in session.injected] == [(12.0, "manager-eta")]
    for step in ["wait", "wait", "pg-activity", "terminate-query", "resolve"]:
        session.choose(step)
    missing = score_drill(session).comms_missing
    assert "answer manager-eta within 10 min" in missing


def test_a_game_master_injects_at_any_moment():
    session = play(DB, ["ack"])
    lines = session.inject("dba-away")
    assert "on a flight" in lines[0].text and session.now == 1
    assert "does not answer" in session.choose("page-sme")[0].text
    session.inject_event("alert", "The replica is down too", starts=("connection_surge",))
    assert "connection_surge" in session.state.active()
    with pytest.raises(ConfigError, match="injection = 'nope'"):
        session.inject("nope")
    with pytest.raises(ConfigError, match="fault = 'ghost'"):
        session.inject_event("alert", "x", starts=("ghost",))
    with pytest.raises(ConfigError, match="kind = 'party'"):
        session.inject_event("party", "x")


def test_tick_lets_time_pass_between_answers():
    session = play(DB, ["ack"])
    before = session.signals()["db_cpu"]
    lines = session.tick(12)
    assert session.now == 13 and session.signals()["db_cpu"] > before
    assert any("ETA" in m.text for m in lines)
    assert session.tick(0) == []
    with pytest.raises(ValueError, match="back in time"):
        session.tick(-1)


def test_ignoring_the_page_three_times_is_a_major_outage():
    session = play(DB, ["ignore", "i"])
    assert session.now == 10 and not session.finished
    lines = session.choose("ignore")
    assert session.outcome == "no one answered" and "Major Outage" in lines[-1].text
    assert score_drill(session).time_to_acknowledge is None
    with pytest.raises(StaleAnswer):
        session.choose("ack")
    with pytest.raises(StaleAnswer, match="finished"):
        session.inject("dba-away")
    with pytest.raises(StaleAnswer, match="finished"):
        session.inject_event("note", "too late")


def test_out_of_time_ends_the_drill():
    session = play(DB, ["ack"])
    while not session.finished:
        session.choose("wait")
    assert session.outcome == "out of time" and session.now >= DB.limit_minutes
    assert session.choices() == []


def test_answers_by_number_and_unknown_answers():
    session = DrillSession(DB)
    session.choose("1")  # ack
    assert session.acked
    number = [c.id for c in session.choices()].index("dashboard") + 1
    session.choose(str(number))
    assert session.path[-1].choice == "dashboard"
    with pytest.raises(InvalidAnswer, match="'dance' is not an answer here"):
        session.choose("dance")
    assert session.path[-1].choice == "dashboard"  # nothing changed


def test_the_postmortem_draft_carries_timeline_impact_and_factors():
    session = play(DB, ["ack", "restart-db", "wait", "wait", "wait", "pg-activity",
                        "terminate-query", "resolve"])  # fmt: skip
    text = drill_postmortem(session)
    assert "error-budget minutes" in text and "## Contributing factors" in text
    assert "No statement_timeout is set for the reporting role." in text
    assert "chose action: restart-db" in text and "| +1.0 |" in text
    assert session.variables["pid"] in text  # the root cause with the seed's pid


def test_best_session_is_the_best_path_played():
    session = best_session(DB, 2)
    assert [s.choice for s in session.path] == list(BEST_DB) and session.seed == 2


def test_score_card_and_debrief_are_json_ready():
    session = play(DB, BEST_DB)
    data = json.loads(json.dumps({"s": score_drill(session).to_dict(),
                                  "d": debrief_drill(session).to_dict()}))  # fmt: skip
    assert data["s"]["total"] == 100 and len(data["s"]["items"]) == 8
    assert data["d"]["best_path"] == list(BEST_DB)


def test_time_running_out_during_a_choice_ends_the_drill_at_the_limit():
    session = play(DB, ["ack", *["wait"] * 11])  # minute 56
    lines = session.choose("terminate-query")  # refused or not, it would end at 58
    assert not session.finished
    lines = session.choose("rollback")  # 6 minutes: the limit (60) comes first
    assert session.outcome == "out of time" and session.now == DB.limit_minutes
    assert session.path[-1].verdict == "too late" and "Out of time" in lines[-1].text


POOR = {
    "db-runaway-query": "ack restart-db wait wait wait pg-activity terminate-query resolve",
    "disk-full-logs": "ack delete-logs wait wait disk-usage log-level-info resolve",
    "flapping-alert-3am": "ack page-sme declare-sev2 reboot-host wait alert-history "
    "silence-ticket resolve",
    "memory-leak": "ack restart-pods wait wait deploys rollback resolve",
    "pool-exhaustion-deploy": "ack raise-pool wait wait wait deploys rollback resolve",
    "tls-cert-expiry": "ack restart-proxy rollback cert-check renew-cert resolve",
    "upstream-outage": "ack restart-checkout rollback wait wait wait wait wait wait wait resolve",
    "retry-storm": "ack restart-all inventory-health replace-cache wait shed-load resolve",
    "sev1-comms": "ack restart rollback flag-audit disable-flag resolve",
}
"""A plausible poor path through each scenario: the quick fix, the wrong move, no comms."""


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_a_poor_path_resolves_in_the_end_but_scores_far_below_the_best(name: str):
    session = play(LIBRARY[name], POOR[name].split())
    card = score_drill(session)
    assert session.outcome == "resolved", session.path
    assert card.total <= 75, card.lines()
    lost = {i.name for i in card.items if i.points < i.max_points}
    assert lost >= {"communication"} or name == "flapping-alert-3am"
    assert "safety" in lost or "efficiency" in lost or "impact" in lost


def test_the_first_prompt_reads_well_for_the_default_and_a_named_responder():
    from dataclasses import replace

    from pager_lab.core import DrillSession, load_drill_scenario

    scenario = load_drill_scenario("db-runaway-query")
    assert scenario.responder == "you"
    assert DrillSession(scenario, 0).prompt_text() == "You are on call. Acknowledge? (ack/ignore): "
    named = DrillSession(replace(scenario, responder="Dana"), 0).prompt_text()
    assert named == "You are on call as Dana. Acknowledge? (ack/ignore): "


def test_an_answer_for_another_prompt_is_stale_and_changes_nothing():
    session = DrillSession(LIBRARY["db-runaway-query"], 0)
    assert session.prompt_number == 1
    session.choose("ack", 1)
    assert session.prompt_number == 2
    before = session.to_dict()
    with pytest.raises(StaleAnswer, match="answers prompt 1, but the drill is at prompt 2"):
        session.choose("runbook", 1)  # the second click of a double-click on "ack"
    assert session.to_dict() == before
    session.choose("runbook", 2)
    assert [s.choice for s in session.path] == ["ack", "runbook"]
