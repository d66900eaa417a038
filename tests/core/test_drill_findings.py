"""A newcomer's findings in the drill engine: numbers, score, post-mortem, debrief, texts."""

from __future__ import annotations

import pytest

from pager_lab.core.drill_debrief import debrief_drill, drill_postmortem
from pager_lab.core.drill_scenario import load_drill_library
from pager_lab.core.drill_score import final_burn, score_drill
from pager_lab.core.drill_session import DrillSession
from tests.helpers import DATA

LIBRARY = load_drill_library(DATA / "drills")


def play(name: str, steps: list[str], seed: int = 0) -> DrillSession:
    session = DrillSession(LIBRARY[name], seed)
    for step in steps:
        session.choose(step)
    return session


def test_ticked_time_shows_on_the_dashboard_minute_by_minute():
    """A real-time pace ticks fractions of a minute; the history must still get every
    minute, so a dashboard at +10 shows the rise, the same as without ticks."""
    ticked = DrillSession(LIBRARY["db-runaway-query"], 0)
    ticked.tick(2.4)  # the seconds before typing ack, at --tick 1
    ticked.choose("ack")
    ticked.tick(6.6)  # the seconds before the next answer: now +10, off the quarter grid
    stepped = play("db-runaway-query", ["ack"])
    stepped.tick(9)
    assert [m for m, _ in ticked.history()] == [float(m) for m in range(11)]
    assert ticked.history() == stepped.history()
    ticked.choose("dashboard")
    assert ticked.last is not None
    cpu = dict(ticked.last.series)["db_cpu"]
    assert len(cpu) >= 10 and cpu[-1][1] > cpu[0][1]


def _until_over(session: DrillSession) -> DrillSession:
    while not session.finished:
        session.choose("wait")
    return session


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_never_answering_scores_below_acknowledging_and_trying(name: str):
    """Three ignored pages earned 33/100 (impact, efficiency and safety for doing nothing)
    while ack-and-work-until-out-of-time earned 28."""
    ignored = score_drill(play(name, ["ignore", "ignore", "ignore"]))
    tried = score_drill(_until_over(play(name, ["ack", "runbook"])))
    assert ignored.outcome == "no one answered"
    assert ignored.total < tried.total
    assert ignored.total == 0
    diagnosis = next(i for i in ignored.items if i.name == "diagnosis")
    assert "acted before" not in diagnosis.why


def test_waiting_out_the_clock_earns_no_efficiency_or_safety():
    card = score_drill(_until_over(play("sev1-comms", ["ack"])))
    points = {i.name: i.points for i in card.items}
    assert points["efficiency"] == 0 and points["safety"] == 0
    assert "never looked" in next(i.why for i in card.items if i.name == "diagnosis")


def test_resolving_too_early_counts_the_damage_still_to_come():
    """disk-full-logs, seed 5: ack, delete-logs, resolve at +3 burned 0.0 so far and got
    15/15 impact; the fault returns, so its damage until the limit counts."""
    session = play("disk-full-logs", ["ack", "delete-logs", "resolve"], seed=5)
    assert session.outcome == "resolved too early"
    card = score_drill(session)
    assert card.impact_minutes > card.par_impact_minutes
    assert next(i.points for i in card.items if i.name == "impact") < 15
    assert final_burn(session) > session.state.burned


def test_the_postmortem_agrees_with_the_score():
    too_early = play("disk-full-logs", ["ack", "delete-logs", "resolve"], seed=5)
    text = drill_postmortem(too_early)
    assert "State at the end of the drill: resolved too early" in text
    assert "Time to resolve: not reached (closed too early" in text
    assert "## What went wrong\n- +" in text and "(resolved too early)" in text

    ignored = drill_postmortem(play("sev1-comms", ["ignore", "ignore", "ignore"]))
    assert "Pages sent: 3" in ignored
    # loops count from 0, as `why` counts them
    assert "Paged you (level 1, loop 0)" in ignored and "loop 2)" in ignored
    assert "loop 3" not in ignored

    declared = drill_postmortem(play("sev1-comms", ["ack", "declare-sev1"]))
    assert "you declared SEV1" in declared and "Triaged by" not in declared


def test_the_postmortem_timeline_holds_what_the_system_did():
    session = play("db-runaway-query", ["ack", "declare-sev2", "restart-db"])
    while not session.finished:
        session.choose("wait")
    text = drill_postmortem(session)
    timeline = text.split("## Timeline")[1].split("## Root cause")[0]
    assert "reboots" in timeline  # the outage the restart caused
    assert "came back: a runaway query" in timeline
    assert "ETA" in timeline and "customer reports" in timeline
    wrong = text.split("## What went wrong")[1].split("## Action items")[0]
    assert "restart-db (relief)" in wrong and "_(fill in)_" not in wrong


def test_a_wait_cut_short_by_the_limit_says_how_long_it_was():
    session = play("db-runaway-query", ["ack"])
    session.tick(58 - session.now)
    session.choose("wait")
    assert session.outcome == "out of time"
    assert "You waited 2 minutes" in session.last.messages[-1].text


def test_resolving_takes_its_minute():
    session = play("db-runaway-query", LIBRARY["db-runaway-query"].best_paths[0].steps)
    *_, before, resolve = session.path
    assert resolve.choice == "resolve" and resolve.at == before.at + 1


def test_the_same_steps_in_another_order_are_not_marked_different():
    steps = ["ack", "runbook", "declare-sev2", "pg-activity", "dashboard", "terminate-query"]
    session = play("db-runaway-query", [*steps, "status", "resolve"])
    assert score_drill(session).total == 100
    side = debrief_drill(session).lines()
    rows = side[side.index("Side by side (yours | best):") + 1 :]
    assert not any("<-" in row for row in rows), rows
    assert all(c.strip() for row in rows for c in [row.split(".", 1)[1].replace("|", "")])

    worse = debrief_drill(play("db-runaway-query", ["ack", "cloud-status", "restart-db"]))
    rows = worse.lines()[worse.lines().index("Side by side (yours | best):") + 1 :]
    assert any("restart-db" in r and "not on the best path" in r for r in rows)
    assert any("terminate-query" in r and "missed" in r for r in rows)
    assert not any(r.split("|")[0].strip().endswith("ack") and "<-" in r for r in rows)


def test_a_refused_action_costs_a_minute_and_the_debrief_says_it_was_refused():
    session = play("memory-leak", ["ack"])
    rollback = next(c for c in session.choices() if c.id == "rollback")
    assert "(needs: deploys)" in rollback.label
    before = session.now
    session.choose("rollback")
    assert session.path[-1].verdict == "refused"
    assert session.now - before == 1
    line = next(d for d in debrief_drill(session).path if d.choice == "rollback")
    assert "refused: it needs a clue first (deploys)" in line.explanation
    assert "the leak is gone" not in line.explanation
    session.choose("deploys")
    assert "needs" not in next(c for c in session.choices() if c.id == "rollback").label


def test_pg_activity_after_a_restart_shows_the_requeued_query():
    session = play("db-runaway-query", ["ack", "pg-activity"])
    assert session.last is not None
    first = session.last.rows[0]
    for step in ["restart-db", "wait", "wait", "pg-activity"]:
        session.choose(step)
    again = session.last.rows[0]
    assert again[0] != first[0] and again[1] < first[1]
    session.choose("terminate-query")  # the message names no pid the student was not shown
    said = " ".join(m.text for m in session.last.messages)
    assert "terminated" in said and first[0] not in said


def test_scenario_texts_agree_with_their_numbers():
    disk = DrillSession(LIBRARY["disk-full-logs"], 0)
    assert "95 %" not in disk.incident.summary
    sev1 = play("sev1-comms", ["ack", "dashboard"])
    errors = dict(sev1.last.series)["error_rate"]
    assert [v for _, v in errors][:3] == [0.3, 90.3, 90.3]  # a step, as the debrief says
    leak = LIBRARY["memory-leak"]
    assert "sawtooth" not in leak.diagnostic("dashboard").explain
    tls = play("tls-cert-expiry", ["ack", "runbook"])
    shown = " ".join(m.text for m in tls.last.messages)
    assert f"api.{tls.variables['domain']}" in shown and "example.com:443" not in shown.replace(
        f"api.{tls.variables['domain']}", ""
    )
    upstream = play("upstream-outage", LIBRARY["upstream-outage"].best_paths[0].steps)
    card = score_drill(upstream)
    assert "the cause is fixed" not in next(i.why for i in card.items if i.name == "resolution")
    assert any("still down" in s.text for s in upstream.path if s.choice == "failover")
