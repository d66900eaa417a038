"""The parts of a drill scenario: signals, faults, diagnostics, actions, injections and
best paths (their TOML parsing is in ``drill_toml``)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BUILTIN_IDS",
    "COMM_IDS",
    "DIAGNOSTIC_KINDS",
    "EFFECT_KINDS",
    "INJECTION_KINDS",
    "RESERVED_IDS",
    "Action",
    "BestPath",
    "Diagnostic",
    "Drive",
    "Effect",
    "Fault",
    "Injection",
    "Signal",
]

COMM_IDS = ("declare", "status", "page-ic", "page-sme")
"""Communication a scenario may require or call harmful (``declare`` is any ``declare-sevN``)."""
BUILTIN_IDS = (
    "ack",
    "ignore",
    "runbook",
    "declare-sev1",
    "declare-sev2",
    "declare-sev3",
    "declare-sev4",
    "status",
    "page-ic",
    "page-sme",
    "wait",
    "resolve",
)
"""Choices every scenario has; a scenario's own diagnostics and actions add to them."""
RESERVED_IDS = (*BUILTIN_IDS, "declare")
DIAGNOSTIC_KINDS = ("text", "table", "series")
EFFECT_KINDS = ("fixes", "relief", "starts")
INJECTION_KINDS = ("alert", "eta", "no-answer", "recovery", "customer", "note")


@dataclass(frozen=True)
class Signal:
    """A named metric of the state model (error rate, p95 latency, CPU ...)."""

    name: str
    label: str
    unit: str
    baseline: float
    """Its healthy value."""
    low: float
    high: float
    """The value never leaves [low, high] (e.g. 0-100 for a percentage)."""
    alarm: float | None
    """Above this the signal looks bad on a dashboard (shown as a threshold), if given."""


@dataclass(frozen=True)
class Drive:
    """How an active fault pushes one signal: ``rate`` per minute, at most ``peak`` in all."""

    signal: str
    rate: float
    peak: float


@dataclass(frozen=True)
class Fault:
    """Something wrong in the system, driving signals while it is active."""

    name: str
    description: str
    at: float | None
    """The minute it starts on its own, or ``None`` (started by an action or an injection)."""
    lasts: float | None
    """It ends on its own this many minutes after it starts (a restart's blip), if given."""
    drives: tuple[Drive, ...]


@dataclass(frozen=True)
class Diagnostic:
    """A way to look: logs, a dashboard, a query, the deploy history, a status page."""

    id: str
    label: str
    cost: float
    """Simulated minutes it takes."""
    kind: str
    """``text``, ``table`` or ``series`` (recent values of :attr:`signals`)."""
    text: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    signals: tuple[str, ...]
    shows: str
    """A fault whose evidence this is: while it is not active, :attr:`text_if_clear` is
    shown instead (and a table shows no rows)."""
    text_if_clear: str
    key: bool
    """Key evidence: looking at it before acting earns the diagnosis points."""
    red_herring: bool
    explain: str
    """What the debrief says about this clue."""


@dataclass(frozen=True)
class Effect:
    """What an action does to one fault."""

    kind: str
    """``fixes`` it, gives ``relief`` (it returns after ``recur_after`` minutes) or ``starts``
    it (makes things worse)."""
    fault: str
    recur_after: float
    if_active: str
    """The effect applies only while this fault is active (default: its own fault for
    fixes/relief; always for starts)."""
    text: str


@dataclass(frozen=True)
class Action:
    """Something the responder can do to the system."""

    id: str
    label: str
    cost: float
    text: str
    """Shown when it has no effect (or always before the effects' own texts)."""
    effects: tuple[Effect, ...]
    requires: tuple[str, ...]
    """Diagnostics or actions that must have been done first (the precondition)."""
    refusal: str
    """Shown when :attr:`requires` is not met."""
    harmful: bool
    explain: str


@dataclass(frozen=True)
class Injection:
    """Something that happens to the responder: scripted at a minute, or by a game master."""

    id: str
    at: float | None
    """The minute it fires, or ``None``: only when injected."""
    kind: str
    text: str
    starts: tuple[str, ...]
    fixes: tuple[str, ...]
    expects: str
    """A response it asks for (``status``), within :attr:`within` minutes; ``""`` if none."""
    within: float


@dataclass(frozen=True)
class BestPath:
    """A sequence of choices that resolves the incident with full marks, and why."""

    steps: tuple[str, ...]
    reasoning: str
