"""pager_lab: an incident-response teaching lab and a trustworthy on-call simulator.

One engine, thin front ends, in seven layers (ARCHITECTURE.md): ``core`` (incident,
escalation, schedules, runbooks, the drill and its library, routing), ``sim`` (the SimPy
model) and ``alerting`` (webhooks, ingest, importers, Alertmanager, PagerDuty) above it,
``analysis`` (metrics, experiments, calibration, plots), ``classroom`` (game master, results
store, debrief), then ``course`` and ``cli`` on top. Imports point down only.

The names below are what a notebook, a test or a script needs; each is imported
the first time it is used (PEP 562), so ``import pager_lab`` stays light.

Glossary — four things the code calls an "alert":

- an **alert definition** (``AlertDefinition``, ``data/alerts.toml``): a monitor's
  alert in the drill — what it says, which policy it pages, its runbook;
- an **alert source** (``AlertSource``, a scenario's ``[[sources]]``): a stream of
  alerts in the model — a rate, a daily profile, storms, noise;
- a **simulated alert** (a row of ``SimulationResult.alerts``): one alert the
  model delivered at a minute; alerts with one dedup key join one incident;
- an **ingested event** (``Event``): one line of PagerDuty Events v2 or an
  Alertmanager webhook, replayed by ``pager-lab ingest``.
"""

from typing import TYPE_CHECKING

from pager_lab._lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS = {
    # scenarios and the model
    "Scenario": "pager_lab.sim.scenario",
    "load_scenario": "pager_lab.sim.scenario_io",
    "with_changes": "pager_lab.sim.scenario_io",
    "simulate": "pager_lab.sim.model",
    "SimulationResult": "pager_lab.sim.tables",
    "load_run": "pager_lab.sim.run_dir",
    # experiments
    "compare": "pager_lab.analysis.experiments",
    "sweep": "pager_lab.analysis.experiments",
    "SerialExecutor": "pager_lab.analysis.experiments",
    # the drill and the incident lifecycle
    "Drill": "pager_lab.core.drill",
    # the drill library
    "DrillSession": "pager_lab.core.drill_session",
    "load_drill_library": "pager_lab.core.drill_scenario",
    "score_drill": "pager_lab.core.drill_score",
    "debrief_drill": "pager_lab.core.drill_debrief",
    "Incident": "pager_lab.core.incident",
    "IncidentState": "pager_lab.core.incident",
    "Severity": "pager_lab.core.incident",
    "EscalationPolicy": "pager_lab.core.escalation",
    "EscalationLevel": "pager_lab.core.escalation",
    "ManualClock": "pager_lab.core.clock",
    "load_lab": "pager_lab.core.lab_config",
    "load_runbook": "pager_lab.core.runbook",
    # schedules
    "Schedule": "pager_lab.core.schedule",
    "Layer": "pager_lab.core.schedule",
    "Restriction": "pager_lab.core.schedule",
    "Override": "pager_lab.core.schedule",
    "load_schedule": "pager_lab.core.schedule_io",
    # errors
    "PagerLabError": "pager_lab.core.errors",
    "ConfigError": "pager_lab.core.errors",
    "InvalidTransition": "pager_lab.core.errors",
    "InvalidAnswer": "pager_lab.core.errors",
}
__all__ = ["__version__", *sorted(_EXPORTS)]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:  # what type checkers and editors see; at run time names load lazily
    from pager_lab.analysis.experiments import SerialExecutor, compare, sweep
    from pager_lab.core.clock import ManualClock
    from pager_lab.core.drill import Drill
    from pager_lab.core.drill_debrief import debrief_drill
    from pager_lab.core.drill_scenario import load_drill_library
    from pager_lab.core.drill_score import score_drill
    from pager_lab.core.drill_session import DrillSession
    from pager_lab.core.errors import ConfigError, InvalidAnswer, InvalidTransition, PagerLabError
    from pager_lab.core.escalation import EscalationLevel, EscalationPolicy
    from pager_lab.core.incident import Incident, IncidentState, Severity
    from pager_lab.core.lab_config import load_lab
    from pager_lab.core.runbook import load_runbook
    from pager_lab.core.schedule import Layer, Override, Restriction, Schedule
    from pager_lab.core.schedule_io import load_schedule
    from pager_lab.sim.model import simulate
    from pager_lab.sim.run_dir import load_run
    from pager_lab.sim.scenario import Scenario
    from pager_lab.sim.scenario_io import load_scenario, with_changes
    from pager_lab.sim.tables import SimulationResult
