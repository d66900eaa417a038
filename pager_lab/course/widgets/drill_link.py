"""The drill console's links to the classroom: a game master on the same session, and the
class results store.

:class:`GameMasterLink` starts the classroom's session server
(:func:`pager_lab.classroom.game_master.open_game_master`) on the console's *own* session, so
the player plays in the notebook or the Voilà app and the game master watches and injects from
another browser tab. The console takes the server's lock around each move, and polls: what
the game master injected (or a move made on the player's web page) joins the console's lines.
The GM's URL carries its token, so it is shown only in a widget at run time, never printed
into a notebook's saved outputs.

:class:`ClassroomParts` is the console's share of it: the *Game master* button and its link,
the line that says where the finished drill was recorded, and *Save the drill as JSON* when
the store failed.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from pager_lab.classroom.game_master import open_game_master
from pager_lab.classroom.recorder import DrillRecorder
from pager_lab.core.drill import Message
from pager_lab.core.drill_session import DrillSession

if TYPE_CHECKING:
    from pager_lab.classroom.game_session import DrillGame
    from pager_lab.classroom.recorder import RecordOutcome
    from pager_lab.classroom.session_server import SessionServer

__all__ = ["POLL_SECONDS", "ClassroomParts", "GameMasterLink", "gm_link_html", "record_html"]

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


class ClassroomParts:
    """The drill console's classroom parts (a mixin of
    :class:`~pager_lab.course.widgets.drill_console.DrillConsole`, which draws the rest)."""

    session: DrillSession
    notice: widgets.HTML
    _schedule: Callable[[float, Callable[[], None]], Any]
    _drawn_at: tuple[int, float] | None
    _show: Callable[..., None]
    moment: Callable[[], tuple[int, float]]

    def _classroom_parts(self, recorder: DrillRecorder | None) -> list[widgets.Widget]:
        """Make the parts (before the console's first render, which may record)."""
        self.recorder = recorder
        """Records the finished drill for a student's handle in the class store (once)."""
        self.link: GameMasterLink | None = None
        """The game master's server on this session, once :meth:`open_game_master` ran."""
        self._lock: Any = threading.RLock()
        self._poll: Any = None
        self.recorded = widgets.HTML()
        """Where the finished drill was recorded, or why not (one line)."""
        self.save_later = widgets.Button(
            description="Save the drill as JSON (submit it later)",
            layout=widgets.Layout(width="auto", display="none"),
        )
        self.save_later.on_click(lambda _b: self.save_for_later())
        self.gm_button = widgets.Button(
            description="Game master", tooltip="open a game master's page on this drill"
        )
        self.gm_button.add_class("drill-gm-button")
        self.gm_button.on_click(lambda _b: self.open_game_master())
        self.gm_links = widgets.HTML()
        """The game master's link (with its token): shown at run time only."""
        return [
            widgets.HBox([self.recorded, self.save_later]),
            widgets.HBox([self.gm_button, self.gm_links]),
        ]

    def open_game_master(self, *, port: int = 0) -> GameMasterLink:
        """Serve this drill to a game master (127.0.0.1); show the GM's link in the console
        only (it carries a token). Injections appear here at the next poll."""
        if self.link is None:
            self.link = GameMasterLink(self.session, port=port)
            self._lock = self.link.lock
            self.gm_links.value = gm_link_html(self.link)
            self.gm_button.disabled = True
            self._poll = self._schedule(POLL_SECONDS, self.poll)
        return self.link

    def poll(self) -> None:
        """Show what the game master made happen since the last look (then look again)."""
        self._poll = None
        if self.link is None:
            return
        with self._lock:
            news = self.link.news()
            if news or self._drawn_at != self.moment():
                self._show(news, result=False)
            if news:  # what the game master made happen, where the player looks
                self.notice.value = news_html(news)
        if not self.session.finished:
            self._poll = self._schedule(POLL_SECONDS, self.poll)

    def _stop_link(self) -> None:
        link = getattr(self, "link", None)  # None too when __init__ refused its arguments
        if link is not None:
            link.stop()
            self.link = None

    def _record(self) -> None:
        """The drill has finished: record it once (the recorder ignores a second call); a
        game master is no longer offered (a linked one stays, for the debrief)."""
        if self.link is None:
            self.gm_button.layout.display = "none"
        if self.recorder is None:
            return
        outcome = self.recorder.record(self.session)
        self.recorded.value = record_html(outcome)
        self.save_later.layout.display = None if not outcome.ok else "none"

    def save_for_later(self, folder: Path | str = ".") -> Path | None:
        """Write the drill whose recording failed as JSON for ``pager-lab class submit``."""
        outcome = self.recorder.outcome(self.session) if self.recorder else None
        if outcome is None or outcome.ok:
            return None
        try:
            saved = outcome.save_for_later(folder)
        except OSError as exc:
            self.recorded.value += html.escape(f"Could not save it either: {exc.strerror}")
            return None
        hint = outcome.submit_hint(saved)
        self.recorded.value = (
            f"<div class='drill-recorded'>Saved to {html.escape(str(saved))}: record it with "
            f"<code>{html.escape(hint)}</code></div>"
        )
        self.save_later.layout.display = "none"
        return saved


def news_html(news: list[Message]) -> str:
    """The game master's news, highlighted where the player looks (above the buttons)."""
    lines = "<br>".join(html.escape(m.text) for m in news)
    return f"<div class='drill-news' style='color:#b00020;font-weight:bold'>🎲 {lines}</div>"
