"""The engine room of a drill session: its state, its clock and what time does.

:class:`SessionBase` holds everything a :class:`~pager_lab.core.drill_session.DrillSession`
knows (the seed's picks, the state model, the incident, the path so far) and lets
simulated time pass: the model evolves, scripted injections fire, the time limit ends
the drill. The choices' handlers (``drill_steps``) and the public API (``drill_session``)
build on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from pager_lab.core.clock import DEFAULT_START, ManualClock
from pager_lab.core.drill import Message
from pager_lab.core.drill_parts import Injection
from pager_lab.core.drill_scenario import DrillScenario
from pager_lab.core.drill_state import DrillState, FaultEvent
from pager_lab.core.incident import Incident

__all__ = [
    "ACK_TIMEOUT",
    "COSTS",
    "MAX_IGNORES",
    "REFUSAL_COST",
    "Choice",
    "SessionBase",
    "Step",
    "StepResult",
]

ACK_TIMEOUT = 5.0
"""Minutes until an ignored page pages again."""
MAX_IGNORES = 3
COSTS = {
    "ack": 1.0,
    "runbook": 1.0,
    "declare": 1.0,
    "status": 2.0,
    "page-ic": 1.0,
    "page-sme": 1.0,
    "wait": 5.0,
    "resolve": 1.0,
}
"""Simulated minutes of the built-in choices (``ignore`` costs :data:`ACK_TIMEOUT`)."""
REFUSAL_COST = 1.0
"""Minutes an action refused for a missing clue costs (at most its own cost)."""


@dataclass(frozen=True)
class Choice:
    """One thing the player can choose now."""

    id: str
    """What to pass to :meth:`DrillSession.choose` (its number in :meth:`~DrillSession.choices`,
    counting from 1, works too)."""
    label: str
    kind: str
    """``page``, ``runbook``, ``diagnostic``, ``action``, ``comm``, ``time`` or ``end``."""
    cost: float
    """Simulated minutes it takes."""


@dataclass(frozen=True)
class Step:
    """One choice on the player's path, as the debrief judges it."""

    at: float
    """The minute it was chosen."""
    choice: str
    kind: str
    verdict: str
    """``ack``, ``ignore``, ``runbook``, ``clue``, ``red herring``, ``repeat``, ``fixes``,
    ``relief``, ``worse``, ``no effect``, ``refused``, ``comm``, ``harmful``, ``wait``,
    ``resolved``, ``resolved too early``, ``too soon`` (resolve refused) or ``too late``
    (the time limit ran out while doing it)."""
    text: str
    """What the player was shown, in one line."""


@dataclass(frozen=True)
class StepResult:
    """The structured result of the last choice, for drivers that draw (tables, plots)."""

    choice: str
    messages: tuple[Message, ...]
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    series: tuple[tuple[str, tuple[tuple[float, float], ...]], ...] = ()
    """``(signal, ((minute, value), ...))`` for a dashboard."""


class SessionBase:
    """The state of one played drill and the passing of its simulated time."""

    def __init__(
        self, scenario: DrillScenario, seed: int = 0, *, start: datetime = DEFAULT_START
    ) -> None:
        self.scenario = scenario
        self.seed = int(seed)
        self.clock = ManualClock(start)
        streams = np.random.SeedSequence(self.seed).spawn(3)  # picks, timings, red herrings
        self.variables = _pick(scenario, np.random.default_rng(streams[0]))
        """The seed's pick of each ``[vary]`` variable."""
        self.herrings = _herrings(scenario, np.random.default_rng(streams[2]))
        """The red-herring diagnostics this seed offers (``herrings`` of them, if limited)."""
        factors, self.recur_factor = _timings(scenario, np.random.default_rng(streams[1]))
        """The seed's multiplier of every relief's time until the fault returns."""
        self.state = DrillState(scenario, factors)
        self.incident = Incident(
            "DRILL-1", self.fill(scenario.alert), self.clock, service=scenario.service
        )
        self.path: list[Step] = []
        """Every choice so far, judged."""
        self.outcome = ""
        """``resolved``, ``resolved too early``, ``out of time`` or ``no one answered`` once
        finished; ``""`` while playing."""
        self.acked = False
        self.runbook_opened = False
        self.declared: list[tuple[float, str]] = []
        self.statuses: list[float] = []
        self.paged: list[tuple[float, str, bool]] = []
        """``(minute, 'page-ic' or 'page-sme', answered)``."""
        self.sme_available = True
        self.injected: list[tuple[float, Injection]] = []
        self.mitigated_at: float | None = None
        self.recurrences = 0
        """How often a relieved fault came back."""
        self.changes: list[FaultEvent] = []
        """Every change the model made on its own (a fault started, came back, ended)."""
        self.last: StepResult | None = None
        self._ignores = 0
        self._done: set[str] = set()
        self._events: list[list[Any]] = []
        self.incident.page(scenario.responder, 1)
        self.opening = _opening(scenario, self.incident.summary)
        """The lines shown before the first choice."""

    # -- reading -----------------------------------------------------------------------
    @property
    def finished(self) -> bool:
        """Whether the drill is over."""
        return bool(self.outcome)

    @property
    def now(self) -> float:
        """Simulated minutes since the alert fired."""
        return self.clock.now()

    def signals(self) -> dict[str, float]:
        """Every signal's value now."""
        return self.state.values()

    def history(self) -> list[tuple[float, dict[str, float]]]:
        """The signals at every whole minute so far (for a plot that advances with time)."""
        return list(self.state.history)

    def fill(self, text: str) -> str:
        """*text* with the seed's ``{variable}`` picks filled in."""
        for name, value in self.variables.items():
            text = text.replace("{" + name + "}", value)
        return text

    def _pass(self, minutes: float) -> list[Message]:
        """Time passes: the model evolves, injections fire, the limit may end the drill."""
        lines: list[Message] = []
        target = self.now + minutes
        while self.now < target - 1e-9 and not self.finished:
            due = [
                i
                for i in self.scenario.injections
                if i.at is not None
                and self.now < i.at <= target
                and not any(j is i for _, j in self.injected)
            ]
            limit = self.scenario.limit_minutes  # the drill ends there, not after
            stop = min([target, limit, *(i.at for i in due if i.at is not None)])
            lines += self._evolve(stop - self.now)
            lines += [m for i in due if i.at == stop for m in self._fire(i)]
            if self.now >= self.scenario.limit_minutes and not self.finished:
                self.outcome = "out of time"
                lines.append(
                    Message(
                        "outage",
                        f"⏰ Out of time after {self.now:.0f} minutes: the incident is unresolved.",
                    )
                )
        return lines

    def _evolve(self, minutes: float) -> list[Message]:
        self.clock.advance(minutes)
        events = self.state.advance(minutes)
        self.changes += events
        self._track_mitigation()
        return [self._event_line(e) for e in events]

    def _event_line(self, event: FaultEvent) -> Message:
        fault = self.scenario.fault(event.fault)
        what = self.fill(fault.description) if fault is not None else event.fault
        if event.change == "returned":
            self.recurrences += 1
            return Message(
                "alert", f"🚨 +{event.at:.0f} min: it is back — {self.incident.summary} ({what})"
            )
        if event.change == "started":
            return Message("alert", f"🚨 +{event.at:.0f} min: {what}")
        return Message("info", f"🔕 +{event.at:.0f} min: over — {what}")

    def _track_mitigation(self) -> None:
        if self.state.healthy and self.mitigated_at is None and self.acked:
            self.mitigated_at = self.now
        elif not self.state.healthy:
            self.mitigated_at = None

    def _fire(self, injection: Injection) -> list[Message]:
        self.injected.append((self.now, injection))
        for name in injection.starts:
            self.state.start(name)
        for name in injection.fixes:
            self.state.fix(name)
        if injection.kind == "no-answer":
            self.sme_available = False
        self._track_mitigation()
        icon = {
            "alert": "🚨",
            "eta": "💬",
            "no-answer": "📵",
            "recovery": "📈",
            "customer": "📞",
        }.get(injection.kind, "📌")
        return [Message("inject", f"{icon} +{self.now:.0f} min: {self.fill(injection.text)}")]


def _timings(scenario: DrillScenario, rng: np.random.Generator) -> tuple[dict[str, float], float]:
    """The seed's multiplier of each fault's growth, and of every relief's delay."""
    j = scenario.jitter
    factors = {f.name: float(1 + j * rng.uniform(-1, 1)) for f in scenario.faults}
    return factors, float(1 + j * rng.uniform(-1, 1))


def _opening(scenario: DrillScenario, summary: str) -> list[Message]:
    """The alert, the page and the service (with its dependencies)."""
    lines = [
        Message("alert", f"🚨 ALERT: {summary}"),
        Message("page", f"📟 Paging {scenario.responder}..."),
    ]
    if scenario.service:
        needs = f" (depends on {', '.join(scenario.depends_on)})" if scenario.depends_on else ""
        lines.append(Message("info", f"🧭 Service: {scenario.service}{needs}"))
    return lines


def _herrings(scenario: DrillScenario, rng: np.random.Generator) -> frozenset[str]:
    """The red herrings the seed offers: all, or ``herrings`` of them (without replacement)."""
    ids = [d.id for d in scenario.diagnostics if d.red_herring]
    if scenario.herrings is None or scenario.herrings >= len(ids):
        return frozenset(ids)
    return frozenset(str(i) for i in rng.choice(ids, size=scenario.herrings, replace=False))


def _pick(scenario: DrillScenario, rng: np.random.Generator) -> dict[str, str]:
    """The seed's value for each ``[vary]`` variable (in name order, so adding one is stable)."""
    return {
        name: scenario.vary[name][int(rng.integers(len(scenario.vary[name])))]
        for name in sorted(scenario.vary)
    }
