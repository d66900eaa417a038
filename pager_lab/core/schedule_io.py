"""Schedules from TOML files, and out to iCalendar.

Format (all local times are in the schedule's ``time_zone``)::

    name = "primary"
    time_zone = "Europe/Dublin"
    [responders]                      # each responder's own time zone
    Alice = "Europe/Dublin"
    [[layers]]
    name = "weekly"
    responders = ["Alice", "Bob"]
    turn_length = 1
    turn_unit = "weeks"               # hours, days or weeks
    handoff = "2026-01-05T09:00"      # local; responders[0] starts here
    [[layers.restrictions]]           # optional
    start = "09:00"
    end = "17:00"                     # end <= start crosses midnight
    weekdays = ["mon", "tue", "wed", "thu", "fri"]   # optional
    [[overrides]]
    responder = "Charlie"
    start = "2026-12-24T17:00"        # local, or with an offset
    end = "2026-12-27T09:00"
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pager_lab.core.errors import ConfigError
from pager_lab.core.lab_config import parse_time_zone
from pager_lab.core.schedule import UNITS, Layer, Override, Restriction, Schedule
from pager_lab.core.tomlfile import check_keys, read_toml, require, require_number, require_table

__all__ = ["WEEKDAYS", "export_ics", "load_schedule", "load_schedules", "parse_schedule"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _clock_time(value: Any, where: str, key: str) -> time:
    try:
        return time.fromisoformat(value) if isinstance(value, str) else _bad()
    except ValueError:
        raise ConfigError(where, key, value, "a time of day HH:MM from 00:00 to 23:59") from None


def _bad() -> time:
    raise ValueError


def _instant(value: Any, where: str, key: str, tz: ZoneInfo) -> datetime:
    try:
        when = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        when = None
    if when is None:
        raise ConfigError(where, key, value, "an ISO 8601 date-time like 2026-01-05T09:00")
    return when if when.tzinfo is not None else when.replace(tzinfo=tz)


def _restriction(entry: Any, where: str, key: str) -> Restriction:
    entry = require_table(entry, where, key)
    check_keys(entry, {"start", "end", "weekdays"}, where, key)
    start = _clock_time(entry.get("start"), where, f"{key}.start")
    end = _clock_time(entry.get("end"), where, f"{key}.end")
    names = entry.get("weekdays", list(WEEKDAYS))
    if (
        not isinstance(names, list)
        or not names
        or any(not isinstance(n, str) or n.lower()[:3] not in WEEKDAYS for n in names)
    ):
        raise ConfigError(where, f"{key}.weekdays", names, "a non-empty list of mon..sun")
    try:
        return Restriction(start, end, frozenset(WEEKDAYS.index(n.lower()[:3]) for n in names))
    except ConfigError as exc:
        raise ConfigError(where, key, exc.value, exc.expected) from None


def _layer(entry: Any, where: str, key: str, tz: ZoneInfo, known: Mapping[str, str]) -> Layer:
    entry = require_table(entry, where, key)
    allowed = {"name", "responders", "turn_length", "turn_unit", "handoff", "restrictions"}
    check_keys(entry, allowed, where, key)
    name = require(entry, "name", str, where, key, "a layer name", key)
    people = require(entry, "responders", list, where, key, "a list of responder names")
    if not people:
        raise ConfigError(where, f"{key}.responders", people, "at least one responder")
    for person in people:
        if known and person not in known:
            raise ConfigError(
                where,
                f"{key}.responders",
                person,
                f"a responder listed in [responders] ({', '.join(known)})",
            )
    length = require_number(entry, "turn_length", where, key, minimum=1, integer=True)
    unit = require(entry, "turn_unit", str, where, key, f"one of {', '.join(UNITS)}")
    if unit not in UNITS:
        raise ConfigError(where, f"{key}.turn_unit", unit, f"one of {', '.join(UNITS)}")
    handoff = _instant(entry.get("handoff"), where, f"{key}.handoff", tz)
    restrictions = tuple(
        _restriction(r, where, f"{key}.restrictions[{i}]")
        for i, r in enumerate(require(entry, "restrictions", list, where, key, "a list", []))
    )
    return Layer(name, tuple(people), length, unit, handoff, restrictions)


def _override(entry: Any, where: str, key: str, tz: ZoneInfo, known: Mapping[str, str]) -> Override:
    entry = require_table(entry, where, key)
    check_keys(entry, {"responder", "start", "end"}, where, key)
    who = require(entry, "responder", str, where, key, "a responder name")
    if known and who not in known:
        raise ConfigError(where, f"{key}.responder", who, "a responder listed in [responders]")
    start = _instant(entry.get("start"), where, f"{key}.start", tz)
    end = _instant(entry.get("end"), where, f"{key}.end", tz)
    if end <= start:
        raise ConfigError(
            where,
            f"{key}.end",
            entry.get("end"),
            f"a time after the override's start ({entry.get('start')})",
        )
    return Override(who, start, end)


def parse_schedule(data: Mapping[str, Any], where: str = "<schedule>") -> Schedule:
    """Build a :class:`Schedule` from parsed TOML, naming file and key on any error."""
    check_keys(data, {"name", "time_zone", "responders", "layers", "overrides"}, where, "")
    name = require(data, "name", str, where, "", "a schedule name")
    zone = parse_time_zone(data.get("time_zone"), where, "time_zone")
    tz = ZoneInfo(zone)
    people = require_table(data.get("responders", {}), where, "responders")
    known = {p: parse_time_zone(z, where, f"responders.{p}") for p, z in people.items()}
    raw_layers = require(data, "layers", list, where, "", "a list of [[layers]]")
    if not raw_layers:
        raise ConfigError(where, "layers", raw_layers, "at least one [[layers]] table")
    layers = tuple(_layer(e, where, f"layers[{i}]", tz, known) for i, e in enumerate(raw_layers))
    overrides = tuple(
        _override(e, where, f"overrides[{i}]", tz, known)
        for i, e in enumerate(require(data, "overrides", list, where, "", "a list", []))
    )
    return Schedule(name, zone, layers, overrides, known)


def load_schedule(path: str | Path) -> Schedule:
    """Read one schedule file."""
    return parse_schedule(read_toml(path), str(path))


def load_schedules(folder: str | Path) -> dict[str, Schedule]:
    """Every ``*.toml`` schedule in *folder*, by schedule name."""
    out: dict[str, Schedule] = {}
    for path in sorted(Path(folder).glob("*.toml")):
        schedule = load_schedule(path)
        if schedule.name in out:
            raise ConfigError(str(path), "name", schedule.name, "a name no other schedule uses")
        out[schedule.name] = schedule
    return out


def export_ics(schedule: Schedule, start: datetime, end: datetime) -> bytes:
    """The shifts in [start, end) as an iCalendar file a calendar app imports."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//pager_lab//on-call schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"On call: {schedule.name}")
    for row in schedule.shift_list(start, end):
        event = Event()
        event.add("uid", f"{schedule.name}-{row.start.isoformat()}-{row.responder}@pager-lab")
        event.add("summary", f"On call ({schedule.name}): {row.responder}")
        event.add("dtstart", row.start)
        event.add("dtend", row.end)
        event.add("dtstamp", start)
        event.add("description", f"layer: {row.layer}" + (" (override)" if row.override else ""))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
