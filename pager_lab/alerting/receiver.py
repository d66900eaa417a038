"""A local webhook receiver for offline classrooms and for tests (binds 127.0.0.1 only).

It accepts Slack-style and generic JSON posts, keeps them (``GET /messages``
returns them as JSON), prints each as a readable line, and can be told to
misbehave so students can watch retries work: a scripted list of answers
(``429`` with ``Retry-After``, ``500``, ``410`` ...), a random failure rate
from a seeded generator, and a delay before answering. Each misbehaviour is
printed as one line, so a class sees what the receiver answered.

It deduplicates by idempotency key (the ``Idempotency-Key`` header, or
``idempotency_key`` in a JSON body): a key it already stored is answered 200
again and not stored twice, which is what makes at-least-once delivery safe.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np

from pager_lab.alerting.errors import SLACK_ERRORS
from pager_lab.alerting.notify import IDEMPOTENCY_HEADER
from pager_lab.alerting.pagerduty import EVENTS_PATH
from pager_lab.alerting.pd_emulator import EventsV2Emulator, without_secret

__all__ = ["LocalReceiver", "Misbehaviour", "describe"]


class Misbehaviour:
    """How the receiver answers: scripted statuses first, then random failures, else 200."""

    def __init__(
        self,
        script: Iterable[int] = (),
        *,
        retry_after: float | None = None,
        fail_rate: float = 0.0,
        delay: float = 0.0,
        seed: int = 0,
    ) -> None:
        if not 0 <= fail_rate <= 1:
            raise ValueError(f"fail_rate ({fail_rate}) must be between 0 and 1")
        if delay < 0:
            raise ValueError(f"delay ({delay}) must be >= 0 seconds")
        self.script: deque[int] = deque(script)
        self.retry_after = retry_after
        self.fail_rate = fail_rate
        self.delay = delay
        self._rng = np.random.default_rng(seed)
        self._lock = threading.Lock()

    def next_status(self) -> int:
        with self._lock:
            if self.script:
                return self.script.popleft()
            return 500 if self.fail_rate and self._rng.random() < self.fail_rate else 200


_SHOWN_CHARS = 200
_NOT_JSON = {
    "status": "invalid event",
    "message": "Event object is invalid",
    "errors": ["Event must be UTF-8 JSON"],
}


def describe(message: dict[str, Any]) -> str:
    """One readable line for a received post (long texts are cut to 200 characters)."""
    body = message["body"]
    if isinstance(body, dict) and "text" in body:
        line = f"[slack] {body['text']}"
    elif isinstance(body, dict) and "groupKey" in body and isinstance(body.get("alerts"), list):
        alerts = len(body["alerts"])
        line = f"[alertmanager] {body.get('status')} {body['groupKey']}: {alerts} alert(s)"
    elif isinstance(body, dict) and "event_action" in body:
        summary = (body.get("payload") or {}).get("summary", "")
        line = f"[pagerduty] {body['event_action']} {body.get('dedup_key', '')}: {summary}"
    elif isinstance(body, dict) and "event" in body:
        line = f"[json] {body['event']}: {body.get('summary', '')}"
    else:
        line = f"[post] {json.dumps(body, ensure_ascii=False)}"
    line = " ".join(line.split("\n"))
    return line if len(line) <= _SHOWN_CHARS else line[: _SHOWN_CHARS - 1] + "…"


def _key_of(headers: Any, body: Any) -> str | None:
    key = headers.get(IDEMPOTENCY_HEADER)
    if not key and isinstance(body, dict):
        key = body.get("idempotency_key")
    return str(key)[:200] if key else None


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a read timeout) is expected here, not an error to print."""


class LocalReceiver:
    """Start and stop in-process (notebooks, tests) or run from ``pager-lab webhook serve``."""

    def __init__(
        self,
        port: int = 0,
        misbehaviour: Misbehaviour | None = None,
        echo: Callable[[str], None] | None = None,
        events_v2: EventsV2Emulator | None = None,
    ) -> None:
        self.misbehaviour = misbehaviour or Misbehaviour()
        self.events_v2 = events_v2 or EventsV2Emulator()
        """PagerDuty Events v2 at ``POST /v2/enqueue``: its answers, incidents, throttling."""
        self._answers: dict[str, dict[str, Any]] = {}
        self.messages: list[dict[str, Any]] = []
        """Every accepted post (path, JSON body, key, ``received_at`` in epoch seconds), in
        arrival order."""
        self.attempts = 0
        """Every POST received, answered with success or not."""
        self.duplicates = 0
        """POSTs whose idempotency key was already stored (answered 200, not stored again)."""
        self._keys: set[str] = set()
        self.echo = echo
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", port), self._handler())
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str = "/slack") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> LocalReceiver:
        self._thread = threading.Thread(
            target=self._server.serve_forever, daemon=True, name=f"pager-lab receiver :{self.port}"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def __enter__(self) -> LocalReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"LocalReceiver(127.0.0.1:{self.port}, messages={len(self.messages)})"

    def _count(self) -> None:
        with self._lock:
            self.attempts += 1

    def _say(self, line: str) -> None:
        if self.echo is not None:
            self.echo(line)

    def _accept(
        self, path: str, raw: bytes, request_headers: Any
    ) -> tuple[int, bytes, dict[str, str]]:
        status = self.misbehaviour.next_status()
        headers = {"Content-Type": "text/plain; charset=utf-8"}
        delay = self.misbehaviour.delay
        waited = f" after a {delay:g} s delay" if delay else ""
        if status != 200:
            code = SLACK_ERRORS.get(
                status, ("rate_limited" if status == 429 else "rollup_error", "")
            )[0]
            said = f"answered {status} {code}{waited}"
            if status == 429 and self.misbehaviour.retry_after is not None:
                headers["Retry-After"] = f"{self.misbehaviour.retry_after:g}"
                said += f" with Retry-After: {headers['Retry-After']} s"
            self._say(f"{said} (misbehaving on purpose)")
            return status, code.encode(), headers
        events_v2 = path.partition("?")[0] == EVENTS_PATH
        try:
            body: Any = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            self._say(f"answered 400 invalid_payload{waited}: the body is not UTF-8 JSON")
            if events_v2:
                return self._json(400, _NOT_JSON)
            return 400, b"invalid_payload", headers
        key = _key_of(request_headers, body)
        if events_v2:
            return self._accept_event(path, body, key, waited)
        message = {"path": path, "body": body, "key": key, "received_at": time.time()}
        with self._lock:
            duplicate = key is not None and key in self._keys
            if duplicate:
                self.duplicates += 1
            else:
                self.messages.append(message)
                if key is not None:
                    self._keys.add(key)
        if duplicate:
            self._say(f"answered 200{waited}: duplicate of key {str(key)[:12]}…, not stored again")
        else:
            self._say(describe(message) + (f" (answered 200{waited})" if delay else ""))
        return 200, b"ok", headers

    def _accept_event(
        self, path: str, body: Any, key: str | None, waited: str
    ) -> tuple[int, bytes, dict[str, str]]:
        """An Events v2 post: PagerDuty's answer; a retried key gets its first answer again."""
        with self._lock:
            earlier = self._answers.get(key) if key is not None else None
            if earlier is not None:
                self.duplicates += 1
        if earlier is not None:
            self._say(f"answered 202{waited}: duplicate of key {str(key)[:12]}…, not applied again")
            return self._json(202, earlier)
        status, answer, line = self.events_v2.answer(body)
        if status == 202:
            with self._lock:
                self.messages.append({"path": path, "body": without_secret(body), "key": key})
                if key is not None:
                    self._keys.add(key)
                    self._answers[key] = answer
        self._say(line + waited)
        return self._json(status, answer)

    @staticmethod
    def _json(status: int, answer: dict[str, Any]) -> tuple[int, bytes, dict[str, str]]:
        return status, json.dumps(answer).encode(), {"Content-Type": "application/json"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                receiver._count()
                if receiver.misbehaviour.delay:
                    time.sleep(receiver.misbehaviour.delay)
                status, body, headers = receiver._accept(self.path, raw, self.headers)
                self._answer(status, body, headers)

            def do_GET(self) -> None:
                if self.path.rstrip("/") != "/messages":
                    self._answer(404, b"not found: try GET /messages", {})
                    return
                with receiver._lock:
                    body = json.dumps(receiver.messages, ensure_ascii=False).encode()
                self._answer(200, body, {"Content-Type": "application/json"})

            def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the receiver prints its own readable lines

        return Handler
