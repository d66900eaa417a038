"""Escalation policies: who gets paged, in what order, and when to give up.

Semantics follow PagerDuty (REFERENCES.md): ordered levels, each with an
escalation timeout (default 5 minutes, Grafana OnCall's default wait) and
``repeat`` loops over the whole policy after the last level (0-9, like
PagerDuty's ``num_loops``). Unlike PagerDuty and GoAlert, a level with nobody
to page is skipped without waiting (GoAlert users asked for this:
target/goalert#4548). An acknowledgement stops the escalation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, Protocol, runtime_checkable

from pager_lab.core.clock import Clock, to_datetime
from pager_lab.core.errors import ConfigError
from pager_lab.core.incident import Incident, IncidentState

__all__ = [
    "DEFAULT_TIMEOUT_MINUTES",
    "MAX_REPEAT",
    "EscalationLevel",
    "EscalationPolicy",
    "EscalationRun",
    "OnCallTarget",
    "PageBatch",
]

DEFAULT_TIMEOUT_MINUTES = 5.0
MAX_REPEAT = 9


@runtime_checkable
class OnCallTarget(Protocol):
    """A target that resolves to whoever is on call at an instant (a schedule)."""

    @property
    def name(self) -> str:
        """The target's name, e.g. the schedule's."""
        ...

    def on_call(self, at: datetime) -> str | None:
        """The responder on call at *at*, or ``None`` in a coverage gap."""
        ...


Target = str | OnCallTarget


@dataclass(frozen=True)
class EscalationLevel:
    """One rung of a policy: responders (or schedules) paged together."""

    targets: tuple[Target, ...]
    timeout: float = DEFAULT_TIMEOUT_MINUTES
    """Minutes to wait for an acknowledgement before the next level."""

    def __post_init__(self) -> None:
        if not isinstance(self.timeout, int | float) or not self.timeout > 0:
            raise ConfigError("", "timeout_minutes", self.timeout, "a number of minutes > 0")

    def responders_at(self, at: datetime) -> tuple[str, ...]:
        """The people this level pages at *at*, without duplicates, gaps left out."""
        people: list[str] = []
        for target in self.targets:
            who = target if isinstance(target, str) else target.on_call(at)
            if who is not None and who not in people:
                people.append(who)
        return tuple(people)

    def responders_after(self, start: datetime, minute: float) -> tuple[str, ...]:
        """The same people, *minute* minutes after *start*.

        What :class:`EscalationRun` asks; the simulation's levels
        (:class:`~pager_lab.sim.people.RosterLevel`) answer it without building a datetime.
        """
        return self.responders_at(to_datetime(start, minute))


@dataclass(frozen=True)
class EscalationPolicy:
    """Ordered escalation levels, looped ``repeat`` more times."""

    name: str
    levels: tuple[EscalationLevel, ...]
    repeat: int = 0

    def __post_init__(self) -> None:
        if not self.levels:
            raise ConfigError("", f"policy {self.name!r}: levels", [], "at least one level")
        if not isinstance(self.repeat, int) or not 0 <= self.repeat <= MAX_REPEAT:
            raise ConfigError(
                "", f"policy {self.name!r}: repeat", self.repeat, f"an integer 0-{MAX_REPEAT}"
            )

    @classmethod
    def chain(
        cls,
        names: Sequence[str],
        timeout: float = DEFAULT_TIMEOUT_MINUTES,
        name: str = "chain",
        repeat: int = 0,
    ) -> EscalationPolicy:
        """One responder per level, like the seed's ``["Alice", "Bob", "Charlie"]``."""
        return cls(name, tuple(EscalationLevel((n,), timeout) for n in names), repeat)

    @property
    def steps(self) -> int:
        """Levels times loops: how many levels can be paged at most."""
        return len(self.levels) * (self.repeat + 1)


class PageBatch(NamedTuple):
    """The responders paged at one level, and how long they have to acknowledge."""

    level: int
    """1-based level number."""
    loop: int
    responders: tuple[str, ...]
    timeout: float
    paged_at: float
    deadline: float
    """Minute at which the level times out: ``paged_at + timeout``."""


class EscalationRun:
    """Walks one incident through one policy; the driver supplies the waiting.

    A driver calls :meth:`page_next`, waits until the batch's deadline or an
    acknowledgement, calls :meth:`time_out` on a timeout, and repeats until
    :meth:`page_next` returns ``None``.
    """

    __slots__ = ("_levels", "_step", "_steps", "clock", "current", "incident", "policy")

    def __init__(self, policy: EscalationPolicy, incident: Incident, clock: Clock) -> None:
        self.policy = policy
        self.incident = incident
        self.clock = clock
        self._step = 0
        self._levels = policy.levels
        self._steps = len(policy.levels) * (policy.repeat + 1)
        self.current: PageBatch | None = None
        """The batch waiting for an answer, if any."""

    def _level(self, step: int) -> tuple[int, int, EscalationLevel]:
        loop, index = divmod(step, len(self.policy.levels))
        return index + 1, loop, self.policy.levels[index]

    def page_next(self) -> PageBatch | None:
        """Page the next level that has somebody to page.

        Returns ``None`` when the escalation is over: the incident was
        acknowledged or resolved, or every level and loop is exhausted (then the
        incident is flagged "no one answered" and stays open).
        """
        incident = self.incident
        if incident.state is not IncidentState.TRIGGERED:
            self.current = None
            return None
        now, start, levels = self.clock.now(), self.clock.start, self._levels
        while self._step < self._steps:
            loop, index = divmod(self._step, len(levels))
            level, number = levels[index], index + 1
            self._step += 1
            responders = level.responders_after(start, now)
            if not responders:
                incident.skip_level(number, loop)
                continue
            for person in responders:
                incident.page(person, number, loop)
            timeout = level.timeout
            batch = PageBatch(number, loop, responders, timeout, now, now + timeout)
            self.current = batch
            return batch
        self.current = None
        if not self.incident.is_no_one_answered:
            self.incident.no_one_answered()
        return None

    def time_out(self) -> None:
        """The current batch's timeout ran out with no acknowledgement."""
        batch = self.current
        if batch is None:
            raise RuntimeError("no page is waiting for an answer")
        if self.clock.now() < batch.deadline:
            raise ValueError(
                f"level {batch.level} times out at minute {batch.deadline:g}, "
                f"not at {self.clock.now():g}"
            )
        for person in batch.responders:
            self.incident.no_answer(person, batch.level, batch.loop)
        self.current = None

    def restart(self) -> None:
        """After an acknowledgement timeout re-triggers the incident: start from level 1."""
        self._step = 0
        self.current = None

    def help_responders(self, owner: str) -> tuple[int, tuple[str, ...]]:
        """The next level after the one that reached *owner*: who to page for help."""
        when = to_datetime(self.clock.start, self.clock.now())
        start = max(self._step, 1)
        for step in range(start, start + len(self.policy.levels)):
            number, _, level = self._level(step % self.policy.steps)
            people = tuple(p for p in level.responders_at(when) if p != owner)
            if people:
                return number, people
        return 0, ()

    def __repr__(self) -> str:
        return f"EscalationRun(policy={self.policy.name!r}, incident={self.incident.id!r})"
