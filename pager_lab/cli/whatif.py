"""What ``simulate``, ``compare`` and ``sweep`` tell a user before (or instead of) running.

A scenario name that is no file and no bundled name gets the closest bundled
name; a ``--set`` value given twice is refused; comparing a scenario with
itself, or observing less than one cycle of a rotation, gets one line on
stderr (allowed, but the numbers say less than they seem to).
"""

from __future__ import annotations

import itertools
import sys
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pager_lab.analysis.experiment_checks import (
    REPEAT_WHY,
    repeated_value,
    rotation_cycle,
    short_horizon_warning,
)
from pager_lab.core.errors import ConfigError
from pager_lab.core.names import closest_name
from pager_lab.sim.scenario import Scenario
from pager_lab.sim.scenario_io import with_changes

__all__ = [
    "check_set_values",
    "check_settings",
    "missing_scenario",
    "parse_setting",
    "same_scenario_note",
    "sweep_grid",
    "sweep_points",
    "warn_short_horizons",
]

MAX_CHECKED_POINTS = 200
"""Sweep grid points whose rotations are checked against the horizon (the first ones)."""


def missing_scenario(name: str, bundled: Sequence[str]) -> ConfigError:
    """The error for a SCENARIO that is neither a file nor a bundled name."""
    listed = ", ".join(bundled)
    if not name.strip():
        return ConfigError("", "SCENARIO", name, f"a scenario file or one of: {listed}")
    stem = Path(name).stem if name.endswith(".toml") else name
    match = closest_name(stem, bundled)
    hint = f"; did you mean {match!r}?" if match else ""
    return ConfigError(
        "", "SCENARIO", name, f"a scenario file or one of: {listed} (no file {name}{hint})"
    )


def check_set_values(text: str, key: str, values: Iterable[Any]) -> None:
    """Refuse ``--set team_size=4,6,4``: one value twice would pool two grid points."""
    repeated, value = repeated_value(values)
    if repeated:
        raise ConfigError(
            "", "--set", text, f"each value once ({key} = {value!r} is repeated: {REPEAT_WHY})"
        )


def same_scenario_note(a: Scenario, b: Scenario) -> str | None:
    """A note when *a* and *b* are one scenario: every difference is 0 by construction."""
    if dict(a.raw) != dict(b.raw):
        return None
    return (
        f"pager-lab: note: a and b are the same scenario ({a.name}), so every difference is 0 "
        "by construction (common random numbers: both see the same alerts and make the same "
        "choices)"
    )


def warn_short_horizons(scenarios: Iterable[Scenario]) -> None:
    """Print (stderr) one warning for the scenario whose rotation outlasts its horizon most."""
    worst: tuple[float, str] | None = None
    for scenario in scenarios:
        warning = short_horizon_warning(scenario)
        if warning is None:
            continue
        observed = scenario.weeks - scenario.warmup_minutes / (7 * 24 * 60)
        shortfall = rotation_cycle(scenario)[1] - observed
        if worst is None or shortfall > worst[0]:
            worst = (shortfall, warning)
    if worst is not None:
        print(worst[1], file=sys.stderr)


def sweep_points(scenario: Scenario, grid: Mapping[str, Sequence[Any]]) -> Iterable[Scenario]:
    """The scenario at each of the first grid points (for the horizon check)."""
    keys = list(grid)
    points = itertools.product(*(list(grid[k]) for k in keys))
    for point in itertools.islice(points, MAX_CHECKED_POINTS):
        changes = dict(zip(keys, point, strict=True))
        label = ", ".join(f"{k}={v}" for k, v in changes.items())
        try:
            yield with_changes(scenario, changes | {"name": f"{scenario.name} ({label})"})
        except ConfigError:  # a combination the sweep itself will report
            continue


def parse_setting(text: str) -> tuple[str, list[Any]]:
    """``key=v1,v2`` with values read as TOML (numbers, booleans, quoted strings)."""
    key, sep, values = text.partition("=")
    if not sep or not key.strip() or not values.strip():
        raise ConfigError("", "--set", text, "KEY=V1,V2 such as team_size=3,4,6")
    parsed = []
    for raw in values.split(","):
        try:
            parsed.append(tomllib.loads(f"v = {raw.strip()}")["v"])
        except tomllib.TOMLDecodeError:
            parsed.append(raw.strip())
    return key.strip(), parsed


def sweep_grid(settings: list[str]) -> dict[str, list[Any]]:
    """The grid of ``--set`` options: each key once, each of its values once."""
    grid: dict[str, list[Any]] = {}
    for text in settings:
        key, values = parse_setting(text)
        if key in grid:
            raise ConfigError("", "--set", text, f"each key once ({key} is set twice)")
        check_set_values(text, key, values)
        grid[key] = values
    return grid


def check_settings(scenario: Scenario, grid: dict[str, list[Any]]) -> None:
    """Try each --set value on the scenario first, so a bad one blames --set, not the file."""
    for key, values in grid.items():
        for value in values:
            try:
                with_changes(scenario, {key: value})
            except ConfigError as exc:
                raise ConfigError(
                    "",
                    "--set",
                    f"{key}={value}",
                    f"a change {scenario.name} accepts "
                    f"({exc.key} = {exc.value!r}: expected {exc.expected})",
                ) from None
