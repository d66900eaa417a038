"""Bad inputs to `webhook serve`, `notify` and `ingest` through the real CLI.

Each gives exactly one line on stderr naming the flag or file and the bad value,
a non-zero exit (or, for a warning, one line and the command still works), and
never a traceback.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from pager_lab.alerting.outbox import Outbox
from pager_lab.alerting.receiver import LocalReceiver
from tests.helpers import DATA, SECRET_PATH, free_port, pager_lab

GOOD = json.dumps({"id": "k1", "style": "slack", "payload": {"text": "kept"}})
EVENT = (DATA / "events" / "events-v2.jsonl").read_text(encoding="utf-8").splitlines()[0]


def _legacy_with_a_corrupt_line(tmp: Path) -> str:
    path = tmp / "old.jsonl"
    path.write_text(GOOD + "\n{not json\n" + GOOD.replace("k1", "k2") + "\n")
    return str(path)


def _corrupt_row(tmp: Path) -> str:
    outbox = Outbox(tmp / "o.db")
    outbox.add({"text": "one"}, "slack", "k1")
    outbox.add({"text": "two"}, "slack", "k2")
    with sqlite3.connect(outbox.path) as db:
        db.execute("UPDATE messages SET payload = 'oops' WHERE key = 'k2'")
    return str(outbox.path)


def _not_utf8(tmp: Path) -> str:
    path = tmp / "events.jsonl"
    path.write_bytes(EVENT.encode() + b"\n\xff\xfe broken\n" + EVENT.encode() + b"\n")
    return str(path)


def _binary(tmp: Path) -> str:
    path = tmp / "outbox.db"
    path.write_bytes(b"\x00\x01\x02 not a database" * 100)
    return str(path)


SERVE = ("webhook", "serve")
SEND = ("notify", "send", "hello", "--port", "1")
# name: (arguments (a callable makes a file in tmp_path), exit code, words the line must hold)
CASES = {
    "port too big": ((*SERVE, "--port", "99999"), 2, ["--port", "99999", "0-65535"]),
    "port negative": ((*SERVE, "--port", "-1"), 2, ["--port", "-1", "0-65535"]),
    "port not a number": ((*SERVE, "--port", "abc"), 2, ["--port", "abc"]),
    "status 999": ((*SERVE, "--status", "999"), 2, ["--status", "999", "200-599"]),
    "status text": ((*SERVE, "--status", "teapot"), 2, ["--status", "teapot"]),
    "retry-after negative": (
        (*SERVE, "--status", "429", "--retry-after", "-1"),
        2,
        ["--retry-after", "-1", ">= 0"],
    ),
    "retry-after without 429": (
        (*SERVE, "--status", "500", "--retry-after", "2"),
        2,
        ["--retry-after", "--status 429"],
    ),
    "retry-after infinite": (
        (*SERVE, "--status", "429", "--retry-after", "inf"),
        2,
        ["--retry-after", "inf"],
    ),
    "fail-rate 2": ((*SERVE, "--fail-rate", "2"), 2, ["fail_rate", "2", "between 0 and 1"]),
    "delay negative": ((*SERVE, "--delay", "-1"), 2, ["--delay", "-1"]),
    "times 0": ((*SERVE, "--status", "500", "--times", "0"), 2, ["--times", "0", ">= 1"]),
    "times without status": ((*SERVE, "--times", "3"), 2, ["--times", "3", "--status"]),
    "seed without fail-rate": ((*SERVE, "--seed", "7"), 2, ["--seed", "7", "--fail-rate"]),
    "retries negative": ((*SEND, "--retries", "-1"), 2, ["--retries", "-1", ">= 0"]),
    "retries not whole": ((*SEND, "--retries", "1.5"), 2, ["--retries", "1.5"]),
    "max-wait negative": ((*SEND, "--max-wait", "-5"), 2, ["--max-wait", "-5"]),
    "max-refusals 0": ((*SEND, "--max-refusals", "0"), 2, ["--max-refusals", "0"]),
    "notify port too big": (
        ("notify", "send", "x", "--port", "70000"),
        2,
        ["--port", "70000"],
    ),
    "drill notify port too big": (
        ("drill", "--notify", "local", "--notify-port", "99999"),
        2,
        ["--notify-port", "99999", "0-65535"],
    ),
    "drill notify retries negative": (
        ("drill", "--notify", "local", "--notify-retries", "-1"),
        2,
        ["--notify-retries", "-1", ">= 0"],
    ),
    "unknown destination": (
        ("notify", "send", "x", "--to", "carrier-pigeon"),
        2,
        ["--to", "carrier-pigeon", "slack, local, pagerduty, pagerduty-local or an http(s)://"],
    ),
    "outbox is a folder (send)": (
        ("notify", "send", "x", "--outbox", lambda tmp: str(tmp)),
        2,
        ["--outbox", "not a folder"],
    ),
    "outbox is a folder (flush)": (
        ("notify", "flush", "--outbox", lambda tmp: str(tmp)),
        2,
        ["--outbox", "not a folder"],
    ),
    "outbox in a missing folder": (
        ("notify", "send", "x", "--outbox", lambda tmp: str(tmp / "nope" / "o.db")),
        2,
        ["--outbox", "o.db", "existing folder"],
    ),
    "outbox not a database": (
        ("notify", "list", "--outbox", _binary),
        2,
        ["--outbox", "outbox.db", "SQLite outbox"],
    ),
    "old outbox with a corrupt line": (
        ("notify", "list", "--outbox", _legacy_with_a_corrupt_line),
        1,
        ["old.jsonl:2:", "not imported"],
    ),
    "outbox with a corrupt row": (
        ("notify", "list", "--outbox", _corrupt_row),
        1,
        ["o.db: row 2 (key k2)", "'oops'", "left in place"],
    ),
    "ingest non-UTF-8": (("ingest", _not_utf8), 1, ["events.jsonl:2:", "expected UTF-8"]),
    "ingest a folder": (("ingest", lambda tmp: str(tmp)), 2, ["ingest FILE", "not a folder"]),
    "ingest a missing file": (
        ("ingest", lambda tmp: str(tmp / "nope.jsonl")),
        2,
        ["ingest FILE", "nope.jsonl", "No such file"],
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_input_is_one_clear_line(name, tmp_path: Path):
    args, code, words = CASES[name]
    out = pager_lab(*(a(tmp_path) if callable(a) else a for a in args), cwd=tmp_path)
    assert out.returncode == code, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert "Traceback" not in out.stderr + out.stdout
    for word in words:
        assert word in lines[0]


def test_kept_lines_survive_a_corrupt_one(tmp_path: Path):
    """The other lines of a corrupt outbox or events file are kept and used."""
    listed = pager_lab("notify", "list", "--outbox", _legacy_with_a_corrupt_line(tmp_path))
    assert "2 message(s) waiting" in listed.stdout
    ingested = pager_lab("ingest", _not_utf8(tmp_path))
    assert "2 events" in ingested.stdout.splitlines()[-1]


def test_a_plain_http_slack_url_is_one_warning_line_without_the_url(monkeypatch, tmp_path):
    with LocalReceiver() as receiver:
        monkeypatch.setenv("PAGER_LAB_SLACK_WEBHOOK_URL", receiver.url(SECRET_PATH))
        out = pager_lab("notify", "send", "hi", "--to", "slack", cwd=tmp_path)
        assert out.returncode == 0 and len(receiver.messages) == 1
    (line,) = out.stderr.strip().splitlines()
    assert line.startswith("pager-lab: warning: --to: the Slack webhook URL in ")
    assert "plain http://" in line and "SECRET" not in out.stderr + out.stdout


def test_no_receiver_keeps_the_message_and_says_where(tmp_path: Path):
    port = str(free_port())
    out = pager_lab("notify", "send", "x", "--port", port, "--retries", "0", cwd=tmp_path)
    assert out.returncode == 1
    (line,) = out.stderr.strip().splitlines()
    assert "not delivered, kept in .pager-lab-outbox.db" in line and "refused" in line


def test_the_drill_warns_once_of_a_plain_http_slack_url_and_still_runs(monkeypatch, tmp_path):
    with LocalReceiver() as receiver:
        monkeypatch.setenv("PAGER_LAB_SLACK_WEBHOOK_URL", receiver.url(SECRET_PATH))
        out = pager_lab("drill", "--notify", "slack", stdin="ack\n\n\nrestart\n", cwd=tmp_path)
        assert out.returncode == 0, out.stderr
        assert len(receiver.messages) >= 3  # trigger, ack, resolution at least
    warnings = [line for line in out.stderr.splitlines() if "plain http://" in line]
    assert len(warnings) == 1 and "--notify" in warnings[0]
    assert "SECRET" not in out.stderr + out.stdout
