"""``pager-lab drill --alertmanager`` and ``alertmanager fire``: a real Alertmanager pages
the terminal drill, and a fixed drill ends the alert (Alertmanager then says resolved)."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from pager_lab.alerting.receiver import LocalReceiver
from tests.helpers import (
    ctrl_c_reaches_it,
    free_port,
    need_alertmanager,
    one_line_error,
    pager_lab,
)

_ROUTING = """[routing]
group_by = ["alertname"]
group_wait_minutes = 0.02       # 1.2 s: the page comes quickly
group_interval_minutes = 0.05   # 3 s: and so does `resolved`
"""


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["drill", "--alertmanager"], ["no Alertmanager is up here", "alertmanager up"]),
        (["drill", "--wait", "5"], ["--wait 5", "only goes with --alertmanager"]),
        (["drill", "--alertmanager-state", "x.json"], ["x.json", "only goes with"]),
        (["drill", "--alertmanager", "--scenario", "memory-leak"], ["--scenario", "own alert"]),
        (["drill", "--alertmanager", "--alert-name", "x"], ["--alert-name 'x'", "alertname"]),
        (["drill", "--alertmanager", "--alert", "Disk"], ["--alert 'Disk'", "summary"]),
        (["drill", "--alertmanager", "--at", "2026-01-01T00:00+00:00"], ["--at", "arrives"]),
        (["drill", "--alertmanager", "--at", "2026-11-27T03:00+00:00"], ["--at", "arrives"]),
        (["alertmanager", "fire", "--service", ""], ["--service", "a non-empty text"]),
        (["alertmanager", "fire", "--summary", " "], ["--summary", "a non-empty text"]),
        (["alertmanager", "fire", "--resolve", "--for", "5"], ["--for", "--resolve"]),
        (["alertmanager", "fire", "--resolve", "--summary", "x"], ["--summary", "--resolve"]),
        (["alertmanager", "up", "--state", "/no/such/dir/s.json"], ["existing folder"]),
        (["drill", "--alertmanager", "--wait", "0"], ["--wait", "'0'"]),
        (["drill", "--alertmanager", "--wait", "soon"], ["--wait", "'soon'"]),
        (["alertmanager", "fire"], ["no Alertmanager is up here"]),
        (["alertmanager", "fire", " "], ["ALERTNAME", "a non-empty alert name"]),
        (["alertmanager", "fire", "--severity", "bad"], ["--severity", "'bad'"]),
        (["alertmanager", "fire", "--for", "-1"], ["--for", "'-1'"]),
    ],
)
def test_wrong_inputs_get_one_line(tmp_path: Path, args: list[str], words: list[str]):
    one_line_error(pager_lab(*args, cwd=tmp_path), *words)


def test_a_state_file_of_a_dead_process_says_nothing_is_up(tmp_path: Path):
    state = tmp_path / "am.json"
    dead = {"pid": 2**22 + 7, "alertmanager_pid": 2**22 + 8, "port": 1, "receiver_port": 2}
    state.write_text(json.dumps({**dead, "folder": str(tmp_path), "config": None}))
    out = pager_lab("drill", "--alertmanager", "--alertmanager-state", "am.json", cwd=tmp_path)
    one_line_error(out, "no Alertmanager is up here", "am.json", "--state am.json")


def _fake_up(folder: Path, receiver_port: int) -> None:
    """A state file as `up` writes it, for this live test process and *receiver_port*."""
    state = {"pid": os.getpid(), "alertmanager_pid": os.getpid(), "port": free_port()}
    state |= {"receiver_port": receiver_port, "folder": str(folder), "config": None}
    (folder / ".pager-lab-alertmanager.json").write_text(json.dumps(state))


def _start_waiting(folder: Path, *options: str) -> tuple[subprocess.Popen, bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "pager_lab", "drill", "--alertmanager", "--wait", "60", *options],
        stdin=subprocess.PIPE if options else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=folder,
        env=os.environ | {"PYTHONIOENCODING": "utf-8"}, preexec_fn=ctrl_c_reaches_it,
    )  # fmt: skip
    assert proc.stdout is not None
    seen, deadline = b"", time.monotonic() + 30
    while b"Waiting up to 60 s" not in seen and time.monotonic() < deadline:
        if select.select([proc.stdout], [], [], 1)[0]:
            seen += os.read(proc.stdout.fileno(), 4096)
    assert b"Waiting up to 60 s" in seen, seen
    return proc, seen


def test_ctrl_c_while_waiting_for_the_page_stops_in_one_line(tmp_path: Path):
    with LocalReceiver() as receiver:
        _fake_up(tmp_path, receiver.port)
        proc, _ = _start_waiting(tmp_path)
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert err.decode().strip() == "pager-lab: interrupted (Ctrl-C)"


def test_a_receiver_that_stops_while_waiting_is_named_in_one_line(tmp_path: Path):
    receiver = LocalReceiver().start()
    try:
        _fake_up(tmp_path, receiver.port)
        proc, _ = _start_waiting(tmp_path)
    finally:
        receiver.stop()
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 2, err
    (line,) = err.decode().strip().splitlines()
    assert f"the lab's receiver on 127.0.0.1:{receiver.port} did not answer" in line
    assert "is `pager-lab alertmanager up` still running?" in line


@pytest.fixture
def alertmanager_up(tmp_path: Path) -> Iterator[Path]:
    """`alertmanager up` with quick timers in *tmp_path*; `down` afterwards."""
    need_alertmanager()
    (tmp_path / "routing.toml").write_text(_ROUTING)
    up = pager_lab("alertmanager", "up", "--config", "routing.toml", cwd=tmp_path)
    assert up.returncode == 0, up.stderr
    try:
        yield tmp_path
    finally:
        down = pager_lab("alertmanager", "down", cwd=tmp_path)
        assert down.returncode == 0, down.stderr


_DISK_FULL = ("alertmanager", "fire", "DiskFull", "--service", "logs", "--severity", "warning")


def _paged_drill(folder: Path, answers: str, *options: str):
    """`drill --alertmanager` as a student runs it, answering from *answers*."""
    return pager_lab(
        "drill", "--alertmanager", "--wait", "30", "--plain", *options, stdin=answers, cwd=folder
    )


def _received(folder: Path) -> list[dict]:
    state = json.loads((folder / ".pager-lab-alertmanager.json").read_text())
    url = f"http://127.0.0.1:{state['receiver_port']}/messages"
    with urllib.request.urlopen(url, timeout=10) as answer:
        return [m["body"] for m in json.loads(answer.read()) if m["path"] == "/alertmanager"]


def _until(check, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    return check()


def test_a_fired_alert_pages_the_drill_and_the_fix_resolves_it(alertmanager_up: Path):
    folder = alertmanager_up
    fired = pager_lab("alertmanager", "fire", cwd=folder)
    assert fired.returncode == 0, fired.stderr
    assert 'alertname="DatabaseConnectionFailed"' in fired.stdout and "1.2 s" in fired.stdout
    out = _paged_drill(folder, "ack\nsev2\nno\nrestart\n", "--json", "d.json")
    assert out.returncode == 0, out.stderr
    assert (
        'Paged by Alertmanager: INC-1: group {alertname="DatabaseConnectionFailed"}' in out.stdout
    )
    assert "the lab's alert 'database-connection-failed'" in out.stdout
    assert "ALERT: Database Connection Failed" in out.stdout
    assert "Runbook: Database Connection Failed" in out.stdout  # the lab's runbook came along
    assert "Found root cause: Database CPU 100%." in out.stdout
    assert "1 alert(s) ended on Alertmanager" in out.stdout
    saved = json.loads((folder / "d.json").read_text())
    assert saved["id"] == "INC-1" and saved["outcome"] == "resolved"
    assert saved["setup"]["alert_name"] == "database-connection-failed"
    bodies = _until(lambda: [b for b in _received(folder) if b["status"] == "resolved"])
    assert len(bodies) == 1 and bodies[0]["groupLabels"] == {
        "alertname": "DatabaseConnectionFailed"
    }
    firing = [b for b in _received(folder) if b["status"] == "firing"]
    assert len(firing) == 1  # one page, not one per poll
    again = pager_lab("drill", "--alertmanager", "--wait", "1", cwd=folder)
    one_line_error(again, "no page from Alertmanager within 1 s", "alertmanager fire")


def test_a_fixed_incident_never_pages_again_and_the_next_drill_gets_the_other(
    alertmanager_up: Path,
):
    folder = alertmanager_up
    for name in ("DiskFull", "Latency"):
        assert pager_lab("alertmanager", "fire", name, cwd=folder).returncode == 0
    out = _paged_drill(folder, "ack\nsev2\nno\nrestart\n")
    assert out.returncode == 0 and "1 alert(s) ended on Alertmanager" in out.stdout, out.stderr
    fixed = out.stdout.split("Paged by Alertmanager: ")[1][:5]
    # the next drill, before Alertmanager's `resolved` comes, gets the other incident at once
    out = _paged_drill(folder, "ack\nsev2\nno\nrestart\n")
    assert out.returncode == 0, out.stderr
    other = out.stdout.split("Paged by Alertmanager: ")[1][:5]
    assert {fixed, other} == {"INC-1", "INC-2"}
    gone = pager_lab("drill", "--alertmanager", "--wait", "1", cwd=folder)
    one_line_error(gone, "no page from Alertmanager within 1 s")


def test_two_drills_at_once_answer_two_pages_not_one_twice(alertmanager_up: Path):
    folder = alertmanager_up
    assert pager_lab("alertmanager", "fire", "DiskFull", cwd=folder).returncode == 0
    first, seen = _start_waiting(folder, "--escalation", "Alice")  # holds INC-1 at its prompt
    try:
        deadline = time.monotonic() + 30
        while b"Paged by Alertmanager" not in seen and time.monotonic() < deadline:
            if select.select([first.stdout], [], [], 1)[0]:
                seen += os.read(first.stdout.fileno(), 4096)  # type: ignore[union-attr]
        assert b"Paged by Alertmanager: INC-1" in seen, seen
        second = pager_lab("drill", "--alertmanager", "--wait", "2", cwd=folder)
        one_line_error(second, "no page from Alertmanager within 2 s")
        assert "INC-1 is being answered by another drill" in second.stdout
    finally:
        first.kill()
        first.communicate(timeout=30)
    # the first drill died without letting go: its claim is taken over
    third = _paged_drill(folder, "ignore\n", "--escalation", "Alice")
    assert "Paged by Alertmanager: INC-1" in third.stdout, third.stdout + third.stderr


def test_an_alert_the_lab_does_not_know_pages_without_a_runbook_and_stays_when_ignored(
    alertmanager_up: Path,
):
    folder = alertmanager_up
    fired = pager_lab(*_DISK_FULL, cwd=folder)
    assert fired.returncode == 0, fired.stderr
    out = _paged_drill(folder, "ignore\n", "--escalation", "Alice")
    assert out.returncode == 0, out.stderr
    assert "severity warning, service logs; no alert of" in out.stdout
    assert "ALERT: Disk Full" in out.stdout and "Runbook" not in out.stdout
    assert "Alertmanager still fires INC-1's alert(s)" in out.stdout
    wrong = pager_lab("alertmanager", "fire", "DiskFull", "--resolve", cwd=folder)
    one_line_error(wrong, "no alert with exactly the labels", 'service="logs"', "--service")
    right = pager_lab(*_DISK_FULL, "--resolve", cwd=folder)
    assert right.returncode == 0 and "resolved {alertname=" in right.stdout, right.stderr
    assert _until(lambda: [b for b in _received(folder) if b["status"] == "resolved"])
