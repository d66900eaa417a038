"""06's self-check: the mean, median and p90 of ``time_to_resolve``, read off the data.

Comparing the three numbers with each other lets hours, seconds, MTTA or the
wrong quantile pass; so each number is compared with the value computed from
the incidents the exercise uses (within half a per cent, so rounding to one
decimal passes), and a number that matches something else gets a hint naming
it: the same statistic in hours (÷60) or seconds (×60), the time to
acknowledge (MTTA) instead of the time to resolve, or another quantile or the
maximum instead of the 90th percentile.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import pandas as pd

from pager_lab.course.feedback import Feedback, describe, unanswered

__all__ = ["check_skew"]

TTR, TTA = "time_to_resolve", "time_to_acknowledge"
_ASKED = {"mean": ("mean", "ttr.mean()"), "median": ("median", "ttr.median()")}
_ASKED["p90"] = ("90th percentile", "ttr.quantile(0.9)")
_OTHER_QUANTILES = (0.1, 0.25, 0.75, 0.8, 0.95, 0.99)
_UNITS = (
    (60.0, "in hours (divided by 60), but the durations are minutes: keep them so"),
    (1 / 60, "in seconds (times 60), but the durations are minutes: keep them so"),
)


def _statistics(column: pd.Series) -> dict[str, float]:
    """Each statistic a student might compute from *column*, by a name for the hint."""
    stats: dict[str, Any] = {"mean": column.mean(), "median": column.median()}
    stats["90th percentile"] = column.quantile(0.9)
    for q in _OTHER_QUANTILES:
        stats[f"{q * 100:g}th percentile (quantile({q:g}))"] = column.quantile(q)
    stats["maximum (max())"] = column.max()
    stats["minimum (min())"] = column.min()
    return {name: float(value) for name, value in stats.items()}


def _close(value: float, truth: float) -> bool:
    return math.isclose(value, truth, rel_tol=0.005, abs_tol=0.05)


def _columns(incidents: Any) -> dict[str, pd.Series] | None:
    """The durations to compare with: ``run.incidents`` (both columns) or the TTR series."""
    if isinstance(incidents, pd.DataFrame) and TTR in incidents:
        cols = {TTR: incidents[TTR]}
        return cols | ({TTA: incidents[TTA]} if TTA in incidents else {})
    if isinstance(incidents, pd.Series):
        return {TTR: incidents}
    return None


def _lookalikes(wanted: str, truth: dict[str, dict[str, float]]) -> list[tuple[float, str]]:
    """What a wrong *wanted* statistic most likely is, as (value, description), likeliest first.

    Only the asked statistic is tried in other units and on the other column, so
    an unlucky coincidence (the minimum of another column times 60) is not a hint.
    """
    out = [
        (truth[TTR][wanted] / factor, f"the {wanted} of {TTR} {unit}") for factor, unit in _UNITS
    ]
    if TTA in truth:
        mtta = "that is MTTA; the exercise asks for time to resolve (MTTR)"
        out.append((truth[TTA][wanted], f"the {wanted} of {TTA} — {mtta}"))
    out += [(real, f"the {stat} of {TTR}") for stat, real in truth[TTR].items() if stat != wanted]
    return out


def _hint(name: str, value: float, truth: dict[str, dict[str, float]]) -> str:
    """Why *value* is not the *name* of time_to_resolve: what it looks like instead."""
    wanted, how = _ASKED[name]
    for real, what in _lookalikes(wanted, truth):
        if _close(value, real):
            return f"your {name} ({value:g}) looks like {what}. Use {how}"
    side = "high" if value > truth[TTR][wanted] else "low"
    return f"your {name} ({value:g}) is too {side} for the {wanted} of {TTR}: compute it as {how}"


def _number(fb: Feedback, value: Any, name: str) -> float | None:
    """*value* as a float, or None with a sentence saying what was expected."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if math.isnan(float(value)):
            fb.fail(f"{name} is NaN: compute it from a column that has values")
            return None
        return float(value)
    fb.fail(f"{name} must be a number of minutes; you gave {describe(value)}")
    return None


def check_skew(mean: Any, median: Any, p90: Any, incidents: Any) -> Feedback:
    """06: the mean, median and p90 of ``incidents["time_to_resolve"]``, and what they say.

    *incidents* is the table the exercise reads (``run.incidents``), or its
    ``time_to_resolve`` column.
    """
    fb = Feedback("mean, median and p90")
    if unanswered(fb, (mean, median, p90), "your mean, median and p90"):
        return fb
    columns = _columns(incidents)
    if columns is None:
        return fb.fail(
            "the fourth argument is the incidents table the exercise uses (run.incidents); "
            f"you gave {describe(incidents)}"
        )
    got = {n: _number(fb, v, n) for n, v in (("mean", mean), ("median", median), ("p90", p90))}
    if not fb.passed:
        return fb
    truth = {column: _statistics(values) for column, values in columns.items()}
    for name, value in got.items():
        assert value is not None
        real = truth[TTR][_ASKED[name][0]]
        fb.ok(_close(value, real), f"{name} {value:.1f} min", _hint(name, value, truth))
    if fb.passed:
        m, med = truth[TTR]["mean"], truth[TTR]["median"]
        fb.ok(True, f"the mean is {m / med:.1f}× the median: a few long incidents pull it up", "")
    return fb
