"""The course: the data paths and the course map, the exercises' self-checks,
the solutions, and the ipywidgets front ends (pager console, what-if panel).

It may import every layer below it (core, sim, alerting, analysis), never the CLI.
"""

from typing import TYPE_CHECKING

from pager_lab._lazy import lazy_exports

_EXPORTS = {
    "check_drill_path": ".drill_check",
    "score_table": ".drill_scores",
    "check_routing_config": ".routing_lab",
    "check_lifecycle": ".exercises",
    "check_own_what_if": ".own_data",
    "check_postmortem": ".exercises",
    "check_postmortem_sections": ".postmortem_fill",
    "check_profile": ".exercises",
    "check_reteach": ".classroom_checks",
    "check_runbook": ".exercises",
    "check_scenario_b": ".exercises",
    "check_schedule": ".exercises",
    "check_skew": ".exercises",
    "check_slack_message": ".exercises",
    "check_team_size": ".exercises",
    "course_map": ".catalog",
    "DATA_DIR": ".catalog",
    "data_path": ".catalog",
    "DrillApp": ".widgets",
    "DrillConsole": ".widgets",
    "Feedback": ".exercises",
    "Notebook": ".catalog",
    "NOTEBOOKS": ".catalog",
    "PagerConsole": ".widgets",
    "WallClock": ".widgets",
    "WhatIfPanel": ".widgets",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:  # what type checkers and editors see; at run time names load lazily
    from .catalog import DATA_DIR, NOTEBOOKS, Notebook, course_map, data_path
    from .classroom_checks import check_reteach
    from .drill_check import check_drill_path
    from .drill_scores import score_table
    from .exercises import (
        Feedback,
        check_lifecycle,
        check_postmortem,
        check_profile,
        check_runbook,
        check_scenario_b,
        check_schedule,
        check_skew,
        check_slack_message,
        check_team_size,
    )
    from .own_data import check_own_what_if
    from .postmortem_fill import check_postmortem_sections
    from .routing_lab import check_routing_config
    from .widgets import DrillApp, DrillConsole, PagerConsole, WallClock, WhatIfPanel
