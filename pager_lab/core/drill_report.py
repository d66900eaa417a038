"""The post-mortem draft of a played drill, consistent with its score and its debrief.

The incident's own timeline knows the pages, the acknowledgement and the choices; the
draft adds what the system did meanwhile (a fault coming back, an injection such as an
ETA question or customer reports, what each action changed), words a declared severity
as declared, reports a too-early resolution as such, and drafts *What went wrong* from
the debrief's wrong and harmful steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pager_lab.core.drill_session import DrillSession
from pager_lab.core.incident import EntryKind, TimelineEntry
from pager_lab.core.report import describe_entry, postmortem_markdown

__all__ = ["WRONG_VERDICTS", "drill_postmortem_text"]


class DrillScore(Protocol):
    """What the draft reads of a score card (``drill_score.DrillScore``)."""

    @property
    def outcome(self) -> str: ...
    @property
    def total(self) -> float: ...
    @property
    def time_to_acknowledge(self) -> float | None: ...
    @property
    def time_to_mitigate(self) -> float | None: ...
    @property
    def time_to_resolve(self) -> float | None: ...
    @property
    def impact_minutes(self) -> float: ...
    @property
    def comms_missing(self) -> tuple[str, ...]: ...


class DebriefLine(Protocol):
    """What the draft reads of a debrief line (``drill_score.DebriefLine``)."""

    @property
    def at(self) -> float: ...
    @property
    def choice(self) -> str: ...
    @property
    def verdict(self) -> str: ...
    @property
    def explanation(self) -> str: ...


class Debrief(Protocol):
    """What the draft reads of a debrief (``drill_score.Debrief``)."""

    @property
    def path(self) -> Sequence[DebriefLine]: ...


WRONG_VERDICTS = frozenset(
    {
        "ignore",
        "red herring",
        "repeat",
        "worse",
        "no effect",
        "refused",
        "harmful",
        "too soon",
        "too late",
        "resolved too early",
    }
)
"""Debrief verdicts that go into the draft's *What went wrong*."""

_CHANGES = {"started": "started", "returned": "came back", "ended": "ended on its own"}


def _describe(entry: TimelineEntry) -> str:
    """A drill's severity is declared by the player, not triaged by a pager; loops count
    from 0, as ``pager-lab why`` counts them for the same drill."""
    detail = dict(entry.detail)
    if entry.kind is EntryKind.TRIAGED:
        return f"{entry.actor} declared {detail['severity']}"
    if entry.kind is EntryKind.PAGED:
        return f"Paged {detail['responder']} (level {detail['level']}, loop {detail['loop']})"
    return describe_entry(entry)


def _events(session: DrillSession) -> list[tuple[float, str]]:
    """What happened besides the incident's own entries: faults, injections, effects."""
    out: list[tuple[float, str]] = []
    for change in session.changes:
        fault = session.scenario.fault(change.fault)
        what = session.fill(fault.description) if fault is not None else change.fault
        out.append((change.at, f"{_CHANGES.get(change.change, change.change)}: {what}"))
    out += [(at, session.fill(i.text)) for at, i in session.injected]
    out += [
        (s.at, f"result of {s.choice}: {s.text}")
        for s in session.path
        if s.kind == "action" and s.verdict != "too late"
    ]
    return out


def _went_wrong(session: DrillSession, card: DrillScore, debrief: Debrief) -> list[str]:
    """The debrief's wrong and harmful steps (a relief too, once its fault came back), the
    missed communication and the outcome."""
    wrong = WRONG_VERDICTS | ({"relief"} if session.recurrences else set())
    lines = [
        f"+{d.at:.0f} min {d.choice} ({d.verdict}): {d.explanation}"
        for d in debrief.path
        if d.verdict in wrong
    ]
    lines += [f"Communication missing: {m}" for m in card.comms_missing]
    if card.outcome != "resolved":
        lines.append(f"The drill ended {card.outcome}: the cause was not fixed in time.")
    return lines


def drill_postmortem_text(session: DrillSession, card: DrillScore, debrief: Debrief) -> str:
    """A blameless post-mortem draft: timeline, impact, factors and what went wrong filled in."""
    sc = session.scenario
    text = postmortem_markdown(
        session.incident,
        sc.runbook,
        session.fill(sc.root_cause),
        events=_events(session),
        went_wrong=_went_wrong(session, card, debrief),
        describe=_describe,
    )
    summary_end = f"- State at the end of the drill: {session.incident.state.value}"
    resolve = "Time to resolve: " + (
        "not reached" if card.time_to_resolve is None else f"{card.time_to_resolve:.1f} min"
    )
    if card.outcome == "resolved too early":
        resolve += f" (closed too early at +{session.incident.time_to_resolve:.1f} min)"
    ending = f"- State at the end of the drill: {card.outcome} (score {card.total:.0f}/100)"
    text = text.replace(summary_end, ending)
    text = text.replace(
        next(line for line in text.splitlines() if "Time to resolve:" in line),
        f"- Time to acknowledge: {_minutes(card.time_to_acknowledge)}; {resolve}",
    )
    text = text.replace("- Severity: ", "- Severity declared: ", 1)
    return _with_impact(session, card, text)


def _minutes(value: float | None) -> str:
    return "not reached" if value is None else f"{value:.1f} min"


def _with_impact(session: DrillSession, card: DrillScore, text: str) -> str:
    sc = session.scenario
    impact = (
        f"- Service: {sc.service or sc.name}; customer impact: {card.impact_minutes:.1f} "
        f"error-budget minutes (minutes of full outage), counting the damage still ongoing "
        f"when the drill ended\n"
        f"- Time to mitigate: {_minutes(card.time_to_mitigate)}\n"
        f"- Peak {sc.impact_signal}: {max(v[sc.impact_signal] for _, v in session.history()):g}%"
    )
    factors = "\n".join(f"- {session.fill(f)}" for f in sc.contributing_factors) or "- _(fill in)_"
    text = text.replace("_Who was affected, for how long, and how badly? (fill in)_", impact)
    return text.replace(
        "## What went well", f"## Contributing factors\n{factors}\n\n## What went well"
    )
