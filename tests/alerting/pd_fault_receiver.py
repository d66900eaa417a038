"""A PagerDuty Events v2 stand-in of the tests' own that injects faults (127.0.0.1 only).

Not the bundled emulator, so the tests do not trust the code they test. Faults, one per
request in the order given (then ``ok``): ``ok`` (store, 202 with the event's dedup_key),
``slow`` (store, then answer after ``slow_seconds``: the client's read timeout fires),
``reset`` (drop the connection unanswered, nothing stored), ``429`` (throttled, no
Retry-After, as PagerDuty), ``400`` (invalid event with an ``errors`` list), ``500``.

Counted: ``requests[key]`` per idempotency key, ``stored[key]`` after deduplicating by key,
``events[dedup_key]`` the stored events per PagerDuty dedup key, ``routing_keys`` seen.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.helpers import free_port

INVALID = {
    "status": "invalid event",
    "message": "Event object is invalid",
    "errors": ["'payload.severity' is invalid", "'payload.source' is missing or blank"],
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Resets and clients that gave up are the point here."""


class PagerDutyFaults:
    """``with PagerDutyFaults(["429", "ok"]) as pd:``; post to ``pd.url``."""

    def __init__(self, faults: Iterable[str] = (), *, slow_seconds: float = 0.8) -> None:
        self.faults: deque[str] = deque(faults)
        self.slow_seconds = slow_seconds
        self.requests: Counter[str] = Counter()
        self.stored: Counter[str] = Counter()
        self.events: Counter[str] = Counter()
        self.routing_keys: set[str] = set()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", free_port()), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v2/enqueue"

    def __enter__(self) -> PagerDutyFaults:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        pd = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                body = json.loads(raw)
                key = self.headers.get("Idempotency-Key") or "no key"
                with pd._lock:
                    fault = pd.faults.popleft() if pd.faults else "ok"
                    pd.requests[key] += 1
                    pd.routing_keys.add(body.get("routing_key", ""))
                if fault == "reset":
                    linger = struct.pack("ii", 1, 0)
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                    self.connection.close()
                    return
                answers = {
                    "429": (429, {"status": "throttle event", "message": "slow down"}),
                    "400": (400, INVALID),
                    "500": (500, {"status": "error", "message": "internal"}),
                }
                if fault in answers:
                    self._answer(*answers[fault])
                    return
                with pd._lock:
                    if not pd.stored[key]:
                        pd.stored[key] += 1
                        pd.events[body["dedup_key"]] += 1
                if fault == "slow":
                    time.sleep(pd.slow_seconds)
                answer = {
                    "status": "success",
                    "message": "Event processed",
                    "dedup_key": body["dedup_key"],
                }
                self._answer(202, answer)

            def _answer(self, status: int, answer: dict[str, Any]) -> None:
                data = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (read timeout): it was stored all the same

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
