"""The README's table of the game master's HTTP API is true: every documented endpoint answers
200 with its token and the documented body on a live session, and the documented status codes
(401, 403, 404, 405, 409) and the curl example hold."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from pager_lab.classroom import open_game_master
from pager_lab.classroom.session_server import SessionServer
from tests.classroom.client import call
from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
MARKER = "<!-- gm-api-table:"
ROW = re.compile(r"^\| (GET|POST) \| (.+?) \| (.+?) \| (.+?) \| .+ \|$")


def documented() -> list[tuple[str, str, str, str]]:
    """(method, path, role, body) of every row of the README's table, in order."""
    table = README.split(MARKER, 1)[-1].split("\n\n", 1)[0] if MARKER in README else ""
    rows = []
    for line in table.splitlines():
        found = ROW.match(line)
        if found:
            method, paths, roles, body = found.groups()
            for path, role in zip(re.findall(r"`([^`]+)`", paths), roles.split(", "), strict=True):
                rows.append((method, path, role, body.strip("`")))
    return rows


ROWS = documented()


@pytest.fixture
def server() -> Iterator[SessionServer]:
    with open_game_master("db-runaway-query", seed=1, pace=60.0) as served:
        yield served.start()


def _tokens(server: SessionServer) -> dict[str, str]:
    return {"player": server.tokens.player, "GM": server.tokens.gm}


def _body(base: str, token: str, path: str, template: str) -> dict[str, Any] | None:
    """The documented body, with CHOICE and N filled in from the player's state."""
    if template == "—":
        return None
    if "CHOICE" in template:
        _, state = call(base, "/api/player/state", token)
        verb = path.rsplit("/", 1)[-1]
        move = next(m for m in state["moves"] if m["verb"] == verb)
        return {"name": move["choices"][0]["name"], "prompt": state["prompt"]["number"]}
    return json.loads(template)


def test_the_readme_documents_every_endpoint():
    assert MARKER in README, "README lacks the game master's HTTP API table"
    paths = {path for _, path, _, _ in ROWS}
    for verb in ("answer", "diagnose", "act", "communicate"):
        assert f"/api/player/{verb}" in paths
    assert {"/api/player/state", "/api/gm/state", "/api/gm/inject", "/api/gm/pause"} <= paths
    assert "Authorization: Bearer" in README and "?token=" in README


def test_every_documented_endpoint_answers_with_its_token(server):
    assert ROWS, "no rows in the README's API table"
    base, tokens = f"http://127.0.0.1:{server.port}", _tokens(server)
    for method, path, role, template in ROWS:
        token = tokens[role]
        body = _body(base, token, path, template)
        assert (method == "POST") == (body is not None), path
        status, answer = call(base, path, token, body)
        assert status == 200, (path, answer)
        assert call(base, path, None, body)[0] == 401, path
        if role == "GM":
            assert call(base, path, tokens["player"], body)[0] == 403, path
        if path.startswith("/api/"):  # the other method is refused
            other = call(base, path, token, None if body is not None else {})
            assert other[0] == 405, path
    assert call(base, "/api/gm/nothing", tokens["GM"])[0] == 404
    stale = call(base, "/api/player/answer", tokens["player"], {"name": "ack", "prompt": 1})
    assert stale[0] == 409


def test_the_curl_example_works(server):
    assert MARKER in README, "README lacks the game master's HTTP API table"
    example = README.split(MARKER, 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    body = json.loads(re.search(r"-d '([^']+)'", example).group(1))
    path = re.search(r"http://127\.0\.0\.1:PORT(\S+)", example).group(1)
    assert "Authorization: Bearer $PLAYER_TOKEN" in example
    base = f"http://127.0.0.1:{server.port}"
    status, state = call(base, path, server.tokens.player, body)
    assert status == 200 and state["prompt"]["number"] == 2, state
