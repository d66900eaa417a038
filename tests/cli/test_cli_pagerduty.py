"""`--to pagerduty[-local]` from the command line: the drill's incident, notify send, bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pager_lab.alerting.pd_emulator import EventsV2Emulator
from pager_lab.alerting.receiver import LocalReceiver
from tests.helpers import pager_lab

SECRET_KEY = "PDSECRETROUTINGKEY0123456789abcd"


def test_the_drill_opens_acknowledges_and_resolves_one_pagerduty_incident(tmp_path: Path) -> None:
    with LocalReceiver(events_v2=EventsV2Emulator(throttle_every=3)) as rx:
        out = pager_lab(
            "drill",
            "--plain",
            "--notify",
            "pagerduty-local",
            "--notify-port",
            str(rx.port),
            "--outbox",
            str(tmp_path / "o.db"),
            stdin="ignore\nack\n\n\nrestart\n",
        )
        assert out.returncode == 0, out.stderr
        actions = [m["body"]["event_action"] for m in rx.messages]
        keys = {m["body"]["dedup_key"] for m in rx.messages}
        incidents = rx.events_v2.incidents
    assert actions == ["trigger", "acknowledge", "resolve"]  # pages are PagerDuty's own job
    assert len(keys) == 1 and next(iter(keys)).startswith("pager-lab/INC-1/")
    (incident,) = incidents.values()
    assert incident.state == "resolved" and "Database Connection Failed" in incident.summary
    assert rx.events_v2.throttled >= 1, "throttled events were retried, none lost"


def test_notify_send_triggers_then_resolves_by_the_same_text(tmp_path: Path) -> None:
    outbox = str(tmp_path / "o.db")
    with LocalReceiver() as rx:
        common = ("--to", "pagerduty-local", "--port", str(rx.port), "--outbox", outbox)
        first = pager_lab("notify", "send", "disk full on db-1", *common)
        second = pager_lab("notify", "send", "disk full on db-1", "--event", "resolve", *common)
        incidents = rx.events_v2.incidents
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "PagerDuty accepted the trigger event: dedup_key pager-lab/send/" in first.stdout
    (incident,) = incidents.values()
    assert incident.state == "resolved"


def test_a_refused_event_is_one_line_with_pagerdutys_errors_and_kept(tmp_path: Path) -> None:
    env_key = os.environ.get("PAGER_LAB_PD_ROUTING_KEY")
    os.environ["PAGER_LAB_PD_ROUTING_KEY"] = "short-" + SECRET_KEY[:10]
    try:
        with LocalReceiver() as rx:
            out = pager_lab(
                "notify", "send", "x", "--to", "pagerduty-local", "--port", str(rx.port),
                "--outbox", str(tmp_path / "o.db"),
            )  # fmt: skip
    finally:
        if env_key is None:
            del os.environ["PAGER_LAB_PD_ROUTING_KEY"]
        else:
            os.environ["PAGER_LAB_PD_ROUTING_KEY"] = env_key
    lines = out.stderr.strip().splitlines()
    assert out.returncode != 0 and len(lines) == 1
    assert "PagerDuty answered 400" in lines[0]
    assert "Length of 'routing_key' is incorrect (should be 32 characters)" in lines[0]
    assert "kept in" in lines[0] and "Traceback" not in out.stderr
    assert SECRET_KEY[:10] not in out.stdout + out.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("notify", "send", "x", "--event", "resolve"), ["--event", "--to pagerduty"]),
        (("notify", "send", "x", "--dedup-key", "k"), ["--dedup-key", "--to pagerduty"]),
        (("notify", "send", "x", "--to", "pagerduty-local", "--dedup-key", ""), ["1-255"]),
        (("notify", "send", " ", "--to", "pagerduty-local"), ["TEXT", "summary"]),
        (("notify", "send", "x", "--to", "pagerduty", "--event", "page"), ["invalid choice"]),
        (("notify", "send", "x", "--to", "pagerduty"), ["PAGER_LAB_PD_ROUTING_KEY", "export"]),
        (("webhook", "serve", "--pd-throttle", "0"), ["--pd-throttle", "'0'"]),
        (("drill", "--notify", "pagerduty"), ["PAGER_LAB_PD_ROUTING_KEY", "pagerduty-local"]),
    ],
)
def test_wrong_pagerduty_input_is_one_clear_line(args, words, tmp_path: Path) -> None:
    saved = os.environ.pop("PAGER_LAB_PD_ROUTING_KEY", None)
    try:
        out = pager_lab(*args, "--outbox", str(tmp_path / "o.db"), cwd=tmp_path)
    finally:
        if saved is not None:
            os.environ["PAGER_LAB_PD_ROUTING_KEY"] = saved
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 2, out.stderr
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    for word in words:
        assert word in lines[0]
