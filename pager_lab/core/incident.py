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
from typing import Any, NamedTuple, NoReturn

from pager_lab.core.clock import Clock, to_datetime
from pager_lab.core.errors import InvalidTransition

__all__ = ["EntryKind", "Incident", "IncidentFacts", "IncidentState", "Severity", "TimelineEntry"]


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


_TRIGGERED = (IncidentState.TRIGGERED,)
_OPEN = (IncidentState.TRIGGERED, IncidentState.ACKNOWLEDGED, IncidentState.TRIAGED)
_WORKING = (IncidentState.ACKNOWLEDGED, IncidentState.TRIAGED)
"""The states a transition may start from (for its error message and its check)."""


class IncidentFacts(NamedTuple):
    """What the tables record of an incident, read together (the same values as the properties)."""

    triggered_at: float
    acknowledged_at: float | None
    acknowledged_by: str | None
    resolved_at: float | None
    resolved_by: str | None
    highest_level: int
    pages_sent: int
    no_one_answered: bool


class Incident:
    """One problem, from trigger to resolve, with everything that happened on its timeline.

    Durations derive from the timeline and are never stored twice: the incident
    keeps only *where* on its timeline the first acknowledgement, triage and
    resolution are (indexes, not copies), and running counts of pages.
    """

    __slots__ = (
        "_ack",
        "_end",
        "_entries",
        "_level",
        "_no_one",
        "_pages",
        "_triaged",
        "clock",
        "id",
        "service",
        "state",
        "summary",
    )

    def __init__(
        self, incident_id: str, summary: str, clock: Clock, service: str = "", **detail: Any
    ) -> None:
        self.id = incident_id
        """Identifier, e.g. ``INC-1``."""
        self.summary = summary
        """What the monitor said, e.g. ``Database Connection Failed``."""
        self.service = service
        self.clock = clock
        self.state = IncidentState.TRIGGERED
        """The one current state."""
        self._ack: int | None = None
        """Timeline index of the first acknowledgement."""
        self._triaged: int | None = None
        """Timeline index of the first triage."""
        self._end: int | None = None
        """Timeline index of the resolution (resolved or auto-resolved)."""
        self._no_one = False
        """Flagged "no one answered"."""
        self._pages = 0
        """Pages sent so far, help pages included (kept as they are recorded)."""
        self._level = 0
        """Highest escalation level paged so far."""
        opened = {"summary": summary, **detail} if detail else {"summary": summary}
        self._entries: list[tuple[float, EntryKind, str, Mapping[str, Any]]] = [
            (clock.now(), EntryKind.TRIGGERED, "monitor", opened)
        ]
        """The timeline as plain tuples (cheap to record); :attr:`timeline` names the fields."""

    # -- transitions -------------------------------------------------------------------
    def page(self, responder: str, level: int, loop: int = 0) -> None:
        """Record that *responder* was paged at escalation *level* (1-based)."""
        if self.state is not IncidentState.TRIGGERED:
            self._refuse(_TRIGGERED, "page", responder)
        self._record(
            EntryKind.PAGED, "pager", {"responder": responder, "level": level, "loop": loop}
        )
        self._pages += 1
        self._level = max(self._level, level)

    def skip_level(self, level: int, loop: int = 0) -> None:
        """Record an escalation level with nobody to page (skipped without waiting)."""
        if self.state is not IncidentState.TRIGGERED:
            self._refuse(_TRIGGERED, "skip level", str(level))
        self._record(EntryKind.LEVEL_SKIPPED, "pager", {"level": level, "loop": loop})

    def no_answer(self, responder: str, level: int, loop: int = 0) -> None:
        """Record that *responder* let the level's escalation timeout run out."""
        if self.state is not IncidentState.TRIGGERED:
            self._refuse(_TRIGGERED, "record no answer from", responder)
        self._record(EntryKind.NO_ANSWER, responder, {"level": level, "loop": loop})

    def no_one_answered(self) -> None:
        """Every level and loop is exhausted: flag it (the seed's Major Outage); stays open."""
        if self.state is not IncidentState.TRIGGERED:
            self._refuse(_TRIGGERED, "flag no one answered")
        self._record(EntryKind.NO_ONE_ANSWERED, "pager")
        self._no_one = True

    def acknowledge(self, responder: str) -> None:
        """*responder* says "I am looking at it": stops the escalation."""
        if self.state is not IncidentState.TRIGGERED:
            self._refuse(_TRIGGERED, "acknowledge by", responder)
        index = self._record(EntryKind.ACKNOWLEDGED, responder)
        if self._ack is None:
            self._ack = index
        self.state = IncidentState.ACKNOWLEDGED

    def triage(
        self, responder: str, severity: Severity | str, need_help: bool, at: float | None = None
    ) -> None:
        """Record severity and the seed's "Do I need help?".

        *at* is the minute it happened, when it is recorded later (it must lie between
        the timeline's last entry and now): the simulation records a triage together
        with the fix that follows it, since nothing acts on an incident in between.
        """
        if self.state is not IncidentState.ACKNOWLEDGED:
            self._refuse((IncidentState.ACKNOWLEDGED,), "triage by", responder)
        sev = severity if isinstance(severity, Severity) else Severity.parse(severity)
        if at is not None and not self._entries[-1][0] <= at <= self.clock.now():
            raise ValueError(
                f"incident {self.id}: triage at minute {at} must lie between the last "
                f"entry (minute {self._entries[-1][0]}) and now (minute {self.clock.now()})"
            )
        detail = {"severity": str(sev), "need_help": bool(need_help)}
        index = self._record(EntryKind.TRIAGED, responder, detail, at)
        if self._triaged is None:
            self._triaged = index
        self.state = IncidentState.TRIAGED

    def page_for_help(self, responder: str, level: int, requested_by: str) -> None:
        """Page *responder* as an additional responder (the incident stays with its owner)."""
        if self.state not in _WORKING:
            self._refuse(_WORKING, "page", responder, "for help")
        detail = {"responder": responder, "level": level, "requested_by": requested_by}
        self._record(EntryKind.HELP_PAGED, "pager", detail)
        self._pages += 1

    def act(self, responder: str, action: str) -> None:
        """Record an action taken while working the incident (``restart``, ``ignore``, ...)."""
        if self.state not in _WORKING:
            self._refuse(_WORKING, "take action", repr(action))
        self._record(EntryKind.ACTION, responder, {"action": action})

    def resolve(self, responder: str = "monitor", action: str = "") -> None:
        """Resolve; from ``triggered`` this means the monitor recovered (auto-resolved)."""
        if self.state is IncidentState.RESOLVED:
            self._refuse(_OPEN, "resolve by", responder)
        detail = {"action": action} if action else NO_DETAIL
        self._end = self._record(EntryKind.RESOLVED, responder, detail)
        self.state = IncidentState.RESOLVED

    def acknowledgement_timeout(self) -> None:
        """Acknowledged but not resolved in time: back to ``triggered``; escalation resumes."""
        if self.state not in _WORKING:
            self._refuse(_WORKING, "re-trigger after the acknowledgement timeout")
        self._record(EntryKind.ACK_TIMEOUT, "pager")
        self.state = IncidentState.TRIGGERED

    def auto_resolve(self) -> None:
        """Left open past the auto-resolve timeout: closed by the pager."""
        if self.state is IncidentState.RESOLVED:
            self._refuse(_OPEN, "auto-resolve")
        self._end = self._record(EntryKind.AUTO_RESOLVED, "pager")
        self.state = IncidentState.RESOLVED

    # -- derived -----------------------------------------------------------------------
    @property
    def timeline(self) -> list[TimelineEntry]:
        """Everything that happened, in order (a copy: the incident's record cannot be edited)."""
        return [TimelineEntry(*e) for e in self._entries]

    def entries(self, *kinds: EntryKind) -> Iterator[TimelineEntry]:
        """Timeline entries of the given kinds, in order."""
        return (e for e in self.timeline if e.kind in kinds)

    def _entry(self, index: int | None) -> TimelineEntry | None:
        return None if index is None else TimelineEntry(*self._entries[index])

    @property
    def triggered_at(self) -> float:
        return self._entries[0][0]

    @property
    def acknowledged_at(self) -> float | None:
        """Minutes at the first acknowledgement (PagerDuty's MTTA definition)."""
        entry = self._entry(self._ack)
        return None if entry is None else entry.at

    @property
    def acknowledged_by(self) -> str | None:
        entry = self._entry(self._ack)
        return None if entry is None else entry.actor

    @property
    def resolved_at(self) -> float | None:
        entry = self._entry(self._end)
        return None if entry is None else entry.at

    @property
    def resolved_by(self) -> str | None:
        entry = self._entry(self._end)
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
        return self._level

    @property
    def pages_sent(self) -> int:
        """Notifications sent, help pages included."""
        return self._pages

    @property
    def is_no_one_answered(self) -> bool:
        return self._no_one

    @property
    def severity(self) -> Severity | None:
        entry = self._entry(self._triaged)
        return None if entry is None else Severity(entry.detail["severity"])

    def facts(self) -> IncidentFacts:
        """The values the tables record, read together: the simulation reads them for every
        incident it finishes, so this reads the timeline once instead of once per property."""
        entries, ack, end = self._entries, self._ack, self._end
        acked = None if ack is None else entries[ack]
        ended = None if end is None else entries[end]
        return IncidentFacts(
            entries[0][0],
            None if acked is None else acked[0],
            None if acked is None else acked[2],
            None if ended is None else ended[0],
            None if ended is None else ended[2],
            self._level,
            self._pages,
            self._no_one,
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
    def _refuse(self, allowed: tuple[IncidentState, ...], *action: str) -> NoReturn:
        """Raise: *action* (words joined by spaces) needs one of the *allowed* states."""
        expected = " or ".join(s.value for s in allowed)
        raise InvalidTransition(self.id, self.state.value, " ".join(action), f"needs {expected}")

    def _record(
        self,
        kind: EntryKind,
        actor: str,
        detail: Mapping[str, Any] = NO_DETAIL,
        at: float | None = None,
    ) -> int:
        """Append an entry at the clock's time (or at *at*); return its index on the timeline."""
        entries = self._entries
        if at is None:
            at = self.clock.now()
        if at < entries[-1][0]:
            raise ValueError(
                f"incident {self.id}: the clock went back from {entries[-1][0]} to {at}"
            )
        entries.append((at, kind, actor, detail))
        return len(entries) - 1
