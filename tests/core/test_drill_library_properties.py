"""Hypothesis plays random moves on every bundled scenario: the engine never raises and the
incident's invariants hold after every move."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pager_lab.core.drill_scenario import load_drill_library
from pager_lab.core.drill_score import WEIGHTS, score_drill
from pager_lab.core.drill_session import DrillSession
from pager_lab.core.incident import IncidentState
from tests.helpers import DATA

LIBRARY = load_drill_library(DATA / "drills")

# A move: ("choose", index into the choices now), ("tick", minutes), ("inject", index), or a
# game master's own event that starts or fixes a fault ("start"/"fix", index)
moves = st.lists(
    st.one_of(
        st.tuples(st.just("choose"), st.integers(0, 40)),
        st.tuples(st.just("tick"), st.floats(0, 7, allow_nan=False)),
        st.tuples(st.just("inject"), st.integers(0, 5)),
        st.tuples(st.just("start"), st.integers(0, 5)),
        st.tuples(st.just("fix"), st.integers(0, 5)),
    ),
    max_size=30,
)


def check_invariants(session: DrillSession, before: tuple[float, float]) -> None:
    now, burned = before
    assert session.now >= now and session.state.burned >= burned - 1e-12
    for signal in session.scenario.signals:
        assert signal.low <= session.signals()[signal.name] <= signal.high
    times = [s.at for s in session.path]
    assert times == sorted(times)
    minutes = [m for m, _ in session.history()]
    assert minutes == sorted(set(minutes))
    if session.finished:
        assert session.choices() == [] and session.prompt_text() == ""
    resolved = session.incident.state is IncidentState.RESOLVED
    assert resolved == (session.outcome in ("resolved", "resolved too early"))
    if session.outcome == "resolved":
        assert session.state.fixed
    if session.mitigated_at is not None:
        assert session.state.healthy and session.mitigated_at <= session.now
    assert session.acked == (session.incident.acknowledged_at is not None)


@pytest.mark.parametrize("name", sorted(LIBRARY))
@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), plan=moves)
def test_random_play_never_raises_and_keeps_the_invariants(name: str, seed: int, plan):
    scenario = LIBRARY[name]
    session = DrillSession(scenario, seed)
    for verb, arg in plan:
        before = (session.now, session.state.burned)
        if verb == "choose" and not session.finished:
            choices = session.choices()
            session.choose(choices[arg % len(choices)].id)
        elif verb == "tick":
            session.tick(arg)
        elif verb == "inject" and scenario.injections and not session.finished:
            session.inject(scenario.injections[arg % len(scenario.injections)].id)
        elif verb in ("start", "fix") and not session.finished:
            fault = (scenario.faults[arg % len(scenario.faults)].name,)
            which = {"starts": fault} if verb == "start" else {"fixes": fault}
            session.inject_event("note", f"the game master: {verb} {fault[0]}", **which)
        check_invariants(session, before)
    card = score_drill(session)
    assert 0 <= card.total <= 100 == sum(WEIGHTS.values())
    assert card.total == pytest.approx(sum(i.points for i in card.items), abs=0.11)
    assert all(0 <= i.points <= i.max_points for i in card.items)
    restored = DrillSession.from_dict(session.to_dict(), scenario)
    assert restored.path == session.path and restored.state.burned == session.state.burned
