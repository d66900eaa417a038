"""03's self-check: the seed's Challenge 2 as a schedule (Alice 09:00-17:00, Bob otherwise).

It checks a winter and a summer day in Europe/Dublin, so a schedule that follows
UTC instead of the local clock is caught, and names the likeliest mistake: the
layers in the wrong order (a later layer wins, as in PagerDuty), Bob's layer
missing, or Alice's hours shifted or one too long.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pager_lab.core.errors import ConfigError
from pager_lab.core.names import closest_name
from pager_lab.core.schedule import Schedule
from pager_lab.core.schedule_io import parse_schedule
from pager_lab.course.feedback import Feedback, describe, unanswered

__all__ = ["check_schedule"]

SCHEDULE_ZONE = "Europe/Dublin"
TEAM = ("Alice", "Bob")
"""The responders of Challenge 2's team, spelt as the exercise spells them."""
SCHEDULE_DAYS = ("2026-11-25", "2026-07-01")
"""A winter and a summer day: a schedule that ignores DST is wrong on one of them."""


def check_schedule(schedule: Any, days: Sequence[str] = SCHEDULE_DAYS) -> Feedback:
    """03 (the seed's Challenge 2): Alice 09:00-17:00, Bob otherwise, no gaps, any DST.

    Takes the :class:`Schedule`, or its dictionary or TOML text (parsed here).
    """
    fb = Feedback("Challenge 2: Alice 9-5, Bob 5-9")
    if unanswered(fb, schedule, "your schedule"):
        return fb
    if isinstance(schedule, str | Mapping):
        try:
            data = tomllib.loads(schedule) if isinstance(schedule, str) else schedule
            if _strangers(fb, _named_in(data)):
                return fb
            schedule = parse_schedule(data, "your schedule")
        except (tomllib.TOMLDecodeError, ConfigError) as exc:
            return fb.fail(f"it does not parse as a schedule yet: {exc}")
    if not isinstance(schedule, Schedule):
        return fb.fail(
            "give the Schedule (parse_schedule(your_dict)) or the dictionary itself; "
            f"got {describe(schedule)}"
        )
    named = [r for layer in schedule.layers for r in layer.responders]
    if _strangers(fb, named + [o.responder for o in schedule.overrides]):
        return fb
    fb.ok(
        schedule.time_zone == SCHEDULE_ZONE,
        f"in {SCHEDULE_ZONE}",
        f"the schedule is in {schedule.time_zone}: the exercise asks for {SCHEDULE_ZONE}, so "
        "the hand-offs follow Dublin's clock through summer time",
    )
    zone = ZoneInfo(SCHEDULE_ZONE)
    for day in days:
        start = datetime.fromisoformat(day).replace(tzinfo=zone)
        who = [schedule.on_call(start + timedelta(hours=h, minutes=30)) for h in range(24)]
        if not fb.ok(
            who == ["Alice" if 9 <= h < 17 else "Bob" for h in range(24)],
            f"the right person every hour on {day}",
            _schedule_hint(who, day),
        ):
            break
    start = datetime.fromisoformat(days[0]).replace(tzinfo=zone)
    gaps = schedule.gaps(start, start + timedelta(days=7))
    fb.ok(
        not gaps,
        "no gaps in a week",
        f"{len(gaps)} gap(s), the first from {gaps[0][0]:%a %H:%M}" if gaps else "",
    )
    return fb


def _named_in(data: Mapping[str, Any]) -> list[str]:
    """Every responder name a schedule's dictionary uses, in its table and its layers."""
    table = data.get("responders")
    names = [str(n) for n in table] if isinstance(table, Mapping) else []
    layers = data.get("layers", [])
    for layer in layers if isinstance(layers, list) else []:
        people = layer.get("responders", []) if isinstance(layer, Mapping) else []
        names += [
            p for p in (people if isinstance(people, list) else [people]) if isinstance(p, str)
        ]
    return names


def _strangers(fb: Feedback, names: Sequence[str]) -> bool:
    """True, with a did-you-mean sentence, when a name is not one of :data:`TEAM`."""
    stranger = next((n for n in names if n not in TEAM), None)
    if stranger is None:
        return False
    close = closest_name(stranger, TEAM, key=str.lower)
    guess = f": did you mean '{close}'?" if close else ""
    fb.fail(
        f"'{stranger}' is not a responder of the team ({', '.join(TEAM)}; names are "
        f"case-sensitive){guess}"
    )
    return True


def _schedule_hint(who: list[str | None], day: str) -> str:
    """The likeliest mistake behind a wrong day of on-call names."""
    alice = [h for h, name in enumerate(who) if name == "Alice"]
    if not alice:
        return (
            "Alice is never on call: a later layer wins where layers overlap, so put "
            "Alice's restricted layer after Bob's all-day one"
        )
    if "Bob" not in who:
        return (
            "Bob is never on call: add a layer for Bob that covers every hour, before "
            "Alice's restricted layer"
        )
    if None in who:
        return f"nobody is on call at {who.index(None):02d}:30: Bob's layer must cover every hour"
    if alice == list(range(alice[0], alice[-1] + 1)):
        return (
            f"on {day} Alice is on call {alice[0]:02d}:00-{alice[-1] + 1:02d}:00, not "
            "09:00-17:00 (a restriction's end is when she hands over; times are local)"
        )
    wrong = [
        f"{h:02d}:30 → {name}" for h, name in enumerate(who) if (name == "Alice") != (9 <= h < 17)
    ]
    return "wrong at " + "; ".join(wrong[:4]) + (" ..." if len(wrong) > 4 else "")
