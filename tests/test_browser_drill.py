"""The drill library in a real browser: the notebook console in JupyterLab, and the Voilà app.

Both play a scenario of the library (not the seed's drill) by clicking the rendered buttons
in headless Debian Chromium, check the status line's simulated minute after each click (the
engine replayed here says which minute it must be), and read the score card. The Voilà page
must show no Python. Screenshots are saved under pytest's temporary folder.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pager_lab.core.drill_scenario import load_drill_library
from pager_lab.core.drill_session import DrillSession
from tests.helpers import DATA, free_port
from tests.test_browser import _need_chromium, _open_and_run_all, browser, lab  # noqa: F401

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = load_drill_library(DATA / "drills")
PLAY = ROOT / "pager_lab" / "course" / "play.ipynb"


def _moves(name: str, seed: int, path: tuple[str, ...]) -> list[tuple[str, str]]:
    """Each step's button text and the status line's minute after it, from the engine."""
    session, out = DrillSession(LIBRARY[name], seed), []
    for choice in path:
        label = next(c for c in session.choices() if c.id == choice)
        cost = f"{label.cost:g} min"
        text = label.label if cost in label.label else f"{label.label} ({cost})"
        session.choose(choice)
        out.append((text, f"+{session.now:.0f} min"))
    return out


def _press(area, text: str, minute: str, *, double: bool = False) -> None:
    button = area.locator("button.widget-button", has_text=re.compile(f"^{re.escape(text)}$"))
    if double:
        button.dblclick()
    else:
        button.click()
    area.locator(".drill-status", has_text=minute).wait_for(timeout=15_000)


def _images_drawn(area) -> int:
    return area.locator("img").evaluate_all("imgs => imgs.filter(i => i.naturalWidth > 300).length")


def test_a_library_scenario_in_the_notebook_console(browser, lab, tmp_path: Path):  # noqa: F811
    page = _open_and_run_all(
        browser, lab, "09_drill_library.ipynb", "Well done: a path through disk-full-logs"
    )
    live = page.locator(".jp-OutputArea-output .drill-console-live")
    live.wait_for(timeout=30_000)
    live.scroll_into_view_if_needed()
    scenario = LIBRARY["db-runaway-query"]
    moves = _moves("db-runaway-query", 7, scenario.best_paths[0].steps)
    for i, (text, minute) in enumerate(moves):
        # A double-click on the dashboard must look once: a second look would be a wasted
        # step (no full marks) and one more minute on the clock.
        _press(live, text, minute, double=scenario.best_paths[0].steps[i] == "dashboard")
        if i == 3:
            page.wait_for_timeout(1_500)  # let a stray second click arrive, if one was sent
            assert live.locator(".drill-status", has_text=minute).count() == 1
    card = live.locator(".drill-scorecard")
    card.wait_for(timeout=15_000)
    text = card.inner_text()
    assert "Score: 100/100 (resolved)" in text
    assert "Best path: " + " → ".join(scenario.best_paths[0].steps) in text
    assert card.locator("table.drill-score tr").count() == 8  # the eight parts of the score
    assert live.locator("button.widget-button:visible").count() == 0  # nothing left to click
    assert "📖" in live.locator(".drill-runbook").inner_text()
    assert live.locator("table.drill-table").count() == 0  # the last result was not a table
    assert _images_drawn(live) == 1  # the dashboard
    page.set_viewport_size({"width": 1400, "height": 2400})  # the whole console in one shot
    live.scroll_into_view_if_needed()
    live.screenshot(path=str(tmp_path / "drill-console-notebook.png"))
    page.close()


@contextmanager
def serve_voila(root: Path, **env_extra: str) -> Iterator[str]:
    """Voilà on play.ipynb on a free 127.0.0.1 port, as `make play`; its URL, stopped after."""
    port = free_port()
    command = [
        sys.executable, "-m", "voila", "--no-browser", "--Voila.ip=127.0.0.1",
        f"--port={port}", "--Voila.port_retries=0", str(PLAY),
    ]  # fmt: skip
    env = os.environ | {"JUPYTER_RUNTIME_DIR": str(root / "runtime"), **env_extra}
    env.pop("PAGER_LAB_SLACK_WEBHOOK_URL", None)
    env.pop("MPLBACKEND", None)
    log = (root / "voila.log").open("w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:  # listening is enough: a GET of the page would start a kernel
                socket.create_connection(("127.0.0.1", port), timeout=5).close()
                break
            except OSError:
                assert server.poll() is None, (root / "voila.log").read_text()
                assert time.monotonic() < deadline, "Voilà did not start in 90 s"
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def voila(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _need_chromium()
    with serve_voila(tmp_path_factory.mktemp("voila")) as base:
        yield base


def test_a_student_plays_in_the_voila_app_without_seeing_python(
    browser,  # noqa: F811
    voila: str,
    tmp_path: Path,
):
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    page.goto(voila)
    app = page.locator(".drill-app")
    app.wait_for(timeout=90_000)
    shown = page.locator("body").inner_text()
    assert "import" not in shown and "DrillApp" not in shown, "the page shows Python"
    assert len(app.locator("select option").all()) == len(LIBRARY)
    scenario = LIBRARY["flapping-alert-3am"]
    app.locator("select").select_option(label=f"{scenario.title} ({scenario.difficulty})")
    seed = app.locator("input[type=number]")
    seed.fill("7")
    seed.press("Enter")
    app.locator("button.drill-start").click()
    console = app.locator(".drill-console")
    console.wait_for(timeout=30_000)
    assert "Disk latency p99 above 50 ms" in console.locator(".widget-html").first.inner_text()
    for text, minute in _moves("flapping-alert-3am", 7, scenario.best_paths[0].steps):
        _press(console, text, minute)
    card = console.locator(".drill-scorecard")
    card.wait_for(timeout=15_000)
    text = card.inner_text()
    assert "Score: 100/100 (resolved)" in text
    assert f"Lesson: {scenario.lesson}" in text
    assert card.locator("table.drill-score tr").count() == 8
    assert _images_drawn(console) == 1
    page.screenshot(path=str(tmp_path / "drill-voila-top.png"))
    app.screenshot(path=str(tmp_path / "drill-voila-app.png"))
    # Start again: a fresh drill of the same scenario and seed replaces the finished one.
    app.locator("button.drill-start").click()
    app.locator(".drill-status", has_text="+0 min").wait_for(timeout=15_000)
    assert app.locator(".drill-console").count() == 1
    assert app.locator(".drill-scorecard").count() == 0
    page.close()
