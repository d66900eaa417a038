"""The session server alone (a fake session): tokens, locking, pace, binding, stopping."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from pager_lab.classroom.access import Role, SessionTokens, token_from
from pager_lab.classroom.session_server import LOOPBACK, SessionServer, bind_warning
from tests.classroom.client import call
from tests.classroom.fake_session import FakeGame

ENDPOINTS = [  # (path, body or None for GET, who it is for)
    ("/player", None, Role.PLAYER),
    ("/gm", None, Role.GM),
    ("/api/player/state", None, Role.PLAYER),
    ("/api/player/answer", {"text": "ack", "prompt": 1}, Role.PLAYER),
    ("/api/player/diagnose", {"name": "logs"}, Role.PLAYER),
    ("/api/player/act", {"name": "restart"}, Role.PLAYER),
    ("/api/player/communicate", {"name": "status-update"}, Role.PLAYER),
    ("/api/gm/state", None, Role.GM),
    ("/api/gm/inject", {"text": "the manager asks for an ETA"}, Role.GM),
    ("/api/gm/pause", {}, Role.GM),
    ("/api/gm/resume", {}, Role.GM),
]


@pytest.fixture
def served() -> Iterator[tuple[SessionServer, FakeGame, str]]:
    game = FakeGame()
    with SessionServer(game, pace=600.0, name="fake") as server:
        yield server, game, f"http://127.0.0.1:{server.port}"


@pytest.mark.parametrize(("path", "body", "role"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_every_endpoint_needs_its_token(served, path, body, role) -> None:
    server, game, base = served
    assert call(base, path, None, body)[0] == 401
    assert call(base, path, "not-the-token", body)[0] == 403
    assert call(base, path, server.tokens.player + "x", body)[0] == 403
    assert call(base, path, "", body)[0] == 401
    assert call(base, path, "é" * 43, body)[0] == 403  # not ASCII: a mismatch, not a crash
    if role is Role.GM:  # the player's URL does not open the game master's view
        assert call(base, path, server.tokens.player, body)[0] == 403
    assert game.applied == [] and game.messages == ["ALERT: fake"], "a refused call changed it"
    right = server.tokens.gm if role is Role.GM else server.tokens.player
    status, answer = call(base, path, right, body)
    assert status == 200, answer
    assert call(base, path, right, body, query_token=True)[0] in (200, 409)  # ?token= too


def test_the_gm_token_opens_the_players_endpoints_too(served) -> None:
    server, _, base = served
    assert call(base, "/api/player/state", server.tokens.gm)[0] == 200


def test_the_pages_are_html_that_polls_the_json(served) -> None:
    server, _, base = served
    status, page = call(base, "/player", server.tokens.player, query_token=True)
    assert status == 200 and "/api/player/state" in page and "/api/gm" not in page
    status, page = call(base, "/gm", server.tokens.gm, query_token=True)
    assert status == 200 and "/api/gm/state" in page and "/api/gm/inject" in page
    for served_page in (page, call(base, "/player", server.tokens.player, query_token=True)[1]):
        # the shared script is written in once; the placeholder never reaches the browser
        assert (
            served_page.count("async function api(") == 1 and "/* common.js */" not in served_page
        )


def test_an_unknown_path_is_404_only_for_the_game_master(served) -> None:
    server, _, base = served
    assert call(base, "/api/nothing", None)[0] == 401
    assert call(base, "/api/nothing", server.tokens.player)[0] == 403
    assert call(base, "/api/nothing", server.tokens.gm)[0] == 404
    assert call(base, "/api/player/fly", server.tokens.player, {})[0] == 404


def test_bad_bodies_get_a_status_and_a_sentence(served) -> None:
    server, game, base = served
    import urllib.request

    def raw(data: bytes) -> int:
        request = urllib.request.Request(
            f"{base}/api/player/answer",
            data=data,
            headers={"Authorization": f"Bearer {server.tokens.player}"},
        )
        try:
            return urllib.request.urlopen(request, timeout=5).status
        except urllib.error.HTTPError as exc:
            assert "error" in exc.read().decode()
            return exc.code

    assert raw(b"{not json") == 400
    assert raw(b"[1, 2]") == 400
    assert raw(b"\xff\xfe") == 400
    assert raw(b" " * 70_000) == 413
    status, answer = call(base, "/api/player/answer", server.tokens.player, {"text": "maybe"})
    assert status == 409 and "question 1" in answer["error"]  # no prompt number: not current
    status, answer = call(
        base, "/api/player/answer", server.tokens.player, {"text": "maybe", "prompt": 1}
    )
    assert status == 400 and "maybe" in answer["error"]
    assert game.applied == []


def test_a_double_click_is_applied_once(served) -> None:
    server, game, base = served
    barrier = threading.Barrier(12)
    statuses: list[int] = []

    def click() -> None:
        barrier.wait()
        statuses.append(
            call(base, "/api/player/answer", server.tokens.player, {"text": "ack", "prompt": 1})[0]
        )

    threads = [threading.Thread(target=click) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200] + [409] * 11
    assert game.applied == ["answer:ack"] and game.prompt == 2


def test_the_token_is_in_no_repr_and_no_log(served, capfd) -> None:
    server, _, base = served
    call(base, "/player", server.tokens.player, query_token=True)
    call(base, "/api/gm/state", "wrong")
    out, err = capfd.readouterr()
    for token in (server.tokens.gm, server.tokens.player):
        assert token not in repr(server) + repr(server.tokens) + out + err
    assert repr(server).startswith("SessionServer('fake', 127.0.0.1:")


def test_it_binds_loopback_on_a_free_port_and_stops() -> None:
    server = SessionServer(FakeGame())
    with server:
        assert server.host == LOOPBACK and server.port > 0
        assert server.player_url.startswith(f"http://127.0.0.1:{server.port}/player?token=")
        assert server.tokens.player in server.player_url and server.tokens.gm in server.gm_url
        with socket.create_connection((LOOPBACK, server.port), timeout=2):
            pass
    with pytest.raises(OSError):
        socket.create_connection((LOOPBACK, server.port), timeout=2).close()
    assert not [t for t in threading.enumerate() if t.name == f"pager-lab gm :{server.port}"]


def _until(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_pause_and_resume_the_real_time_pace() -> None:
    game, pace = FakeGame(), 0.05  # 20 simulated minutes per real second
    with SessionServer(game, pace=pace, paused=False) as server:
        base, gm = f"http://127.0.0.1:{server.port}", server.tokens.gm
        assert _until(lambda: game.minutes > 2), "the pace did not tick"
        status, state = call(base, "/api/gm/pause", gm, {})
        assert status == 200 and state["paused"] is True
        paused_at = game.minutes
        time.sleep(0.5)  # 10 simulated minutes, had it not been paused
        assert game.minutes == paused_at, "the clock moved while paused"
        assert call(base, "/api/gm/state", gm)[1]["paused"] is True
        resumed = time.monotonic()
        assert call(base, "/api/gm/resume", gm, {})[1]["paused"] is False
        assert _until(lambda: game.minutes > paused_at + 2), "the pace did not tick again"
        ran = game.minutes - paused_at
        allowed = (time.monotonic() - resumed) / pace + 0.5
    assert ran <= allowed, f"{ran:.1f} min ticked in {allowed:.1f}: the paused time was ticked"


def test_a_session_without_pace_cannot_be_paused() -> None:
    with SessionServer(FakeGame()) as server:
        status, answer = call(
            f"http://127.0.0.1:{server.port}", "/api/gm/pause", server.tokens.gm, {}
        )
    assert status == 409 and "no real-time pace" in answer["error"]


def test_another_interface_is_warned_about() -> None:
    assert bind_warning("127.0.0.1", 8000) is None
    warning = bind_warning("0.0.0.0", 8000)
    assert warning and warning.startswith("WARNING") and "0.0.0.0:8000" in warning


def test_tokens_rules_without_a_server() -> None:
    tokens = SessionTokens()
    assert tokens.status(None, Role.PLAYER) == 401
    assert tokens.status(tokens.player, Role.PLAYER) == 200
    assert tokens.status(tokens.player, Role.GM) == 403
    assert tokens.status(tokens.gm, Role.GM) == 200
    with pytest.raises(ValueError, match="same"):
        SessionTokens("a" * 20, "a" * 20)
    with pytest.raises(ValueError, match="3 characters"):
        SessionTokens("abc", "b" * 20)
    assert token_from("Bearer abc", "") == "abc"
    assert token_from(None, "token=xyz&x=1") == "xyz"
    assert token_from("Basic Zm9v", "") is None


def test_a_paced_session_waits_for_the_game_master_to_resume() -> None:
    game = FakeGame()
    with SessionServer(game, pace=0.05) as server:
        time.sleep(0.3)
        state = call(f"http://127.0.0.1:{server.port}", "/api/gm/state", server.tokens.gm)[1]
    assert state["paused"] is True and game.minutes == 0.0 and game.ticks == []


def test_a_session_that_cannot_tick_stops_the_pace_and_says_why() -> None:
    game = FakeGame()

    def broken(minutes: float) -> None:
        raise ValueError("no ticking today")

    game.tick = broken  # type: ignore[method-assign]
    with SessionServer(game, pace=0.05, paused=False) as server:
        time.sleep(0.3)
        state = call(f"http://127.0.0.1:{server.port}", "/api/gm/state", server.tokens.gm)[1]
    assert state["failure"] == "the pace stopped: ValueError: no ticking today"


def test_open_in_browser_opens_the_roles_page_without_printing_it(monkeypatch, capsys) -> None:
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open_new_tab", lambda url: opened.append(url) or True)
    with SessionServer(FakeGame()) as server:
        assert server.open_in_browser("player") and server.open_in_browser()
        assert opened == [server.player_url, server.gm_url]
    assert capsys.readouterr() == ("", "")


def test_the_wrong_method_is_405_and_changes_nothing(served) -> None:
    server, game, base = served
    assert call(base, "/api/gm/inject", server.tokens.gm)[0] == 405  # a GET
    assert call(base, "/api/player/answer", server.tokens.player)[0] == 405
    assert call(base, "/api/gm/state", server.tokens.gm, {})[0] == 405  # a POST
    assert call(base, "/player", server.tokens.player, {})[0] == 405
    assert game.applied == [] and game.messages == ["ALERT: fake"]


def test_a_failing_session_is_a_500_a_console_line_and_the_server_goes_on(served, capfd) -> None:
    server, game, base = served

    def broken() -> dict:
        raise KeyError("oops")

    game.player_state = broken  # type: ignore[method-assign]
    status, answer = call(base, "/api/player/state", server.tokens.player)
    assert status == 500 and answer == {"error": "the session failed: KeyError"}
    assert call(base, "/api/gm/pause", server.tokens.gm, {})[0] == 200
    err = capfd.readouterr().err
    assert "pager-lab gm: a request failed: KeyError('oops')" in err
    assert server.tokens.player not in err
