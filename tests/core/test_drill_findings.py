"""A newcomer's findings in the drill engine: numbers, score, post-mortem, debrief, texts."""

from __future__ import annotations

import pytest

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
