"""A throw-away PostgreSQL cluster for the tests: made in a temporary folder, stopped after.

``postgres_server`` (a session fixture, registered in ``tests/conftest.py``) runs Debian's
PostgreSQL server binaries (``/usr/lib/postgresql/N/bin``): ``initdb`` with a random password
(scram-sha-256), ``pg_ctl start`` listening on 127.0.0.1 only, on a free port, its socket in
the temporary folder. ``initdb`` refuses to run as root, so as root both run as the
``postgres`` user (``runuser``). ``PAGER_LAB_TEST_PG_URL`` (a server URL) is used instead
when set. Without a server installed the PostgreSQL tests skip, saying so — except with
``CI=true``, where ``.ci/run`` installs it and they must run.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import free_port

PG_URL_ENV = "PAGER_LAB_TEST_PG_URL"


@dataclass(frozen=True)
class PostgresServer:
    """A running server: its URL (password included) and how to make a fresh database."""

    url: str
    password: str

    def fresh_database(self) -> str:
        """The URL of a new, empty database on this server."""
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        name = f"pl_{uuid.uuid4().hex[:12]}"
        engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            engine.dispose()
        return make_url(self.url).set(database=name).render_as_string(hide_password=False)


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL server's ``bin`` folder, or None."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    return found[-1].parent if found else None


def without_server(ci: bool) -> tuple[bool, str]:
    """What to do without a PostgreSQL server: (fail instead of skip?, the reason to give)."""
    reason = "no PostgreSQL server installed (/usr/lib/postgresql/*/bin/initdb)"
    if ci:
        return True, f"{reason}: with CI=true .ci/run installs it (apt-get install postgresql)"
    return False, f"{reason}: apt-get install postgresql to run the PostgreSQL store tests"


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _start_cluster(binaries: Path, folder: Path) -> tuple[str, str]:
    password = "pl-" + secrets.token_hex(12)
    port = free_port()
    (folder / "pw").write_text(password)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(folder / "pw", "postgres", "postgres")
    run = {"check": True, "capture_output": True, "text": True, "timeout": 120}
    subprocess.run(
        _as_server_user(
            [
                str(binaries / "initdb"),
                "-D",
                str(folder / "data"),
                "-U",
                "postgres",
                "--auth=scram-sha-256",
                f"--pwfile={folder / 'pw'}",
                "--no-sync",
                "--encoding=UTF8",
                "--locale=C",
            ]
        ),
        **run,
    )
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off"
    subprocess.run(
        _as_server_user(
            [
                str(binaries / "pg_ctl"),
                "-D",
                str(folder / "data"),
                "-o",
                options,
                "-l",
                str(folder / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            ]
        ),
        **run,
    )
    return f"postgresql+psycopg://postgres:{password}@127.0.0.1:{port}/postgres", password


def _stop_cluster(binaries: Path, folder: Path) -> None:
    subprocess.run(
        _as_server_user(
            [str(binaries / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "stop"]
        ),
        capture_output=True,
        timeout=60,
        check=False,
    )
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the session (see the module's docstring)."""
    given = os.environ.get(PG_URL_ENV)
    if given:
        from sqlalchemy.engine import make_url

        yield PostgresServer(given, str(make_url(given).password or ""))
        return
    binaries = server_binaries()
    if binaries is None:
        must_run, reason = without_server(os.environ.get("CI") == "true")
        (pytest.fail if must_run else pytest.skip)(reason)
        return
    folder = Path(tempfile.mkdtemp(prefix="pager-lab-pg-"))
    try:
        url, password = _start_cluster(binaries, folder)
    except subprocess.CalledProcessError as exc:
        log = folder / "server.log"
        detail = log.read_text() if log.exists() else exc.stderr
        _stop_cluster(binaries, folder)
        pytest.fail(f"could not start a throw-away PostgreSQL: {exc.cmd[0]}: {detail}")
    try:
        yield PostgresServer(url, password)
    finally:
        _stop_cluster(binaries, folder)
