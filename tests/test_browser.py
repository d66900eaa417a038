"""A real browser: JupyterLab on 127.0.0.1 driven by Playwright in headless Debian Chromium.

It opens copies of the notebooks and a freshly built student edition (so autosave could never
touch the committed ones, and autosave is off anyway), runs all cells, counts the figures
rendered as images, reads the student edition's first self-check, and clicks the rendered
widgets: Scenario B and a double-click on Ignore in the pager console, and one slider and Run in
the what-if panel. Screenshots are saved under pytest's temporary folder.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from pager_lab.course.editions import write_student_edition
from tests.helpers import free_port

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SETTINGS = {  # user-settings overrides: no news toast, no autosave
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    # Every cell stays in the page, so images below the fold can be counted.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}
FIGURES = {  # images each authored notebook shows (as tests/test_notebooks_committed.py)
    "03_on_call_schedules.ipynb": ("Well done: Challenge 2", 1),
    "05_alert_streams.ipynb": ("Well done: your daily profile", 3),
    "06_mtta_mttr.ipynb": ("Well done: mean, median and p90", 2),
    "07_burnout_what_if.ipynb": ("Well done: the smallest team", 3),
    "09_drill_library.ipynb": ("Well done: a path through disk-full-logs", 1),
}


def _need_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but Debian chromium is missing: .ci/run must apt-get install it")
    pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")


def _api(base: str, token: str, path: str, method: str = "GET") -> object:
    request = urllib.request.Request(
        f"{base}{path}", method=method, headers={"Authorization": f"token {token}"}
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        body = answer.read()
    return json.loads(body) if body else None


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    _need_chromium()
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    write_student_edition(ROOT / "notebooks", root / "student")
    for name, value in SETTINGS.items():
        path = root / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={root / 'settings'}",
        f"--LabApp.workspaces_dir={root / 'workspaces'}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    env = os.environ | {"JUPYTER_RUNTIME_DIR": str(root / "runtime")}
    env.pop("PAGER_LAB_SLACK_WEBHOOK_URL", None)
    env.pop("MPLBACKEND", None)  # as `make lab`: figures must render inline
    log = (root / "lab.log").open("w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _api(base, token, "/api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert server.poll() is None, (root / "lab.log").read_text()
                assert time.monotonic() < deadline, "JupyterLab did not start in 90 s"
                time.sleep(0.5)
        yield base, token
    finally:
        try:
            for session in _api(base, token, "/api/sessions") or []:  # type: ignore[union-attr]
                _api(base, token, f"/api/sessions/{session['id']}", "DELETE")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


def _open_and_run_all(
    browser, lab: tuple[str, str], notebook: str, done_text: str, edition: str = "notebooks"
):
    base, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    # A workspace of its own per notebook, so the other test's open tabs are not restored.
    workspace = f"{edition}-" + notebook.split(".")[0].replace("_", "-")
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{edition}/{notebook}?token={token}")
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=90_000)
    # Clear the stored outputs first, so the waits below see this run's outputs only.
    page.locator("li.lm-MenuBar-item", has_text="Edit").first.click()
    page.locator('li.lm-Menu-item[data-command="editmenu:clear-all"]').click()
    done = page.locator(".jp-OutputArea-output", has_text=done_text).first
    done.wait_for(state="detached", timeout=10_000)
    page.locator("li.lm-MenuBar-item", has_text="Run").first.click()
    page.locator('li.lm-Menu-item[data-command="runmenu:run-all"]').click()
    done.wait_for(timeout=120_000)
    return page


def test_scenario_b_in_the_rendered_pager_console(browser, lab, tmp_path: Path):
    page = _open_and_run_all(browser, lab, "01_incident_lifecycle.ipynb", "Well done: Scenario B")
    live = page.locator(".jp-OutputArea-output .pager-console-live")
    live.wait_for(timeout=30_000)
    live.locator("button.widget-button", has_text="Ignore").click()
    live.get_by_text("Paging Bob...").wait_for(timeout=10_000)
    live.locator("button.widget-button", has_text="Ack").click()
    live.get_by_text("Incident Acknowledged by Bob.").wait_for(timeout=10_000)
    for label in ("SEV2", "No", "Restart"):
        live.locator("button.widget-button", has_text=label).click()
    live.get_by_text("Service Restarted. Incident Resolved.").wait_for(timeout=10_000)
    assert "Drill finished: resolved." in live.inner_text()
    page.screenshot(path=str(tmp_path / "pager-console.png"))
    page.close()


def test_a_slider_and_run_change_the_what_if_figure(browser, lab, tmp_path: Path):
    page = _open_and_run_all(
        browser, lab, "07_burnout_what_if.ipynb", "Well done: the smallest team"
    )
    panel = page.locator(".jp-OutputArea-output .what-if-panel").first
    image = panel.locator("img").first
    image.wait_for(state="attached", timeout=30_000)
    panel.scroll_into_view_if_needed()
    before = image.get_attribute("src")
    assert before, "the programmatic run in the notebook should have drawn a figure"
    handle = panel.locator(".widget-hslider .noUi-handle").first
    handle.focus()
    for _ in range(3):
        handle.press("ArrowRight")
    panel.locator("button.widget-button", has_text="Run").click()
    page.wait_for_function(
        "([el, old]) => el.getAttribute('src') !== old",
        arg=[image.element_handle(), before],
        timeout=60_000,
    )
    assert image.get_attribute("src") != before
    page.screenshot(path=str(tmp_path / "what-if.png"))
    page.close()


@pytest.mark.parametrize("notebook", sorted(FIGURES), ids=lambda n: n[:2])
def test_figures_render_as_images(browser, lab, tmp_path: Path, notebook: str):
    done_text, expected = FIGURES[notebook]
    page = _open_and_run_all(browser, lab, notebook, done_text)
    images = page.locator(".jp-RenderedImage img")
    page.wait_for_function(
        "n => document.querySelectorAll('.jp-RenderedImage img').length >= n",
        arg=expected,
        timeout=30_000,
    )
    assert images.count() == expected
    assert "<Figure size" not in page.locator(".jp-Notebook").inner_text()
    for i in range(expected):  # each image decoded to a real picture, not a broken icon
        width = images.nth(i).evaluate("img => img.naturalWidth")
        assert width > 300, f"{notebook}: image {i} is {width} px wide"
    images.first.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / f"figures-{notebook[:2]}.png"))
    page.close()


def test_the_student_editions_first_exercise_is_not_answered_yet(browser, lab, tmp_path: Path):
    page = _open_and_run_all(
        browser, lab, "00_start_here.ipynb", "not answered yet", edition="student"
    )
    output = page.locator(".jp-OutputArea-output", has_text="not answered yet").first
    output.scroll_into_view_if_needed()
    text = page.locator(".jp-Notebook").inner_text()
    assert "Well done" not in text and "Traceback" not in text and "Error" not in text
    assert "Show a hint" in text and "Show the answer" not in text
    page.screenshot(path=str(tmp_path / "student-00-exercise.png"))
    page.close()


def test_a_double_click_on_ignore_leaves_bob_paged_at_level_2(browser, lab, tmp_path: Path):
    page = _open_and_run_all(browser, lab, "01_incident_lifecycle.ipynb", "Well done: Scenario B")
    live = page.locator(".jp-OutputArea-output .pager-console-live")
    live.wait_for(timeout=30_000)
    live.scroll_into_view_if_needed()
    live.locator("button.widget-button", has_text="Ignore").dblclick()
    live.get_by_text("Paging Bob...").wait_for(timeout=10_000)
    page.wait_for_timeout(1_500)  # let a second, stray answer arrive if one was sent
    text = live.inner_text()
    assert "Charlie" not in text, f"the second click skipped Bob:\n{text}"
    assert "Bob did not answer" not in text
    live.locator("button.widget-button", has_text="Ack").click()
    live.get_by_text("Incident Acknowledged by Bob.").wait_for(timeout=10_000)
    page.screenshot(path=str(tmp_path / "double-click-ignore.png"))
    page.close()


def test_a_real_alertmanager_pages_the_console_in_notebook_11(browser, lab, tmp_path: Path):
    from tests.helpers import need_alertmanager

    need_alertmanager()
    page = _open_and_run_all(
        browser, lab, "11_alert_routing.ipynb", "Well done: a routing that pages at most 4"
    )
    console = page.locator(".jp-OutputArea-output .pager-console").first
    console.wait_for(timeout=30_000)
    console.scroll_into_view_if_needed()
    assert "ALERT: Database Connection Failed" in console.inner_text()
    assert "min after the alert fired." in console.inner_text()  # grouping's wait is shown
    console.locator("button.widget-button", has_text="Ack").dblclick()  # as people click
    console.get_by_text("Incident Acknowledged by Alice.").wait_for(timeout=10_000)
    for label in ("SEV2", "No", "Restart"):
        console.locator("button.widget-button", has_text=label).click()
    console.get_by_text("Service Restarted. Incident Resolved.").wait_for(timeout=10_000)
    text = console.inner_text()
    assert "Drill finished: resolved." in text
    assert "Check RDS CPU Utilization" in text  # the lab's runbook came with the page
    assert text.count("Acknowledged by Alice") == 2  # the line and the timeline: one ack
    page.screenshot(path=str(tmp_path / "alertmanager-paged-console.png"), full_page=True)
    page.close()
