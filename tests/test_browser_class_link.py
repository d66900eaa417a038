"""Two screens on one machine: the player in the Voilà app, the game master in another tab.

Voilà serves ``play.ipynb`` on 127.0.0.1 (a free port) with the class store in a temporary
folder. In headless Debian Chromium the player types a handle, starts a drill and presses
"Game master": the console starts the session server in the Voilà kernel on its own session
and shows the GM's link. A second tab opens that link, sees the player's move, injects an
event, and the injection appears in the Voilà app. The player then finishes the drill and the
app says where it was recorded; the store holds exactly one row. Screenshots of both tabs are
saved under pytest's temporary folder (and in ``$PAGER_LAB_SHOTS`` when set).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pager_lab.classroom import ResultsStore
from tests.test_browser import _need_chromium, browser  # noqa: F401
from tests.test_browser_drill import LIBRARY, _moves, _press, serve_voila
from tests.test_browser_game_master import _shot

pytestmark = pytest.mark.browser

INJECTED = "Your VP asks in the channel: when will checkout be back?"


@pytest.fixture(scope="module")
def voila_class(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """Voilà on play.ipynb, its results store a file in a temporary folder."""
    _need_chromium()
    root = tmp_path_factory.mktemp("voila-class")
    store = root / "class.db"
    with serve_voila(root, PAGER_LAB_CLASS_STORE=str(store)) as base:
        yield base, store


def test_a_gm_injection_appears_in_the_voila_app_and_the_drill_is_recorded(
    browser,  # noqa: F811
    voila_class: tuple[str, Path],
    tmp_path: Path,
) -> None:
    base, store = voila_class
    context = browser.new_context(viewport={"width": 1400, "height": 2200})
    player = context.new_page()
    player.goto(base)
    app = player.locator(".drill-app")
    app.wait_for(timeout=90_000)
    scenario = LIBRARY["db-runaway-query"]
    app.locator("select").select_option(label=f"{scenario.title} ({scenario.difficulty})")
    seed = app.locator("input[type=number]")
    seed.fill("2")
    seed.press("Enter")
    handle = app.locator("input[type=text]")
    handle.fill("ada")
    handle.press("Enter")
    app.locator("button.drill-start").click()
    console = app.locator(".drill-console")
    console.wait_for(timeout=30_000)
    console.locator("button.drill-gm-button").click()
    link = console.locator("a.drill-gm-link")
    link.wait_for(timeout=30_000)
    gm_url = link.get_attribute("href")
    assert gm_url is not None and gm_url.startswith("http://127.0.0.1:") and "/gm?token=" in gm_url
    moves = _moves("db-runaway-query", 2, scenario.best_paths[0].steps)
    _press(console, *moves[0])  # ack, in the Voilà app

    gm = context.new_page()
    gm.goto(gm_url)
    gm.locator("#actions").get_by_text("ack").wait_for(timeout=10_000)  # the app's move, live
    assert scenario.root_cause[:20] in gm.locator("#root-cause").inner_text()
    gm.locator("#inject-kind").select_option("eta")
    gm.locator("#inject-text").fill(INJECTED)
    gm.get_by_role("button", name="Inject").click()
    gm.locator("#fired").get_by_text(INJECTED).wait_for(timeout=10_000)

    shown = console.locator(".drill-transcript", has_text=INJECTED)
    shown.wait_for(timeout=15_000)  # the console polls the shared session: no reload
    console.locator(".drill-news", has_text=INJECTED).wait_for(timeout=5_000)  # above the buttons
    assert console.locator(".drill-transcript").inner_text().count(INJECTED) == 1
    _shot(player, tmp_path, "voila-player-after-injection.png")
    _shot(gm, tmp_path, "gm-beside-voila.png")

    for text, minute in moves[1:]:
        _press(console, text, minute)
    console.locator(".drill-scorecard").wait_for(timeout=15_000)
    recorded = console.locator(".drill-recorded")
    recorded.wait_for(timeout=15_000)
    assert f"recorded for ada in {store}: db-runaway-query (seed 2)" in recorded.inner_text()
    gm.locator("#score").get_by_text("Score:").wait_for(timeout=10_000)  # the GM sees the end
    gm.wait_for_timeout(2_500)  # more polls of both pages: still one row
    _shot(player, tmp_path, "voila-player-finished.png")
    _shot(gm, tmp_path, "gm-finished.png")
    with ResultsStore(store) as results:
        (row,) = results.result_rows()
    assert (row["handle"], row["scenario"], row["seed"]) == ("ada", "db-runaway-query", 2)
    context.close()
