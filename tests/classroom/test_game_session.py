"""The game over a real drill session: GM injections change what the player sees; moves
carry their prompt number; the player's view never holds the hidden parts."""

from __future__ import annotations

import json
import threading

import pytest

from pager_lab.classroom.game_session import OWN_EVENTS, DrillGame, MoveError
from pager_lab.classroom.session_server import SessionServer
from pager_lab.core import DrillSession, load_drill_library
from pager_lab.core.drill import StaleAnswer
from pager_lab.core.errors import ConfigError, InvalidAnswer
from tests.classroom.client import call
from tests.helpers import DATA

LIBRARY = load_drill_library(DATA / "drills")


def _game(name: str = "db-runaway-query", seed: int = 3) -> DrillGame:
    return DrillGame(DrillSession(LIBRARY[name], seed))


def _texts(state: dict) -> list[str]:
    return [m["text"] for m in state["messages"]]


def _acked(game: DrillGame) -> DrillGame:
    game.play("answer", {"text": "ack", "prompt": 1})
    return game


def test_an_own_event_appears_in_the_players_lines() -> None:
    game = _acked(_game())
    before = game.player_state()
    game.inject({"kind": "eta", "text": "The VP asks: when is checkout back?"})
    after = game.player_state()
    new = [m for m in after["messages"] if m not in before["messages"]]
    assert [m["kind"] for m in new] == ["inject"]
    assert new[0]["text"].endswith("The VP asks: when is checkout back?")
    assert game.gm_state()["fired"] == ["+1 min  eta: The VP asks: when is checkout back?"]


def test_an_own_event_without_text_says_its_default_with_the_service() -> None:
    game = _acked(_game())
    game.inject({"kind": "customer"})
    service = LIBRARY["db-runaway-query"].service
    expected = OWN_EVENTS["customer"].replace("{service}", service)
    assert _texts(game.player_state())[-1].endswith(expected)


def test_a_recovery_that_fixes_the_fault_changes_the_players_signals() -> None:
    game = _acked(_game())
    cpu = lambda: next(s for s in game.player_state()["signals"] if s["name"] == "DB CPU")  # noqa: E731
    assert cpu()["alarm"] is False or cpu()["value"] != "35 %"
    game.tick(5)
    assert cpu()["alarm"] is True, "the runaway query should pin the CPU by now"
    game.inject(
        {"kind": "recovery", "text": "The report job was killed.", "fixes": ["runaway_query"]}
    )
    game.tick(1)
    assert cpu()["alarm"] is False and cpu()["value"] == "35 %"
    faults = {f["name"]: f["status"] for f in game.gm_state()["hidden"]["faults"]}
    assert faults["runaway_query"] == "fixed"


def test_a_scripted_injection_fired_early_shows_now_and_not_again_at_its_minute() -> None:
    game = _acked(_game())
    game.inject({"kind": "manager-eta"})
    eta = [t for t in _texts(game.player_state()) if "What is the ETA" in t]
    assert len(eta) == 1 and eta[0].startswith("💬 +1 min")
    game.tick(15)  # past its scripted minute 12
    assert len([t for t in _texts(game.player_state()) if "What is the ETA" in t]) == 1


def test_the_pace_fires_scripted_injections_into_the_players_lines() -> None:
    game = _acked(_game())
    game.tick(10.5)  # the ack took a minute: now +11.5
    assert not any("What is the ETA" in t for t in _texts(game.player_state()))
    game.tick(1)
    assert any("What is the ETA" in t for t in _texts(game.player_state()))


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"kind": "volcano"}, "kind 'volcano': expected one of the scenario's injections"),
        ({"kind": "manager-eta", "text": "mine"}, "has its own text and effects"),
        ({"kind": "note"}, "a 'note' needs its text"),
        ({"kind": "eta", "colour": "red"}, "unknown field(s) ['colour']"),
        ({"kind": ""}, "'kind' is '': expected non-empty text"),
        ({"kind": "eta", "text": 5}, "'text' is 5: expected text"),
    ],
)
def test_a_bad_injection_is_refused_and_changes_nothing(body, says) -> None:
    game = _acked(_game())
    before = json.dumps(game.gm_state())
    with pytest.raises(MoveError) as error:
        game.inject(body)
    assert says in str(error.value)
    assert json.dumps(game.gm_state()) == before


def test_an_unknown_fault_is_named() -> None:
    game = _acked(_game())
    with pytest.raises(ConfigError, match="'no_such_fault': expected one of runaway_query"):
        game.inject({"kind": "recovery", "fixes": ["no_such_fault"]})


def test_moves_carry_their_prompt_number() -> None:
    game = _game()
    assert game.player_state()["prompt"]["number"] == 1
    game.play("answer", {"text": "ack", "prompt": 1})
    with pytest.raises(StaleAnswer, match="answers prompt 1, but the drill is at prompt 2"):
        game.play("answer", {"text": "ack", "prompt": 1})
    with pytest.raises(StaleAnswer, match="names no prompt"):
        game.play("diagnose", {"name": "logs"})  # no number: never applied blindly
    game.play("diagnose", {"name": "dashboard", "prompt": 2})
    assert [s.choice for s in game.session.path] == ["ack", "dashboard"]


def test_each_verb_makes_its_own_kind_of_move_only() -> None:
    game = _acked(_game())
    with pytest.raises(MoveError, match="'restart-db' is not something to diagnose now"):
        game.play("diagnose", {"name": "restart-db", "prompt": 2})
    with pytest.raises(MoveError, match="'logs' is not something to act now"):
        game.play("act", {"name": "logs", "prompt": 2})
    with pytest.raises(InvalidAnswer):
        game.play("answer", {"text": "reboot-the-world", "prompt": 2})
    game.play("communicate", {"name": "declare-sev2", "prompt": 2})
    game.play("act", {"name": "wait", "prompt": 3})
    assert [s.choice for s in game.session.path] == ["ack", "declare-sev2", "wait"]


def test_the_best_path_played_through_the_verbs_finishes_with_a_score() -> None:
    game = _game()
    verbs = {
        "diagnostic": "diagnose",
        "runbook": "diagnose",
        "action": "act",
        "comm": "communicate",
    }
    for number, step in enumerate(LIBRARY["db-runaway-query"].best_paths[0].steps, start=1):
        kind = next(c.kind for c in game.session.choices() if c.id == step)
        game.play(verbs.get(kind, "answer"), {"name": step, "prompt": number})
    state = game.player_state()
    assert state["finished"] and state["outcome"] == "resolved" and state["prompt"] is None
    assert state["score"][0] == "Score: 100/100 (resolved)", state["score"]
    assert state["debrief"][:2] == [
        f"Debrief — {LIBRARY['db-runaway-query'].title}",
        f"Lesson: {LIBRARY['db-runaway-query'].lesson}",
    ]
    with pytest.raises(StaleAnswer, match="finished"):
        game.play("answer", {"text": "resolve", "prompt": 9})


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_the_players_view_never_holds_the_hidden_parts(name: str) -> None:
    game = _game(name)
    scenario = LIBRARY[name]
    seen = json.dumps(game.player_state(), ensure_ascii=False)
    assert game.session.fill(scenario.root_cause) not in seen
    assert "hidden" not in seen and "best_path" not in seen
    assert scenario.title not in seen, "the title names the cause in some scenarios"
    hidden = game.gm_state()["hidden"]
    assert hidden["root_cause"] == game.session.fill(scenario.root_cause)
    assert hidden["best_path"][0].startswith(scenario.best_paths[0].steps[0])
    offered = [
        d for d in scenario.diagnostics if not d.red_herring or d.id in game.session.herrings
    ]
    assert len(hidden["clues"]) == len(offered) + len(scenario.actions)


def test_over_http_a_gm_injection_reaches_the_player_and_a_double_click_applies_once() -> None:
    game = _game()
    with SessionServer(game, name="db-runaway-query") as server:
        base, player, gm = f"http://127.0.0.1:{server.port}", server.tokens.player, server.tokens.gm
        barrier, statuses = threading.Barrier(8), []

        def click() -> None:
            barrier.wait()
            body = {"text": "ack", "prompt": 1}
            statuses.append(call(base, "/api/player/answer", player, body)[0])

        threads = [threading.Thread(target=click) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(statuses) == [200] + [409] * 7
        assert [s.choice for s in game.session.path] == ["ack"]
        status, _ = call(
            base, "/api/gm/inject", gm, {"kind": "no-answer", "text": "Dana is asleep."}
        )
        assert status == 200
        status, state = call(base, "/api/player/state", player)
        assert status == 200 and state["messages"][-1]["text"].endswith("Dana is asleep.")
        status, answer = call(base, "/api/gm/inject", gm, {"kind": "volcano"})
        assert status == 400 and "volcano" in answer["error"]
        status, answer = call(base, "/api/player/diagnose", player, {"name": "logs", "prompt": 1})
        assert status == 409 and "prompt 2" in answer["error"]


def test_moves_another_driver_made_on_the_session_join_the_transcript_once() -> None:
    game = _game()
    game.session.choose("ack")  # a notebook console playing the same session
    game.play("diagnose", {"name": "dashboard", "prompt": 2})
    game.session.choose("logs")
    texts = _texts(game.player_state())
    assert [t.split(":")[0] for t in texts if t.startswith(("ack:", "logs:"))] == ["ack", "logs"]
    assert sum("Open the database dashboard" in t for t in texts) == 1
    assert len(_texts(game.player_state())) == len(texts), "a second read added lines"
