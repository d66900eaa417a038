"""`pager-lab webhook serve`, `notify send|flush` and `drill --notify` as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pager_lab.alerting.outbox import Outbox
from pager_lab.alerting.receiver import LocalReceiver, Misbehaviour
from tests.helpers import ROOT, SECRET_PATH, free_port, pager_lab


@pytest.fixture
def served():
    """`pager-lab webhook serve` on a free 127.0.0.1 port, stopped after the test."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pager_lab",
            "webhook",
            "serve",
            "--port",
            str(port),
            "--status",
            "429",
            "--retry-after",
            "1",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ | {"PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"},
    )
    try:
        assert "listening on http://127.0.0.1:" in proc.stdout.readline()
        yield port, proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_prints_posts_and_misbehaves_as_told(served, tmp_path: Path):
    port, proc = served
    start = time.monotonic()
    out = pager_lab(
        "notify",
        "send",
        "hello class",
        "--to",
        "local",
        "--port",
        str(port),
        "--outbox",
        str(tmp_path / "o.jsonl"),
    )
    assert out.returncode == 0, out.stderr
    assert time.monotonic() - start >= 1.0  # the first post got 429 Retry-After: 1
    assert "after 2 attempt(s)" in out.stdout
    answered = proc.stdout.readline().strip()
    assert answered == "answered 429 rate_limited with Retry-After: 1 s (misbehaving on purpose)"
    assert proc.stdout.readline().strip() == "[slack] ℹ️ hello class"
    (retry,) = [line for line in out.stderr.splitlines() if "waiting" in line]
    assert (
        "attempt 1/5: answered 429 rate_limited; waiting 1.0 s (Retry-After) before attempt 2"
        in retry
    )
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/messages", timeout=5) as answer:
        assert json.loads(answer.read())[0]["body"]["text"] == "ℹ️ hello class"


def test_notify_flush_sends_what_waited(tmp_path: Path):
    port = free_port()
    outbox = str(tmp_path / "o.jsonl")
    out = pager_lab(
        "notify",
        "send",
        "nobody home",
        "--to",
        "local",
        "--port",
        str(port),
        "--outbox",
        outbox,
        "--retries",
        "0",
    )
    assert out.returncode == 1 and "kept in" in out.stderr
    with LocalReceiver(port) as receiver:
        out = pager_lab("notify", "flush", "--to", "local", "--port", str(port), "--outbox", outbox)
        assert out.returncode == 0 and out.stdout.startswith("delivered 1, still waiting 0")
        out = pager_lab("notify", "flush", "--to", "local", "--port", str(port), "--outbox", outbox)
        assert out.stdout.startswith("delivered 0, still waiting 0")
        assert [m["body"]["text"] for m in receiver.messages] == ["ℹ️ nobody home"]


def drill_notifying(port: int, *more: str, stdin: str = "ack\n\n\nrestart\n"):
    """`pager-lab drill --notify local` to *port*, answered with *stdin*."""
    return pager_lab("drill", "--notify", "local", "--notify-port", str(port), *more, stdin=stdin)


def test_drill_notify_posts_trigger_pages_ack_and_resolution():
    with LocalReceiver() as receiver:
        out = drill_notifying(receiver.port, stdin="ignore\nack\n\n\nrestart\n")
        assert out.returncode == 0, out.stderr
        texts = [m["body"]["text"] for m in receiver.messages]
    assert texts == [
        "🚨 ALERT: Database Connection Failed",
        "📟 Paging Alice: Database Connection Failed",
        "📟 Paging Bob: Database Connection Failed",
        "✅ Acknowledged by Bob: Database Connection Failed",
        "✅ Resolved by Bob: Database Connection Failed",
    ]


def test_drill_keeps_going_when_notifications_fail(tmp_path: Path):
    out = drill_notifying(
        free_port(), "--outbox", str(tmp_path / "o.jsonl"), "--notify-retries", "0"
    )
    assert out.returncode == 0
    assert "Service Restarted" in out.stdout
    assert "notification queued" in out.stderr
    assert len(Outbox(tmp_path / "o.jsonl")) == 4


def test_slack_without_the_variable_is_one_clear_line(monkeypatch):
    env = {k: v for k, v in os.environ.items() if k != "PAGER_LAB_SLACK_WEBHOOK_URL"}
    out = subprocess.run(
        [sys.executable, "-m", "pager_lab", "notify", "send", "x", "--to", "slack"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert out.returncode == 2
    assert "PAGER_LAB_SLACK_WEBHOOK_URL" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_a_url_on_the_command_line_is_never_printed(tmp_path: Path):
    port = free_port()
    url = f"http://127.0.0.1:{port}{SECRET_PATH}"
    out = pager_lab(
        "notify", "send", "x", "--to", url, "--outbox", str(tmp_path / "o.jsonl"), "--retries", "1"
    )
    assert out.returncode == 1
    assert "SECRET" not in out.stdout + out.stderr
    assert "(redacted)" in out.stderr


def test_a_refused_message_says_where_it_was_kept_and_ends_as_a_dead_letter(tmp_path: Path):
    outbox = str(tmp_path / "o.db")
    with LocalReceiver(misbehaviour=Misbehaviour([400] * 5)) as receiver:
        where = ("--port", str(receiver.port), "--outbox", outbox, "--max-refusals", "2")
        out = pager_lab("notify", "send", "bad", *where)
        assert out.returncode == 2
        (line,) = out.stderr.strip().splitlines()
        assert "Slack answered 400 invalid_payload" in line and f"kept in {outbox}" in line
        out = pager_lab("notify", "flush", *where)
        assert out.returncode == 0 and "dead letters 1" in out.stdout
        assert "(refusal 2, dead)" in out.stderr
        assert receiver.attempts == 2
    listed = pager_lab("notify", "list", "--dead", "--outbox", outbox)
    assert listed.returncode == 0 and "1 dead letter(s)" in listed.stdout
    assert "'ℹ️ bad'" in listed.stdout and "invalid_payload" in listed.stdout


def test_the_drill_shows_each_notification_retry_on_stderr(tmp_path: Path):
    with LocalReceiver(misbehaviour=Misbehaviour([500])) as receiver:
        out = drill_notifying(receiver.port, "--outbox", str(tmp_path / "o.db"))
        assert out.returncode == 0, out.stderr
        assert len(receiver.messages) == 4 and receiver.attempts == 5
    (line,) = out.stderr.strip().splitlines()
    assert line.startswith("⚠️  notification attempt 1/5: answered 500 rollup_error; waiting ")
