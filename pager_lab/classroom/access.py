"""Who may use a game-master session: two secret tokens, checked in constant time.

A session has a **GM token** and a **player token**, each from
:func:`secrets.token_urlsafe`. The GM token opens everything; the player token opens
the player's page and endpoints only, so a player who edits the URL of their page to
``/gm`` does not see the hidden root cause (Wheel of Misfortune is only a drill
while the player does not know the outage). Two tokens rather than one is the
single place this console goes beyond "one secret per session": the player's URL
must not unlock the game master's view.

A request carries its token as ``Authorization: Bearer TOKEN`` (the pages' scripts)
or as ``?token=TOKEN`` (the URL a person opens). No token is answered 401, a token
that is not the right one for that endpoint 403. Tokens never appear in a repr,
and the server logs no request line (:mod:`pager_lab.classroom.session_server`).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import parse_qs

__all__ = ["Role", "SessionTokens", "token_from"]

TOKEN_BYTES = 32
"""Random bytes per token (``token_urlsafe(32)``: 43 characters, 256 bits)."""


class Role(Enum):
    """Who an endpoint is for."""

    PLAYER = "player"
    GM = "gm"


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison (bytes, so a non-ASCII guess is a mismatch, not a crash)."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


@dataclass(frozen=True)
class SessionTokens:
    """The GM's and the player's secret tokens of one session (never shown in a repr)."""

    gm: str = field(default_factory=lambda: secrets.token_urlsafe(TOKEN_BYTES), repr=False)
    """Opens every endpoint: the GM console, the injections, pause and resume."""
    player: str = field(default_factory=lambda: secrets.token_urlsafe(TOKEN_BYTES), repr=False)
    """Opens the player's page and endpoints only."""

    def __post_init__(self) -> None:
        for role, token in (("gm", self.gm), ("player", self.player)):
            if len(token) < 16:
                raise ValueError(f"the {role} token is {len(token)} characters: expected >= 16")
        if _same(self.gm, self.player):
            raise ValueError("the gm and player tokens are the same: expected two secrets")

    def status(self, given: str | None, role: Role) -> int:
        """The HTTP status for a request that gave *given* to an endpoint for *role*:
        401 without a token, 403 with a wrong one, 200 when it opens the endpoint."""
        if not given:
            return 401
        opens_gm = _same(given, self.gm)
        opens_player = _same(given, self.player)  # both compared: no early exit to time
        if opens_gm or (role is Role.PLAYER and opens_player):
            return 200
        return 403

    def __repr__(self) -> str:
        return "SessionTokens(gm=<hidden>, player=<hidden>)"


def token_from(authorization: str | None, query: str) -> str | None:
    """The token a request carries: a ``Bearer`` header first, else ``?token=``."""
    if authorization:
        scheme, _, value = authorization.strip().partition(" ")
        if scheme.lower() in ("bearer", "token") and value.strip():
            return value.strip()
    values = parse_qs(query, keep_blank_values=True).get("token")
    return values[0] if values else None
