"""``pager-lab alertmanager up|down|replay`` as a user runs them, with wrong inputs too."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pager_lab.alerting.alertmanager import process_alive
from tests.helpers import DATA, need_alertmanager, one_line_error, pager_lab


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["up", "--config", "missing.toml"], ["missing.toml", "expected an existing TOML file"]),
        (["down"], ["no Alertmanager is up here", "pager-lab alertmanager up"]),
        (["replay", "storm-week"], ["no Alertmanager is up here"]),
        (["replay", "nope"], ["SCENARIO", "'nope'", "baseline"]),
        (["replay", "storm-week", "--speed", "0"], ["--speed", "'0'", "expected a number > 0"]),
        (["replay", "storm-week", "--seed", "x"], ["--seed", "'x'", "expected an integer >= 0"]),
        (["replay", "storm-week", "--speed", "fast"], ["--speed", "'fast'"]),
        (["replay", "storm-week", "--minutes", "-5"], ["--minutes", "'-5'"]),
        (["replay", "storm-week", "--from", "soon"], ["'soon'", "a number of minutes >= 0"]),
        (["sideways"], ["invalid choice", "'sideways'"]),
    ],
)
def test_wrong_inputs_get_one_line(tmp_path: Path, args: list[str], words: list[str]):
    out = pager_lab("alertmanager", *args, cwd=tmp_path)
    one_line_error(out, *words)


def test_a_bad_routing_file_is_refused_before_anything_starts(tmp_path: Path):
    (tmp_path / "route.toml").write_text('[routing]\ngroup_by = "alertname"\n')
    out = pager_lab("alertmanager", "up", "--config", "route.toml", cwd=tmp_path)
    one_line_error(out, "route.toml", "routing.group_by", "a list of label names")
    (tmp_path / "off.toml").write_text("[routing]\nenabled = false\n")
    out = pager_lab("alertmanager", "up", "--config", "off.toml", cwd=tmp_path)
    one_line_error(out, "routing.enabled", "a real Alertmanager always routes")
    assert not (tmp_path / ".pager-lab-alertmanager.json").exists()


def test_without_the_binary_up_says_how_to_install_it(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))  # python, no alertmanager
    out = pager_lab("alertmanager", "up", cwd=tmp_path)
    one_line_error(out, "apt-get install -y prometheus-alertmanager")
    assert not (tmp_path / ".pager-lab-alertmanager.json").exists()


def test_down_with_a_stale_state_file_cleans_up(tmp_path: Path):
    state = tmp_path / ".pager-lab-alertmanager.json"
    dead = {"pid": 2**22 + 7, "alertmanager_pid": 2**22 + 8, "port": 1, "receiver_port": 2}
    state.write_text(json.dumps({**dead, "folder": str(tmp_path), "config": None}))
    out = pager_lab("alertmanager", "down", cwd=tmp_path)
    assert out.returncode == 0 and "nothing was running" in out.stdout
    assert not state.exists()


def _alive(pid: int) -> bool:
    return process_alive(pid)  # a zombie (exited, not yet collected) is not alive


def test_up_replay_down_with_a_real_alertmanager(tmp_path: Path):
    need_alertmanager()
    scenario = DATA / "scenarios" / "storm-week.toml"
    out = pager_lab("alertmanager", "up", cwd=tmp_path)
    state_file = tmp_path / ".pager-lab-alertmanager.json"
    try:
        assert out.returncode == 0, out.stderr
        state = json.loads(state_file.read_text())
        assert f"127.0.0.1:{state['port']}" in out.stdout
        assert _alive(state["pid"]) and _alive(state["alertmanager_pid"])
        again = pager_lab("alertmanager", "up", cwd=tmp_path)
        one_line_error(again, "already up", "alertmanager down")
        # 450x: the window's alerts lie at least 0.5 simulated minutes (67 ms) from any flush
        replay = pager_lab("alertmanager", "replay", str(scenario), "--speed", "450", cwd=tmp_path)
        assert replay.returncode == 0, replay.stderr
        lines = replay.stdout.splitlines()
        sent = next(int(x.split(": ")[1]) for x in lines if x.startswith("alerts sent:"))
        pages = next(int(x.split()[2]) for x in lines if x.startswith("pages sent:"))
        assert sent > 0 and 0 < pages <= sent
        assert "the same per group, each within one group_interval" in replay.stdout
        assert "incidents opened:" in replay.stdout and "notifications received:" in replay.stdout
    finally:
        down = pager_lab("alertmanager", "down", cwd=tmp_path)
    assert down.returncode == 0, down.stderr
    assert not state_file.exists()
    assert not _alive(state["pid"]) and not _alive(state["alertmanager_pid"])
    assert not Path(state["folder"]).exists()


def test_up_in_the_foreground_from_the_script_prints_notifications_and_down_stops_it(
    tmp_path: Path,
):
    need_alertmanager()
    script = Path(sys.executable).parent / "pager-lab"  # as a user types it, not python -m
    if not script.exists():
        pytest.skip(f"no console script at {script}")
    state_file = tmp_path / ".pager-lab-alertmanager.json"
    log = (tmp_path / "foreground.log").open("w")
    process = subprocess.Popen(
        [str(script), "alertmanager", "up", "--foreground"],
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while not state_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        state = json.loads(state_file.read_text())
        replay = pager_lab(
            "alertmanager",
            "replay",
            "storm-week",
            "--speed",
            "900",
            "--minutes",
            "30",
            cwd=tmp_path,
        )
        assert replay.returncode == 0, replay.stderr
        down = pager_lab("alertmanager", "down", cwd=tmp_path)
        assert down.returncode == 0 and "are stopped" in down.stdout, down.stdout
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=15)
        log.close()
    shown = (tmp_path / "foreground.log").read_text()
    assert "[alertmanager] firing {}:{alertname=" in shown
    assert "[alertmanager] resolved" in shown
    assert "-> INC-1 opened, page sent: alertname=" in shown and "-> INC-1 resolved" in shown
    assert not _alive(state["alertmanager_pid"]) and not state_file.exists()


def test_down_and_replay_say_the_same_when_nothing_is_up_and_name_the_state_file(
    tmp_path: Path,
):
    down = pager_lab("alertmanager", "down", cwd=tmp_path)
    again = pager_lab("alertmanager", "down", cwd=tmp_path)
    replay = pager_lab("alertmanager", "replay", "storm-week", cwd=tmp_path)
    for out in (down, again, replay):
        one_line_error(out, "no Alertmanager is up here", "`pager-lab alertmanager up`")
    assert down.stderr == again.stderr == replay.stderr
    elsewhere = ["--state", "am2.json"]
    down = pager_lab("alertmanager", "down", *elsewhere, cwd=tmp_path)
    replay = pager_lab("alertmanager", "replay", "storm-week", *elsewhere, cwd=tmp_path)
    for out in (down, replay):
        one_line_error(out, "am2.json", "`pager-lab alertmanager up --state am2.json`")
    assert down.stderr == replay.stderr


def test_a_replay_too_fast_for_the_timers_fails_before_printing_anything(tmp_path: Path):
    import os

    state = tmp_path / ".pager-lab-alertmanager.json"
    alive = {"pid": os.getpid(), "alertmanager_pid": os.getpid(), "port": 1, "receiver_port": 2}
    state.write_text(json.dumps({**alive, "folder": str(tmp_path), "config": None}))
    out = pager_lab("alertmanager", "replay", "storm-week", "--speed", "100000", cwd=tmp_path)
    one_line_error(out, "speed = 100000", "a slower replay", "ms of wall-clock time")
    assert out.stdout == ""


def test_up_with_a_state_file_names_it_in_the_down_hint(tmp_path: Path):
    need_alertmanager()
    config = DATA / "routing" / "storm-week-routed.toml"
    state = ["--state", "sub-am2.json"]
    out = pager_lab("alertmanager", "up", "--config", str(config), *state, cwd=tmp_path)
    try:
        assert out.returncode == 0, out.stderr
        assert "`pager-lab alertmanager down --state sub-am2.json` stops it" in out.stdout
        again = pager_lab("alertmanager", "up", *state, cwd=tmp_path)
        one_line_error(again, "already up", "`pager-lab alertmanager down --state sub-am2.json`")
    finally:
        down = pager_lab("alertmanager", "down", *state, cwd=tmp_path)
    assert down.returncode == 0 and "are stopped" in down.stdout, down.stderr
