"""A webhook receiver of the tests' own that injects one fault per request (127.0.0.1 only).

Not the bundled ``LocalReceiver``: a few lines of ``http.server`` so the tests do
not trust the code they test. Faults, one per request, in the order given (then
``ok``):

- ``ok``: store and answer 200.
- ``slow``: store (delivered), then answer only after ``slow_seconds`` (the
  client's read timeout fires first: "may have been delivered").
- ``reset``: read the request, then reset the connection without answering or storing.
- ``429``: answer 429 with ``Retry-After: 3600``; ``500``: answer 500 rollup_error.
- ``400``: 400 invalid_payload; ``410``: 410 channel_is_archived.
- ``big``: 500 with a 2 MB body (must never be shown or stored in full).

What is counted: ``requests[key]`` is every request whose body arrived, by
idempotency key; ``stored[key]`` is how often the receiver stored a message
(it deduplicates by key, so a correct sender gives 1 per delivered message);
``texts`` counts stored messages by their text (messages without a key cannot
be deduplicated, so doubles show there).
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

BIG_BODY = b"x" * (2 * 1024 * 1024)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Resets and clients that gave up are the point here."""


class FaultReceiver:
    """Start with ``with FaultReceiver(["slow", "ok"]) as r:``; ``r.url(path)`` to post to."""

    def __init__(self, faults: Iterable[str] = (), *, slow_seconds: float = 1.5) -> None:
        self.faults: deque[str] = deque(faults)
        self.slow_seconds = slow_seconds
        self.requests: Counter[str] = Counter()
        self.stored: Counter[str] = Counter()
        self.texts: Counter[str] = Counter()
        self.answered: list[str] = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", free_port()), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def __enter__(self) -> FaultReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _next(self) -> str:
        with self._lock:
            return self.faults.popleft() if self.faults else "ok"

    def _store(self, key: str | None, body: dict[str, Any]) -> bool:
        """Store unless the key was stored before; True if stored now."""
        text = str(body.get("text") or body.get("summary"))
        with self._lock:
            if key is not None and self.stored[key]:
                return False
            self.stored[key or f"no key: {text}"] += 1
            self.texts[text] += 1
            return True

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                body = json.loads(raw)
                key = self.headers.get("Idempotency-Key") or body.get("idempotency_key")
                fault = receiver._next()
                with receiver._lock:
                    receiver.requests[key or "no key"] += 1
                    receiver.answered.append(fault)
                if fault == "reset":
                    linger = struct.pack("ii", 1, 0)
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                    self.connection.close()
                    return
                answers = {
                    "429": (429, b"rate_limited", {"Retry-After": "3600"}),
                    "500": (500, b"rollup_error", {}),
                    "400": (400, b"invalid_payload", {}),
                    "410": (410, b"channel_is_archived", {}),
                    "big": (500, BIG_BODY, {}),
                }
                if fault in answers:
                    self._answer(*answers[fault])
                    return
                receiver._store(key, body)
                if fault == "slow":
                    time.sleep(receiver.slow_seconds)
                self._answer(200, b"ok", {})

            def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (read timeout): it was stored all the same

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
