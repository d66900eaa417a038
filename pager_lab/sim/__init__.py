"""The SimPy model: scenarios (and their TOML files), alert arrivals, people
answering pages, window calendars, the simulation that drives the core's
``Incident`` and ``EscalationRun`` in simulated minutes, and the recorder whose
only output is tidy pandas tables (``SimulationResult``).

It may import ``pager_lab.core`` only.
"""

from typing import TYPE_CHECKING

from pager_lab._lazy import lazy_exports

_EXPORTS = {
    "AlertEpisodes": ".routing_stage",
    "AlertSource": ".scenario",
    "Attrition": ".scenario",
    "Recorder": ".recorder",
    "CompiledSchedule": ".calendars",
    "Desk": ".people",
    "explain_page": ".why",
    "Fatigue": ".scenario",
    "Flapping": ".scenario",
    "generate_alerts": ".arrivals",
    "load_run": ".run_dir",
    "load_scenario": ".scenario_io",
    "PageExplanation": ".why_chain",
    "parse_scenario": ".scenario_io",
    "Person": ".people",
    "rate_at": ".arrivals",
    "ResponseModel": ".scenario",
    "Roster": ".people",
    "save_run": ".run_dir",
    "routing_alerts": ".routing_stage",
    "RoutingStage": ".routing_stage",
    "RosterLevel": ".people",
    "Scenario": ".scenario",
    "SimClock": ".model",
    "simulate": ".model",
    "Simulation": ".model",
    "SimulationResult": ".model",
    "SlotTarget": ".people",
    "Storm": ".scenario",
    "WindowCalendar": ".calendars",
    "with_changes": ".scenario_io",
    "WorkModel": ".scenario",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:  # what type checkers and editors see; at run time names load lazily
    from .arrivals import generate_alerts, rate_at
    from .calendars import CompiledSchedule, WindowCalendar
    from .model import SimClock, Simulation, SimulationResult, simulate
    from .people import Desk, Person, Roster, RosterLevel, SlotTarget
    from .recorder import Recorder
    from .routing_stage import AlertEpisodes, RoutingStage, routing_alerts
    from .run_dir import load_run, save_run
    from .scenario import (
        AlertSource,
        Attrition,
        Fatigue,
        Flapping,
        ResponseModel,
        Scenario,
        Storm,
        WorkModel,
    )
    from .scenario_io import load_scenario, parse_scenario, with_changes
    from .why import explain_page
    from .why_chain import PageExplanation
