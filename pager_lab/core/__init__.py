"""The pure core: the incident state machine and its timeline, escalation policies,
on-call schedules (with their TOML and iCalendar files), interruption windows,
runbooks, the step-wise drill engine, reports, the lab's configuration and the
table schemas that every other layer shares.

It does no network I/O, never reads the wall clock and never sleeps: time is a
number of simulated minutes from an injected clock. It may import only the
standard library, numpy/pandas and the TOML/iCalendar readers — no other layer
of pager_lab.
"""

from typing import TYPE_CHECKING

from pager_lab._lazy import lazy_exports

_EXPORTS = {
    "AlertDefinition": ".lab_config",
    "best_session": ".drill_score",
    "Choice": ".drill_session",
    "Clock": ".clock",
    "ConfigError": ".errors",
    "Debrief": ".drill_debrief",
    "debrief_drill": ".drill_debrief",
    "DebriefLine": ".drill_debrief",
    "DEFAULT_TIMEOUT_MINUTES": ".escalation",
    "describe_entry": ".report",
    "Drill": ".drill",
    "drill_postmortem": ".drill_debrief",
    "DrillScenario": ".drill_scenario",
    "DrillScore": ".drill_score",
    "DrillSession": ".drill_session",
    "DrillState": ".drill_state",
    "restore_drill": ".drill_restore",
    "durations_lines": ".report",
    "EntryKind": ".incident",
    "EscalationLevel": ".escalation",
    "EscalationPolicy": ".escalation",
    "EscalationRun": ".escalation",
    "explain_on_call": ".explain",
    "export_ics": ".schedule_io",
    "Incident": ".incident",
    "IncidentState": ".incident",
    "InvalidAnswer": ".errors",
    "InvalidTransition": ".errors",
    "Lab": ".lab_config",
    "Layer": ".schedule",
    "lint_runbooks": ".runbook",
    "lint_scenario": ".drill_lint",
    "drill_runbook_names": ".drill_scenario",
    "load_drill_library": ".drill_scenario",
    "load_drill_scenario": ".drill_scenario",
    "load_lab": ".lab_config",
    "load_runbook": ".runbook",
    "load_schedule": ".schedule_io",
    "load_schedules": ".schedule_io",
    "ManualClock": ".clock",
    "MAX_REPEAT": ".escalation",
    "Message": ".drill",
    "OnCallReason": ".explain",
    "Override": ".schedule",
    "PagerLabError": ".errors",
    "parse_drill_scenario": ".drill_scenario",
    "parse_runbook": ".runbook",
    "parse_schedule": ".schedule_io",
    "postmortem_markdown": ".report",
    "Prompt": ".drill",
    "Responder": ".lab_config",
    "Restriction": ".schedule",
    "Runbook": ".runbook",
    "RunbookStep": ".runbook",
    "Schedule": ".schedule",
    "score_drill": ".drill_score",
    "ScoreItem": ".drill_score",
    "Severity": ".incident",
    "Shift": ".schedule",
    "split_by_window": ".windows",
    "Step": ".drill_session",
    "StepResult": ".drill_session",
    "timeline_lines": ".report",
    "TimelineEntry": ".incident",
    "to_datetime": ".clock",
    "Window": ".windows",
    "group_key": ".routing",
    "InhibitRule": ".routing_config",
    "labels_of": ".routing",
    "Matcher": ".routing_config",
    "Notification": ".routing",
    "parse_matcher": ".routing_config",
    "parse_routing": ".routing_config",
    "route": ".routing",
    "RoutedAlert": ".routing",
    "RoutingConfig": ".routing_config",
    "RoutingResult": ".routing",
    "Silence": ".routing_config",
    "window_at": ".windows",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:  # what type checkers and editors see; at run time names load lazily
    from .clock import Clock, ManualClock, to_datetime
    from .drill import Drill, Message, Prompt
    from .drill_debrief import Debrief, DebriefLine, debrief_drill, drill_postmortem
    from .drill_lint import lint_scenario
    from .drill_restore import restore_drill
    from .drill_scenario import (
        DrillScenario,
        drill_runbook_names,
        load_drill_library,
        load_drill_scenario,
        parse_drill_scenario,
    )
    from .drill_score import DrillScore, ScoreItem, best_session, score_drill
    from .drill_session import Choice, DrillSession, Step, StepResult
    from .drill_state import DrillState
    from .errors import ConfigError, InvalidAnswer, InvalidTransition, PagerLabError
    from .escalation import (
        DEFAULT_TIMEOUT_MINUTES,
        MAX_REPEAT,
        EscalationLevel,
        EscalationPolicy,
        EscalationRun,
    )
    from .explain import OnCallReason, explain_on_call
    from .incident import EntryKind, Incident, IncidentState, Severity, TimelineEntry
    from .lab_config import AlertDefinition, Lab, Responder, load_lab
    from .report import describe_entry, durations_lines, postmortem_markdown, timeline_lines
    from .routing import Notification, RoutedAlert, RoutingResult, group_key, labels_of, route
    from .routing_config import (
        InhibitRule,
        Matcher,
        RoutingConfig,
        Silence,
        parse_matcher,
        parse_routing,
    )
    from .runbook import Runbook, RunbookStep, lint_runbooks, load_runbook, parse_runbook
    from .schedule import Layer, Override, Restriction, Schedule, Shift
    from .schedule_io import export_ics, load_schedule, load_schedules, parse_schedule
    from .windows import Window, split_by_window, window_at
