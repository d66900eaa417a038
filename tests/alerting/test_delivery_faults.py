"""Delivery against the tests' own fault-injecting receiver: nothing lost, nothing doubled.

Counted per message (by idempotency key) at the receiver: ``requests`` (posts whose
body arrived; more than one only for retries of the same key) and ``stored``
(what the receiver kept after deduplicating by key: exactly 1 once delivered);
and in the outbox, the rows still pending. "Lost" would be a message neither
stored nor pending; "doubled" a key stored twice.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pager_lab.alerting.errors import RefusedError, SlackError
from pager_lab.alerting.notify import IDEMPOTENCY_HEADER, Notifier
from pager_lab.alerting.outbox import Outbox
from pager_lab.alerting.receiver import LocalReceiver, Misbehaviour
from pager_lab.alerting.secret_url import WebhookURL
from tests.alerting.fault_receiver import FaultReceiver
from tests.helpers import ROOT, SECRET_PATH


def make_notifier(receiver: FaultReceiver, outbox: Outbox | None, lines: list[str], **kw):
    kw = {"retries": 2, "backoff": 0.01, "read_timeout": 0.3, **kw}
    return Notifier(WebhookURL(receiver.url(SECRET_PATH)), outbox, report=lines.append, **kw)


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        assert "SECRET" not in text and "XyZsecret" not in text


# fault script -> (delivered by send?, requests the send made)
FAULTS = {
    "slow then ok": (["slow", "ok"], True, 2),
    "slow every time": (["slow"] * 3, False, 3),
    "reset then ok": (["reset", "ok"], True, 2),
    "429 Retry-After 3600": (["429"], False, 1),
    "500 then ok": (["500", "ok"], True, 2),
    "400 invalid_payload": (["400"], False, 1),
    "410 channel_is_archived": (["410"], False, 1),
    "2 MB answer, every time": (["big"] * 3, False, 3),
}


@pytest.mark.parametrize("name", FAULTS)
def test_each_fault_loses_nothing_and_doubles_nothing(name, tmp_path: Path):
    faults, delivered_by_send, requests = FAULTS[name]
    outbox, lines = Outbox(tmp_path / "outbox.db"), []
    with FaultReceiver(faults, slow_seconds=0.8) as receiver:
        notifier = make_notifier(receiver, outbox, lines)
        start = time.monotonic()
        try:
            delivery = notifier.send({"text": name})
            key, shown = delivery.key, delivery.reason + repr(delivery)
            assert delivery.delivered is delivered_by_send
        except RefusedError as exc:
            assert not delivered_by_send and str(outbox.path) in str(exc) and "kept" in str(exc)
            (key,), shown = [m.key for m in outbox.messages()], str(exc)
        assert time.monotonic() - start < 10, "no wait longer than the cap"
        assert receiver.requests[key] == requests
        assert receiver.stored[key] == (1 if faults[0] == "slow" or delivered_by_send else 0)
        assert len(outbox) == (0 if delivered_by_send else 1), "undelivered waits in the outbox"
        pending = outbox.messages()
        assert all(m.reason and len(m.reason) <= 300 for m in pending), "answers are cut"
        assert all(len(line) < 500 for line in lines), "a 2 MB answer is never echoed"
        receiver.faults.clear()
        assert outbox.flush(notifier) == (0 if delivered_by_send else 1, 0)
        assert outbox.flush(notifier) == (0, 0), "a delivered message is never sent again"
        assert receiver.stored[key] == 1, "stored exactly once"
        assert sum(receiver.stored.values()) == 1
    database = b"".join(f.read_bytes() for f in tmp_path.iterdir())
    assert_no_secret(shown, "\n".join(lines), database.decode("latin-1"), repr(outbox))


def test_a_read_timeout_is_recorded_as_maybe_delivered_and_resent_with_the_same_key(
    tmp_path: Path,
):
    outbox = Outbox(tmp_path / "o.db")
    with FaultReceiver(["slow"] * 3, slow_seconds=0.8) as receiver:
        notifier = make_notifier(receiver, outbox, [])
        delivery = notifier.send({"text": "slow"})
        assert delivery.queued and delivery.maybe_delivered
        assert "may have been delivered" in delivery.reason
        (row,) = outbox.messages()
        assert row.state == "maybe_delivered" and row.key == delivery.key
        outbox.flush(notifier)
        assert receiver.requests == {delivery.key: 4} and receiver.stored == {delivery.key: 1}


def test_retry_after_above_the_cap_is_not_slept_and_is_kept(tmp_path: Path):
    slept: list[float] = []
    outbox, lines = Outbox(tmp_path / "o.db"), []
    with FaultReceiver(["429"]) as receiver:
        notifier = make_notifier(receiver, outbox, lines, sleep=slept.append, max_wait=60)
        delivery = notifier.send({"text": "rate limited"})
    assert slept == [] and delivery.queued
    assert "Retry-After 3600 s is longer than the 60 s cap" in delivery.reason
    assert len(outbox) == 1


def test_an_interrupt_during_the_wait_leaves_the_message_in_the_outbox(tmp_path: Path):
    def interrupted(seconds: float) -> None:
        assert len(outbox) == 1, "kept before waiting"
        raise KeyboardInterrupt

    outbox = Outbox(tmp_path / "o.db")
    with FaultReceiver(["500"]) as receiver:
        notifier = make_notifier(receiver, outbox, [], sleep=interrupted)
        with pytest.raises(KeyboardInterrupt):
            notifier.send({"text": "Ctrl-C"})
        (row,) = outbox.messages()
        assert outbox.flush(notifier) == (1, 0), "the lease was released: flush sends it now"
        assert receiver.stored == {row.key: 1}


def test_an_interrupt_during_the_first_request_keeps_the_message(tmp_path: Path):
    class Interrupted:
        def post(self, *args, **kwargs):
            raise KeyboardInterrupt

    outbox = Outbox(tmp_path / "o.db")
    url = WebhookURL("http://127.0.0.1:9" + SECRET_PATH)
    with pytest.raises(KeyboardInterrupt):
        Notifier(url, outbox, session=Interrupted()).send({"text": "Ctrl-C"})
    (row,) = outbox.messages()
    assert row.state == "maybe_delivered" and row.payload == {"text": "Ctrl-C"}


def test_each_retry_and_wait_is_one_line_without_the_url(tmp_path: Path):
    lines: list[str] = []
    with FaultReceiver(["500", "reset", "ok"]) as receiver:
        make_notifier(receiver, None, lines, sleep=lambda s: None).post({"text": "x"})
    assert len(lines) == 2
    assert lines[0].startswith("attempt 1/3: answered 500 rollup_error; waiting ")
    assert "attempt 2/3" in lines[1] and "dropped before an answer" in lines[1]
    assert_no_secret(*lines)


def test_a_message_refused_for_good_becomes_a_dead_letter(tmp_path: Path):
    outbox, said = Outbox(tmp_path / "o.db", max_refusals=3), []
    with FaultReceiver(["400"] * 10) as receiver:
        notifier = make_notifier(receiver, outbox, [])
        with pytest.raises(SlackError, match="kept in"):
            notifier.send({"text": "bad"})  # refusal 1
        assert outbox.flush(notifier, report=said.append) == (0, 1)  # refusal 2
        assert outbox.flush(notifier, report=said.append) == (0, 0)  # refusal 3: dead
        assert outbox.flush(notifier, report=said.append) == (0, 0)
        assert [line.rpartition("(")[2] for line in said] == [
            "refusal 2, waiting)",
            "refusal 3, dead)",
        ]
        assert sum(receiver.requests.values()) == 3, "a dead letter is not sent again"
    (dead,) = outbox.messages(("dead",))
    assert dead.refusals == 3 and "invalid_payload" in dead.reason
    assert outbox.count("dead") == 1 and len(outbox) == 0


def test_the_local_receiver_deduplicates_by_key():
    said: list[str] = []
    with LocalReceiver(echo=said.append) as receiver:
        notifier = Notifier(WebhookURL(receiver.url(SECRET_PATH)), style="json")
        message = notifier.message({"event": "info", "summary": "once"})
        assert message.payload["idempotency_key"] == message.key
        notifier.deliver(message)
        notifier.deliver(message)
        assert len(receiver.messages) == 1 and receiver.duplicates == 1
        assert receiver.messages[0]["key"] == message.key
    assert said[1].startswith("answered 200: duplicate of key ")
    assert IDEMPOTENCY_HEADER == "Idempotency-Key"


def test_a_legacy_jsonl_outbox_is_read_in_and_a_corrupt_line_is_reported(tmp_path: Path):
    legacy = tmp_path / "old.jsonl"
    good = json.dumps({"id": "a1", "style": "slack", "payload": {"text": "one"}})
    legacy.write_text(f"{good}\n{{not json\n" + good.replace("a1", "b2") + "\n")
    outbox = Outbox(tmp_path / "new.db")
    imported, problems = outbox.import_jsonl(legacy)
    assert imported == 2 and [m.key for m in outbox.messages()] == ["a1", "b2"]
    assert len(problems) == 1 and problems[0].startswith(f"{legacy}:2: ")
    assert not legacy.exists() and (tmp_path / "old.jsonl.imported").exists()


def test_a_corrupt_row_is_reported_with_its_location_and_the_others_kept(tmp_path: Path):
    outbox = Outbox(tmp_path / "o.db")
    outbox.add({"text": "one"}, "slack", "k1")
    outbox.add({"text": "two"}, "slack", "k2")
    with sqlite3.connect(outbox.path) as db:
        db.execute("UPDATE messages SET payload = '{broken' WHERE key = 'k1'")
    problems: list[str] = []
    assert [m.key for m in outbox.messages(problems=problems)] == ["k2"]
    assert problems == [
        f"{outbox.path}: row 1 (key k1): payload = '{{broken': expected a JSON object "
        "(Expecting property name enclosed in double quotes: line 1 column 2 (char 1)); "
        "left in place"
    ]


SENDER = """
import json, sys
from pager_lab.alerting.notify import Notifier
from pager_lab.alerting.outbox import Outbox
from pager_lab.alerting.secret_url import WebhookURL
url, db, role, n = sys.argv[1:5]
notifier = Notifier(WebhookURL(url), Outbox(db), retries=0, read_timeout=5)
if role == "flush":
    print(json.dumps([Outbox(db).flush(notifier) for _ in range(int(n))]))
else:
    print(json.dumps([notifier.send({"text": f"{role}-{i}"}).key for i in range(int(n))]))
"""


def test_two_processes_sending_while_a_third_flushes_lose_and_double_nothing(tmp_path: Path):
    db = tmp_path / "outbox.db"
    outbox = Outbox(db)
    waiting = [outbox.add({"text": f"old-{i}"}, "slack") for i in range(30)]
    faults = ["500" if i % 4 == 0 else "slow" for i in range(400)]  # slow = 0.05 s, then 200
    with FaultReceiver(faults, slow_seconds=0.05) as receiver:
        url = receiver.url(SECRET_PATH)

        def start(role: str, n: int) -> subprocess.Popen:
            return subprocess.Popen(
                [sys.executable, "-c", SENDER, url, str(db), role, str(n)],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
            )

        procs = [start("flush", 3), start("alice", 20), start("bob", 20)]
        results = [json.loads(p.communicate(timeout=120)[0]) for p in procs]
        assert all(p.returncode == 0 for p in procs)
        sent = results[1] + results[2]
        receiver.faults.clear()
        outbox.flush(Notifier(WebhookURL(url), retries=0))
        everything = set(waiting) | set(sent)
        assert len(everything) == 70, "every key is unique"
        assert set(receiver.stored) == everything, "nothing lost"
        assert all(count == 1 for count in receiver.stored.values()), "nothing doubled"
        assert len(outbox) == 0 and outbox.count("delivered") >= 30


def test_the_local_receiver_prints_what_it_answered_one_line_each():
    said: list[str] = []
    script = Misbehaviour([429, 500], retry_after=0.01, delay=0.01)
    with LocalReceiver(misbehaviour=script, echo=said.append) as receiver:
        notifier = Notifier(WebhookURL(receiver.url(SECRET_PATH)), backoff=0.01)
        notifier.post({"text": "x" * 2_000_000})
    assert said[:2] == [
        "answered 429 rate_limited after a 0.01 s delay with Retry-After: 0.01 s "
        "(misbehaving on purpose)",
        "answered 500 rollup_error after a 0.01 s delay (misbehaving on purpose)",
    ]
    assert said[2].startswith("[slack] xxx") and len(said[2]) < 300, "a 2 MB text is cut"
    assert len(said) == 3 and all("\n" not in line for line in said)


def test_a_send_delivered_at_once_leaves_no_outbox_file(tmp_path: Path):
    outbox = Outbox(tmp_path / "o.db")
    with FaultReceiver() as receiver:
        assert make_notifier(receiver, outbox, []).send({"text": "fine"}).delivered
    assert list(tmp_path.iterdir()) == [] and len(outbox) == 0 and outbox.messages() == []
