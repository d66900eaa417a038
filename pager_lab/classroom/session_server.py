"""The game master's session server: one drill session, one process, two browser pages.

Why a small standard-library HTTP server (:class:`http.server.ThreadingHTTPServer`):
the player (a notebook, the Voilà app or a browser tab) and the game master (another
tab) must see *one* session, so the session lives in one process and both attach to
it over HTTP on 127.0.0.1. A page polls a JSON endpoint once a second; a class of
one player and one GM is a handful of requests per second, which the standard
library serves without a new dependency, an event loop or a Jupyter kernel of its
own (a Jupyter server extension would tie the GM to a running JupyterLab; Tornado
or an ASGI framework would add a dependency for nothing these pages need). Threads
serve requests; **one lock** around the session serialises every read and change,
so two clicks at once are applied one after the other and the second, carrying a
prompt number that is no longer current, is refused (409), never applied twice.

Every request needs a token (:mod:`pager_lab.classroom.access`): none → 401, a wrong
one → 403. No request line is logged (a URL may carry ``?token=``), and errors are
answered as JSON without a traceback. The server binds 127.0.0.1 unless told
otherwise (:func:`bind_warning`); :class:`SessionServer` is a context manager, and
``pager-lab gm`` stops it on Ctrl-C.
"""

from __future__ import annotations

import ipaddress
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any, Protocol, cast
from urllib.parse import urlsplit

from pager_lab.classroom.access import Role, SessionTokens, token_from
from pager_lab.classroom.pacer import Pacer
from pager_lab.core.errors import PagerLabError

__all__ = ["LOOPBACK", "GameSession", "RequestError", "SessionServer", "bind_warning"]

LOOPBACK = "127.0.0.1"
"""The default and the tests' only interface."""
MAX_BODY = 64 * 1024
"""The largest request body accepted (an answer or an injection is a few hundred bytes)."""


class RequestError(PagerLabError):
    """A request the session refuses; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class GameSession(Protocol):
    """What the server needs from the session it serves (see :mod:`.game_session`)."""

    def player_state(self) -> dict[str, Any]:
        """What the player may see."""
        ...

    def gm_state(self) -> dict[str, Any]:
        """What the game master sees: the player's view and the hidden parts."""
        ...

    def play(self, verb: str, body: dict[str, Any]) -> dict[str, Any]:
        """The player's move *verb* (``answer``, ``diagnose``, ``act``, ``communicate``)."""
        ...

    def inject(self, body: dict[str, Any]) -> dict[str, Any]:
        """The game master makes something happen now."""
        ...

    def tick(self, minutes: float) -> None:
        """Real-time pace: *minutes* of simulated time pass."""
        ...


PLAYER_VERBS = ("answer", "diagnose", "act", "communicate")
POST_PATHS = ("/api/gm/inject", "/api/gm/pause", "/api/gm/resume")
PAGES = {"/player": ("player.html", Role.PLAYER), "/gm": ("gm.html", Role.GM)}
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
PAGE_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def bind_warning(host: str, port: int) -> str | None:
    """The warning to print when *host* is not the loopback interface, else ``None``."""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to any interface
        loopback = False
    if loopback:
        return None
    return (
        f"WARNING: the session server listens on {host}:{port}, not only on this machine: "
        "anyone on the network who has a URL below can join; share the player URL with "
        "the player only, keep the GM URL to yourself, and stop the server (Ctrl-C) after class."
    )


def _page(name: str) -> bytes:
    """A page with the script both pages share (``common.js``) written into it."""
    pages = resources.files("pager_lab.classroom").joinpath("pages")
    common = pages.joinpath("common.js").read_bytes()
    return pages.joinpath(name).read_bytes().replace(b"/* common.js */", common, 1)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False
    owner: SessionServer
    """The session server whose requests this serves."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer is not worth a traceback on the console."""


class SessionServer:
    """One session served over HTTP; use ``with SessionServer(...) as server:``."""

    def __init__(
        self,
        session: GameSession,
        *,
        host: str = LOOPBACK,
        port: int = 0,
        pace: float | None = None,
        tokens: SessionTokens | None = None,
        name: str = "drill",
        paused: bool = True,
    ) -> None:
        self.session = session
        """The session every request reads or changes, under :attr:`lock`."""
        self.name = name
        """What the session is (the scenario's name), for reprs and the pages' titles."""
        self.tokens = tokens or SessionTokens()
        self.lock = threading.RLock()
        """The one lock around the session."""
        self.pacer = Pacer(session.tick, self.lock, pace, paused=paused)
        """The real-time pace; it starts *paused* (the game master presses Resume when the
        player is ready), and the game master pauses and resumes it."""
        self._httpd = _Server((host, port), _Handler)
        self._httpd.owner = self
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        """The interface the server listens on."""
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        """The port it listens on (a free one when 0 was asked for)."""
        return int(self._httpd.server_address[1])

    def url(self, role: Role | str, host: str | None = None) -> str:
        """The page URL for *role*, token in its query (a secret: share with that person only)."""
        role = Role(role)
        token = self.tokens.gm if role is Role.GM else self.tokens.player
        return f"http://{host or self._url_host()}:{self.port}/{role.value}?token={token}"

    @property
    def player_url(self) -> str:
        """The player's page, with the player's token."""
        return self.url(Role.PLAYER)

    @property
    def gm_url(self) -> str:
        """The game master's page, with the GM's token."""
        return self.url(Role.GM)

    def open_in_browser(self, role: Role | str = Role.GM) -> bool:
        """Open *role*'s page in this machine's web browser, without showing its URL: in a
        notebook, a printed URL (and its token) would be stored with the outputs."""
        import webbrowser

        return webbrowser.open_new_tab(self.url(role))

    def _url_host(self) -> str:
        if self.host in ("0.0.0.0", "::", ""):
            import socket

            return socket.gethostname()
        return f"[{self.host}]" if ":" in self.host else self.host

    def start(self) -> SessionServer:
        """Serve in a daemon thread and start the pace, if any."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, daemon=True, name=f"pager-lab gm :{self.port}"
            )
            self._thread.start()
            self.pacer.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until Ctrl-C (``pager-lab gm``); then stop cleanly."""
        self.pacer.start()
        try:
            self._httpd.serve_forever()
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop the pace and the server, and close its socket."""
        self.pacer.stop()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> SessionServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return (
            f"SessionServer({self.name!r}, {self.host}:{self.port}, "
            f"pace={self.pacer.seconds_per_minute}, paused={self.pacer.paused})"
        )

    # -- what the endpoints do, under the lock ------------------------------------------
    def get(self, path: str) -> dict[str, Any]:
        """The JSON answer of a GET endpoint."""
        with self.lock:
            if path == "/api/player/state":
                return self.session.player_state()
            if path == "/api/gm/state":
                return self.session.gm_state() | self._pace_state()
        if path in POST_PATHS or path.rsplit("/", 1)[-1] in PLAYER_VERBS:
            raise RequestError(405, f"{path} changes the session: use POST")
        raise RequestError(404, f"no endpoint {path}")

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """The JSON answer of a POST endpoint."""
        verb = path.rsplit("/", 1)[-1]
        if path.startswith("/api/player/") and verb in PLAYER_VERBS:
            with self.lock:
                return self.session.play(verb, body)
        if path == "/api/gm/inject":
            with self.lock:
                return self.session.inject(body)
        if path in ("/api/gm/pause", "/api/gm/resume"):
            if not self.pacer.paced:
                raise RequestError(409, "this session has no real-time pace to pause or resume")
            self.pacer.pause() if verb == "pause" else self.pacer.resume()
            return self._pace_state()
        if path in ("/api/player/state", "/api/gm/state", *PAGES):
            raise RequestError(405, f"{path} only reads: use GET")
        raise RequestError(404, f"no endpoint {path}")

    def _pace_state(self) -> dict[str, Any]:
        pacer = self.pacer
        return {"pace": pacer.seconds_per_minute, "paused": pacer.paused, "failure": pacer.failure}


def role_of(path: str) -> Role | None:
    """Who *path* is for; ``None`` for a path that is no endpoint."""
    if path in PAGES:
        return PAGES[path][1]
    if path.startswith("/api/player/"):
        return Role.PLAYER
    if path.startswith("/api/gm/"):
        return Role.GM
    return None


class _Handler(BaseHTTPRequestHandler):
    """One request: check its token for the endpoint's role, then ask the session server."""

    server_version = "pager-lab-gm"
    sys_version = ""

    @property
    def owner(self) -> SessionServer:
        """The session server this request is for."""
        return cast(_Server, self.server).owner

    def log_message(self, format: str, *args: Any) -> None:
        """Nothing is logged: a request line may carry a token."""

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        url = urlsplit(self.path)
        token = token_from(self.headers.get("Authorization"), url.query)
        role = role_of(url.path) or Role.GM  # an unknown path: only the GM learns it is 404
        status = self.owner.tokens.status(token, role)
        if status == 401:
            return self._json(401, {"error": "this session needs its token (?token=...)"})
        if status == 403:
            return self._json(403, {"error": "this token does not open this page"})
        try:
            if method == "GET" and url.path in PAGES:
                return self._html(PAGES[url.path][0])
            if method == "GET":
                return self._json(200, self.owner.get(url.path))
            return self._json(200, self.owner.post(url.path, self._body()))
        except RequestError as exc:
            return self._json(exc.status, {"error": str(exc)})
        except PagerLabError as exc:  # the session refused a move: say why
            stale = type(exc).__name__ == "StaleAnswer"
            return self._json(409 if stale else 400, {"error": str(exc)})
        except Exception as exc:  # a bug: the page and the console say so, the server goes on
            print(f"pager-lab gm: a request failed: {exc!r}", file=sys.stderr)
            return self._json(500, {"error": f"the session failed: {type(exc).__name__}"})

    def _body(self) -> dict[str, Any]:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise RequestError(400, "Content-Length is not a number") from None
        if length > MAX_BODY:
            raise RequestError(413, f"the body is {length} bytes: expected <= {MAX_BODY}")
        raw = self.rfile.read(length) if length else b"{}"
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise RequestError(400, "the body is not JSON: expected a JSON object") from None
        if not isinstance(body, dict):
            raise RequestError(400, f"the body is {type(body).__name__}: expected an object")
        return body

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
        self._send(status, "application/json; charset=utf-8", data)

    def _html(self, name: str) -> None:
        self._send(200, "text/html; charset=utf-8", _page(name), PAGE_POLICY)

    def _send(self, status: int, kind: str, data: bytes, policy: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for key, value in HEADERS.items():
            self.send_header(key, value)
        if policy:
            self.send_header("Content-Security-Policy", policy)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
