"""``pager-lab gm --handle H [--store]``: the drill is recorded when it finishes, exactly once,
whatever the pages ask afterwards; an unfinished drill is not recorded, and says so."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pager_lab.classroom import ResultsStore
from tests.classroom.client import call
from tests.helpers import ROOT, ctrl_c_reaches_it, free_port, pager_lab

BEST = ("ack", "declare-sev2", "runbook", "dashboard", "pg-activity", "terminate-query")
LAST = ("status", "resolve")


def serve(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen, str, str, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "pager_lab", "gm", "--scenario", "db-runaway-query",
         "--seed", "2", "--port", str(port), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        env=os.environ | {"PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)},
        preexec_fn=ctrl_c_reaches_it,
    )  # fmt: skip
    assert process.stdout is not None
    lines = [process.stdout.readline() for _ in range(4)]
    urls = dict(re.findall(r"(player|GM):\s+(http://\S+)", "".join(lines)))
    player, gm = (urls[k].split("token=")[1] for k in ("player", "GM"))
    return process, f"http://127.0.0.1:{port}", player, gm


def stop(process: subprocess.Popen) -> tuple[str, str]:
    try:
        process.send_signal(signal.SIGINT)
        return process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_the_finished_drill_is_recorded_once(tmp_path):
    store = tmp_path / "class.db"
    process, base, player, gm = serve(tmp_path, "--handle", "ada", "--store", str(store))
    try:
        for n, choice in enumerate(BEST + LAST, 1):
            status, _ = call(base, "/api/player/answer", player, {"name": choice, "prompt": n})
            assert status == 200, choice
        late = call(base, "/api/player/answer", player, {"name": "wait", "prompt": 9})
        assert late[0] == 409  # after the end: refused, nothing recorded again
        for _ in range(3):  # both pages keep polling the finished drill
            assert call(base, "/api/player/state", player)[0] == 200
            assert call(base, "/api/gm/state", gm)[0] == 200
    finally:
        out, err = stop(process)
    assert process.returncode == 0, err
    assert out.count("recorded for ada") == 1, out
    assert f"recorded for ada in {store}: db-runaway-query (seed 2), score 100" in out
    assert player not in out + err and gm not in out + err
    with ResultsStore(store) as s:
        assert s.count() == (1, len(BEST + LAST))


def test_a_drill_stopped_before_its_end_is_not_recorded(tmp_path):
    store = tmp_path / "class.db"
    process, base, player, _gm = serve(tmp_path, "--handle", "ada", "--store", str(store))
    try:
        assert call(base, "/api/player/answer", player, {"name": "ack", "prompt": 1})[0] == 200
    finally:
        out, err = stop(process)
    assert process.returncode == 0, err
    assert "not recorded for ada: the drill did not finish" in out
    assert not store.exists()


def test_an_unreachable_store_saves_the_drill_for_later(tmp_path):
    url = "postgresql://ta:s3cretpw@127.0.0.1:1/class"
    process, base, player, _gm = serve(tmp_path, "--handle", "ada", "--store", url)
    try:
        for n, choice in enumerate(BEST + LAST, 1):
            assert call(base, "/api/player/answer", player, {"name": choice, "prompt": n})[0] == 200
    finally:
        out, err = stop(process)
    assert process.returncode == 1
    assert err.count("NOT recorded for ada: cannot reach the results store") == 1, err
    assert "s3cretpw" not in out + err and "Traceback" not in err
    saved = tmp_path / "drill-ada-db-runaway-query-seed2.json"
    assert saved.is_file() and f"saved the drill to {saved.name}" in out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--handle", "ada lovelace"), "handle = 'ada lovelace': expected"),
        (("--store", "x.db"), "--store = 'x.db': expected --handle H too"),
    ],
)
def test_a_bad_handle_or_store_is_one_line(args, says):
    out = pager_lab("gm", "--scenario", "db-runaway-query", *args)
    assert out.returncode == 2 and out.stdout == ""
    (line,) = out.stderr.strip().splitlines()
    assert says in line
