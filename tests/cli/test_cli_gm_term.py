"""``pager-lab gm`` stopped by SIGTERM (``kill``) stops like Ctrl-C: at once, with the
summary, the "not recorded" note and the ``--save`` file."""

from __future__ import annotations

import json
import signal
import time

from tests.classroom.client import call
from tests.cli.test_cli_gm_record import serve


def test_sigterm_stops_the_game_master_like_ctrl_c(tmp_path):
    store, saved = tmp_path / "class.db", tmp_path / "session.json"
    process, base, player, _gm = serve(
        tmp_path, "--handle", "ada", "--store", str(store), "--save", str(saved)
    )
    try:
        assert call(base, "/api/player/answer", player, {"name": "ack", "prompt": 1})[0] == 200
        began = time.monotonic()
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
        took = time.monotonic() - began
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert took < 1.5, f"took {took:.2f} s to stop"
    assert "Session stopped:" in out and "not recorded for ada: the drill did not finish" in out
    assert saved.is_file() and f"Saved the session to {saved}" in out
    assert json.loads(saved.read_text())  # the session, as JSON
    assert "Traceback" not in err
