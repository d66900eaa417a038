"""Start a game master's console from Python (a notebook) or from ``pager-lab gm``.

>>> with open_game_master("db-runaway-query", seed=3) as gm:   # doctest: +SKIP
...     print(gm.player_url)   # open in the player's tab (or hand to the Voilà app)
...     print(gm.gm_url)       # open in the game master's tab

In a notebook that keeps it running across cells: ``gm = open_game_master(...).start()``
and, at the end, ``gm.stop()``. Another driver in the same process (a notebook
console playing the same session) must hold ``gm.lock`` while it touches the session,
or use ``gm.post("/api/player/answer", {...})``, which does.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pager_lab.classroom.game_session import DrillGame
from pager_lab.classroom.session_server import LOOPBACK, SessionServer
from pager_lab.core.drill_lookup import scenario_name
from pager_lab.core.drill_scenario import DrillScenario, load_drill_library
from pager_lab.core.drill_session import DrillSession
from pager_lab.core.errors import ConfigError

__all__ = ["open_game_master"]


BUNDLED_DATA = Path(__file__).resolve().parents[2] / "data"
"""The bundled data folder (as ``pager_lab.course.DATA_DIR``, which this layer may not import)."""


def _scenario(name: str, data: Path | None) -> DrillScenario:
    folder = Path(data if data is not None else BUNDLED_DATA) / "drills"
    library = load_drill_library(folder)
    return library[scenario_name(name, list(library), str(folder))]


def open_game_master(
    scenario: str | DrillScenario,
    *,
    seed: int = 0,
    host: str = LOOPBACK,
    port: int = 0,
    pace: float | None = None,
    data: Path | None = None,
    session: DrillSession | None = None,
    on_finish: Callable[[DrillSession], Any] | None = None,
) -> SessionServer:
    """A server (bound, not yet serving) for a new session of *scenario*, or for *session*
    (a notebook console's: both then play one drill). *on_finish* is called once, with the
    session, when the drill finishes (``pager-lab gm --handle`` records it there)."""
    if session is None:
        drill = scenario if isinstance(scenario, DrillScenario) else _scenario(scenario, data)
        session = DrillSession(drill, seed)
    try:
        return SessionServer(
            DrillGame(session, on_finish),
            host=host,
            port=port,
            pace=pace,
            name=session.scenario.name,
        )
    except socket.gaierror:
        raise ConfigError(
            "", "--host", host, "an interface of this machine, e.g. 127.0.0.1"
        ) from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError("", "--port", port, "a free port (0 picks one)") from None
        raise ConfigError(
            "", "--host", host, f"an address this machine can listen on ({exc.strerror})"
        ) from None
