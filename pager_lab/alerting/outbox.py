"""The outbox: messages not (yet) delivered, safe for several processes at once.

One SQLite file (stdlib ``sqlite3``, WAL journal), one row per message, keyed
by the message's idempotency key. SQLite rather than a locked JSON-lines file
because every change is one small atomic transaction (a ``notify send`` adding a
row while a ``notify flush`` marks another delivered never rewrites the file, so
nothing is dropped), it works the same on Linux, macOS and Windows (no
``fcntl``), and a delivered message keeps its ``delivered_at`` for the record.

States: ``waiting`` (not delivered), ``maybe_delivered`` (a request got no
answer: the receiver may have it; it is re-sent with the same key, so a receiver
that deduplicates stores it once), ``delivered`` (acknowledged: never sent
again) and ``dead`` (refused for good ``max_refusals`` times: a dead letter,
listed by ``pager-lab notify list --dead`` and never re-sent). A row being
retried or flushed holds a lease (a wall-clock deadline) so a concurrent flush
leaves it alone; a process that dies lets its lease expire. The URL is never
stored: flushing asks for it again.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from pager_lab.alerting.errors import RefusedError, WebhookError
from pager_lab.core.errors import ConfigError

__all__ = ["DEFAULT_MAX_REFUSALS", "STATES", "Message", "Outbox", "OutboxSender"]

STATES = ("waiting", "maybe_delivered", "delivered", "dead")
PENDING = ("waiting", "maybe_delivered")
DEFAULT_MAX_REFUSALS = 3
"""Refusals (Slack 400/403/404/410, REFERENCES.md) before a message becomes a dead letter.

A teaching assumption: the send and two flushes, enough to rule out a passing
misconfiguration, few enough that a message Slack will never take stops coming back."""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    key TEXT PRIMARY KEY,
    style TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    refusals INTEGER NOT NULL DEFAULT 0,
    flushes INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    delivered_at TEXT,
    lease_until REAL NOT NULL DEFAULT 0
)
"""
_REASON_CHARS = 300


@dataclass(frozen=True)
class Message:
    """One message: its idempotency key, ``slack`` or ``json`` style, and its JSON body."""

    key: str
    style: str
    payload: dict[str, Any]
    state: str = "waiting"
    reason: str = ""
    refusals: int = 0
    flushes: int = 0
    created_at: str = ""
    delivered_at: str | None = None

    @property
    def text(self) -> str:
        """The human part of the body (Slack ``text`` or JSON ``summary``), for listings."""
        event = self.payload.get("payload")  # a PagerDuty Events v2 trigger
        nested = event.get("summary") if isinstance(event, dict) else None
        text = self.payload.get("text") or self.payload.get("summary") or nested
        if not text and "event_action" in self.payload:
            text = f"{self.payload['event_action']} {self.payload.get('dedup_key', '')}"
        return str(text or "")[:120]


class OutboxSender(Protocol):
    """What :meth:`Outbox.flush` needs of a notifier (``Notifier`` is one)."""

    def deliver(
        self, message: Message, before_wait: Callable[[float, bool], None] | None = None
    ) -> Any:
        """Send *message* with its key; raise ``WebhookError`` when it was not delivered."""
        ...


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Outbox:
    """Undelivered messages in an SQLite file; each leaves the pending states exactly once."""

    def __init__(
        self,
        path: str | Path,
        *,
        flag: str = "--outbox",
        max_refusals: int = DEFAULT_MAX_REFUSALS,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path)
        self.flag = flag
        if max_refusals < 1:
            raise ConfigError("", "max_refusals", max_refusals, "an integer >= 1")
        self.max_refusals = max_refusals
        self._now = now
        if self.path.is_dir():
            raise ConfigError("", flag, str(self.path), "a file path for the outbox, not a folder")
        if not self.path.parent.is_dir():  # a typo must not create folders nobody asked for
            raise ConfigError(
                "", flag, str(self.path), "a file in an existing folder for the outbox"
            )
        self._ready = False

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """One short transaction (committed on success); clear errors for a bad file.

        The file is made on the first write, not before: a run that delivers
        everything leaves no outbox behind.
        """
        try:
            with closing(sqlite3.connect(self.path, timeout=30)) as db, db:
                if not self._ready:
                    db.execute("PRAGMA journal_mode=WAL")
                    db.execute(_SCHEMA)
                    self._ready = True
                yield db
        except sqlite3.DatabaseError as exc:
            raise ConfigError(
                "",
                self.flag,
                str(self.path),
                f"an SQLite outbox file that can be opened ({exc}; an old JSON-lines outbox "
                "is read in by `pager-lab notify list --outbox FILE`)",
            ) from None
        except OSError as exc:
            raise ConfigError(
                "", self.flag, str(self.path), f"a writable outbox file ({exc.strerror})"
            ) from None

    def keep(
        self, message: Message, state: str, reason: str = "", *, lease_seconds: float = 0
    ) -> None:
        """Insert or update *message* as *state* (a delivered or dead row is never reopened)."""
        lease = self._now() + lease_seconds if lease_seconds else 0.0
        with self._db() as db:
            db.execute(
                "INSERT INTO messages (key, style, payload, state, reason, created_at, lease_until)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET"
                " state = CASE WHEN state = 'maybe_delivered' AND excluded.state = 'waiting'"
                " THEN state ELSE excluded.state END,"
                " reason = excluded.reason, lease_until = excluded.lease_until"
                " WHERE messages.state IN ('waiting', 'maybe_delivered')",
                (
                    message.key,
                    message.style,
                    json.dumps(message.payload, ensure_ascii=False),
                    state,
                    reason[:_REASON_CHARS],
                    _utc_now(),
                    lease,
                ),
            )

    def add(self, payload: dict[str, Any], style: str, key: str | None = None) -> str:
        """Keep a message that is waiting to be sent; returns its (new) key."""
        key = key or _new_key()
        self.keep(Message(key, style, payload), "waiting")
        return key

    def hold(self, message: Message, wait: float, maybe_delivered: bool) -> None:
        """Keep *message* before a retry waits *wait* s, leased so no flush takes it meanwhile."""
        state = "maybe_delivered" if maybe_delivered else "waiting"
        self.keep(message, state, f"retrying after {wait:.1f} s", lease_seconds=wait + 60.0)

    def release(self, key: str) -> None:
        """Drop the lease on *key* so the next flush may send it (after an interrupt)."""
        with self._db() as db:
            db.execute(
                "UPDATE messages SET lease_until = 0, reason = 'interrupted while waiting to retry'"
                " WHERE key = ? AND state IN ('waiting', 'maybe_delivered')",
                (key,),
            )

    def delivered(self, key: str) -> None:
        """Record that the receiver acknowledged *key*: it is never sent again."""
        with self._db() as db:
            db.execute(
                "UPDATE messages SET state = 'delivered', delivered_at = ?, lease_until = 0,"
                " reason = '' WHERE key = ? AND state != 'delivered'",
                (_utc_now(), key),
            )

    def refused(self, key: str, reason: str) -> str:
        """Count a permanent refusal; returns the new state (``dead`` after ``max_refusals``)."""
        with self._db() as db:
            db.execute(
                "UPDATE messages SET refusals = refusals + 1, reason = ?, lease_until = 0,"
                " state = CASE WHEN refusals + 1 >= ? THEN 'dead' ELSE state END"
                " WHERE key = ? AND state IN ('waiting', 'maybe_delivered')",
                (reason[:_REASON_CHARS], self.max_refusals, key),
            )
            row = db.execute("SELECT state FROM messages WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else "missing"

    def _claim(self, key: str, lease_seconds: float) -> bool:
        """Take *key* for one flush attempt, unless another process holds it or it is done."""
        now = self._now()
        with self._db() as db:
            cursor = db.execute(
                "UPDATE messages SET lease_until = ?, flushes = flushes + 1 WHERE key = ?"
                " AND state IN ('waiting', 'maybe_delivered') AND lease_until <= ?",
                (now + lease_seconds, key, now),
            )
        return cursor.rowcount == 1

    def messages(
        self, states: tuple[str, ...] = PENDING, problems: list[str] | None = None
    ) -> list[Message]:
        """Messages in *states*, oldest first; a corrupt row is reported in *problems*, skipped."""
        if not self.path.exists():
            return []
        marks = ",".join("?" * len(states))
        with self._db() as db:
            rows = db.execute(
                "SELECT rowid, key, style, payload, state, reason, refusals, flushes,"
                f" created_at, delivered_at FROM messages WHERE state IN ({marks})"
                " ORDER BY rowid",
                states,
            ).fetchall()
        found = []
        for rowid, key, style, payload, *rest in rows:
            try:
                body = json.loads(payload)
                if not isinstance(body, dict):
                    raise ValueError("not a JSON object")
            except ValueError as exc:
                if problems is not None:
                    problems.append(
                        f"{self.path}: row {rowid} (key {key}): payload = "
                        f"{str(payload)[:40]!r}: expected a JSON object ({exc}); left in place"
                    )
                continue
            found.append(Message(key, style, body, *rest))
        return found

    def entries(self) -> list[dict[str, Any]]:
        """The pending messages as ``{"id", "style", "payload", "state"}`` dictionaries."""
        return [
            {"id": m.key, "style": m.style, "payload": m.payload, "state": m.state}
            for m in self.messages()
        ]

    def count(self, state: str) -> int:
        """How many rows are in *state*."""
        if not self.path.exists():
            return 0
        with self._db() as db:
            (n,) = db.execute("SELECT COUNT(*) FROM messages WHERE state = ?", (state,)).fetchone()
        return int(n)

    def flush(
        self,
        sender: OutboxSender,
        *,
        lease_seconds: float = 120.0,
        problems: list[str] | None = None,
        report: Callable[[str], None] | None = None,
    ) -> tuple[int, int]:
        """Re-send each pending message once, with its key; returns ``(delivered, still_pending)``.

        A message another process is sending (its lease is held) is left to it; the
        lease covers one attempt and is renewed before each wait. A permanent refusal
        counts toward the dead-letter limit. *report* gets one line per message not
        delivered.
        """
        delivered = 0
        for message in self.messages(problems=problems):
            if not self._claim(message.key, lease_seconds):
                continue
            try:
                sender.deliver(message, functools.partial(self.hold, message))
            except RefusedError as exc:
                state = self.refused(message.key, str(exc))
                _tell(report, message, f"{exc} (refusal {self._refusals(message.key)}, {state})")
                continue
            except WebhookError as exc:
                self.keep(
                    message, "maybe_delivered" if exc.maybe_delivered else "waiting", str(exc)
                )
                _tell(report, message, str(exc))
                continue
            except BaseException:
                self.release(message.key)
                raise
            self.delivered(message.key)
            delivered += 1
        return delivered, self.count("waiting") + self.count("maybe_delivered")

    def _refusals(self, key: str) -> int:
        with self._db() as db:
            row = db.execute("SELECT refusals FROM messages WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row else 0

    def import_jsonl(self, legacy: Path) -> tuple[int, list[str]]:
        """Read an old JSON-lines outbox in (then rename it ``*.imported``); bad lines reported."""
        problems: list[str] = []
        imported = 0
        try:
            data = legacy.read_bytes()
        except OSError as exc:
            raise ConfigError(
                "", self.flag, str(legacy), f"a readable old outbox file ({exc.strerror})"
            ) from None
        for number, raw in enumerate(data.splitlines(), 1):
            if not raw.strip():
                continue
            try:
                entry = json.loads(raw.decode("utf-8"))
                payload, style = entry["payload"], entry.get("style", "slack")
                if not isinstance(payload, dict):
                    raise ValueError("payload is not a JSON object")
            except (ValueError, KeyError, TypeError) as exc:
                problems.append(
                    f"{legacy}:{number}: line = {raw[:40]!r}: expected an outbox entry "
                    f'{{"id", "style", "payload"}} ({type(exc).__name__}); not imported'
                )
                continue
            self.keep(Message(str(entry.get("id") or _new_key()), style, payload), "waiting")
            imported += 1
        # FileNotFoundError: another process read it in at the same time (the keys make
        # that harmless).
        with suppress(FileNotFoundError):
            legacy.rename(legacy.with_name(legacy.name + ".imported"))
        return imported, problems

    def __len__(self) -> int:
        return self.count("waiting") + self.count("maybe_delivered")

    def __repr__(self) -> str:
        return f"Outbox({str(self.path)!r}, pending={len(self)}, dead={self.count('dead')})"


def _tell(report: Callable[[str], None] | None, message: Message, why: str) -> None:
    if report is not None:
        report(f"{message.key[:12]} ({message.text[:40]!r}) not delivered: {why}")


def _new_key() -> str:
    return uuid.uuid4().hex
