"""What Alertmanager's routing stage is told: matchers, inhibition rules, silences, timings.

The same names and defaults as Prometheus Alertmanager 0.25's root route
(REFERENCES.md: ``group_wait`` 30 s, ``group_interval`` 5 m, ``repeat_interval`` 4 h),
in simulated **minutes**. :func:`parse_routing` reads a scenario's ``[routing]`` table
with errors that name the file, the key, the bad value and what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pager_lab.core.errors import ConfigError
from pager_lab.core.tomlfile import check_keys, require, require_number, require_table

__all__ = [
    "ALL_LABELS",
    "InhibitRule",
    "Labels",
    "Matcher",
    "RoutingConfig",
    "Silence",
    "parse_matcher",
    "parse_routing",
]

Labels = tuple[tuple[str, str], ...]
"""A label set as sorted ``(name, value)`` pairs: hashable, Alertmanager's fingerprint."""

ALL_LABELS = "..."
"""``group_by = ["..."]``: group by every label, i.e. no grouping (Alertmanager's syntax)."""

_MATCHER = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$")
_OPS = ("=", "!=", "=~", "!~")


@dataclass(frozen=True)
class Matcher:
    """One label matcher, written as Alertmanager writes it: ``severity="critical"``."""

    name: str
    op: str
    """``=``, ``!=``, ``=~`` (regular expression, anchored) or ``!~``."""
    value: str

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Whether *labels* pass; a missing label is the empty string (as in Alertmanager)."""
        have = labels.get(self.name, "")
        if self.op == "=":
            return have == self.value
        if self.op == "!=":
            return have != self.value
        found = re.fullmatch(self.value, have) is not None
        return found if self.op == "=~" else not found

    def __str__(self) -> str:
        return f'{self.name}{self.op}"{self.value}"'


def parse_matcher(text: str, where: str = "", key: str = "matcher") -> Matcher:
    """``'service="db"'``, ``severity!=info``, ``alertname=~"Disk.*"`` as a :class:`Matcher`."""
    expected = 'a matcher like severity="critical" (operators =, !=, =~, !~)'
    if not isinstance(text, str):
        raise ConfigError(where, key, text, expected)
    found = _MATCHER.match(text)
    if found is None:
        raise ConfigError(where, key, text, expected)
    name, op, value = found.groups()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    if op in ("=~", "!~"):
        try:
            re.compile(value)
        except re.error as exc:
            raise ConfigError(where, key, text, f"a valid regular expression ({exc})") from None
    return Matcher(name, op, value)


def _all_match(matchers: Sequence[Matcher], labels: Mapping[str, str]) -> bool:
    return all(m.matches(labels) for m in matchers)


@dataclass(frozen=True)
class InhibitRule:
    """A firing *source* alert mutes *target* alerts that share the ``equal`` labels."""

    source: tuple[Matcher, ...]
    target: tuple[Matcher, ...]
    equal: tuple[str, ...] = ()
    """Labels whose values source and target must share (missing counts as empty)."""

    def is_source(self, labels: Mapping[str, str]) -> bool:
        """Whether an alert with *labels* can inhibit others under this rule."""
        return _all_match(self.source, labels)

    def is_target(self, labels: Mapping[str, str]) -> bool:
        """Whether an alert with *labels* can be inhibited by this rule."""
        return _all_match(self.target, labels)


@dataclass(frozen=True)
class Silence:
    """Alerts matching every matcher are muted from ``start`` until (not including) ``end``."""

    matchers: tuple[Matcher, ...]
    start: float
    """Minutes since the run's start."""
    end: float
    comment: str = ""

    def mutes(self, labels: Mapping[str, str], minute: float) -> bool:
        """Whether the silence is active at *minute* and matches *labels*."""
        return self.start <= minute < self.end and _all_match(self.matchers, labels)


@dataclass(frozen=True)
class RoutingConfig:
    """Alertmanager's root route with one receiver (the lab's pager), in minutes.

    ``send_resolved`` is the webhook receiver's default (true): a group whose alerts all
    resolved gets a last notification, which resolves its incident.
    """

    group_by: tuple[str, ...] = ("alertname",)
    """Labels that make a group; ``("...",)`` groups by every label (no grouping);
    ``()`` puts every alert in one group (Alertmanager's meaning of an empty list)."""
    group_wait_minutes: float = 0.5
    """First notification of a new group this long after its first alert (30 s)."""
    group_interval_minutes: float = 5.0
    """A group is looked at again this often; a changed group is notified then (5 m)."""
    repeat_interval_minutes: float = 240.0
    """An unchanged firing group is notified again after this long (4 h)."""
    resolve_timeout_minutes: float = 5.0
    """An alert re-sent while firing stays firing this long after its last send
    (Alertmanager's ``global.resolve_timeout``, 5 m); used to build alert episodes."""
    group_cleanup_minutes: float = 0.5
    """Alertmanager's dispatcher removes empty groups every 30 s (``dispatch.go``); 0: at once.
    In a replay sped up N times this is N x 0.5 simulated minutes."""
    group_cleanup_offset_minutes: float = 0.0
    """When the clean-up ticks start (Alertmanager's start, on the replay's clock)."""
    log_retention_minutes: float = 7200.0
    """How long the notification log remembers what it sent (``--data.retention``, 120 h)."""
    inhibit_rules: tuple[InhibitRule, ...] = ()
    silences: tuple[Silence, ...] = ()

    @property
    def no_grouping(self) -> bool:
        """Whether every distinct label set is its own group (``group_by = ["..."]``)."""
        return ALL_LABELS in self.group_by


ROUTING_KEYS = {
    "enabled",
    "group_by",
    "group_wait_minutes",
    "group_interval_minutes",
    "repeat_interval_minutes",
    "resolve_timeout_minutes",
    "inhibit_rules",
    "silences",
}


def _matchers(table: Mapping[str, Any], key: str, where: str, path: str) -> tuple[Matcher, ...]:
    raw = require(
        table, key, list, where, path, 'a list of matchers like ["severity=\\"critical\\""]'
    )
    return tuple(parse_matcher(m, where, f"{path}.{key}[{i}]") for i, m in enumerate(raw))


def _labels_list(table: Mapping[str, Any], key: str, where: str, path: str) -> tuple[str, ...]:
    raw = require(table, key, list, where, path, "a list of label names", [])
    for i, name in enumerate(raw):
        if not isinstance(name, str) or not (name == ALL_LABELS or name.isidentifier()):
            raise ConfigError(where, f"{path}.{key}[{i}]", name, 'a label name like "service"')
    return tuple(raw)


def _inhibit_rule(table: Any, where: str, path: str) -> InhibitRule:
    table = require_table(table, where, path)
    check_keys(table, {"source_matchers", "target_matchers", "equal"}, where, path)
    equal = _labels_list(table, "equal", where, path)
    if ALL_LABELS in equal:
        raise ConfigError(where, f"{path}.equal", list(equal), "label names (not ...)")
    return InhibitRule(
        _matchers(table, "source_matchers", where, path),
        _matchers(table, "target_matchers", where, path),
        equal,
    )


def _silence(table: Any, where: str, path: str) -> Silence:
    table = require_table(table, where, path)
    check_keys(table, {"matchers", "start_minute", "end_minute", "comment"}, where, path)
    matchers = _matchers(table, "matchers", where, path)
    if not matchers:
        raise ConfigError(where, f"{path}.matchers", [], "at least one matcher")
    start = require_number(table, "start_minute", where, path, minimum=0)
    end = require_number(table, "end_minute", where, path, minimum=0)
    if end <= start:
        raise ConfigError(
            where, f"{path}.end_minute", end, f"a minute after start_minute ({start})"
        )
    comment = require(table, "comment", str, where, path, "text", "")
    return Silence(matchers, float(start), float(end), comment)


def parse_routing(table: Any, where: str, path: str = "routing") -> RoutingConfig | None:
    """A scenario's ``[routing]`` table as a :class:`RoutingConfig` (validated), or ``None``
    when it says ``enabled = false`` (the table is still checked)."""
    table = require_table(table, where, path)
    check_keys(table, ROUTING_KEYS, where, path)
    enabled = require(table, "enabled", bool, where, path, "true or false", True)
    group_by = (
        _labels_list(table, "group_by", where, path) if "group_by" in table else ("alertname",)
    )
    if ALL_LABELS in group_by and len(group_by) > 1:
        raise ConfigError(
            where, f"{path}.group_by", list(group_by), '["..."] alone, or label names'
        )

    def minutes(key: str, default: float) -> float:
        return float(
            require_number(table, key, where, path, minimum=0, strict_minimum=True, default=default)
        )

    rules = require(
        table, "inhibit_rules", list, where, path, "a list of [[routing.inhibit_rules]]", []
    )
    silences = require(table, "silences", list, where, path, "a list of [[routing.silences]]", [])
    config = RoutingConfig(
        group_by=group_by,
        group_wait_minutes=minutes("group_wait_minutes", 0.5),
        group_interval_minutes=minutes("group_interval_minutes", 5.0),
        repeat_interval_minutes=minutes("repeat_interval_minutes", 240.0),
        resolve_timeout_minutes=minutes("resolve_timeout_minutes", 5.0),
        inhibit_rules=tuple(
            _inhibit_rule(r, where, f"{path}.inhibit_rules[{i}]") for i, r in enumerate(rules)
        ),
        silences=tuple(_silence(s, where, f"{path}.silences[{i}]") for i, s in enumerate(silences)),
    )
    return config if enabled else None
