"""Parsing the parts of a scenario file: sources, response, work, fatigue, attrition."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import fields
from datetime import datetime
from typing import Any

from pager_lab.core.errors import ConfigError
from pager_lab.core.incident import Severity
from pager_lab.core.tomlfile import check_keys, require, require_number, require_table
from pager_lab.sim.scenario import (
    DEFAULT_SEVERITY_MIX,
    DEFAULT_URGENCY,
    AlertSource,
    Attrition,
    Fatigue,
    Flapping,
    ResponseModel,
    Scenario,
    Storm,
    WorkModel,
)

__all__ = [
    "MAX_RATE_PER_HOUR",
    "MIN_WORK_MINUTES",
    "UnstableQueueWarning",
    "check_load",
    "parse_attrition",
    "parse_fatigue",
    "parse_response",
    "parse_source",
    "parse_urgency",
    "parse_work",
]

MAX_RATE_PER_HOUR = 3600.0
"""Alerts per hour above one a second are surely a rate in the wrong unit (per minute or
per second), or a storm that belongs in ``storms``; a year of them would not fit in memory."""
MIN_WORK_MINUTES = 0.01
"""Work times are in minutes: below 0.01 (0.6 s) one is surely a rate (mu) or in hours."""


_WARNED: dict[Any, Any] = {}
"""The warnings registry of check_load: each message is shown once per process."""


class UnstableQueueWarning(UserWarning):
    """The scenario's load is at or above what its responders can serve (rho >= 1)."""


PROBABILITIES = {
    "noise_share",
    "awake_miss",
    "asleep_miss",
    "miss_per_interruption",
    "max_miss",
    "weekly_quit",
    "per_sleep_interruption",
    "max_weekly_quit",
    "runbook_coverage",
}


def _numbers(
    table: Mapping[str, Any],
    cls: type,
    where: str,
    path: str,
    skip: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Read every number/bool field of dataclass *cls* from *table* with bounds checks."""
    out: dict[str, Any] = {}
    for f in fields(cls):
        if f.name in skip or f.name not in table:
            continue
        if isinstance(f.default, bool):
            out[f.name] = require(table, f.name, bool, where, path, "true or false")
        elif isinstance(f.default, int | float):
            prob = f.name in PROBABILITIES
            integer = isinstance(f.default, int) and not isinstance(f.default, bool)
            out[f.name] = require_number(
                table,
                f.name,
                where,
                path,
                minimum=0,
                maximum=1 if prob else None,
                strict_minimum=not prob and f.name not in {"weekly_quit"},
                integer=integer,
            )
    return out


def _severity_map(value: Any, where: str, key: str, *, total_one: bool) -> dict[Severity, float]:
    table = require_table(value, where, key)
    out: dict[Severity, float] = {}
    for name, number in table.items():
        try:
            sev = Severity.parse(name)
        except ValueError:
            raise ConfigError(where, f"{key}.{name}", name, "SEV1, SEV2, SEV3 or SEV4") from None
        if isinstance(number, bool) or not isinstance(number, int | float) or number < 0:
            raise ConfigError(where, f"{key}.{name}", number, "a number >= 0")
        out[sev] = float(number)
    if total_one and abs(sum(out.values()) - 1) > 1e-9:
        raise ConfigError(where, key, dict(table), "shares that add up to 1")
    return out


def _storm(entry: Any, where: str, key: str, start: datetime) -> Storm:
    entry = require_table(entry, where, key)
    check_keys(entry, {"at", "at_minutes", "count", "spread_minutes", "dedup_keys"}, where, key)
    if "at" in entry:
        try:
            at = datetime.fromisoformat(require(entry, "at", str, where, key, "ISO 8601 time"))
        except ValueError:
            raise ConfigError(where, f"{key}.at", entry["at"], "an ISO 8601 time") from None
        if at.tzinfo is None:
            raise ConfigError(where, f"{key}.at", entry["at"], "a time with a UTC offset")
        minutes = (at - start).total_seconds() / 60
    else:
        minutes = require_number(entry, "at_minutes", where, key, minimum=0)
    if minutes < 0:
        raise ConfigError(where, f"{key}.at", entry.get("at"), "a time after the start")
    return Storm(
        float(minutes),
        require_number(entry, "count", where, key, minimum=1, integer=True),
        float(require_number(entry, "spread_minutes", where, key, minimum=0, default=15.0)),
        require_number(entry, "dedup_keys", where, key, minimum=1, integer=True, default=1),
    )


def _rate(entry: Mapping[str, Any], where: str, key: str) -> float:
    """``rate_per_hour``, refused when it is surely in another unit."""
    rate = require_number(entry, "rate_per_hour", where, key, minimum=0)
    if rate > MAX_RATE_PER_HOUR:
        raise ConfigError(
            where,
            f"{key}.rate_per_hour",
            rate,
            f"alerts per hour, at most {MAX_RATE_PER_HOUR:g} (one a second): a larger "
            "number is surely per minute or per second, or a storm (storms = [...])",
        )
    return float(rate)


def parse_urgency(value: Any, where: str) -> dict[Severity, str]:
    """The ``[urgency]`` table: ``SEV3 = "high"`` and so on; severities left out keep
    PagerDuty's default (:data:`~pager_lab.sim.scenario.DEFAULT_URGENCY`)."""
    table = require_table(value, where, "urgency")
    urgency = dict(DEFAULT_URGENCY)
    for name, level in table.items():
        try:
            severity = Severity.parse(name)
        except ValueError:
            raise ConfigError(where, f"urgency.{name}", name, "SEV1, SEV2, SEV3 or SEV4") from None
        if level not in ("high", "low"):
            raise ConfigError(where, f"urgency.{name}", level, '"high" or "low"')
        urgency[severity] = level
    return urgency


def _week_profile(entry: Mapping[str, Any], where: str, key: str) -> tuple[float, ...]:
    """168 multipliers >= 0 (not all 0), and then no 24-hour profile or day factors beside."""
    values = require(entry, "week_profile", list, where, key, "168 numbers")
    if (
        len(values) != 168
        or any(isinstance(v, bool) or not isinstance(v, int | float) or v < 0 for v in values)
        or not any(values)
    ):
        raise ConfigError(
            where,
            f"{key}.week_profile",
            f"<{len(values)} values>",
            "168 numbers >= 0 (not all 0), one per hour of the week from Monday 00:00",
        )
    both = [k for k in ("profile", "weekday_factor", "weekend_factor") if k in entry]
    if both:
        raise ConfigError(
            where,
            f"{key}.{both[0]}",
            entry[both[0]],
            "no profile or day factors beside week_profile (it replaces them)",
        )
    return tuple(float(v) for v in values)


def parse_source(entry: Any, where: str, key: str, start: datetime) -> AlertSource:
    entry = require_table(entry, where, key)
    if "low_urgency_share" in entry:
        raise ConfigError(
            where,
            f"{key}.low_urgency_share",
            entry["low_urgency_share"],
            "no such key any more: urgency follows severity (PagerDuty's dynamic notifications;"
            ' SEV3 and SEV4 are low urgency). Set a severity_mix, or [urgency] SEV3 = "high"',
        )
    allowed = {f.name for f in fields(AlertSource)}
    check_keys(entry, allowed, where, key)
    service = require(entry, "service", str, where, key, "a service name")
    rate = _rate(entry, where, key)
    profile = tuple(require(entry, "profile", list, where, key, "24 numbers", [1.0] * 24))
    if len(profile) != 24 or any(
        isinstance(v, bool) or not isinstance(v, int | float) or v < 0 for v in profile
    ):
        raise ConfigError(
            where,
            f"{key}.profile",
            list(profile),
            f"24 numbers >= 0, one per hour of the day (got {len(profile)})",
        )
    kwargs = _numbers(entry, AlertSource, where, key, skip=frozenset({"rate_per_hour"}))
    if "week_profile" in entry:
        kwargs["week_profile"] = _week_profile(entry, where, key)
    if kwargs.get("alerts_per_problem", 1.0) < 1:
        raise ConfigError(
            where,
            f"{key}.alerts_per_problem",
            kwargs["alerts_per_problem"],
            "a mean number of alerts per problem >= 1",
        )
    mix = DEFAULT_SEVERITY_MIX
    if "severity_mix" in entry:
        mix = _severity_map(entry["severity_mix"], where, f"{key}.severity_mix", total_one=True)
    storms = tuple(
        _storm(s, where, f"{key}.storms[{i}]", start)
        for i, s in enumerate(require(entry, "storms", list, where, key, "a list", []))
    )
    flapping = None
    if "flapping" in entry:
        table = require_table(entry["flapping"], where, f"{key}.flapping")
        check_keys(table, {f.name for f in fields(Flapping)}, where, f"{key}.flapping")
        flapping = Flapping(
            **{
                "episodes_per_week": require_number(
                    table, "episodes_per_week", where, f"{key}.flapping", minimum=0
                ),
                **_numbers(
                    table, Flapping, where, f"{key}.flapping", skip=frozenset({"episodes_per_week"})
                ),
            }
        )
    return AlertSource(
        service,
        float(rate),
        tuple(map(float, profile)),
        severity_mix=mix,
        storms=storms,
        flapping=flapping,
        **kwargs,
    )


def _simple(value: Any, where: str, name: str, cls: type) -> Any:
    """A table of numbers and switches that maps one to one onto dataclass *cls*."""
    table = require_table(value, where, name)
    check_keys(table, {f.name for f in fields(cls)}, where, name)
    return cls(**_numbers(table, cls, where, name))


def parse_response(value: Any, where: str) -> ResponseModel:
    return _simple(value, where, "response", ResponseModel)


def parse_work(value: Any, where: str) -> WorkModel:
    table = require_table(value, where, "work")
    check_keys(table, {f.name for f in fields(WorkModel)}, where, "work")
    kwargs: dict[str, Any] = _numbers(table, WorkModel, where, "work")
    _check_minutes(kwargs, where)
    if "distribution" in table:
        dist = table["distribution"]
        if dist not in ("lognormal", "exponential"):
            raise ConfigError(where, "work.distribution", dist, "lognormal or exponential")
        kwargs["distribution"] = dist
    if "resolve_median_minutes" in table:
        medians = _severity_map(
            table["resolve_median_minutes"], where, "work.resolve_median_minutes", total_one=False
        )
        default = WorkModel().resolve_median_minutes
        kwargs["resolve_median_minutes"] = {**default, **medians}
        _check_minutes({f"resolve_median_minutes.{k}": v for k, v in medians.items()}, where)
    return WorkModel(**kwargs)


def parse_fatigue(value: Any, where: str) -> Fatigue:
    return _simple(value, where, "fatigue", Fatigue)


def parse_attrition(value: Any, where: str) -> Attrition:
    return _simple(value, where, "attrition", Attrition)


def _check_minutes(values: Mapping[str, Any], where: str) -> None:
    """Refuse work times in minutes that are surely in another unit."""
    for name, value in values.items():
        in_minutes = name.endswith("_minutes") or "minutes." in name
        if in_minutes and isinstance(value, int | float) and value < MIN_WORK_MINUTES:
            raise ConfigError(
                where,
                f"work.{name}",
                value,
                f"minutes, at least {MIN_WORK_MINUTES:g} (0.6 s): 1/mu in minutes, "
                "e.g. 60.0 for a service rate mu of 1 per hour",
            )


def _mean_multiplier(source: AlertSource) -> float:
    """The source's mean rate multiplier over a week (profile x day factors, or week_profile)."""
    if source.week_profile:
        return sum(source.week_profile) / 168
    days = (5 * source.weekday_factor + 2 * source.weekend_factor) / 7
    return sum(source.profile) / 24 * days


def offered_load(scenario: Scenario) -> float | None:
    """rho = lambda / (c mu) of a pool-dispatched exponential-work scenario (None otherwise).

    lambda counts actionable problems per hour (rate x mean profile x weekday mix, less
    noise); 1/mu is ``work.resolve_mean_minutes``; c is the team size.
    """
    if scenario.dispatch != "pool" or scenario.work.distribution != "exponential":
        return None
    per_hour = sum(
        s.rate_per_hour * _mean_multiplier(s) * (1 - s.noise_share) for s in scenario.sources
    )
    return per_hour * scenario.work.resolve_mean_minutes / 60 / len(scenario.team)


def check_load(scenario: Scenario, where: str) -> None:
    """Warn (UnstableQueueWarning) when a pool of exponential work is loaded at rho >= 1.

    Such a queue grows without limit, so no steady state (nor M/M/c formula) exists:
    usually a unit slip — ``rate_per_hour`` is per hour, ``resolve_mean_minutes`` in
    minutes.
    """
    rho = offered_load(scenario)
    if rho is not None and rho >= 1:
        # Shown as one line, "FILE:0: UnstableQueueWarning: ...", once per message.
        warnings.warn_explicit(
            f"load rho = {rho:.2f} >= 1 (lambda = arrivals per hour from "
            f"sources[*].rate_per_hour, 1/mu = work.resolve_mean_minutes = "
            f"{scenario.work.resolve_mean_minutes:g} minutes, c = {len(scenario.team)}): "
            "the queue grows without limit; check the units",
            UnstableQueueWarning,
            filename=where or "<scenario>",
            lineno=0,
            module="pager_lab.sim.scenario_parts",
            registry=_WARNED,
        )
