"""Every independent error in a drill scenario file, for ``drill lint``.

Loading a scenario stops at its first error (:func:`load_drill_scenario`); a scenario
author fixing a file wants them all at once. :func:`drill_file_errors` parses each part
on its own — the top-level keys, ``[scenario]``, ``[alert]``, ``[comms]``, ``[vary]`` and
every ``[[item]]`` of each array — collecting each error, then (when every array parsed)
checks every reference (signals, faults, steps) and the ids, the runbook and the name.
A ``{placeholder}`` or runbook-file error is found when the rest of the file is clean.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from pager_lab.core.drill_scenario import (
    _TOP,
    _alert_text,
    _check_ids,
    _check_references,
    _comms,
    _scenario_table,
    load_drill_scenario,
)
from pager_lab.core.drill_toml import (
    collecting_items,
    parse_actions,
    parse_best_paths,
    parse_diagnostics,
    parse_faults,
    parse_injections,
    parse_signals,
    parse_vary,
)
from pager_lab.core.errors import ConfigError, PagerLabError
from pager_lab.core.tomlfile import check_keys, read_toml

__all__ = ["drill_file_errors"]

_ARRAYS: dict[str, Callable[[Any, str], Any]] = {
    "signals": parse_signals,
    "faults": parse_faults,
    "diagnostics": parse_diagnostics,
    "actions": parse_actions,
    "injections": parse_injections,
    "best_paths": parse_best_paths,
}
"""The scenario's arrays of tables and their parsers."""


class _Collector:
    """Runs one part's parser, keeping its errors; remembers whether any array lost items."""

    def __init__(self) -> None:
        self.errors: list[ConfigError] = []
        self.lost_items = False

    def part(self, key: str, parse: Callable[..., Any], *args: Any) -> Any:
        before = len(self.errors)
        failed: ConfigError | None = None
        with collecting_items(self.errors):
            try:
                value = parse(*args)
            except ConfigError as exc:
                value, failed = None, exc
        items_lost = len(self.errors) > before  # bad [[items]] were left out
        self.lost_items |= items_lost
        if failed is not None and not (items_lost and failed.key == key):
            self.errors.append(failed)  # not "at least one [[key]]" after its items were left out
        return value


def drill_file_errors(path: str | Path, data_folder: str | Path | None = None) -> list[str]:
    """Every independent error in one scenario file, as sentences (empty: it loads)."""
    file = Path(path)
    try:
        load_drill_scenario(file, data_folder)
        return []
    except ConfigError as exc:
        first: PagerLabError = exc
    except PagerLabError as exc:
        return [str(exc)]
    try:
        data = read_toml(file)
    except ConfigError:
        return [str(first)]
    if not isinstance(data, dict) or "scenario" not in data:  # not a drill scenario at all
        return [str(first)]
    where, got = str(file), _Collector()
    got.part("", check_keys, data, _TOP, where, "")
    head = got.part("scenario", _scenario_table, data, where)
    got.part("alert", _alert_text, data, where)
    got.part("comms", _comms, data, where)
    got.part("vary", parse_vary, data.get("vary", {}), where)
    arrays = {k: got.part(k, parse, data.get(k, []), where) for k, parse in _ARRAYS.items()}
    if arrays["diagnostics"] is not None and arrays["actions"] is not None:
        _check_ids(arrays["diagnostics"], arrays["actions"], where, got.errors)
    if head is not None:
        _check_head(head, file, data_folder, got.errors)
    if not got.lost_items and all(v is not None for v in arrays.values()):
        parts = SimpleNamespace(impact_signal=head and head["impact_signal"], **arrays)
        _check_references(parts, where, got.errors)
    found = list(dict.fromkeys(str(e) for e in got.errors))
    return found if str(first) in found else [str(first), *found]


def _check_head(
    head: dict[str, Any], file: Path, data_folder: str | Path | None, sink: list[ConfigError]
) -> None:
    """The runbook file exists and the scenario's name is its file's."""
    folder = Path(data_folder) if data_folder is not None else file.parent.parent
    if head["runbook"] and not (folder / head["runbook"]).is_file():
        expected = "an existing runbook file (relative to the data folder)"
        sink.append(ConfigError(str(file), "scenario.runbook", head["runbook"], expected))
    if head["name"] != file.stem:
        sink.append(
            ConfigError(str(file), "scenario.name", head["name"], f"the file's name {file.stem!r}")
        )
