"""What ``compare`` and ``sweep`` print for an instructor: the set-up, units, intervals.

Every report starts with what was run (horizon, warm-up, seed, replications) and
says how its intervals were made, so a number is never read without its noise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from pager_lab.analysis.experiment_checks import check_metric_names
from pager_lab.analysis.oncall_load import WEEK
from pager_lab.analysis.summary import _count, metric_unit
from pager_lab.sim.scenario import Scenario

__all__ = [
    "PRIMARY_METRIC",
    "SWEEP_METRICS",
    "check_metrics",
    "compare_report",
    "run_header",
    "sweep_report",
]

PRIMARY_METRIC = "mtta_mean"
"""compare's default primary metric: MTTA as PagerDuty defines it, a mean time from
trigger to first acknowledgement (REFERENCES.md, PagerDuty analytics). It is what the
what-ifs of a team, a schedule or an escalation policy act on first; pass --metric
for another (e.g. mtta_median when a few incidents dominate the mean: Davidovič 2021)."""
SWEEP_METRICS = ("mtta_median", "mttr_median", "sleep_pages_per_person_week", "people_at_risk")
"""What sweep prints by default (every metric is in its CSV)."""


def check_metrics(names: Sequence[str], flag: str = "--metric") -> list[str]:
    """The metric names, or a ConfigError naming *flag*, the bad name, the known ones
    and the closest (did you mean ...?)."""
    return check_metric_names(names, flag)


def run_header(scenario: Scenario, seed: int, replications: int) -> str:
    """``52 weeks (warm-up 0 weeks, 52 observed), seed 0, 10 replications`` (``1 week``)."""
    warmup = scenario.warmup_minutes / WEEK
    observed = scenario.weeks - warmup
    return (
        f"{_count(scenario.weeks, 'week')} (warm-up {_count(warmup, 'week')}, "
        f"{observed:g} observed), seed {seed}, {_count(replications, 'replication')}"
    )


def _no_interval_note(replications: int, flags: bool = True) -> list[str]:
    if replications >= 2:
        return []
    flagged = " and nothing is flagged as clear" if flags else ""
    return [
        f"With {replications} replication there is no interval (n/a){flagged}: "
        "use --replications 2 or more (10 is the default)."
    ]


def _number(value: Any, width: int = 9) -> str:
    number = float(value)
    if np.isnan(number):
        return "n/a".rjust(width)
    return f"{number:{width}.3f}" if abs(number) < 1e5 else f"{number:{width}.3g}"


def compare_report(
    table: pd.DataFrame, a: Scenario, b: Scenario, replications: int, seed: int
) -> str:
    """The printable comparison: set-up, method, primary metric, one line per metric."""
    confidence = float(table.attrs.get("confidence", 0.9))
    primary = table.attrs.get("primary", table["metric"].iloc[0])
    name_a, name_b = table.attrs.get("names", (a.name or "a", b.name or "b"))
    lines = [
        f"{a.name} (a) vs {b.name} (b): {run_header(a, seed, replications)}, paired on "
        "common random numbers (replication r of a and of b share a seed and so their alerts)",
        f"Primary metric: {primary} ({metric_unit(primary)}). Intervals: {confidence:.0%} "
        "Student t over replications, each unadjusted. 'clear' keeps the family-wise error "
        f"at {1 - confidence:.0%}: the primary is clear when its paired t-test p < "
        f"{1 - confidence:.2f}; {_others(len(table) - 1)}",
        *_no_interval_note(replications),
        "",
        f"  {'metric':<28} {'unit':<30} {'a':>9} {'b':>9} {'b - a':>9} "
        f"{'[' + format(confidence, '.0%') + ' interval]':>21} {'p adj.':>9}  clear",
    ]
    primary_clear = bool(table.loc[table["primary"], "clear"].any())
    for row in table.to_dict("records"):
        mark = "*" if row["primary"] else " "
        tested = row["primary"] or primary_clear
        p_adjusted = _number(row["p_adjusted"]) if tested else "untested".rjust(9)
        lines.append(
            f"{mark} {row['metric']:<28} {row['unit']:<30} {_number(row[name_a])} "
            f"{_number(row[name_b])} {_number(row['difference'])} "
            f"[{_number(row['difference_low'])} – {_number(row['difference_high'])}] "
            f"{p_adjusted}  {'yes' if row['clear'] else 'no'}"
        )
    lines.append(
        "(* primary metric"
        + ("" if primary_clear else "; it is not clear, so the others were not tested")
        + ")"
    )
    return "\n".join(lines)


def sweep_report(
    summaries: Mapping[str, pd.DataFrame],
    scenario: Scenario,
    grid: Mapping[str, Sequence[Any]],
    replications: int,
    seed: int,
    confidence: float = 0.9,
) -> str:
    """The printable sweep: set-up, then per metric the grid with intervals and differences."""
    keys = list(grid)
    first = f"{keys[0]} = {next(iter(grid[keys[0]]))!r}"
    lines = [
        f"sweep {scenario.name}: {run_header(scenario, seed, replications)} per grid point, "
        f"grid {dict(grid)}",
        f"Means with {confidence:.0%} Student t intervals over replications; 'difference' is "
        f"paired (same seeds) against {first}"
        + (" with the same other keys" if len(keys) > 1 else ""),
        *_no_interval_note(replications, flags=False),
        "",
    ]
    for metric, summary in summaries.items():
        lines.append(f"{metric} ({metric_unit(metric)}):")
        lines += ["  " + line for line in summary.round(3).to_string(index=False).splitlines()]
        lines.append("")
    return "\n".join(lines).rstrip("\n")


def _others(count: int) -> str:
    """What happens to the metrics beside the primary (none, one, several)."""
    if count == 0:
        return "there are no other metrics."
    if count == 1:
        return "only then is the other one tested."
    return f"only then are the other {count} tested, Holm-adjusted."
