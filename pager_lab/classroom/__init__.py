"""The classroom: a game master's console over one drill session, and the class's results.

The game master: ``DrillGame`` (the GM's and the player's views of one session), a
token-guarded ``SessionServer`` and its ``Pacer``. The results: ``DrillResult`` is one
student's finished drill (a handle, never a name); ``ResultsStore`` keeps a class's results
in SQLite or any SQLAlchemy database (PostgreSQL tested); ``record_drill`` writes a played
drill; the debrief turns the store's tables into tables and plots; ``synthetic_class`` plays
the drill library with scripted players, a SYNTHETIC class to try it all without students.

It sits above ``analysis`` and below ``course``: it may import ``core``, ``sim``,
``alerting`` and ``analysis``, never ``course`` or the CLI.
"""

from typing import TYPE_CHECKING

from pager_lab._lazy import lazy_exports

_EXPORTS = {
    # the game master
    "DrillGame": ".game_session",
    "MoveError": ".game_session",
    "open_game_master": ".game_master",
    "Pacer": ".pacer",
    "Role": ".access",
    "SessionServer": ".session_server",
    "SessionTokens": ".access",
    # the class's results and the debrief
    "check_handle": ".results",
    "class_beside_team": ".team",
    "debrief_figures": ".report",
    "debrief_report": ".report",
    "DrillRecorder": ".recorder",
    "DrillResult": ".results",
    "export_csv": ".tables",
    "PathStep": ".results",
    "plot_class_beside_team": ".team",
    "plot_progress": ".debrief",
    "plot_scenarios": ".debrief",
    "record_drill": ".record",
    "RecordOutcome": ".recorder",
    "result_from_session": ".record",
    "results_tables": ".tables",
    "ResultsStore": ".store",
    "scenario_summary": ".debrief",
    "store_tables": ".tables",
    "StoreError": ".target",
    "stuck_points": ".debrief",
    "student_progress": ".debrief",
    "SYNTHETIC_LABEL": ".synthetic",
    "synthetic_class": ".synthetic",
    "team_incidents": ".team",
    "upgrade": ".migrate",
    "wrong_actions": ".debrief",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:  # what type checkers and editors see; at run time names load lazily
    from .access import Role, SessionTokens
    from .debrief import (
        plot_progress,
        plot_scenarios,
        scenario_summary,
        stuck_points,
        student_progress,
        wrong_actions,
    )
    from .game_master import open_game_master
    from .game_session import DrillGame, MoveError
    from .migrate import upgrade
    from .pacer import Pacer
    from .record import record_drill, result_from_session
    from .recorder import DrillRecorder, RecordOutcome
    from .report import debrief_figures, debrief_report
    from .results import DrillResult, PathStep, check_handle
    from .session_server import SessionServer
    from .store import ResultsStore
    from .synthetic import SYNTHETIC_LABEL, synthetic_class
    from .tables import export_csv, results_tables, store_tables
    from .target import StoreError
    from .team import class_beside_team, plot_class_beside_team, team_incidents
