"""Parsing the TOML tables of a drill scenario into its parts; every error names the
file, the key, the bad value and what was expected."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from pager_lab.core.drill_parts import (
    DIAGNOSTIC_KINDS,
    EFFECT_KINDS,
    INJECTION_KINDS,
    Action,
    BestPath,
    Diagnostic,
    Drive,
    Effect,
    Fault,
    Injection,
    Signal,
)
from pager_lab.core.errors import ConfigError
from pager_lab.core.tomlfile import check_keys, require, require_number, require_table

__all__ = [
    "collecting_items",
    "parse_actions",
    "parse_best_paths",
    "parse_diagnostics",
    "parse_faults",
    "parse_injections",
    "parse_signals",
    "parse_vary",
    "text_list",
]

T = TypeVar("T")


def text_list(table: Mapping[str, Any], key: str, where: str, path: str) -> tuple[str, ...]:
    """A list of strings (missing: empty)."""
    value = require(table, key, list, where, path, "a list of text", [])
    for item in value:
        if not isinstance(item, str) or not item:
            raise ConfigError(where, f"{path}.{key}", item, "non-empty text")
    return tuple(value)


_SINK: ContextVar[list[ConfigError] | None] = ContextVar("drill_item_errors", default=None)
"""While :func:`collecting_items` runs: where a bad item's error goes (the item is left out)."""


@contextmanager
def collecting_items(sink: list[ConfigError]) -> Iterator[list[ConfigError]]:
    """Within it, a bad ``[[item]]`` adds its error to *sink* and is left out, so every
    item's error is found (``drill lint``); outside it, the first error is raised."""
    token = _SINK.set(sink)
    try:
        yield sink
    finally:
        _SINK.reset(token)


def _items(
    raw: Any, where: str, key: str, parse: Callable[[Mapping[str, Any], str], T]
) -> tuple[T, ...]:
    if not isinstance(raw, list):
        raise ConfigError(where, key, raw, f"an array of tables ([[{key}]])")
    sink = _SINK.get()
    out = []
    for i, item in enumerate(raw):
        try:
            out.append(parse(require_table(item, where, f"{key}[{i}]"), f"{key}[{i}]"))
        except ConfigError as exc:
            if sink is None:
                raise
            sink.append(exc)
    return tuple(out)


def _text(t: Mapping[str, Any], key: str, where: str, path: str, default: Any = ...) -> str:
    value: str = require(t, key, str, where, path, "text", default)
    return value


def _ident(t: Mapping[str, Any], where: str, path: str) -> str:
    value = _text(t, "id", where, path)
    if not value or not all(c.isalnum() or c in "-_" for c in value):
        raise ConfigError(where, f"{path}.id", value, "an id of letters, digits, - and _")
    return value


def _cost(t: Mapping[str, Any], where: str, path: str) -> float:
    return float(require_number(t, "cost", where, path, minimum=0, maximum=240, default=1))


def parse_signals(raw: Any, where: str) -> tuple[Signal, ...]:
    def one(t: Mapping[str, Any], path: str) -> Signal:
        check_keys(t, {"name", "label", "unit", "baseline", "low", "high", "alarm"}, where, path)
        name = _text(t, "name", where, path)
        low = float(require_number(t, "low", where, path, default=0))
        high = float(require_number(t, "high", where, path, default=100))
        baseline = float(require_number(t, "baseline", where, path, minimum=low, maximum=high))
        alarm = require_number(t, "alarm", where, path, default=None)
        return Signal(
            name,
            _text(t, "label", where, path, name),
            _text(t, "unit", where, path, ""),
            baseline,
            low,
            high,
            None if alarm is None else float(alarm),
        )

    signals = _items(raw, where, "signals", one)
    if not signals:
        raise ConfigError(where, "signals", [], "at least one [[signals]] (the error rate)")
    return signals


def parse_faults(raw: Any, where: str) -> tuple[Fault, ...]:
    def drive(t: Mapping[str, Any], path: str) -> Drive:
        check_keys(t, {"signal", "rate", "peak"}, where, path)
        return Drive(
            _text(t, "signal", where, path),
            float(require_number(t, "rate", where, path, minimum=0, strict_minimum=True)),
            float(require_number(t, "peak", where, path)),
        )

    def one(t: Mapping[str, Any], path: str) -> Fault:
        check_keys(t, {"name", "description", "at", "lasts", "drives"}, where, path)
        at = require_number(t, "at", where, path, minimum=0, default=None)
        lasts = require_number(
            t, "lasts", where, path, minimum=0, strict_minimum=True, default=None
        )
        drives = _items(t.get("drives", []), where, f"{path}.drives", drive)
        return Fault(
            _text(t, "name", where, path),
            _text(t, "description", where, path, ""),
            None if at is None else float(at),
            None if lasts is None else float(lasts),
            drives,
        )

    faults = _items(raw, where, "faults", one)
    if not any(f.at is not None for f in faults):
        raise ConfigError(
            where,
            "faults",
            [f.name for f in faults],
            "at least one fault with 'at' (what is wrong)",
        )
    return faults


_DIAG_KEYS = {
    "id",
    "label",
    "cost",
    "kind",
    "text",
    "columns",
    "rows",
    "signals",
    "shows",
    "text_if_clear",
    "key",
    "red_herring",
    "explain",
}


def parse_diagnostics(raw: Any, where: str) -> tuple[Diagnostic, ...]:
    def one(t: Mapping[str, Any], path: str) -> Diagnostic:
        check_keys(t, _DIAG_KEYS, where, path)
        kind = _text(t, "kind", where, path, "text")
        if kind not in DIAGNOSTIC_KINDS:
            raise ConfigError(where, f"{path}.kind", kind, f"one of {', '.join(DIAGNOSTIC_KINDS)}")
        columns = text_list(t, "columns", where, path)
        rows = require(t, "rows", list, where, path, "a list of rows (lists of text)", [])
        for row in rows:
            if not isinstance(row, list) or len(row) != len(columns):
                raise ConfigError(
                    where, f"{path}.rows", row, f"a list of {len(columns)} values (one per column)"
                )
        if kind == "table" and not columns:
            raise ConfigError(where, f"{path}.columns", [], "the table's column names")
        signals = text_list(t, "signals", where, path)
        if kind == "series" and not signals:
            raise ConfigError(where, f"{path}.signals", [], "the signals the dashboard plots")
        return Diagnostic(
            _ident(t, where, path),
            _text(t, "label", where, path),
            _cost(t, where, path),
            kind,
            _text(t, "text", where, path, ""),
            columns,
            tuple(tuple(str(c) for c in r) for r in rows),
            signals,
            _text(t, "shows", where, path, ""),
            _text(t, "text_if_clear", where, path, ""),
            require(t, "key", bool, where, path, "true or false", False),
            require(t, "red_herring", bool, where, path, "true or false", False),
            _text(t, "explain", where, path, ""),
        )

    return _items(raw, where, "diagnostics", one)


def _effect(where: str) -> Callable[[Mapping[str, Any], str], Effect]:
    def one(t: Mapping[str, Any], path: str) -> Effect:
        check_keys(t, {"kind", "fault", "recur_after", "if_active", "text"}, where, path)
        kind = _text(t, "kind", where, path)
        if kind not in EFFECT_KINDS:
            raise ConfigError(where, f"{path}.kind", kind, f"one of {', '.join(EFFECT_KINDS)}")
        recur = require_number(
            t, "recur_after", where, path, minimum=0, strict_minimum=True, default=None
        )
        if kind == "relief" and recur is None:
            raise ConfigError(
                where,
                f"{path}.recur_after",
                None,
                "minutes until the fault returns (relief is temporary)",
            )
        fault = _text(t, "fault", where, path)
        default_if = "" if kind == "starts" else fault
        return Effect(
            kind,
            fault,
            float(recur or 0),
            _text(t, "if_active", where, path, default_if),
            _text(t, "text", where, path, ""),
        )

    return one


def parse_actions(raw: Any, where: str) -> tuple[Action, ...]:
    keys = {"id", "label", "cost", "text", "effects", "requires", "refusal", "harmful", "explain"}

    def one(t: Mapping[str, Any], path: str) -> Action:
        check_keys(t, keys, where, path)
        return Action(
            _ident(t, where, path),
            _text(t, "label", where, path),
            _cost(t, where, path),
            _text(t, "text", where, path, ""),
            _items(t.get("effects", []), where, f"{path}.effects", _effect(where)),
            text_list(t, "requires", where, path),
            _text(t, "refusal", where, path, "You cannot do that yet."),
            require(t, "harmful", bool, where, path, "true or false", False),
            _text(t, "explain", where, path, ""),
        )

    actions = _items(raw, where, "actions", one)
    if not actions:
        raise ConfigError(where, "actions", [], "at least one [[actions]]")
    return actions


def parse_injections(raw: Any, where: str) -> tuple[Injection, ...]:
    keys = {"id", "at", "kind", "text", "starts", "fixes", "expects", "within"}

    def one(t: Mapping[str, Any], path: str) -> Injection:
        check_keys(t, keys, where, path)
        kind = _text(t, "kind", where, path)
        if kind not in INJECTION_KINDS:
            raise ConfigError(where, f"{path}.kind", kind, f"one of {', '.join(INJECTION_KINDS)}")
        expects = _text(t, "expects", where, path, "")
        if expects not in ("", "status"):
            raise ConfigError(
                where, f"{path}.expects", expects, "'status' (a status update) or nothing"
            )
        at = require_number(t, "at", where, path, minimum=0, strict_minimum=True, default=None)
        return Injection(
            _ident(t, where, path),
            None if at is None else float(at),
            kind,
            _text(t, "text", where, path),
            text_list(t, "starts", where, path),
            text_list(t, "fixes", where, path),
            expects,
            float(
                require_number(t, "within", where, path, minimum=0, strict_minimum=True, default=10)
            ),
        )

    return _items(raw, where, "injections", one)


def parse_best_paths(raw: Any, where: str) -> tuple[BestPath, ...]:
    def one(t: Mapping[str, Any], path: str) -> BestPath:
        check_keys(t, {"steps", "reasoning"}, where, path)
        steps = text_list(t, "steps", where, path)
        if not steps:
            raise ConfigError(where, f"{path}.steps", [], "the choices of the path, in order")
        return BestPath(steps, _text(t, "reasoning", where, path))

    paths = _items(raw, where, "best_paths", one)
    if not paths:
        raise ConfigError(where, "best_paths", [], "at least one [[best_paths]]")
    return paths


def parse_vary(raw: Any, where: str) -> dict[str, tuple[str, ...]]:
    table = require_table(raw, where, "vary")
    out = {}
    for name in table:
        values = text_list(table, name, where, "vary")
        if not values:
            raise ConfigError(where, f"vary.{name}", [], "at least one value to pick from")
        out[name] = values
    return out
