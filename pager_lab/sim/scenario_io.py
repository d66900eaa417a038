"""Scenarios from TOML: validated before anything is simulated.

Every error names the file, the key path, the bad value and what was
expected. See ``data/scenarios/baseline.toml`` for a commented example.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pager_lab.core.errors import ConfigError
from pager_lab.core.escalation import EscalationLevel, EscalationPolicy
from pager_lab.core.lab_config import parse_policy, parse_time_zone
from pager_lab.core.routing_config import parse_routing
from pager_lab.core.schedule import Schedule
from pager_lab.core.schedule_io import load_schedule, parse_schedule
from pager_lab.core.tomlfile import check_keys, read_toml, require, require_number, require_table
from pager_lab.sim.scenario import (
    Scenario,
)
from pager_lab.sim.scenario_parts import (
    check_load,
    parse_attrition,
    parse_fatigue,
    parse_response,
    parse_source,
    parse_urgency,
    parse_work,
)

__all__ = ["MAX_ALERTS", "MAX_WEEKS", "NAMES", "load_scenario", "parse_scenario", "with_changes"]

MAX_WEEKS = 5200
"""The longest horizon a run accepts: 100 years. ``textbook-mm1`` needs 60 to show its
3 % agreement with M/M/1 on every seed; for tighter figures of a real team, run
replications rather than one endless run. Longer is surely a typo (1e9)."""
MAX_ALERTS = 2_000_000
"""Assumption: the most alerts a run may expect. Alerts are drawn up front and each is
a table row in memory; 2 million is 200 years of the baseline's ~10,000 a year."""

NAMES = (
    "Alice",
    "Bob",
    "Charlie",
    "Dana",
    "Eve",
    "Frank",
    "Grace",
    "Heidi",
    "Ivan",
    "Judy",
    "Ken",
    "Lena",
    "Mo",
    "Nia",
    "Oscar",
    "Pia",
    "Quinn",
    "Ravi",
    "Sara",
    "Tom",
)
"""Names for generated teams (``team_size``); the seed's three come first."""

TOP_KEYS = {
    "name",
    "description",
    "start",
    "weeks",
    "time_zone",
    "team",
    "team_size",
    "schedules",
    "schedule_files",
    "policy",
    "sources",
    "response",
    "work",
    "fatigue",
    "attrition",
    "runbook_coverage",
    "urgency",
    "dispatch",
    "auto_resolve_minutes",
    "warmup_minutes",
    "on_gap",
    "routing",
}


def _start(data: Mapping[str, Any], where: str) -> datetime:
    raw = require(data, "start", str, where, "", "an ISO 8601 time with offset", "")
    if not raw:
        raise ConfigError(where, "start", None, "an ISO 8601 start like 2026-11-02T00:00+00:00")
    try:
        start = datetime.fromisoformat(raw)
    except ValueError:
        raise ConfigError(
            where, "start", raw, "an ISO 8601 time like 2026-11-02T00:00+00:00"
        ) from None
    if start.tzinfo is None:
        raise ConfigError(where, "start", raw, "a time with a UTC offset (+00:00)")
    return start


def _team(data: Mapping[str, Any], where: str, zone: str) -> dict[str, str]:
    if "team_size" in data:
        size = require_number(
            data, "team_size", where, "", minimum=1, maximum=len(NAMES), integer=True
        )
        if "team" in data:
            raise ConfigError(
                where, "team_size", size, "either a [team] table or team_size, not both"
            )
        return dict.fromkeys(NAMES[:size], zone)
    team = require_table(data.get("team", {}), where, "team")
    if not team:
        raise ConfigError(where, "team", {}, "at least one person (or team_size = N)")
    return {p: parse_time_zone(z, where, f"team.{p}") for p, z in team.items()}


def _default_schedules(team: Mapping[str, str], zone: str, start: datetime) -> list[dict]:
    """A weekly primary rotation of the whole team, and a secondary one week behind."""
    people = list(team)
    handoff = start.astimezone(ZoneInfo(zone)).replace(hour=9, minute=0, tzinfo=None)
    layer = {
        "name": "weekly",
        "turn_length": 1,
        "turn_unit": "weeks",
        "handoff": handoff.isoformat(),
    }
    out = [{"name": "primary", "time_zone": zone, "layers": [layer | {"responders": people}]}]
    if len(people) > 1:
        secondary = people[-1:] + people[:-1]
        out.append(
            {"name": "secondary", "time_zone": zone, "layers": [layer | {"responders": secondary}]}
        )
    return out


def _schedules(
    data: Mapping[str, Any], where: str, team: Mapping[str, str], zone: str, start: datetime
) -> dict[str, Schedule]:
    out: dict[str, Schedule] = {}
    inline = require(data, "schedules", list, where, "", "a list of [[schedules]]", None)
    files = require(data, "schedule_files", list, where, "", "a list of file paths", [])
    if inline is None and not files:
        inline = _default_schedules(team, zone, start)
    for i, entry in enumerate(inline or []):
        entry = dict(require_table(entry, where, f"schedules[{i}]"))
        entry.setdefault("responders", {p: team[p] for p in team})
        out_sched = parse_schedule(entry, f"{where} (schedules[{i}])")
        out[out_sched.name] = out_sched
    base = Path(where).parent
    for i, name in enumerate(files):
        if not isinstance(name, str):
            raise ConfigError(where, f"schedule_files[{i}]", name, "a file path")
        sched = load_schedule(base / name)
        out[sched.name] = sched
    for sched in out.values():
        for layer in sched.layers:
            for person in layer.responders:
                if person not in team:
                    raise ConfigError(
                        where,
                        f"schedules.{sched.name}.{layer.name}",
                        person,
                        f"a member of the team ({', '.join(team)})",
                    )
    return out


def _policy(
    data: Mapping[str, Any], where: str, team: Mapping[str, str], schedules: Mapping[str, Schedule]
) -> EscalationPolicy:
    if "policy" not in data:
        levels = [EscalationLevel((s,)) for s in schedules.values()]
        return EscalationPolicy("default", tuple(levels) or (EscalationLevel(tuple(team)),), 1)
    return parse_policy("policy", data["policy"], where, "policy", team, schedules)


def _check_gaps(scenario: Scenario, where: str) -> None:
    if scenario.on_gap == "escalate":
        return
    end = scenario.start + timedelta(minutes=scenario.horizon_minutes)
    for name, sched in scenario.schedules.items():
        gaps = sched.gaps(scenario.start, end)
        if gaps:
            raise ConfigError(
                where,
                f"schedules.{name}",
                f"gap from {gaps[0][0].isoformat()}",
                'a gap-free schedule, or on_gap = "escalate" to skip the level',
            )


def parse_scenario(data: Mapping[str, Any], where: str = "<scenario>") -> Scenario:
    """Build and validate a :class:`Scenario` from parsed TOML."""
    check_keys(data, TOP_KEYS, where, "")
    zone = parse_time_zone(data.get("time_zone", "UTC"), where, "time_zone")
    start = _start(data, where)
    team = _team(data, where, zone)
    schedules = _schedules(data, where, team, zone, start)
    raw_sources = require(data, "sources", list, where, "", "a list of [[sources]]")
    if not raw_sources:
        raise ConfigError(where, "sources", raw_sources, "at least one [[sources]] table")
    weeks = require_number(
        data, "weeks", where, "", minimum=0, strict_minimum=True, maximum=MAX_WEEKS
    )
    dispatch = require(data, "dispatch", str, where, "", "owner or pool", "owner")
    if dispatch not in ("owner", "pool"):
        raise ConfigError(where, "dispatch", dispatch, "owner or pool")
    on_gap = require(data, "on_gap", str, where, "", '"escalate"', "")
    if on_gap not in ("", "escalate"):
        raise ConfigError(where, "on_gap", on_gap, '"escalate"')
    scenario = Scenario(
        name=require(data, "name", str, where, "", "a scenario name"),
        description=require(data, "description", str, where, "", "text", ""),
        start=start,
        weeks=float(weeks),
        time_zone=zone,
        team=team,
        policy=_policy(data, where, team, schedules),
        sources=tuple(
            parse_source(s, where, f"sources[{i}]", start) for i, s in enumerate(raw_sources)
        ),
        schedules=schedules,
        response=parse_response(data.get("response", {}), where),
        work=parse_work(data.get("work", {}), where),
        fatigue=parse_fatigue(data.get("fatigue", {}), where),
        attrition=parse_attrition(data.get("attrition", {}), where),
        urgency=parse_urgency(data.get("urgency", {}), where),
        runbook_coverage=float(
            require_number(data, "runbook_coverage", where, "", minimum=0, maximum=1, default=0.5)
        ),
        dispatch=dispatch,
        auto_resolve_minutes=float(
            require_number(
                data,
                "auto_resolve_minutes",
                where,
                "",
                minimum=0,
                strict_minimum=True,
                default=240.0,
            )
        ),
        warmup_minutes=float(
            require_number(data, "warmup_minutes", where, "", minimum=0, default=0.0)
        ),
        on_gap=on_gap,
        routing=parse_routing(data["routing"], where) if "routing" in data else None,
        source=where,
        raw=copy.deepcopy(dict(data)),
    )
    _check_alert_count(scenario, where)
    if scenario.warmup_minutes >= scenario.horizon_minutes:
        raise ConfigError(
            where,
            "warmup_minutes",
            scenario.warmup_minutes,
            f"less than the horizon ({scenario.weeks:g} weeks = "
            f"{scenario.horizon_minutes:g} minutes), or nothing is left to observe",
        )
    _check_gaps(scenario, where)
    check_load(scenario, where)
    return scenario


def _check_alert_count(scenario: Scenario, where: str) -> None:
    """Refuse, before anything is allocated, a run that would draw more than MAX_ALERTS."""
    horizon = scenario.horizon_minutes
    for i, source in enumerate(scenario.sources):
        expected = source.peak_rate_per_minute * horizon * source.alerts_per_problem
        expected += sum(storm.count for storm in source.storms)
        if source.flapping is not None:
            episodes = source.flapping.episodes_per_week * scenario.weeks
            expected += episodes * source.flapping.cycles
        if expected > MAX_ALERTS:
            raise ConfigError(
                where,
                f"sources[{i}].rate_per_hour",
                source.rate_per_hour,
                f"a load of at most {MAX_ALERTS:,} alerts per run (this source's peak rate "
                f"over {scenario.weeks:g} weeks gives about {expected:.3g}, which would not "
                "fit in memory; lower the rate, storm counts or weeks)",
            )


MERGED_TABLES = ("response", "work", "fatigue", "attrition", "routing")
"""With ``extends``, these tables merge key by key; every other top-level key replaces."""


def _read_with_base(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    data = read_toml(path)
    if not data:  # else the first missing key (start) would be blamed
        raise ConfigError(
            str(path),
            "keys",
            "none",
            "a scenario (the file is empty: it has no keys; start from "
            'extends = "baseline.toml" or a copy of a bundled scenario)',
        )
    base_name = data.pop("extends", None)
    if base_name is None:
        return data
    if not isinstance(base_name, str):
        raise ConfigError(str(path), "extends", base_name, "a scenario file name")
    base_path = (path.parent / base_name).resolve()
    if base_path in seen or base_path == path.resolve():
        raise ConfigError(str(path), "extends", base_name, "a file that does not extend this one")
    merged = _read_with_base(base_path, (*seen, path.resolve()))
    for key, value in data.items():
        if key in MERGED_TABLES and isinstance(value, dict):
            merged[key] = {**merged.get(key, {}), **value}
        else:
            merged[key] = value
    return merged


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file (``extends = "baseline.toml"`` starts from another)."""
    return parse_scenario(_read_with_base(Path(path)), str(path))


def with_changes(scenario: Scenario, changes: Mapping[str, Any]) -> Scenario:
    """A copy of *scenario* with dotted keys changed, validated again.

    ``{"team_size": 4, "response.asleep_miss": 0.3, "sources[0].noise_share": 0.6}``;
    ``[*]`` changes every element of a list: ``{"sources[*].noise_share": 0.15}``.
    """
    data = copy.deepcopy(dict(scenario.raw))
    for dotted, value in changes.items():
        try:
            for concrete in _expand(data, dotted):
                _set(data, concrete, value)
        except (KeyError, IndexError, ValueError, TypeError, AttributeError):
            raise ConfigError(
                scenario.source,
                dotted,
                value,
                "a key path that exists in the scenario, such as "
                "sources[0].rate_per_hour, sources[*].noise_share or response.asleep_miss",
            ) from None
    return parse_scenario(data, scenario.source or "<scenario>")


def _expand(data: Mapping[str, Any], dotted: str) -> list[str]:
    """``sources[*].x`` as ``sources[0].x``, ``sources[1].x``, ... (one per list element)."""
    head, star, tail = dotted.partition("[*]")
    if not star:
        return [dotted]
    target: Any = data
    for part in head.replace("]", "").replace("[", ".").split("."):
        target = target[int(part)] if isinstance(target, list) else target[part]
    if not isinstance(target, list) or not target:
        raise ValueError(f"{head} is not a non-empty list")
    return [path for i in range(len(target)) for path in _expand(data, f"{head}[{i}]{tail}")]


def _set(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``a.b[0].c`` in nested TOML data; ``team_size`` replaces the team and schedules."""
    target: Any = data
    parts = dotted.replace("]", "").replace("[", ".").split(".")
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target.setdefault(part, {})
    last = parts[-1]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    if dotted == "team_size":
        data.pop("team", None)
        data.pop("schedules", None)
