"""Responders inside the simulation: how each answers pages, and who holds each rotation slot."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import numpy as np
import simpy

from pager_lab.core.escalation import EscalationLevel
from pager_lab.sim.calendars import CompiledSchedule, WindowCalendar
from pager_lab.sim.scenario import Fatigue, ResponseModel

__all__ = ["Desk", "Person", "Roster", "RosterLevel", "SlotTarget"]

DAY = 24 * 60.0
DRAW_BLOCK = 256
"""Random numbers a person draws at a time for answering pages."""
T = TypeVar("T")


class Desk:
    """Where incidents queue for people: *capacity* at a time, first come first served.

    Like ``simpy.Resource`` for this purpose, but a free desk starts the work at once
    instead of through a request event and a release event: two fewer SimPy events
    per incident on the hot path (benchmarks/README.md).
    """

    __slots__ = ("busy", "capacity", "waiting")

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity ({capacity}) must be at least 1")
        self.capacity = capacity
        self.busy = 0
        self.waiting: deque[tuple[Callable[[Any], None], Any]] = deque()

    def take(self, start: Callable[[T], None], work: T) -> None:
        """Call ``start(work)`` now if someone is free, else when the desk frees up (FIFO)."""
        if self.busy < self.capacity:
            self.busy += 1
            start(work)
        else:
            self.waiting.append((start, work))

    def release(self) -> None:
        """One piece of work is done: the longest-waiting one starts now."""
        if self.waiting:
            start, work = self.waiting.popleft()
            start(work)
        else:
            self.busy -= 1

    def __repr__(self) -> str:
        return f"Desk(busy={self.busy}/{self.capacity}, waiting={len(self.waiting)})"


class Person:
    """One responder: their own random stream, clock (time zone) and work queue."""

    def __init__(
        self,
        name: str,
        slot: str,
        calendar: WindowCalendar,
        rng: np.random.Generator,
        env: simpy.Environment,
        joined: float,
    ) -> None:
        self.name = name
        self.slot = slot
        """The rotation slot they fill (the original team member's name)."""
        self.calendar = calendar
        self.rng = rng
        self.desk = Desk(1)
        """One incident at a time: others queue here."""
        self.joined = joined
        self.left: float | None = None
        self.sleep_pages: list[float] = []
        """Minutes of pages that woke them (the sleep window)."""
        self._uniforms: list[float] = []
        self._normals: list[float] = []
        self._drawn = 0
        """Answer draws come in blocks of DRAW_BLOCK (two scalar numpy calls per page cost more
        than the rest of answering it); the k-th page a person gets always uses the k-th pair."""
        self._window, self._window_from, self._window_until = 0, math.inf, -math.inf
        """The window of the last page and the minutes it holds (asked again only after)."""
        self._response: ResponseModel | None = None
        self._answers: tuple[Answer, Answer] = ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0))
        """(log median, sigma, miss) awake and asleep, for :attr:`_response`."""

    def sleep_interruptions(self, now: float, days: float) -> int:
        """Sleep interruptions in the last *days* days."""
        return len(self.sleep_pages) - bisect_left(self.sleep_pages, now - days * DAY)

    def answer_page(
        self, now: float, response: ResponseModel, fatigue: Fatigue
    ) -> tuple[int, float | None]:
        """Window index of the page, and the minutes until they acknowledge (``None``: missed).

        Always uses two numbers, so the stream stays aligned whatever happens.
        """
        if self._window_from <= now < self._window_until:  # pages come in time order
            window = self._window
        else:
            window, self._window_from, self._window_until = self.calendar.window_span(now)
            self._window = window
        i = self._drawn
        if i == len(self._uniforms):
            self._uniforms = self.rng.random(DRAW_BLOCK).tolist()
            self._normals = self.rng.standard_normal(DRAW_BLOCK).tolist()
            i = 0
        u, z, self._drawn = self._uniforms[i], self._normals[i], i + 1
        if self._response is not response:
            self._response, self._answers = response, _answer_parameters(response)
        recent = self.sleep_interruptions(now, fatigue.nights) if fatigue.enabled else 0
        if window == 2:
            self.sleep_pages.append(now)
            log_median, sigma, miss = self._answers[1]
        else:
            log_median, sigma, miss = self._answers[0]
        if not recent:
            return window, (None if u < miss else math.exp(log_median + sigma * z))
        miss = min(fatigue.max_miss, miss + fatigue.miss_per_interruption * recent)
        if u < miss:
            return window, None
        delay = math.exp(log_median + sigma * z)
        return window, delay * (1 + fatigue.slowdown_per_interruption * recent)

    def __repr__(self) -> str:
        return f"Person({self.name!r}, slot={self.slot!r}, zone={self.calendar.zone})"


Answer = tuple[float, float, float]
"""How a person answers in one state: (log median minutes, sigma, miss probability)."""


def _answer_parameters(response: ResponseModel) -> tuple[Answer, Answer]:
    return (
        (math.log(response.awake_median_minutes), response.awake_sigma, response.awake_miss),
        (math.log(response.asleep_median_minutes), response.asleep_sigma, response.asleep_miss),
    )


class Roster:
    """Who holds each rotation slot now; a slot is empty between a leaver and their replacement."""

    def __init__(self, zones: Mapping[str, str]) -> None:
        self.zones = dict(zones)
        self.holder: dict[str, Person | None] = dict.fromkeys(zones)
        self.by_name: dict[str, Person] = {}
        self.everyone: list[Person] = []

    def seat(self, person: Person) -> None:
        self.holder[person.slot] = person
        self.by_name[person.name] = person
        self.everyone.append(person)

    def vacate(self, slot: str, now: float) -> Person:
        person = self.holder[slot]
        assert person is not None
        person.left = now
        self.holder[slot] = None
        return person

    def name_in(self, slot: str | None) -> str | None:
        if slot is None:
            return None
        person = self.holder.get(slot)
        return None if person is None else person.name


class SlotTarget:
    """An escalation target resolved through the roster: a fixed slot or a schedule's slot.

    Answers in datetimes like any target, and in minutes for :class:`RosterLevel`;
    in minutes it remembers the slot's span of the last look-up (pages come in time
    order, and a shift holds many), while the slot's holder is read every time.
    """

    def __init__(self, target: str | CompiledSchedule, roster: Roster) -> None:
        self.target = target
        self.roster = roster
        self.name = target if isinstance(target, str) else target.name
        self._holder = roster.holder
        self._slot: str | None = None
        self._from, self._until = math.inf, -math.inf
        """The slot on call over [from, until) minutes, from the last look-up."""
        if isinstance(target, str):
            self._slot, self._from, self._until = target, -math.inf, math.inf

    def on_call_minute(self, minute: float) -> str | None:
        if not self._from <= minute < self._until:
            self._slot, self._from, self._until = self.target.slot_span(minute)  # type: ignore[union-attr]
        person = self._holder.get(self._slot)  # type: ignore[arg-type]
        return None if person is None else person.name

    def on_call(self, at: datetime) -> str | None:
        slot = self.target if isinstance(self.target, str) else self.target.on_call(at)
        return self.roster.name_in(slot)

    def __repr__(self) -> str:
        return f"SlotTarget({self.name!r})"


@dataclass(frozen=True)
class RosterLevel(EscalationLevel):
    """An escalation level inside the simulation: every target is a :class:`SlotTarget`.

    Answers :meth:`responders_after` by calling each target's minute look-up directly,
    and for a level of one target (the usual) does that look-up inline: the
    simulation's hot path, one Python call per page instead of four.
    """

    def __post_init__(self) -> None:
        super().__post_init__()
        lookups = tuple(t.on_call_minute for t in self.targets if isinstance(t, SlotTarget))
        if len(lookups) != len(self.targets):
            raise TypeError(f"every target of a RosterLevel must be a SlotTarget: {self.targets}")
        object.__setattr__(self, "_lookups", lookups)
        object.__setattr__(self, "_single", self.targets[0] if len(lookups) == 1 else None)

    def responders_after(self, start: datetime, minute: float) -> tuple[str, ...]:
        single: SlotTarget | None = self._single  # type: ignore[attr-defined]
        if single is not None:  # single.on_call_minute(minute), inline
            if not single._from <= minute < single._until:
                single._slot, single._from, single._until = single.target.slot_span(minute)  # type: ignore[union-attr]
            person = single._holder.get(single._slot)  # type: ignore[arg-type]
            return () if person is None else (person.name,)
        lookups: tuple[Callable[[float], str | None], ...] = self._lookups  # type: ignore[attr-defined]
        people: list[str] = []
        for lookup in lookups:
            who = lookup(minute)
            if who is not None and who not in people:
                people.append(who)
        return tuple(people)
