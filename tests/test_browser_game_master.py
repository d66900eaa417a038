"""Two real pages on one game-master session: the GM injects, the player's page shows it.

The session server runs in this process on 127.0.0.1 (a free port); headless Debian
Chromium opens the player's page and the GM's page with their own tokens, as two tabs
of one classroom machine would. Screenshots are saved under pytest's temporary folder.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pager_lab.classroom.game_master import open_game_master
from pager_lab.classroom.session_server import SessionServer
from tests.helpers import DATA

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
SHOTS = Path(os.environ.get("PAGER_LAB_SHOTS", "")) if os.environ.get("PAGER_LAB_SHOTS") else None
"""Set PAGER_LAB_SHOTS=folder to keep the screenshots somewhere you can look at them."""


def _need_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but Debian chromium is missing: .ci/run must apt-get install it")
    pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")


@pytest.fixture(scope="module")
def browser():
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def server() -> Iterator[SessionServer]:
    with open_game_master("db-runaway-query", seed=3, pace=0.5, data=DATA) as gm:
        yield gm


def _shot(page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / name), full_page=True)
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=True)


def test_a_gm_injection_appears_on_the_players_page(browser, server, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    player, gm = context.new_page(), context.new_page()
    player.goto(server.player_url)
    gm.goto(server.gm_url)
    player.get_by_role("button", name="Acknowledge the page").click()
    player.locator("#messages").get_by_text("Acknowledged by").wait_for(timeout=10_000)
    # the GM sees the hidden root cause and the player's first move, live
    gm.locator("#actions").get_by_text("ack").wait_for(timeout=10_000)
    assert server.session.session.scenario.root_cause[:20] in gm.locator("#root-cause").inner_text()
    assert "root cause" not in player.content().lower()
    gm.locator("#inject-kind").select_option("eta")
    gm.locator("#inject-text").fill("Your VP asks: when will checkout be back?")
    gm.get_by_role("button", name="Inject").click()
    shown = player.locator("#messages li.inject", has_text="when will checkout be back?")
    shown.wait_for(timeout=10_000)  # the player's page polls: no reload
    gm.locator("#fired").get_by_text("when will checkout be back?").wait_for(timeout=10_000)
    assert shown.count() == 1
    # a double click on the player's page is one move (the page sends once; the server
    # would refuse a second request for the same prompt anyway)
    player.get_by_role("button", name="Open the database dashboard").dblclick()
    gm.locator("#actions").get_by_text("dashboard (clue)").wait_for(timeout=10_000)
    player.wait_for_timeout(1_500)  # let a stray second request arrive, if one was sent
    assert [s.choice for s in server.session.session.path] == ["ack", "dashboard"]
    gm.wait_for_timeout(1_200)  # one more poll, so the screenshot shows the last move
    _shot(gm, tmp_path, "gm-console.png")
    _shot(player, tmp_path, "player-page.png")
    context.close()


def test_pause_and_resume_from_the_gm_page(browser, server, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    page.goto(server.gm_url)
    page.get_by_text("PAUSED").wait_for(timeout=10_000)  # a paced drill waits for the GM
    page.get_by_role("button", name="Resume").click()
    page.get_by_text("running").wait_for(timeout=10_000)
    page.wait_for_function(
        "() => parseFloat(document.querySelector('#clock').textContent.slice(1)) >= 2",
        timeout=10_000,
    )
    page.get_by_role("button", name="Pause").click()
    page.get_by_text("PAUSED").wait_for(timeout=10_000)
    _shot(page, tmp_path, "gm-paused.png")
    page.close()


def test_an_event_of_the_gms_own_that_fixes_the_fault_calms_the_players_signals(
    browser, server, tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    player, gm = context.new_page(), context.new_page()
    player.goto(server.player_url)
    gm.goto(server.gm_url)
    player.get_by_role("button", name="Acknowledge the page").click()
    player.get_by_role("button", name="Wait and watch the signals").click()
    cpu = player.locator("#signals tr", has_text="DB CPU")
    cpu.get_by_text("⚠").wait_for(timeout=10_000)  # the runaway query pins the CPU
    gm.locator("#inject-kind").select_option("recovery")
    gm.locator("#inject-text").fill("The analytics team killed their report.")
    gm.locator("#inject-effect").select_option("fixes")
    gm.locator("#inject-fault").select_option("runaway_query")
    gm.get_by_role("button", name="Inject").click()
    gm.locator("#faults tr", has_text="runaway_query").get_by_text("fixed").wait_for(timeout=10_000)
    player.locator("#messages li.inject", has_text="killed their report").wait_for(timeout=10_000)
    player.get_by_role("button", name="Wait and watch the signals").click()
    cpu.get_by_text("35 %").wait_for(timeout=10_000)
    _shot(player, tmp_path, "player-after-recovery.png")
    context.close()


def test_a_page_without_its_token_shows_nothing_of_the_session(browser, server) -> None:
    page = browser.new_page()
    answer = page.goto(server.gm_url.replace(server.tokens.gm, server.tokens.player))
    assert answer is not None and answer.status == 403
    assert server.session.session.scenario.root_cause[:20] not in page.content()
    page.close()


def test_a_finished_drill_shows_the_score_and_the_debrief(browser, server, tmp_path) -> None:
    steps = server.session.session.scenario.best_paths[0].steps
    for number, step in enumerate(steps, start=1):  # the player's moves, as the page posts them
        server.post("/api/player/answer", {"text": step, "prompt": number})
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    player, gm = context.new_page(), context.new_page()
    player.goto(server.player_url)
    gm.goto(server.gm_url)
    player.locator("#score").get_by_text("Score: 100/100 (resolved)").wait_for(timeout=10_000)
    player.locator("#debrief").get_by_text("Side by side (yours | best):").wait_for(timeout=10_000)
    gm.locator("#score").get_by_text("Score: 100/100 (resolved)").wait_for(timeout=10_000)
    assert player.locator("#moves button").count() == 0
    assert "The drill has finished." in player.locator("#prompt").inner_text()
    _shot(player, tmp_path, "player-finished.png")
    context.close()
