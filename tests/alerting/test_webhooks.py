"""Notifications over real HTTP against the local receiver on 127.0.0.1 (no mocked requests)."""

from __future__ import annotations

import json
import logging
import time
import urllib.request
from pathlib import Path

import pytest

from pager_lab.alerting.notify import Notifier, Outbox, SlackError, WebhookError, slack_payload
from pager_lab.alerting.receiver import LocalReceiver, Misbehaviour
from pager_lab.alerting.secret_url import SLACK_ENV, WebhookURL
from pager_lab.core.errors import ConfigError
from tests.helpers import SECRET_PATH, free_port


@pytest.fixture
def receiver():
    with LocalReceiver() as r:
        yield r


def notifier_for(receiver: LocalReceiver, **kwargs) -> Notifier:
    kwargs.setdefault("backoff", 0.01)
    return Notifier(WebhookURL(receiver.url(SECRET_PATH)), **kwargs)


def test_success_delivers_a_slack_message_with_blocks(receiver):
    payload = slack_payload(
        "trigger",
        "Database Connection Failed",
        severity="SEV2",
        runbook_steps=["1. Check RDS CPU"],
        timeline=["+0.0 min alert"],
    )
    delivery = notifier_for(receiver).post(payload)
    assert delivery.delivered and delivery.status == 200 and delivery.attempts == 1
    (message,) = receiver.messages
    assert message["path"] == SECRET_PATH
    assert message["body"]["text"] == "🚨 ALERT: Database Connection Failed"
    assert [b["type"] for b in message["body"]["blocks"]] == [
        "header",
        "section",
        "section",
        "context",
    ]
    with urllib.request.urlopen(receiver.url("/messages"), timeout=5) as answer:
        assert json.loads(answer.read())[0]["body"]["text"] == message["body"]["text"]


def test_429_honours_retry_after(receiver):
    receiver.misbehaviour = Misbehaviour([429], retry_after=1)
    start = time.monotonic()
    delivery = notifier_for(receiver).post({"text": "hi"})
    assert time.monotonic() - start >= 1.0, "the retry must wait at least Retry-After"
    assert delivery.delivered and delivery.attempts == 2
    assert receiver.attempts == 2 and len(receiver.messages) == 1


def test_500_then_success_is_retried(receiver):
    receiver.misbehaviour = Misbehaviour([500, 503])
    delivery = notifier_for(receiver).post({"text": "hi"})
    assert delivery.delivered and delivery.attempts == 3 and receiver.attempts == 3


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (410, "channel_is_archived"),
        (404, "channel_not_found"),
        (400, "invalid_payload"),
        (403, "action_prohibited"),
    ],
)
def test_permanent_slack_errors_are_not_retried(receiver, status, code):
    receiver.misbehaviour = Misbehaviour([status])
    with pytest.raises(SlackError) as err:
        notifier_for(receiver).post({"text": "hi"})
    assert receiver.attempts == 1
    assert err.value.code == code and str(status) in str(err.value)
    assert "SECRET" not in str(err.value)


def test_a_read_timeout_is_reported_without_the_url(receiver):
    receiver.misbehaviour = Misbehaviour(delay=1.0)
    notifier = notifier_for(receiver, read_timeout=0.2, retries=1)
    with pytest.raises(WebhookError, match=r"no answer within the read timeout \(0\.2 s\)") as err:
        notifier.post({"text": "hi"})
    assert "SECRET" not in str(err.value) and SECRET_PATH not in repr(err.value)
    assert receiver.attempts == 2  # one retry


def test_connection_refused_goes_to_the_outbox_and_is_flushed_exactly_once(tmp_path: Path):
    port = free_port()
    url = WebhookURL(f"http://127.0.0.1:{port}{SECRET_PATH}")
    outbox = Outbox(tmp_path / "outbox.db")
    notifier = Notifier(url, outbox, backoff=0.01, retries=1)
    delivery = notifier.send({"text": "page Alice"})
    assert delivery.queued and not delivery.delivered
    assert "connection refused" in delivery.reason
    assert len(outbox) == 1
    assert not any(b"SECRET" in f.read_bytes() for f in tmp_path.iterdir())
    with LocalReceiver(port) as receiver:
        assert outbox.flush(notifier) == (1, 0)
        assert outbox.flush(notifier) == (0, 0)
        assert [m["body"]["text"] for m in receiver.messages] == ["page Alice"]
    assert len(outbox) == 0


def test_a_failed_flush_keeps_the_message(tmp_path: Path, receiver):
    outbox = Outbox(tmp_path / "o.db")
    outbox.add({"text": "one"}, "slack")
    outbox.add({"text": "two"}, "slack")
    receiver.misbehaviour = Misbehaviour([500] * 2)  # 'one' fails twice (retries=1) ...
    notifier = notifier_for(receiver, retries=1)
    assert outbox.flush(notifier) == (1, 1)  # ... 'two' goes through
    assert [e["payload"]["text"] for e in outbox.entries()] == ["one"]


def test_the_url_never_appears_in_output_logs_or_reprs(receiver, capfd, caplog):
    caplog.set_level(logging.DEBUG)
    receiver.misbehaviour = Misbehaviour([500, 500])
    url = WebhookURL(receiver.url(SECRET_PATH))
    notifier = Notifier(url, backoff=0.01)
    notifier.post({"text": "hi"})
    shown = " ".join([repr(url), str(url), f"{url}", repr(notifier), url.redacted])
    out, err = capfd.readouterr()
    everything = shown + out + err + caplog.text
    assert "SECRET" not in everything and "XyZsecret" not in everything
    assert "(redacted)" in repr(url)
    with pytest.raises(TypeError, match="secret"):
        import pickle

        pickle.dumps(url)


def test_slack_url_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv(SLACK_ENV, raising=False)
    with pytest.raises(ConfigError, match=SLACK_ENV):
        WebhookURL.from_env()
    monkeypatch.setenv(SLACK_ENV, "https://hooks.slack.com" + SECRET_PATH)
    url = WebhookURL.from_env()
    assert url.reveal().endswith("XyZsecretTOKEN123")
    assert repr(url) == "WebhookURL('https://hooks.slack.com/… (redacted)')"
    with pytest.raises(ConfigError) as err:
        WebhookURL("not a url " + SECRET_PATH)
    assert "SECRET" not in str(err.value)


def test_receiver_fail_rate_is_seeded_and_bounded():
    a = Misbehaviour(fail_rate=0.5, seed=3)
    b = Misbehaviour(fail_rate=0.5, seed=3)
    draws = [a.next_status() for _ in range(40)]
    assert draws == [b.next_status() for _ in range(40)]
    assert set(draws) == {200, 500}
    with pytest.raises(ValueError, match=r"fail_rate \(2\)"):
        Misbehaviour(fail_rate=2)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://hooks.slack.com/services/T0/B0/PATHSECRET", "https://hooks.slack.com/…"),
        ("http://hook:PASSSECRET@example.com/x", "http://example.com/…"),
        ("http://USERSECRET@example.com", "http://example.com/…"),
        ("https://example.com/hook?token=QUERYSECRET", "https://example.com/…"),
        ("https://example.com?token=QUERYSECRET", "https://example.com/…"),
        ("https://example.com/#FRAGSECRET", "https://example.com/…"),
        ("http://hook:PASSSECRET@example.com:8443/p/PATHSECRET", "http://example.com:8443/…"),
        ("http://[::1]:8765/services/PATHSECRET", "http://[::1]:8765/…"),
        (
            "https://u:PASSSECRET@[2001:db8::1]/x?k=QUERYSECRET#FRAGSECRET",
            "https://[2001:db8::1]/…",
        ),
        ("https://example.com", "https://example.com"),
        ("https://example.com/", "https://example.com"),
    ],
)
def test_the_redacted_form_hides_user_info_path_query_and_fragment(url, shown, caplog):
    webhook = WebhookURL(url)
    assert webhook.redacted == f"{shown} (redacted)"
    assert webhook.reveal() == url
    logging.getLogger("urllib3.connectionpool").warning("POST %s", url)
    for text in (repr(webhook), str(webhook), f"{webhook}", repr(Notifier(webhook)), caplog.text):
        assert "SECRET" not in text


def test_the_secret_is_in_no_output_log_repr_or_outbox_of_a_failing_send(
    tmp_path: Path, capfd, caplog
):
    caplog.set_level(logging.DEBUG)
    port = free_port()
    url = WebhookURL(f"http://hook:PASSSECRET@127.0.0.1:{port}{SECRET_PATH}?t=QUERYSECRET")
    lines: list[str] = []
    outbox = Outbox(tmp_path / "o.db")
    delivery = Notifier(url, outbox, retries=1, backoff=0.01, report=lines.append).send(
        {"text": "x"}
    )
    assert delivery.queued
    out, err = capfd.readouterr()
    stored = b"".join(f.read_bytes() for f in tmp_path.iterdir()).decode("latin-1")
    everything = [out, err, caplog.text, *lines, repr(delivery), repr(outbox), stored]
    assert len(lines) == 1 and all("SECRET" not in text for text in everything)
