"""The drill engine without a terminal: prompts, answers, short forms, help, timeouts."""

from __future__ import annotations

import pytest

from pager_lab.core.drill import Drill, StaleAnswer
from pager_lab.core.errors import InvalidAnswer
from pager_lab.core.escalation import EscalationLevel, EscalationPolicy


def play(drill: Drill, *answers: str) -> list[str]:
    lines = [m.text for m in drill.opening]
    for answer in answers:
        lines += [m.text for m in drill.answer(answer)]
    return lines


def test_scenario_a_ack_and_restart():
    drill = Drill()
    lines = play(drill, "ack", "", "", "restart")
    assert lines[:3] == [
        "🚨 ALERT: Database Connection Failed",
        "📟 Paging Alice...",
        "✅ Incident Acknowledged by Alice.",
    ]
    assert lines[-1] == "✅ Service Restarted. Incident Resolved."
    assert drill.finished and drill.outcome == "resolved"
    assert drill.incident.acknowledged_by == "Alice"
    assert drill.incident.severity.value == "SEV2"


def test_scenario_b_escalates_to_bob_after_the_timeout():
    drill = Drill()
    lines = play(drill, "IGNORE", "A", "3", "n", "R")
    assert "❌ Alice did not answer. Escalating..." in lines
    assert "📟 Paging Bob..." in lines
    assert drill.incident.acknowledged_by == "Bob"
    assert drill.incident.time_to_acknowledge == 5
    assert drill.incident.severity.value == "SEV3"


def test_everybody_ignoring_is_a_major_outage():
    drill = Drill()
    lines = play(drill, "i", "i", "i")
    assert lines[-1] == "💀 Major Outage! No one answered."
    assert drill.finished and drill.outcome == "no one answered"
    assert drill.incident.is_no_one_answered
    assert drill.incident.timeline[-1].at == 15


def test_a_typo_is_refused_with_the_allowed_answers_and_changes_nothing():
    drill = Drill()
    with pytest.raises(InvalidAnswer, match="'akc' is not an answer here: type one of"):
        drill.answer("akc")
    assert drill.paged == "Alice" and len(drill.incident.timeline) == 2


def test_a_first_letter_shared_by_several_answers_is_asked_again():
    drill = Drill()
    drill.answer("ack")
    asked = drill.prompt
    with pytest.raises(InvalidAnswer, match="'s' is not an answer here"):
        drill.answer("s")  # sev1? sev4? it once silently meant SEV4
    assert drill.prompt is asked
    play(drill, "sev3", "no", "restart")
    assert drill.incident.severity is not None and drill.incident.severity.value == "SEV3"
    play(Drill(), "a", "", "n", "r")  # unambiguous first letters still work


def test_ignore_action_leaves_the_incident_active():
    drill = Drill()
    lines = play(drill, "a", "", "", "ignore")
    assert lines[-1] == "⚠️  Incident still active."
    assert drill.outcome == "still active"
    assert drill.incident.state.value == "triaged"
    with pytest.raises(InvalidAnswer):
        drill.answer("restart")


def test_help_pages_the_next_level_as_an_additional_responder():
    drill = Drill()
    lines = play(drill, "a", "1", "yes", "r")
    assert "📟 Paging Bob to help..." in lines
    assert drill.incident.pages_sent == 2
    assert drill.incident.acknowledged_by == "Alice"


def test_two_people_on_one_level_are_asked_in_turn_before_escalating():
    policy = EscalationPolicy(
        "pair", (EscalationLevel(("Alice", "Dan")), EscalationLevel(("Bob",)))
    )
    drill = Drill(policy)
    lines = play(drill, "i")
    assert lines[-1] == "❌ Alice did not answer." and drill.paged == "Dan"
    lines = play(drill, "i")
    assert "❌ Dan did not answer. Escalating..." in lines and drill.paged == "Bob"


def test_timer_timeout_escalates_like_an_ignore():
    drill = Drill()
    drill.time_out()
    assert drill.paged == "Bob"
    assert drill.incident.timeline[-1].at == 5


def test_step_minutes_give_simulated_durations():
    drill = Drill(step_minutes=1.0)
    play(drill, "i", "a", "", "", "r")
    assert drill.incident.time_to_acknowledge == 6
    assert drill.incident.time_to_resolve == 9


def test_every_prompt_has_its_own_number():
    drill = Drill()
    numbers = [drill.prompt.number]
    for answer in ("i", "a", "", ""):
        drill.answer(answer)
        numbers.append(drill.prompt.number)
    assert numbers == [1, 2, 3, 4, 5]


def paged_people(drill: Drill) -> list[str]:
    return [e.detail["responder"] for e in drill.incident.timeline if e.kind.value == "paged"]


def snapshot(drill: Drill) -> tuple:
    return (drill.prompt, drill.paged, drill.clock.now(), list(drill.incident.timeline))


@pytest.mark.parametrize("given_as", ["prompt", "number"])
def test_an_answer_for_a_question_already_answered_is_refused_and_changes_nothing(given_as):
    drill = Drill(step_minutes=1.0)
    alice = drill.prompt if given_as == "prompt" else drill.prompt.number
    drill.answer("ignore", alice)
    assert drill.paged == "Bob"
    before = snapshot(drill)
    with pytest.raises(StaleAnswer, match=r"'ignore' was not applied: .* moved on to question 2"):
        drill.answer("ignore", alice)  # the second click of a double-click on Alice's Ignore
    assert snapshot(drill) == before
    assert drill.paged == "Bob" and drill.incident.highest_level == 2
    assert paged_people(drill) == ["Alice", "Bob"]


def test_a_stale_timeout_does_not_escalate_the_next_page():
    drill = Drill()
    alice = drill.prompt
    drill.answer("ignore", alice)
    before = snapshot(drill)
    with pytest.raises(StaleAnswer):
        drill.time_out(alice)  # Alice's timer fired after her page was answered
    assert snapshot(drill) == before and drill.paged == "Bob"
    drill.time_out(drill.prompt)
    assert drill.paged == "Charlie"


def test_a_prompt_of_another_drill_is_refused():
    first, second = Drill(), Drill()
    with pytest.raises(StaleAnswer, match="Are you Alice"):
        second.answer("ack", first.prompt)
    assert second.incident.acknowledged_by is None


def test_answers_after_the_end_are_refused_with_the_outcome():
    drill = Drill()
    play(drill, "a", "", "")
    last = drill.prompt
    drill.answer("restart", last)
    before = snapshot(drill)
    with pytest.raises(StaleAnswer, match=r"'restart' was not applied: the drill has finished"):
        drill.answer("restart", last)
    with pytest.raises(StaleAnswer, match=r"finished \(resolved\)"):
        drill.answer("restart")
    assert snapshot(drill) == before and drill.outcome == "resolved"


def test_the_current_prompt_or_its_number_is_accepted():
    drill = Drill()
    drill.answer("ack", drill.prompt)
    drill.answer("sev3", drill.prompt.number)
    assert drill.prompt.key == "help"


def test_a_page_held_back_by_a_router_counts_in_the_time_to_acknowledge():
    from pager_lab.core.clock import ManualClock

    drill = Drill(clock=ManualClock(), step_minutes=1.0, paged_after=0.5)
    assert [e.at for e in drill.incident.timeline[:2]] == [0.0, 0.5]  # fired, then paged
    drill.answer("ack")
    assert drill.incident.time_to_acknowledge == 1.5


@pytest.mark.parametrize("clock_kind", ["wall", "negative"])
def test_a_held_back_page_needs_a_clock_that_can_move_and_a_positive_wait(clock_kind):
    from pager_lab.core.clock import DEFAULT_START, ManualClock

    class WallLike:  # a clock that reads time and cannot be moved, as a wall clock
        start = DEFAULT_START

        def now(self) -> float:
            return 0.0

    clock = WallLike() if clock_kind == "wall" else ManualClock()
    wait = 0.5 if clock_kind == "wall" else -1.0
    with pytest.raises(ValueError, match=r"paged_after \((0.5|-1)\) must be >= 0 minutes"):
        Drill(clock=clock, paged_after=wait)  # type: ignore[arg-type]
