"""A real Prometheus Alertmanager as a child process, bound to 127.0.0.1.

Debian's ``prometheus-alertmanager`` (0.25) is started with a generated config, a
throw-away storage folder, a free port and no cluster listener
(``--cluster.listen-address=``), and is ready when ``GET /-/ready`` answers 200
(REFERENCES.md). ``with Alertmanager(routing, url) as am:`` starts and stops it; the
API v2 calls the lab needs are methods: ``post_alerts``, ``silence``, ``groups``.
When the binary is missing, :class:`AlertmanagerMissing` says how to install it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from pager_lab.alerting.am_config import alertmanager_config, describe_routing, silence_body
from pager_lab.core.errors import PagerLabError
from pager_lab.core.routing_config import RoutingConfig, Silence

__all__ = [
    "ALERTMANAGER_INSTALL_LINE",
    "CLEANUP_SECONDS",
    "Alertmanager",
    "AlertmanagerError",
    "AlertmanagerMissing",
    "find_alertmanager",
    "process_alive",
]

ALERTMANAGER_INSTALL_LINE = "apt-get install -y prometheus-alertmanager"
"""How to install Debian's Alertmanager (0.25 on Debian 12)."""
_BINARIES = ("prometheus-alertmanager", "alertmanager")
_READY_SECONDS = 15.0
CLEANUP_SECONDS = 30.0
"""Alertmanager's dispatcher removes empty groups every 30 s of wall-clock time
(``dispatch.go``, not configurable): at speed S that is 0.5 x S simulated minutes."""


class AlertmanagerError(PagerLabError, RuntimeError):
    """Alertmanager did not start, refused a request or answered something unexpected."""


class AlertmanagerMissing(AlertmanagerError):
    """The ``prometheus-alertmanager`` binary is missing; the message says how to install it."""

    def __init__(self) -> None:
        super().__init__(
            f"Prometheus Alertmanager is not installed: {ALERTMANAGER_INSTALL_LINE} (Debian), "
            "or put an `alertmanager` binary on PATH"
        )


def find_alertmanager() -> str | None:
    """The path of Alertmanager's binary (Debian's name first), or ``None``."""
    for name in _BINARIES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Alertmanager:
    """One Alertmanager process: start, talk to it over API v2, stop (also as a context manager)."""

    def __init__(
        self,
        routing: RoutingConfig,
        webhook_url: str,
        *,
        speed: float = 1.0,
        port: int = 0,
        binary: str | None = None,
    ) -> None:
        self.routing = routing
        self.speed = speed
        """Its timers are the routing's divided by this (a replay in accelerated time)."""
        self.webhook_url = webhook_url
        self.port = port
        self.binary = binary
        self.folder: Path | None = None
        """The throw-away folder with the config, the storage and the log (removed on stop)."""
        self._process: subprocess.Popen[bytes] | None = None
        self._attached = False
        self.dispatcher_started = time.time()
        """When (epoch seconds) its dispatcher last started: at the start and at each reload.
        Its clean-up of empty groups ticks every 30 s of wall-clock time from then."""

    @classmethod
    def attach(
        cls, port: int, folder: Path, routing: RoutingConfig, webhook_url: str, speed: float
    ) -> Alertmanager:
        """A handle on an Alertmanager another process started (``pager-lab alertmanager
        up``): it can post, silence and :meth:`reload`, and never stops it."""
        am = cls(routing, webhook_url, speed=speed, port=port)
        am.folder = folder
        am._attached = True
        return am

    @property
    def pid(self) -> int | None:
        """The process id while it runs."""
        return self._process.pid if self._process is not None else None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __repr__(self) -> str:
        state = f"pid {self.pid}" if self._process is not None else "stopped"
        return f"Alertmanager(127.0.0.1:{self.port}, {describe_routing(self.routing)}, {state})"

    def write_config(
        self, routing: RoutingConfig | None = None, speed: float | None = None
    ) -> Path:
        """(Re)write the config file, for the start or for :meth:`reload`."""
        if self.folder is None:
            raise AlertmanagerError("Alertmanager has no folder yet: start it first")
        self.routing = routing or self.routing
        self.speed = speed or self.speed
        path = self.folder / "alertmanager.yml"
        config = alertmanager_config(self.routing, self.webhook_url, self.speed)
        path.write_text(json.dumps(config, indent=1), encoding="utf-8")
        return path

    def start(self) -> Alertmanager:
        """Start the process and wait until it is ready (a clear error if it is not)."""
        binary = self.binary or find_alertmanager()
        if binary is None:
            raise AlertmanagerMissing()
        self.folder = Path(tempfile.mkdtemp(prefix="pager-lab-alertmanager-"))
        self.port = self.port or _free_port()
        config = self.write_config()
        log = (self.folder / "alertmanager.log").open("wb")
        self._process = subprocess.Popen(
            [
                binary,
                f"--config.file={config}",
                f"--storage.path={self.folder / 'data'}",
                f"--web.listen-address=127.0.0.1:{self.port}",
                "--cluster.listen-address=",
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in a notebook or terminal is ours to handle
        )
        log.close()
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        self.dispatcher_started = time.time()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + _READY_SECONDS
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise AlertmanagerError(
                    f"Alertmanager exited with status {self._process.returncode} at start: "
                    f"{self.last_log_line()}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/-/ready", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        raise AlertmanagerError(
            f"Alertmanager on 127.0.0.1:{self.port} was not ready after {_READY_SECONDS:g} s: "
            f"{self.last_log_line()}"
        )

    def last_log_line(self) -> str:
        """The last line Alertmanager logged (why it failed, usually)."""
        if self.folder is None or not (self.folder / "alertmanager.log").exists():
            return "(no log)"
        lines = (self.folder / "alertmanager.log").read_text(errors="replace").splitlines()
        return lines[-1] if lines else "(empty log)"

    def stop(self) -> None:
        """Stop the process (SIGTERM, then SIGKILL after 5 s) and remove its folder."""
        if self._attached:
            raise AlertmanagerError("this Alertmanager was started elsewhere: stop it there")
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self) -> Alertmanager:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reload(self, routing: RoutingConfig | None = None, speed: float | None = None) -> None:
        """Write a new config and ask Alertmanager to load it (``POST /-/reload``)."""
        self.write_config(routing, speed)
        self.request("POST", "/-/reload")
        self.dispatcher_started = time.time()  # a reload starts a new dispatcher

    def request(self, method: str, path: str, body: object = None) -> Any:
        """One API call; the JSON answer (``None`` if empty); errors name the call and answer."""
        data = None if body is None else json.dumps(body).encode()
        call = urllib.request.Request(
            f"{self.url}{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(call, timeout=10) as answer:
                raw = answer.read()
        except urllib.error.HTTPError as exc:
            said = exc.read().decode(errors="replace").strip()[:300]
            raise AlertmanagerError(
                f"{method} {path}: Alertmanager answered {exc.code}: {said}"
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            raise AlertmanagerError(
                f"{method} {path}: no answer from Alertmanager on 127.0.0.1:{self.port} ({exc})"
            ) from None
        return json.loads(raw) if raw.strip() else None

    def post_alerts(self, alerts: Sequence[Mapping[str, Any]]) -> None:
        """``POST /api/v2/alerts``: each alert has ``labels`` and optionally ``annotations``,
        ``startsAt`` and ``endsAt`` (RFC 3339)."""
        if alerts:
            self.request("POST", "/api/v2/alerts", list(alerts))

    def silence(self, silence: Silence, minute_zero: datetime) -> str:
        """``POST /api/v2/silences`` for a silence in simulated minutes (minute 0 is the
        wall-clock instant *minute_zero*, at this Alertmanager's speed); returns its id."""
        answer = self.request(
            "POST", "/api/v2/silences", silence_body(silence, minute_zero, self.speed)
        )
        return str(answer["silenceID"])

    def active_labels(self, *, held_back: bool = True) -> list[dict[str, str]]:
        """``GET /api/v2/alerts?active=true``: the label sets of the alerts that have not
        ended; ``held_back=False`` leaves out the silenced and the inhibited ones."""
        query = "active=true" + ("" if held_back else "&silenced=false&inhibited=false")
        alerts = self.request("GET", f"/api/v2/alerts?{query}") or []
        return [dict(a.get("labels") or {}) for a in alerts]

    def groups(self) -> list[dict[str, Any]]:
        """``GET /api/v2/alerts/groups``: the groups as Alertmanager holds them now."""
        return list(self.request("GET", "/api/v2/alerts/groups") or [])


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (for the CLI's state file); a zombie, which has
    exited but whose parent has not collected it yet, does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (macOS): it exists
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"
