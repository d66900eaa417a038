"""Helpers shared by tests of several layers: paths, the CLI in a subprocess, free ports."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SECRET_PATH = "/services/T0SECRET/B0SECRET/XyZsecretTOKEN123"
"""A webhook path that must never show in any output."""


def ctrl_c_reaches_it() -> None:
    """``preexec_fn`` for a child a test will press Ctrl-C on (SIGINT), as at a terminal.

    A shell that starts a command in the background without job control makes it ignore
    SIGINT, and children inherit that (Python then installs no KeyboardInterrupt handler):
    a test run started that way, as a CI runner may, would see Ctrl-C do nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def pager_lab(*args: str, stdin: str = "", cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run ``python -m pager_lab ARGS`` as a user would, capturing its output."""
    env = os.environ | {"PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "pager_lab", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=60,
        check=False,
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def need_alertmanager() -> None:
    """Skip (outside CI only) when Debian's prometheus-alertmanager is not installed."""
    import pytest

    from pager_lab.alerting.alertmanager import ALERTMANAGER_INSTALL_LINE, find_alertmanager

    if find_alertmanager() is not None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but prometheus-alertmanager is missing: .ci/run must install it")
    pytest.skip(f"Prometheus Alertmanager is not installed ({ALERTMANAGER_INSTALL_LINE})")


def one_line_error(out: subprocess.CompletedProcess, *fragments: str) -> str:
    """A command failed with exactly one line on stderr, no traceback, naming *fragments*."""
    assert out.returncode != 0, out.stdout
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert "Traceback" not in out.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]
