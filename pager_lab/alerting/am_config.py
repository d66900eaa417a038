"""The core's routing settings written as a real Alertmanager's config and API calls.

The model and the real Alertmanager read the same ``RoutingConfig`` (a scenario's
``[routing]`` table, in simulated minutes): here its ``group_by``, timers and inhibition
rules become Alertmanager's ``route`` and ``inhibit_rules``, always sending to the lab's
own receiver (a file never names a webhook URL), and its silences become bodies for
``POST /api/v2/silences``. In an accelerated replay every timer is divided by the speed
(a speed of 60 turns a 5-minute ``group_interval`` into 5 s of wall-clock time).

Alertmanager reads YAML, and JSON is YAML, so the config is written as JSON.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pager_lab.core.errors import ConfigError
from pager_lab.core.routing_config import Matcher, RoutingConfig, Silence, parse_routing
from pager_lab.core.tomlfile import read_toml

__all__ = ["alertmanager_config", "describe_routing", "load_routing", "silence_body"]

_MIN_MILLIS = 10
"""Alertmanager's timers below 10 ms of wall-clock time are refused (the replay is too fast)."""


def _millis(minutes: float, speed: float, key: str) -> str:
    millis = round(minutes * 60_000 / speed)
    if millis < _MIN_MILLIS:
        raise ConfigError(
            "",
            "speed",
            speed,
            f"a slower replay: {key} = {minutes:g} min would last {minutes * 60_000 / speed:.3g} ms"
            f" of wall-clock time (at least {_MIN_MILLIS} ms)",
        )
    return f"{millis}ms"


def _matcher(m: Matcher) -> str:
    value = m.value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{m.name}{m.op}"{value}"'


def alertmanager_config(
    config: RoutingConfig, webhook_url: str, speed: float = 1.0
) -> dict[str, Any]:
    """Alertmanager's config: one route to the lab's receiver, timers divided by *speed*."""
    if not speed > 0:
        raise ConfigError("", "speed", speed, "a number above 0")
    return {
        "global": {
            "resolve_timeout": _millis(config.resolve_timeout_minutes, speed, "resolve_timeout")
        },
        "route": {
            "receiver": "lab",
            "group_by": list(config.group_by),
            "group_wait": _millis(config.group_wait_minutes, speed, "group_wait"),
            "group_interval": _millis(config.group_interval_minutes, speed, "group_interval"),
            "repeat_interval": _millis(config.repeat_interval_minutes, speed, "repeat_interval"),
        },
        "receivers": [
            {"name": "lab", "webhook_configs": [{"url": webhook_url, "send_resolved": True}]}
        ],
        "inhibit_rules": [
            {
                "source_matchers": [_matcher(m) for m in rule.source],
                "target_matchers": [_matcher(m) for m in rule.target],
                "equal": list(rule.equal),
            }
            for rule in config.inhibit_rules
        ],
    }


def silence_body(silence: Silence, minute_zero: datetime, speed: float) -> dict[str, Any]:
    """``POST /api/v2/silences``'s body: the silence's minutes as wall-clock time, where
    simulated minute 0 is *minute_zero* and one wall-clock second is *speed* seconds."""

    def at(minute: float) -> str:
        return (minute_zero + timedelta(seconds=minute * 60 / speed)).isoformat()

    return {
        "matchers": [
            {
                "name": m.name,
                "value": m.value,
                "isRegex": m.op in ("=~", "!~"),
                "isEqual": m.op in ("=", "=~"),
            }
            for m in silence.matchers
        ],
        "startsAt": at(silence.start),
        "endsAt": at(silence.end),
        "createdBy": "pager-lab",
        "comment": silence.comment or "silenced by pager-lab",
    }


def describe_routing(config: RoutingConfig) -> str:
    """One line: grouping, timers (minutes), inhibition rules and silences."""
    if config.no_grouping:
        grouping = "no grouping"
    elif not config.group_by:
        grouping = "one group for every alert"
    else:
        grouping = "group_by " + "+".join(config.group_by)
    extra = "".join(
        f", {n} {what}"
        for n, what in (
            (len(config.inhibit_rules), "inhibit rule(s)"),
            (len(config.silences), "silence(s)"),
        )
        if n
    )
    return (
        f"{grouping}; group_wait {config.group_wait_minutes:g} min, group_interval "
        f"{config.group_interval_minutes:g} min, repeat_interval "
        f"{config.repeat_interval_minutes:g} min{extra}"
    )


class NoRoutingTable(ConfigError):
    """A TOML file given as routing settings has no ``[routing]`` table at all."""

    def __init__(self, where: str) -> None:
        super().__init__(where, "routing", "(missing)", "a [routing] table")
        self.args = (
            f"{where} has no [routing] table (group_by, group_wait_minutes, ...): "
            f"give a scenario or routing file with one, e.g. {EXAMPLE_ROUTING}",
        )


EXAMPLE_ROUTING = "data/routing/storm-week-routed.toml"
"""The bundled example of a scenario with a ``[routing]`` table (README, error messages)."""


def load_routing(path: str | Path) -> RoutingConfig:
    """The ``[routing]`` table of a TOML file (a scenario or a routing file), checked."""
    raw = read_toml(path)
    if "routing" not in raw:
        raise NoRoutingTable(str(path))
    routing = parse_routing(raw["routing"], str(path))
    if routing is None:
        raise ConfigError(
            str(path), "routing.enabled", False, "true: a real Alertmanager always routes"
        )
    return routing
