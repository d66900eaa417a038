"""The classroom: a game master's console over one drill session, and the class's results.

It sits above ``analysis`` and below ``course``: it may import ``core``, ``sim``,
``alerting`` and ``analysis``, never ``course`` or the CLI.
"""

from typing import TYPE_CHECKING

from pager_lab._lazy import lazy_exports

_EXPORTS = {
    "DrillGame": ".game_session",
    "MoveError": ".game_session",
    "open_game_master": ".game_master",
    "Pacer": ".pacer",
    "Role": ".access",
    "SessionServer": ".session_server",
    "SessionTokens": ".access",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:  # what type checkers and editors see; at run time names load lazily
    from .access import Role, SessionTokens
    from .game_master import open_game_master
    from .game_session import DrillGame, MoveError
    from .pacer import Pacer
    from .session_server import SessionServer
