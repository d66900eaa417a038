"""The drill console linked to the classroom: a game master's server on the console's own
session (real server, 127.0.0.1, free port, stopped), and the finished drill recorded once."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pager_lab.classroom import ResultsStore
from pager_lab.classroom.recorder import DrillRecorder
from pager_lab.core.drill_scenario import load_drill_library
from pager_lab.core.drill_session import DrillSession
from pager_lab.course.widgets import DrillApp, DrillConsole
from tests.classroom.client import call
from tests.helpers import DATA

LIBRARY = load_drill_library(DATA / "drills")
SCENARIO = LIBRARY["db-runaway-query"]
BEST = SCENARIO.best_paths[0].steps
UNREACHABLE = "postgresql://ta:s3cretpw@127.0.0.1:1/class"


class Timers:
    """The kernel's call_later, run by hand: tests decide when a poll happens."""

    def __init__(self) -> None:
        self.due: list[tuple[float, Callable[[], None]]] = []

    def __call__(self, seconds: float, callback: Callable[[], None]) -> Any:
        self.due.append((seconds, callback))
        return None

    def run(self) -> None:
        due, self.due = self.due, []
        for _seconds, callback in due:
            callback()


def linked(seed: int = 2, **kwargs: Any) -> tuple[DrillConsole, Timers, str, str, str]:
    timers = Timers()
    c = DrillConsole(DrillSession(SCENARIO, seed), plot=False, schedule=timers, **kwargs)
    link = c.open_game_master()
    server = link.server
    return c, timers, f"http://127.0.0.1:{server.port}", server.tokens.player, server.tokens.gm


def test_a_game_master_injection_appears_in_the_console():
    c, timers, base, _player, gm = linked()
    try:
        assert c.link is not None and c.link.server.host == "127.0.0.1"
        assert "drill-gm-link" in c.gm_links.value and c.gm_button.disabled
        c.click("ack")
        status, state = call(base, "/api/gm/state", gm)
        assert status == 200 and state["actions"][0].startswith("+1 min  ack (ack)")
        status, _ = call(base, "/api/gm/inject", gm, {"kind": "eta", "text": "ETA now?"})
        assert status == 200
        assert "ETA now?" not in c.transcript.value  # not before the console looks
        timers.run()
        assert "ETA now?" in c.transcript.value and "ETA now?" in c.notice.value
        assert c.transcript.value.count("ETA now?") == 1
        timers.run()  # a second look shows nothing twice
        assert c.transcript.value.count("ETA now?") == 1
        assert len(c.session.injected) == 1
    finally:
        c.close()
    assert c.link is None


def test_a_move_on_the_player_page_makes_the_console_buttons_current():
    c, timers, base, player, _gm = linked()
    try:
        stale = c.moment()
        status, _ = call(base, "/api/player/answer", player, {"name": "ack", "prompt": 1})
        assert status == 200
        timers.run()
        assert c.moment() != stale and "runbook" in [b.choice for b in c.buttons()]
        for line in DrillSession(SCENARIO, 2).choose("ack"):  # what the page's ack said
            assert html.escape(line.text) in c.transcript.value
        c.click("runbook")  # the console plays on from where the page left it
        assert [s.choice for s in c.session.path] == ["ack", "runbook"]
        # and a click drawn before the page's move is refused, never applied
        status, _ = call(base, "/api/player/answer", player, {"name": "dashboard", "prompt": 3})
        assert status == 200
        c.buttons()[0].click()
        assert "earlier moment" in c.notice.value
        assert [s.choice for s in c.session.path] == ["ack", "runbook", "dashboard"]
    finally:
        c.close()


def test_closing_the_console_stops_the_server():
    c, _timers, base, _player, _gm = linked()
    port = c.link.server.port if c.link else 0
    c.close()
    import socket

    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        reachable = True
    except OSError:
        reachable = False
    assert not reachable, base


def test_the_gm_link_is_never_in_the_console_before_it_is_asked_for():
    c = DrillConsole(DrillSession(SCENARIO, 2), plot=False)
    try:
        assert c.link is None and c.gm_links.value == "" and "token" not in repr(c)
    finally:
        c.close()


def test_a_finished_drill_is_recorded_once_with_a_line_that_says_where(tmp_path):
    store = tmp_path / "class.db"
    recorder = DrillRecorder("ada", store)
    c = DrillConsole(DrillSession(SCENARIO, 2), plot=False, recorder=recorder)
    for choice in BEST:
        c.click(choice)
    assert f"recorded for ada in {store}: db-runaway-query (seed 2), score 100" in (
        c.recorded.value
    )
    assert c.gm_button.layout.display == "none"  # no game master for a finished drill
    c._show([])  # a re-render of the finished drill
    assert "already" not in c.recorded.value
    with ResultsStore(store) as s:
        assert s.count()[0] == 1
    c.close()
    again = DrillConsole(c.session, plot=False, recorder=DrillRecorder("ada", store))
    assert "already recorded for ada" in again.recorded.value  # a second console: the key
    with ResultsStore(store) as s:
        assert s.count()[0] == 1
    again.close()


def test_a_store_that_fails_is_one_line_and_the_drill_can_be_saved_for_later(tmp_path):
    c = DrillConsole(
        DrillSession(SCENARIO, 2), plot=False, recorder=DrillRecorder("ada", UNREACHABLE)
    )
    for choice in BEST:
        c.click(choice)
    assert "NOT recorded for ada: cannot reach the results store" in c.recorded.value
    assert "pager-lab class submit FILE --handle ada" in c.recorded.value
    assert "s3cretpw" not in c.recorded.value and "Traceback" not in c.recorded.value
    assert c.save_later.layout.display is None
    saved = c.save_for_later(tmp_path)
    assert saved == tmp_path / "drill-ada-db-runaway-query-seed2.json"
    assert json.loads(Path(saved).read_text())["save"]["seed"] == 2
    assert "pager-lab class submit" in c.recorded.value and c.save_later.layout.display == "none"
    c.close()


def test_the_app_records_for_the_handle_typed_and_refuses_a_bad_one(tmp_path):
    store = tmp_path / "class.db"
    app = DrillApp(LIBRARY, scenario="db-runaway-query", seed=2, store=store)
    app.handle.value = "ada lovelace"
    assert app.play() is None and app.console is None
    assert "Handle: handle = 'ada lovelace': expected" in html.unescape(app.about.value)
    app.handle.value = "ada"
    console = app.play()
    assert console is not None
    console.plot = False
    for choice in BEST:
        console.click(choice)
    assert f"recorded for ada in {store}" in console.recorded.value
    with ResultsStore(store) as s:
        assert s.count()[0] == 1
    app.handle.value = ""
    unrecorded = app.play()
    assert unrecorded is not None and unrecorded.recorder is None
    app.close()


def test_no_committed_notebook_carries_a_session_token():
    """The GM's link lives in a widget at run time; a notebook saved with widget state (or a
    printed URL) would carry the token into git."""
    root = Path(__file__).resolve().parents[2]
    notebooks = [*root.glob("notebooks/*.ipynb"), root / "pager_lab" / "course" / "play.ipynb"]
    assert len(notebooks) > 10
    for notebook in notebooks:
        text = notebook.read_text("utf-8")
        assert "?token=" not in text and "drill-gm-link" not in text, notebook.name


def test_the_links_show_the_tokens_only_in_the_widget():
    c, _timers, _base, player, gm = linked()
    try:
        assert gm in c.gm_links.value and player in c.gm_links.value
        for shown in (repr(c), repr(c.link), repr(c.recorder)):
            assert gm not in shown and player not in shown
    finally:
        c.close()
