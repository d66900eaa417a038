"""The incident state machine and its timeline (pure: time comes from an injected clock).

States follow the seed's lifecycle — Trigger, Ack, Triage, Resolve — with
PagerDuty's extra semantics (REFERENCES.md): an acknowledged incident that is
not resolved within the acknowledgement timeout goes back to ``triggered``;
an incident left open is auto-resolved; a resolved incident never changes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple

from pager_lab.clock import Clock, to_datetime
from pager_lab.errors import InvalidTransition

__all__ = ["EntryKind", "Incident", "IncidentState", "Severity", "TimelineEntry"]


class IncidentState(StrEnum):
    """Where an incident is in its lifecycle."""

    TRIGGERED = "triggered"
    ACKNOWLEDGED = "acknowledged"
    TRIAGED = "triaged"
    RESOLVED = "resolved"


class Severity(StrEnum):
    """Severity chosen at triage: SEV1 is the worst."""

    SEV1 = "SEV1"
    SEV2 = "SEV2"
    SEV3 = "SEV3"
    SEV4 = "SEV4"

    @classmethod
    def parse(cls, value: str) -> Severity:
        """Accept ``SEV2``, ``sev2`` or ``2``."""
        text = str(value).strip().upper()
        if text.isdigit():
            text = "SEV" + text
        try:
            return cls(text)
        except ValueError:
            raise ValueError(f"severity {value!r} is not one of SEV1, SEV2, SEV3, SEV4") from None


class EntryKind(StrEnum):
    """What a timeline entry records."""

    TRIGGERED = "triggered"
    PAGED = "paged"
    LEVEL_SKIPPED = "level_skipped"
    NO_ANSWER = "no_answer"
    NO_ONE_ANSWERED = "no_one_answered"
    ACKNOWLEDGED = "acknowledged"
    TRIAGED = "triaged"
    HELP_PAGED = "help_paged"
    ACTION = "action"
    ACK_TIMEOUT = "ack_timeout"
    RESOLVED = "resolved"
    AUTO_RESOLVED = "auto_resolved"


NO_DETAIL: Mapping[str, Any] = MappingProxyType({})


class TimelineEntry(NamedTuple):
    """One thing that happened to an incident (immutable)."""

    at: float
    """Minutes since the clock's start."""
    kind: EntryKind
    actor: str
    """Who did it: a responder, ``monitor`` or ``pager``."""
    detail: Mapping[str, Any] = NO_DETAIL
    """Level paged, severity chosen, action taken, ..."""

    def to_dict(self, start: datetime | None = None) -> dict[str, Any]:
        row: dict[str, Any] = {"at_minutes": self.at, "kind": str(self.kind), "actor": self.actor}
        if start is not None:
            row["timestamp"] = to_datetime(start, self.at).isoformat()
        row["detail"] = dict(self.detail)
        return row


_new_entry = tuple.__new__  # builds a TimelineEntry without a Python-level __new__ call
_TRIGGERED = (IncidentState.TRIGGERED,)
_ACKED = (IncidentState.ACKNOWLEDGED,)
_OPEN = (IncidentState.TRIGGERED, IncidentState.ACKNOWLEDGED, IncidentState.TRIAGED)
_WORKING = (IncidentState.ACKNOWLEDGED, IncidentState.TRIAGED)


class Incident:
    """One problem, from trigger to resolve, with everything that happened on its timeline.

    Durations derive from the timeline and are never stored twice.
    """

    __slots__ = ("_first_at", "clock", "id", "service", "state", "summary", "timeline")

    def __init__(
        self, incident_id: str, summary: str, clock: Clock, *, service: str = "", **detail: Any
    ) -> None:
        self.id = incident_id
        """Identifier, e.g. ``INC-1``."""
        self.summary = summary
        """What the monitor said, e.g. ``Database Connection Failed``."""
        self.service = service
        self.clock = clock
        self.state = IncidentState.TRIGGERED
        """The one current state."""
        self.timeline: list[TimelineEntry] = []
        self._first_at: dict[EntryKind, int] = {}
        """Where each kind first appears on the timeline (an index, not a copy)."""
        self._record(EntryKind.TRIGGERED, "monitor", {"summary": summary, **detail})

    # -- transitions -------------------------------------------------------------------
    def page(self, responder: str, level: int, loop: int = 0) -> None:
        """Record that *responder* was paged at escalation *level* (1-based)."""
        if self.state not in _TRIGGERED:
            self._refuse(_TRIGGERED, f"page {responder}")
        self._record(
            EntryKind.PAGED, "pager", {"responder": responder, "level": level, "loop": loop}
        )

    def skip_level(self, level: int, loop: int = 0) -> None:
        """Record an escalation level with nobody to page (skipped without waiting)."""
        if self.state not in _TRIGGERED:
            self._refuse(_TRIGGERED, f"skip level {level}")
        self._record(EntryKind.LEVEL_SKIPPED, "pager", {"level": level, "loop": loop})

    def no_answer(self, responder: str, level: int, loop: int = 0) -> None:
        """Record that *responder* let the level's escalation timeout run out."""
        if self.state not in _TRIGGERED:
            self._refuse(_TRIGGERED, f"record no answer from {responder}")
        self._record(EntryKind.NO_ANSWER, responder, {"level": level, "loop": loop})

    def no_one_answered(self) -> None:
        """Every level and loop is exhausted: flag it (the seed's Major Outage); stays open."""
        if self.state not in _TRIGGERED:
            self._refuse(_TRIGGERED, "flag no one answered")
        self._record(EntryKind.NO_ONE_ANSWERED, "pager")

    def acknowledge(self, responder: str) -> None:
        """*responder* says "I am looking at it": stops the escalation."""
        if self.state not in _TRIGGERED:
            self._refuse(_TRIGGERED, f"acknowledge by {responder}")
        self._record(EntryKind.ACKNOWLEDGED, responder)
        self.state = IncidentState.ACKNOWLEDGED

    def triage(self, responder: str, severity: Severity | str, need_help: bool) -> None:
        """Record severity and the seed's "Do I need help?"."""
        if self.state not in _ACKED:
            self._refuse(_ACKED, f"triage by {responder}")
        sev = severity if isinstance(severity, Severity) else Severity.parse(severity)
        self._record(
            EntryKind.TRIAGED, responder, {"severity": str(sev), "need_help": bool(need_help)}
        )
        self.state = IncidentState.TRIAGED

    def page_for_help(self, responder: str, level: int, requested_by: str) -> None:
        """Page *responder* as an additional responder (the incident stays with its owner)."""
        if self.state not in _WORKING:
            self._refuse(_WORKING, f"page {responder} for help")
        detail = {"responder": responder, "level": level, "requested_by": requested_by}
        self._record(EntryKind.HELP_PAGED, "pager", detail)

    def act(self, responder: str, action: str) -> None:
        """Record an action taken while working the incident (``restart``, ``ignore``, ...)."""
        if self.state not in _WORKING:
            self._refuse(_WORKING, f"take action {action!r}")
        self._record(EntryKind.ACTION, responder, {"action": action})

    def resolve(self, responder: str = "monitor", action: str = "") -> None:
        """Resolve; from ``triggered`` this means the monitor recovered (auto-resolved)."""
        if self.state not in _OPEN:
            self._refuse(_OPEN, f"resolve by {responder}")
        self._record(EntryKind.RESOLVED, responder, {"action": action} if action else NO_DETAIL)
        self.state = IncidentState.RESOLVED

    def acknowledgement_timeout(self) -> None:
        """Acknowledged but not resolved in time: back to ``triggered``; escalation resumes."""
        if self.state not in _WORKING:
            self._refuse(_WORKING, "re-trigger after the acknowledgement timeout")
        self._record(EntryKind.ACK_TIMEOUT, "pager")
        self.state = IncidentState.TRIGGERED

    def auto_resolve(self) -> None:
        """Left open past the auto-resolve timeout: closed by the pager."""
        if self.state not in _OPEN:
            self._refuse(_OPEN, "auto-resolve")
        self._record(EntryKind.AUTO_RESOLVED, "pager")
        self.state = IncidentState.RESOLVED

    # -- derived -----------------------------------------------------------------------
    def entries(self, *kinds: EntryKind) -> Iterator[TimelineEntry]:
        """Timeline entries of the given kinds, in order."""
        return (e for e in self.timeline if e.kind in kinds)

    def _first(self, *kinds: EntryKind) -> TimelineEntry | None:
        found = [self._first_at[k] for k in kinds if k in self._first_at]
        return self.timeline[min(found)] if found else None

    @property
    def triggered_at(self) -> float:
        return self.timeline[0][0]

    @property
    def acknowledged_at(self) -> float | None:
        """Minutes at the first acknowledgement (PagerDuty's MTTA definition)."""
        entry = self._first(EntryKind.ACKNOWLEDGED)
        return None if entry is None else entry.at

    @property
    def acknowledged_by(self) -> str | None:
        entry = self._first(EntryKind.ACKNOWLEDGED)
        return None if entry is None else entry.actor

    @property
    def resolved_at(self) -> float | None:
        entry = self._first(EntryKind.RESOLVED, EntryKind.AUTO_RESOLVED)
        return None if entry is None else entry.at

    @property
    def resolved_by(self) -> str | None:
        entry = self._first(EntryKind.RESOLVED, EntryKind.AUTO_RESOLVED)
        return None if entry is None else entry.actor

    @property
    def time_to_acknowledge(self) -> float | None:
        """Minutes from trigger to first acknowledgement, or ``None``."""
        at = self.acknowledged_at
        return None if at is None else at - self.triggered_at

    @property
    def time_to_resolve(self) -> float | None:
        """Minutes from trigger to resolve, or ``None`` while open."""
        at = self.resolved_at
        return None if at is None else at - self.triggered_at

    @property
    def highest_level(self) -> int:
        """Highest escalation level paged (0 if nobody was paged)."""
        return max((e.detail["level"] for e in self.entries(EntryKind.PAGED)), default=0)

    @property
    def pages_sent(self) -> int:
        """Notifications sent, help pages included."""
        return sum(1 for _ in self.entries(EntryKind.PAGED, EntryKind.HELP_PAGED))

    @property
    def is_no_one_answered(self) -> bool:
        return self._first(EntryKind.NO_ONE_ANSWERED) is not None

    @property
    def severity(self) -> Severity | None:
        entry = self._first(EntryKind.TRIAGED)
        return None if entry is None else Severity(entry.detail["severity"])

    def facts(self) -> tuple[Any, ...]:
        """One pass over the timeline: ``(triggered_at, acknowledged_at, acknowledged_by,
        resolved_at, resolved_by, highest_level, pages_sent, no_one_answered)``.

        The same values as the properties, computed together (the simulation's hot path).
        """
        first, timeline = self._first_at, self.timeline
        ack = first.get(EntryKind.ACKNOWLEDGED)
        ends = [first[k] for k in (EntryKind.RESOLVED, EntryKind.AUTO_RESOLVED) if k in first]
        end = min(ends) if ends else None
        level = pages = 0
        if EntryKind.PAGED in first or EntryKind.HELP_PAGED in first:
            for entry in timeline:
                if entry.kind is EntryKind.PAGED or entry.kind is EntryKind.HELP_PAGED:
                    pages += 1
                    if entry.kind is EntryKind.PAGED and entry.detail["level"] > level:
                        level = entry.detail["level"]
        return (
            timeline[0].at,
            None if ack is None else timeline[ack].at,
            None if ack is None else timeline[ack].actor,
            None if end is None else timeline[end].at,
            None if end is None else timeline[end].actor,
            level,
            pages,
            EntryKind.NO_ONE_ANSWERED in first,
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view: state, derived durations and the whole timeline."""
        start = self.clock.start
        return {
            "id": self.id,
            "summary": self.summary,
            "service": self.service,
            "state": str(self.state),
            "start": start.isoformat(),
            "acknowledged_by": self.acknowledged_by,
            "resolved_by": self.resolved_by,
            "time_to_acknowledge_minutes": self.time_to_acknowledge,
            "time_to_resolve_minutes": self.time_to_resolve,
            "highest_level": self.highest_level,
            "pages_sent": self.pages_sent,
            "no_one_answered": self.is_no_one_answered,
            "timeline": [e.to_dict(start) for e in self.timeline],
        }

    def __repr__(self) -> str:
        return f"Incident({self.id!r}, {self.summary!r}, state={self.state.value})"

    # -- internals ---------------------------------------------------------------------
    def _refuse(self, allowed: tuple[IncidentState, ...], action: str) -> None:
        expected = " or ".join(s.value for s in allowed)
        raise InvalidTransition(self.id, self.state.value, action, f"needs {expected}")

    def _record(self, kind: EntryKind, actor: str, detail: Mapping[str, Any] = NO_DETAIL) -> None:
        at = self.clock.now()
        timeline = self.timeline
        if timeline and at < timeline[-1][0]:
            raise ValueError(
                f"incident {self.id}: the clock went back from {timeline[-1][0]} to {at}"
            )
        if kind not in self._first_at:
            self._first_at[kind] = len(timeline)
        timeline.append(_new_entry(TimelineEntry, (at, kind, actor, detail)))
