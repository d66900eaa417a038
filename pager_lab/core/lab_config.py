"""The lab's configuration: responders, escalation policies and alert definitions (TOML).

Files under ``data/``::

    responders.toml   [responders.<name>] time_zone = "Europe/Dublin"
    policies.toml     [policies.<name>] repeat = 0, [[policies.<name>.levels]]
                      targets = ["Alice"], timeout_minutes = 5
    alerts.toml       [alerts.<name>] summary, service, severity, policy, runbook, root_cause
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pager_lab.core.errors import ConfigError
from pager_lab.core.escalation import (
    DEFAULT_TIMEOUT_MINUTES,
    MAX_REPEAT,
    EscalationLevel,
    EscalationPolicy,
)
from pager_lab.core.incident import Severity
from pager_lab.core.tomlfile import check_keys, read_toml, require, require_number, require_table

__all__ = ["AlertDefinition", "Lab", "Responder", "load_lab", "parse_policy", "parse_time_zone"]


@dataclass(frozen=True)
class Responder:
    """A person who can be paged, living in an IANA time zone."""

    name: str
    time_zone: str = "UTC"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


@dataclass(frozen=True)
class AlertDefinition:
    """A monitor's alert: what it says, who it pages, and its runbook."""

    name: str
    summary: str
    service: str = ""
    severity: Severity = Severity.SEV2
    policy: str = ""
    runbook: str | None = None
    """Runbook path relative to the data folder, or ``None`` (lint flags it)."""
    root_cause: str = ""


@dataclass(frozen=True)
class Lab:
    """Everything loaded from one data folder."""

    folder: Path
    responders: Mapping[str, Responder] = field(default_factory=dict)
    policies: Mapping[str, EscalationPolicy] = field(default_factory=dict)
    alerts: Mapping[str, AlertDefinition] = field(default_factory=dict)

    def runbook_path(self, alert: AlertDefinition) -> Path | None:
        return None if alert.runbook is None else self.folder / alert.runbook


def parse_time_zone(value: Any, where: str, key: str) -> str:
    """An IANA zone name that zoneinfo knows."""
    if not isinstance(value, str) or not value:
        raise ConfigError(where, key, value, "an IANA time zone name such as 'Europe/Dublin'")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            where, key, value, "an IANA time zone name such as 'Europe/Dublin'"
        ) from None
    return value


def _load_responders(path: Path) -> dict[str, Responder]:
    where = str(path)
    data = read_toml(path)
    check_keys(data, {"responders"}, where, "")
    table = require_table(data.get("responders"), where, "responders")
    if not table:
        raise ConfigError(where, "responders", {}, "at least one responder")
    out = {}
    for name, entry in table.items():
        key = f"responders.{name}"
        entry = require_table(entry, where, key)
        check_keys(entry, {"time_zone"}, where, key)
        zone = parse_time_zone(entry.get("time_zone", "UTC"), where, f"{key}.time_zone")
        out[name] = Responder(name, zone)
    return out


def _level(
    entry: Any, where: str, key: str, known: Mapping[str, Any], schedules: Mapping[str, Any]
) -> EscalationLevel:
    entry = require_table(entry, where, key)
    check_keys(entry, {"targets", "timeout_minutes"}, where, key)
    targets = require(entry, "targets", list, where, key, "a non-empty list of responder names")
    if not targets:
        raise ConfigError(where, f"{key}.targets", targets, "at least one responder or schedule")
    resolved: list[Any] = []
    for name in targets:
        if isinstance(name, str) and name.startswith("schedule:") and name[9:] in schedules:
            resolved.append(schedules[name[9:]])
        elif isinstance(name, str) and name in known:
            resolved.append(name)
        else:
            names = ", ".join(sorted(known)) + "".join(f", schedule:{s}" for s in schedules)
            raise ConfigError(
                where, f"{key}.targets", name, f"a known responder or schedule ({names})"
            )
    if len(set(map(str, targets))) != len(targets):
        raise ConfigError(where, f"{key}.targets", targets, "each target once")
    timeout = require_number(
        entry,
        "timeout_minutes",
        where,
        key,
        minimum=0,
        strict_minimum=True,
        default=DEFAULT_TIMEOUT_MINUTES,
    )
    return EscalationLevel(tuple(resolved), float(timeout))


def parse_policy(
    name: str,
    entry: Any,
    where: str,
    key: str,
    known: Mapping[str, Any],
    schedules: Mapping[str, Any],
) -> EscalationPolicy:
    """One policy table (``repeat`` and ``[[levels]]``); targets are *known* people or
    ``schedule:<name>`` for one of *schedules*. Shared by policies.toml and scenarios."""
    entry = require_table(entry, where, key)
    check_keys(entry, {"levels", "repeat"}, where, key)
    repeat = require_number(
        entry, "repeat", where, key, minimum=0, maximum=MAX_REPEAT, default=0, integer=True
    )
    raw = require(entry, "levels", list, where, key, "a list of levels ([[...levels]])")
    if not raw:
        raise ConfigError(where, f"{key}.levels", raw, "at least one level")
    levels = tuple(
        _level(lv, where, f"{key}.levels[{i}]", known, schedules) for i, lv in enumerate(raw)
    )
    return EscalationPolicy(name, levels, repeat)


def _load_policies(
    path: Path, known: Mapping[str, Any], schedules: Mapping[str, Any]
) -> dict[str, EscalationPolicy]:
    where = str(path)
    data = read_toml(path)
    check_keys(data, {"policies"}, where, "")
    return {
        name: parse_policy(name, entry, where, f"policies.{name}", known, schedules)
        for name, entry in require_table(data.get("policies"), where, "policies").items()
    }


_ALERT_KEYS = {"summary", "service", "severity", "policy", "runbook", "root_cause"}


def _load_alerts(
    path: Path, policies: Mapping[str, EscalationPolicy]
) -> dict[str, AlertDefinition]:
    where = str(path)
    data = read_toml(path)
    check_keys(data, {"alerts"}, where, "")
    out = {}
    for name, entry in require_table(data.get("alerts"), where, "alerts").items():
        key = f"alerts.{name}"
        entry = require_table(entry, where, key)
        check_keys(entry, _ALERT_KEYS, where, key)
        summary = require(entry, "summary", str, where, key, "the alert's text")
        raw_sev = require(entry, "severity", str, where, key, "SEV1-SEV4", "SEV2")
        try:
            severity = Severity.parse(raw_sev)
        except ValueError:
            raise ConfigError(where, f"{key}.severity", raw_sev, "one of SEV1-SEV4") from None
        policy = require(entry, "policy", str, where, key, "a policy name")
        if policy not in policies:
            raise ConfigError(
                where,
                f"{key}.policy",
                policy,
                f"a policy in policies.toml ({', '.join(sorted(policies))})",
            )
        out[name] = AlertDefinition(
            name,
            summary,
            require(entry, "service", str, where, key, "a service name", ""),
            severity,
            policy,
            require(entry, "runbook", str, where, key, "a runbook path", None),
            require(entry, "root_cause", str, where, key, "text", ""),
        )
    return out


def load_lab(folder: str | Path, schedules: Mapping[str, Any] | None = None) -> Lab:
    """Load ``responders.toml``, ``policies.toml`` and ``alerts.toml`` from *folder*.

    *schedules* maps names to on-call schedules that policy levels may target
    as ``"schedule:<name>"``.
    """
    root = Path(folder)
    responders = _load_responders(root / "responders.toml")
    policies = _load_policies(root / "policies.toml", responders, schedules or {})
    alerts = _load_alerts(root / "alerts.toml", policies)
    return Lab(root, responders, policies, alerts)
