"""Checks that compare() and sweep() make BEFORE any simulation runs.

A misspelt metric, a confidence of 95 or a grid value given twice would
otherwise cost every replication first and then fail (or, for a repeated
value, silently pool two grid points into one with twice the replications and
a falsely narrow interval). A horizon shorter than one cycle of a rotation is
not an error but gives lopsided on-call load: :func:`short_horizon_warning`
says so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pager_lab.analysis.summary import METRIC_UNITS
from pager_lab.core.errors import ConfigError
from pager_lab.core.names import closest_name
from pager_lab.core.schedule import Schedule
from pager_lab.sim.scenario import Scenario

__all__ = [
    "check_confidence",
    "check_distinct_values",
    "check_metric_names",
    "closest",
    "repeated_value",
    "rotation_cycle",
    "rotation_weeks",
    "short_horizon_warning",
]

REPEAT_WHY = "two equal grid points would pool into one row with a falsely narrow interval"
"""Why a repeated grid value is refused (said in the error)."""
WEEK_HOURS = 7 * 24
UNIT_HOURS = {"hours": 1, "days": 24, "weeks": WEEK_HOURS}


def closest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of *choices* (difflib), or ``""``."""
    match = closest_name(word, choices)
    return f" (did you mean {match!r}?)" if match else ""


def check_metric_names(names: Iterable[str], key: str = "metrics") -> list[str]:
    """*names* without repeats, or a ConfigError naming *key*, the bad name and the valid ones."""
    names = list(names)
    if not names:
        raise ConfigError("", key, names, f"at least one metric, one of: {', '.join(METRIC_UNITS)}")
    for name in names:
        if name not in METRIC_UNITS:
            raise ConfigError(
                "",
                key,
                name,
                f"one of: {', '.join(METRIC_UNITS)}{closest(str(name), METRIC_UNITS)}",
            )
    return list(dict.fromkeys(names))


def check_confidence(confidence: Any, key: str = "confidence") -> float:
    """*confidence* as a float strictly between 0 and 1 (0.9, not 90), or a ConfigError."""
    hint = f" (did you mean {confidence / 100:g}?)" if _is_percent(confidence) else ""
    try:
        value = float(confidence)
    except (TypeError, ValueError):
        value = math.nan
    if isinstance(confidence, bool) or not 0 < value < 1:
        raise ConfigError("", key, confidence, f"a level between 0 and 1 such as 0.9{hint}")
    return value


def _is_percent(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 1 < value < 100


def repeated_value(values: Iterable[Any]) -> tuple[bool, Any]:
    """``(True, value)`` for the first value equal to an earlier one, else ``(False, None)``."""
    seen: list[Any] = []
    for value in values:
        if any(_same(value, other) for other in seen):
            return True, value
        seen.append(value)
    return False, None


def check_distinct_values(grid: Mapping[str, Sequence[Any]]) -> None:
    """Refuse a grid key whose values repeat: the two points would pool into one row."""
    for name, values in grid.items():
        repeated, value = repeated_value(values)
        if repeated:
            raise ConfigError(
                "",
                f"grid[{name!r}]",
                list(values),
                f"each value once ({name} = {value!r} is repeated: {REPEAT_WHY})",
            )


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def rotation_weeks(schedule: Schedule) -> float:
    """Weeks until *schedule*'s longest layer hands back to its first responder."""
    return max(
        len(layer.responders) * layer.turn_length * UNIT_HOURS[layer.turn_unit] / WEEK_HOURS
        for layer in schedule.layers
    )


def rotation_cycle(scenario: Scenario) -> tuple[str, float]:
    """``(schedule name, weeks)`` of the scenario's longest rotation (``("", 0)`` if none)."""
    cycles = [(name, rotation_weeks(s)) for name, s in scenario.schedules.items()]
    return max(cycles, key=lambda item: item[1], default=("", 0.0))


def short_horizon_warning(scenario: Scenario) -> str | None:
    """One line when the observed horizon is shorter than a full cycle of a rotation.

    The rotation cycle of a layer is its number of responders times its turn
    length; over less than one cycle some people are never (or barely) on call,
    so on-call load and burnout figures are artefacts of the horizon.
    """
    name, longest = rotation_cycle(scenario)
    warmup = scenario.warmup_minutes / (WEEK_HOURS * 60)
    observed = scenario.weeks - warmup
    if observed >= longest - 1e-9:
        return None
    multiple = f"another multiple of {_weeks(longest)}"
    suggestion = f"{longest + warmup:g}"
    if warmup:
        suggestion += f" ({_weeks(warmup)} of warm-up + {longest:g})"
        multiple = f"the warm-up plus {multiple}"
    return (
        f"pager-lab: warning: {scenario.name}'s {name} rotation takes {_weeks(longest)} to come "
        f"round, but the run observes only {_weeks(observed)}: some people are on call less "
        f"(or never), by construction; use --weeks {suggestion} or {multiple}"
    )


def _weeks(number: float) -> str:
    return f"{number:g} week" + ("" if number == 1 else "s")
