"""``pager-lab gm``: the two URLs, a clean stop on Ctrl-C, and a sentence for each bad input."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest

from pager_lab.core import DrillSession, load_drill_library
from tests.classroom.client import call
from tests.helpers import DATA, ROOT, ctrl_c_reaches_it, free_port, pager_lab


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ((), "the following arguments are required: --scenario"),
        (("--scenario", "no-such-drill"), "no drill scenario 'no-such-drill': the scenarios are"),
        (("--scenario", "db-runaway-qury"), "did you mean 'db-runaway-query'?"),
        (("--scenario", "db-runaway-query", "--seed", "-1"), "'-1': expected a whole number"),
        (("--scenario", "db-runaway-query", "--seed", "one"), "'one': expected a whole number"),
        (("--scenario", "db-runaway-query", "--port", "70000"), "'70000' is not a port"),
        (("--scenario", "db-runaway-query", "--pace", "0"), "'0': expected a number of seconds"),
        (("--scenario", "db-runaway-query", "--pace", "nan"), "'nan': expected a number"),
        (("--scenario", "db-runaway-query", "--host", "no.such.host.invalid"), "--host"),
        (("--scenario", "db-runaway-query", "--data", "/no/such/folder"), "/no/such/folder"),
    ],
)
def test_a_bad_input_is_one_line_without_a_traceback(args, says) -> None:
    out = pager_lab("gm", *args)
    assert out.returncode == 2, out
    lines = out.stderr.strip().splitlines()
    assert len(lines) <= 2 and says in out.stderr, out.stderr  # argparse adds its usage line
    assert "Traceback" not in out.stderr and out.stdout == ""


def test_a_port_in_use_is_one_line() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        out = pager_lab("gm", "--scenario", "db-runaway-query", "--port", str(port))
    assert out.returncode == 2
    assert f"--port = {port}: expected a free port" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_it_prints_two_urls_serves_them_and_stops_on_ctrl_c(tmp_path) -> None:
    port, saved = free_port(), tmp_path / "session.json"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pager_lab",
            "gm",
            "--scenario",
            "db-runaway-query",
            "--seed",
            "2",
            "--port",
            str(port),
            "--pace",
            "5",
            "--save",
            str(saved),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
        preexec_fn=ctrl_c_reaches_it,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(4)]
        urls = dict(re.findall(r"(player|GM):\s+(http://\S+)", "".join(lines)))
        assert set(urls) == {"player", "GM"}, lines
        base = f"http://127.0.0.1:{port}"
        assert urls["player"].startswith(f"{base}/player?token=")
        player, gm = (urls[k].split("token=")[1] for k in ("player", "GM"))
        assert call(base, "/api/player/state", player)[0] == 200
        assert call(base, "/api/gm/state", player)[0] == 403
        status, state = call(base, "/api/gm/state", gm)
        assert status == 200 and state["paused"] is True and state["pace"] == 5
        assert call(base, "/api/player/answer", player, {"text": "ack", "prompt": 1})[0] == 200
        assert call(base, "/api/gm/inject", gm, {"kind": "eta", "text": "ETA?"})[0] == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "Session stopped: db-runaway-query (seed 2) at +1 min: still playing, 1 move(s)" in out
    assert "Traceback" not in err and "WARNING" not in err
    for token in (player, gm):
        assert token not in err
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    # nothing lost: the saved session restores to the same state, the transcript as shown
    data = json.loads(saved.read_text())
    restored = DrillSession.from_dict(
        data["session"], load_drill_library(DATA / "drills")["db-runaway-query"]
    )
    assert [s.choice for s in restored.path] == ["ack"] and restored.now == 1
    assert data["transcript"][-1]["text"].endswith("ETA?")
    for token in (player, gm):
        assert token not in saved.read_text()


def test_the_scenario_name_is_found_in_any_case_as_the_terminal_drill_finds_it() -> None:
    from pager_lab.classroom.game_master import open_game_master

    server = open_game_master(" DB-Runaway-Query", data=DATA)
    try:
        assert server.name == "db-runaway-query"
    finally:
        server.stop()


def test_a_save_that_cannot_be_written_prints_the_session_instead(tmp_path, capsys) -> None:
    from pager_lab.classroom.game_master import open_game_master
    from pager_lab.cli.game_master import _save

    server = open_game_master("db-runaway-query", data=DATA)
    server.stop()
    target = tmp_path / "gone" / "session.json"  # its folder vanished after the check
    assert _save(server.session, target, sys.stdout) == 1  # type: ignore[arg-type]
    out, err = capsys.readouterr()
    assert (
        err.startswith(f"pager-lab: error: cannot write {target}:") and len(err.splitlines()) == 1
    )
    assert json.loads(out)["session"]["scenario"] == "db-runaway-query"


def test_another_interface_prints_a_warning(monkeypatch, capsys) -> None:
    """The warning path, in process: the test itself never binds beyond 127.0.0.1."""
    import argparse

    from pager_lab.classroom import session_server
    from pager_lab.cli import game_master

    monkeypatch.setattr(session_server, "bind_warning", lambda host, port: "WARNING: network")
    monkeypatch.setattr(session_server.SessionServer, "serve_forever", lambda self: time.sleep(0))
    args = argparse.Namespace(
        scenario="db-runaway-query",
        seed=0,
        host="127.0.0.1",
        port=0,
        pace=None,
        data=ROOT / "data",
        save=None,
    )
    assert game_master.run_gm(args) == 0
    out, err = capsys.readouterr()
    assert err.startswith("WARNING: network") and "player: http://127.0.0.1:" in out
