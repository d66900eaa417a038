"""PagerDuty Events v2 out: event shapes, the secret routing key, and faults counted.

Against the tests' own stand-in (pd_fault_receiver.py): nothing lost (delivered, or
waiting in the outbox), nothing doubled (each message stored once by its key), the
routing key in every request and nowhere else.
"""

from __future__ import annotations

import logging
import pickle
import time
from pathlib import Path

import pytest
import requests

from pager_lab.alerting.notify import Notifier
from pager_lab.alerting.outbox import Outbox
from pager_lab.alerting.pagerduty import (
    LOCAL_ROUTING_KEY,
    PagerDutyError,
    PagerDutyNotifier,
    RoutingKey,
    make_notifier,
    pd_event,
    pd_severity,
)
from pager_lab.alerting.pd_emulator import EventsV2Emulator
from pager_lab.alerting.receiver import LocalReceiver
from pager_lab.alerting.secret_url import WebhookURL, scrub
from pager_lab.core.errors import ConfigError
from tests.alerting.pd_fault_receiver import PagerDutyFaults

KEY = "PDSECRETROUTINGKEY0123456789abcd"


def notifier_for(url: str, outbox: Outbox | None, lines: list[str], **kw) -> PagerDutyNotifier:
    kw = {"retries": 2, "backoff": 0.01, "read_timeout": 0.3, "seed": 1, **kw}
    return PagerDutyNotifier(
        WebhookURL(url), outbox, routing_key=RoutingKey(KEY), report=lines.append, **kw
    )


def test_events_have_the_v2_shape_and_no_routing_key() -> None:
    trigger = pd_event("trigger", "k-1", summary="db down", severity="SEV1", component="db")
    assert trigger == {
        "event_action": "trigger",
        "dedup_key": "k-1",
        "payload": {
            "summary": "db down",
            "source": "pager-lab",
            "severity": "critical",
            "component": "db",
        },
        "client": "pager_lab",
    }
    assert pd_event("resolve", "k-1") == {"event_action": "resolve", "dedup_key": "k-1"}
    assert len(pd_event("trigger", "k", summary="x" * 5000)["payload"]["summary"]) == 1024
    assert [pd_severity(s) for s in ("SEV2", "SEV3", "sev4", "warning", "")] == [
        "error",
        "warning",
        "info",
        "warning",
        "error",
    ]
    with pytest.raises(ValueError, match="'page' must be one of trigger"):
        pd_event("page", "k")
    with pytest.raises(ValueError, match="needs a summary"):
        pd_event("trigger", "k")


def test_the_routing_key_never_shows(monkeypatch, caplog) -> None:
    key = RoutingKey(KEY, "PAGER_LAB_PD_ROUTING_KEY")
    assert KEY not in repr(key) + str(key) + f"{key}"
    with pytest.raises(TypeError, match="secret"):
        pickle.dumps(key)
    assert scrub(f"answer echoed {KEY}") == "answer echoed <redacted>"
    with caplog.at_level(logging.DEBUG, logger="urllib3"):
        logging.getLogger("urllib3.connectionpool").debug("body %s", KEY)
    assert KEY not in caplog.text
    monkeypatch.delenv("PAGER_LAB_PD_ROUTING_KEY", raising=False)
    with pytest.raises(ConfigError, match=r"PAGER_LAB_PD_ROUTING_KEY = ''.*export"):
        RoutingKey.from_env()
    with pytest.raises(ConfigError) as info:
        RoutingKey("has a space " + KEY)
    assert KEY not in str(info.value)
    notifier = make_notifier(
        WebhookURL("https://events.pagerduty.com/v2/enqueue"), "pagerduty", routing_key=key
    )
    assert KEY not in repr(notifier)


# fault script -> (delivered by send?, requests the send made)
FAULTS = {
    "202": (["ok"], True, 1),
    "slow then ok": (["slow", "ok"], True, 2),
    "reset then ok": (["reset", "ok"], True, 2),
    "429 then ok (backoff)": (["429", "ok"], True, 2),
    "429 every time": (["429"] * 3, False, 3),
    "500 then ok": (["500", "ok"], True, 2),
    "400 invalid event": (["400"], False, 1),
}


@pytest.mark.parametrize("name", FAULTS)
def test_each_fault_loses_nothing_and_doubles_nothing(name, tmp_path: Path) -> None:
    faults, delivered_by_send, requests_made = FAULTS[name]
    outbox, lines = Outbox(tmp_path / "outbox.db"), []
    with PagerDutyFaults(faults) as pd:
        notifier = notifier_for(pd.url, outbox, lines)
        event = pd_event("trigger", "pager-lab/INC-1/x", summary=name)
        start = time.monotonic()
        try:
            delivery = notifier.send(event)
            key, shown = delivery.key, delivery.reason + repr(delivery)
            assert delivery.delivered is delivered_by_send
        except PagerDutyError as exc:
            assert not delivered_by_send
            text = str(exc)
            assert "'payload.severity' is invalid; 'payload.source' is missing" in text
            assert "\n" not in text and "not retried" in text and "kept in" in text
            (key,), shown = [m.key for m in outbox.messages()], text
        assert time.monotonic() - start < 10
        assert pd.requests[key] == requests_made
        if name.startswith("429"):
            assert any("429: throttled" in line and "waiting" in line for line in lines)
        assert len(outbox) == (0 if delivered_by_send else 1)
        if delivered_by_send:
            assert notifier.accepted[key] == "pager-lab/INC-1/x"
        pd.faults.clear()
        assert outbox.flush(notifier) == (0 if delivered_by_send else 1, 0)
        assert outbox.flush(notifier) == (0, 0), "a delivered event is never sent again"
        assert pd.stored[key] == 1 and pd.events["pager-lab/INC-1/x"] == 1
        assert pd.routing_keys == {KEY}, "every request carried the key"
    stored = b"".join(f.read_bytes() for f in tmp_path.iterdir()).decode("latin-1")
    for text in (shown, "\n".join(lines), stored, repr(outbox), repr(notifier)):
        assert KEY not in text


def test_a_pagerduty_message_waits_for_a_pagerduty_flush(tmp_path: Path) -> None:
    outbox, lines = Outbox(tmp_path / "o.db"), []
    with PagerDutyFaults(["429"] * 3) as pd:
        assert not notifier_for(pd.url, outbox, lines).send(pd_event("resolve", "k")).delivered
        slack = Notifier(WebhookURL(pd.url.replace("/v2/enqueue", "/slack")), outbox, retries=0)
        assert outbox.flush(slack) == (0, 1), "not sent to Slack, not refused, still waiting"
        assert sum(pd.requests.values()) == 3
        assert outbox.flush(notifier_for(pd.url, outbox, lines)) == (1, 0)
        assert pd.events["k"] == 1


def test_the_local_receiver_emulates_events_v2_with_throttling() -> None:
    lines: list[str] = []
    with LocalReceiver(events_v2=EventsV2Emulator(throttle_every=2), echo=lines.append) as rx:
        url = rx.url("/v2/enqueue")
        notifier = notifier_for(url, None, [], seed=2)
        notifier.routing_key = RoutingKey(LOCAL_ROUTING_KEY)
        for action in ("trigger", "acknowledge", "resolve"):
            event = pd_event(action, "pager-lab/INC-7/z", summary="api slow", severity="SEV2")
            delivery = notifier.post(event)
            assert delivery.delivered and delivery.attempts == 2  # 1st of every 2 throttled
        incident = rx.events_v2.incidents["pager-lab/INC-7/z"]
        assert (incident.state, incident.events, incident.severity) == ("resolved", 1, "error")
        assert rx.events_v2.throttled == 3 and len(rx.messages) == 3
        bad = {"event_action": "trigger", "routing_key": "short"}
        assert requests.post(url, json=bad, timeout=5).status_code == 429  # 7th post: throttled
        answer = requests.post(url, json=bad, timeout=5)
        assert answer.status_code == 400
        assert answer.json()["status"] == "invalid event"
        assert (
            "Length of 'routing_key' is incorrect (should be 32 characters)"
            in answer.json()["errors"]
        )
        assert "'payload' is missing or blank" in answer.json()["errors"]
        stored = requests.get(rx.url("/messages"), timeout=5).text
    assert LOCAL_ROUTING_KEY not in stored and "<redacted>" in stored
    assert "[pagerduty] trigger pager-lab/INC-7/z: api slow (new incident)" in lines
    assert "answered 429 throttle event (throttling mode)" in lines


def test_a_retried_event_is_answered_again_but_applied_once() -> None:
    with LocalReceiver() as rx:
        body = {**pd_event("trigger", "dup", summary="x"), "routing_key": LOCAL_ROUTING_KEY}
        headers = {"Idempotency-Key": "same-key"}
        for _ in range(2):
            answer = requests.post(rx.url("/v2/enqueue"), json=body, headers=headers, timeout=5)
            assert answer.status_code == 202 and answer.json()["dedup_key"] == "dup"
        assert rx.events_v2.incidents["dup"].events == 1 and rx.duplicates == 1
