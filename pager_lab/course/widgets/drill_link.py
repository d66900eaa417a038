"""The drill console's links to the classroom: a game master on the same session, and the
class results store.

:class:`GameMasterLink` starts the classroom's session server
(:func:`pager_lab.classroom.game_master.open_game_master`) on the console's *own* session, so
the player plays in the notebook or the Voilà app and the game master watches and injects from
another browser tab. The console takes the server's lock around each move, and polls: what
the game master injected (or a move made on the player's web page) joins the console's lines.
The GM's URL carries its token, so it is shown only in a widget at run time, never printed
into a notebook's saved outputs.

:func:`record_html` and :func:`gm_link_html` are what the console shows.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from pager_lab.classroom.game_master import open_game_master
from pager_lab.core.drill import Message
from pager_lab.core.drill_session import DrillSession

if TYPE_CHECKING:
    from pager_lab.classroom.game_session import DrillGame
    from pager_lab.classroom.recorder import RecordOutcome
    from pager_lab.classroom.session_server import SessionServer

__all__ = ["POLL_SECONDS", "GameMasterLink", "gm_link_html", "record_html"]

POLL_SECONDS = 1.0
"""How often a linked console looks for the game master's injections (the GM page polls as
often)."""


class GameMasterLink:
    """A running session server on a console's session, and what it showed the console."""

    def __init__(self, session: DrillSession, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.server: SessionServer = open_game_master(
            session.scenario, session=session, host=host, port=port
        ).start()
        """The game master's server (127.0.0.1, a free port unless told otherwise)."""
        self.session = session
        """The one drill both screens play."""
        self._seen = len(self.game.transcript)
        """Lines of the game's transcript the console already shows (the opening)."""

    @property
    def game(self) -> DrillGame:
        """The server's view of the session (its transcript holds the GM's injections)."""
        from pager_lab.classroom.game_session import DrillGame

        game = self.server.session
        assert isinstance(game, DrillGame)
        return game

    @property
    def lock(self) -> Any:
        """The server's one lock around the session: the console holds it for each move."""
        return self.server.lock

    def news(self) -> list[Message]:
        """Lines the console has not shown: the GM's injections, ticks of the GM's pace and
        moves on the player's web page (the console's own moves it showed already)."""
        with self.lock:
            self.game.player_state()  # the game catches up with the console's own moves
            fresh = self.game.transcript[self._seen :]
            self._seen = len(self.game.transcript)
        return [m for _at, m in fresh if m.kind != "step"]

    def stop(self) -> None:
        """Stop the server and close its socket."""
        self.server.stop()

    def __repr__(self) -> str:
        return f"GameMasterLink({self.server!r})"


def gm_link_html(link: GameMasterLink) -> str:
    """Links to the game master's page and the player's (shown at run time only: a token)."""
    server = link.server
    style = "style='color:#1f4e9e;text-decoration:underline;font-weight:bold'"
    return (
        "<div class='drill-gm'>🎲 Game master on this drill: "
        f"<a class='drill-gm-link' {style} href='{html.escape(server.gm_url)}' target='_blank' "
        "rel='noopener noreferrer'>open the game master's page</a> in another tab (keep it to "
        "yourself: its link carries the GM's token) · "
        f"<a class='drill-player-link' {style} href='{html.escape(server.player_url)}' "
        "target='_blank' "
        "rel='noopener noreferrer'>player's page</a>. Injections appear here within "
        f"{POLL_SECONDS:g} s.</div>"
    )


def record_html(outcome: RecordOutcome) -> str:
    """The one line that says where the finished drill was recorded, or why it was not."""
    colour = "#1b7f3b" if outcome.ok else "#b00020"
    text = outcome.line() if outcome.ok else f"{outcome.line()}. {outcome.advice()}"
    return f"<div class='drill-recorded' style='color:{colour}'>{html.escape(text)}</div>"
