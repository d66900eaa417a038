"""Why a person was paged: the schedule's and the policy's reasons, as pure functions.

Design choice. A run's tables say *who* was paged, at which level and loop, and in which
window; they do not say *why*: which layer, rotation turn, restriction or override of a
schedule chose the person, or which levels were skipped on the way. That chain is
**reconstructed after the run** from the tables plus the scenario, with the functions
here, rather than recorded by the model as extra columns:

- the model's tables must stay bit-identical (``tests/sim/test_fingerprints.py``), and
  every column added on the hot path costs every run time (issue 12's benchmarks), for
  an explanation that is read for a handful of pages;
- schedules and policies are deterministic functions of the instant, so asking them
  again gives the same answer the run got. :func:`explain_on_call` walks the schedule's
  overrides and layers in the order :meth:`~pager_lab.core.schedule.Schedule.on_call`
  does, and its ``responder`` is checked against ``on_call`` by the tests (and against
  every page of a run by ``tests/sim/test_why.py``);
- nothing here is called by ``Schedule.on_call`` or ``EscalationRun``: "who is on
  call" keeps its code and its speed.

Pure: no I/O, no clock reads; instants are passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from pager_lab.core.clock import require_aware
from pager_lab.core.escalation import EscalationLevel, EscalationPolicy
from pager_lab.core.schedule import Layer, Override, Restriction, Schedule
from pager_lab.core.schedule_io import WEEKDAYS
from pager_lab.core.windows import (
    BUSINESS_END_HOUR,
    SLEEP_END_HOUR,
    SLEEP_START_HOUR,
    Window,
    window_at,
)

__all__ = [
    "EscalationStep",
    "OnCallReason",
    "describe_restriction",
    "describe_target",
    "explain_on_call",
    "explain_window",
    "steps_until",
]


@dataclass(frozen=True)
class OnCallReason:
    """Who a schedule had on call at an instant, and which part of it decided."""

    schedule: str
    at: datetime
    """The instant asked about, in the schedule's time zone."""
    responder: str | None
    """Who was on call (``None``: a gap): always ``Schedule.on_call(at)``."""
    override: Override | None = None
    """The override that decided, if one did (it wins over every layer)."""
    layer: str = ""
    """The layer that decided (empty for an override or a gap)."""
    layer_number: int = 0
    """Its 1-based position among the schedule's layers (a later layer wins)."""
    turn: int = 0
    """The layer's rotation turn (0 = the one starting at the hand-off)."""
    turn_start: datetime | None = None
    turn_end: datetime | None = None
    rotation: tuple[str, ...] = ()
    """The layer's responders in rotation order."""
    restriction: Restriction | None = None
    """The restriction whose window let the layer act (``None``: the layer is unrestricted)."""
    restriction_window: tuple[datetime, datetime] | None = None
    passed_over: tuple[str, ...] = ()
    """Why each later (higher-priority) layer did not decide: outside its restrictions."""

    def lines(self) -> list[str]:
        """The reason in words, one line per fact."""
        where = f"schedule {self.schedule!r}"
        out = list(self.passed_over)
        if self.override is not None:
            o = self.override
            tz = self.at.tzinfo
            out.append(
                f"{where}: an override puts {o.responder} on call from "
                f"{_local(o.start.astimezone(tz))} to {_local(o.end.astimezone(tz))} "
                "(an override wins over every layer)"
            )
            return out
        if self.responder is None:
            out.append(f"{where}: nobody on call at {_local(self.at)} (a gap: no layer active)")
            return out
        position = self.turn % len(self.rotation)
        out.append(
            f"{where}, layer {self.layer!r} (layer {self.layer_number}): rotation "
            f"{' -> '.join(self.rotation)}; turn {self.turn} from "
            f"{_local(self.turn_start)} to {_local(self.turn_end)} is "
            f"{self.responder}'s (position {position + 1} of {len(self.rotation)})"
        )
        if self.restriction is not None and self.restriction_window is not None:
            a, b = self.restriction_window
            out.append(
                f"the layer is restricted to {describe_restriction(self.restriction)}; "
                f"this window runs {_local(a)} to {_local(b)}"
            )
        return out


def _local(at: datetime | None) -> str:
    return "?" if at is None else at.strftime("%a %Y-%m-%d %H:%M %Z")


def describe_restriction(restriction: Restriction) -> str:
    """``22:00-06:00 (crosses midnight) mon,tue``: a restriction in words."""
    span = f"{restriction.start:%H:%M}-{restriction.end:%H:%M}"
    if restriction.end <= restriction.start:
        span += " (crosses midnight)"
    if restriction.weekdays != frozenset(range(7)):
        span += " starting " + ",".join(WEEKDAYS[d] for d in sorted(restriction.weekdays))
    return span


def _restriction_at(
    layer: Layer, at: datetime, schedule: Schedule
) -> tuple[Restriction, tuple[datetime, datetime]] | None:
    """The restriction window of *layer* that holds *at* (as ``Layer.active`` looks)."""
    tz = schedule.zone
    day = at.astimezone(tz).date()
    for restriction in layer.restrictions:
        for start, end in restriction.windows(day - timedelta(days=1), day, tz):
            if start <= at < end:
                return restriction, (start, end)
    return None


def explain_on_call(schedule: Schedule, at: datetime) -> OnCallReason:
    """Who *schedule* has on call at *at*, and whether an override, or which layer,
    rotation turn and restriction, decided. Same order as ``Schedule.on_call``:
    the last matching override, then layers from the last to the first."""
    tz = schedule.zone
    at = require_aware(at, "at").astimezone(UTC)
    local = at.astimezone(tz)
    for override in reversed(schedule.overrides):
        if override.start <= at < override.end:
            return OnCallReason(schedule.name, local, override.responder, override=override)
    passed: list[str] = []
    for number in range(len(schedule.layers), 0, -1):
        layer = schedule.layers[number - 1]
        if not layer.active(at, tz):
            spans = "; ".join(describe_restriction(r) for r in layer.restrictions)
            passed.append(
                f"layer {layer.name!r} (layer {number}) did not decide: it is restricted "
                f"to {spans}, and {local:%H:%M %a} is outside"
            )
            continue
        found = _restriction_at(layer, at, schedule)
        turn = layer.turn_index(at, tz)
        return OnCallReason(
            schedule.name,
            local,
            layer.on_call(at, tz),
            layer=layer.name,
            layer_number=number,
            turn=turn,
            turn_start=_turn_start(layer, turn, schedule),
            turn_end=_turn_start(layer, turn + 1, schedule),
            rotation=layer.responders,
            restriction=None if found is None else found[0],
            restriction_window=None if found is None else found[1],
            passed_over=tuple(passed),
        )
    return OnCallReason(schedule.name, local, None, passed_over=tuple(passed))


def _turn_start(layer: Layer, turn: int, schedule: Schedule) -> datetime:
    """Start of rotation turn *turn* of *layer*, in the schedule's zone."""
    tz = schedule.zone
    if layer.turn_unit == "hours":
        return (layer.handoff + timedelta(hours=turn * layer.turn_length)).astimezone(tz)
    days = turn * layer.turn_length * (7 if layer.turn_unit == "weeks" else 1)
    local = layer.handoff.astimezone(tz).replace(tzinfo=None) + timedelta(days=days)
    return local.replace(tzinfo=tz)


def describe_target(target: object) -> str:
    """An escalation target in words: a person named in the policy, or a schedule."""
    if isinstance(target, str):
        return f"{target} (named in the policy)"
    return f"schedule {getattr(target, 'name', target)!r}"


@dataclass(frozen=True)
class EscalationStep:
    """One step of a policy's walk: a level in a loop."""

    level: int
    """1-based level number."""
    loop: int
    """0 for the first pass; ``repeat`` loops follow."""
    targets: EscalationLevel

    @property
    def label(self) -> str:
        """``level 2, loop 1``."""
        return f"level {self.level}, loop {self.loop}"


def steps_until(policy: EscalationPolicy, level: int, loop: int) -> list[EscalationStep]:
    """The policy's steps in order, from level 1 of loop 0 up to and including *level* of
    *loop* (the order ``EscalationRun.page_next`` walks them)."""
    count = len(policy.levels)
    if not 1 <= level <= count or not 0 <= loop <= policy.repeat:
        raise ValueError(
            f"level {level}, loop {loop} is not in policy {policy.name!r} "
            f"(levels 1-{count}, loops 0-{policy.repeat})"
        )
    last = loop * count + level - 1
    return [
        EscalationStep(step % count + 1, step // count, policy.levels[step % count])
        for step in range(last + 1)
    ]


_WINDOW_HOURS = {
    Window.BUSINESS: f"{SLEEP_END_HOUR:02d}:00-{BUSINESS_END_HOUR:02d}:00 Monday to Friday",
    Window.OFF_HOURS: (
        f"{BUSINESS_END_HOUR:02d}:00-{SLEEP_START_HOUR:02d}:00 on weekdays, daytime at weekends"
    ),
    Window.SLEEP: f"{SLEEP_START_HOUR:02d}:00-{SLEEP_END_HOUR:02d}:00 every day",
}


def explain_window(at: datetime, zone: str) -> tuple[Window, str]:
    """The interruption window of *at* on the clock of *zone*, and why, in words."""
    window = window_at(at, zone)
    local = require_aware(at, "at").astimezone(ZoneInfo(zone))
    return window, (
        f"{_local(local)} in {zone} is {window.value} ({_WINDOW_HOURS[window]}, "
        "PagerDuty's interruption windows)"
    )
