"""The what-if panel's Run: 20 replications of 8 weeks, baseline and what-if, under 2 s.

What an instructor waits for after pressing Run in notebook 07: ``WhatIfPanel.run()``
with its defaults (20 replications on common random numbers, 8 weeks of ``baseline``,
the team cut to 3), which runs ``compare()`` and draws the two figures. The baseline,
timed in the same run and alternating with it (``paired_best``), is the floor of that
work: the 40 bare ``simulate()`` + ``summarize()`` calls the comparison cannot avoid.
The ratio is the panel's own cost on top (bookkeeping, intervals, figures, widgets);
the absolute seconds go against issue 13's target of 2 s on this machine.
"""

from __future__ import annotations

import os
import time

# benchmarks/run.py, beside this script; importing it puts the repository on sys.path
from run import ROOT, VERDICTS, paired_best, report, verdict

from pager_lab import load_scenario, simulate, with_changes
from pager_lab.analysis import SerialExecutor, compare, replication_seeds, summarize
from pager_lab.course import WhatIfPanel

REPLICATIONS = 20
WEEKS = 8
TARGET_SECONDS = 2.0
RATIO_TARGET = 1.5
"""The panel may add at most half again to the bare runs (figures, table, intervals)."""

BASELINE = load_scenario(ROOT / "data" / "scenarios" / "baseline.toml")


def press_run() -> None:
    """A fresh panel (a new result, so Run does not keep the one shown), team of 3, Run."""
    panel = WhatIfPanel(BASELINE, seed=1, weeks=WEEKS, replications=REPLICATIONS)
    panel.team_size.value = 3
    panel.run()
    assert panel.progress.value == 2 * REPLICATIONS + 1


def bare_runs() -> None:
    """The same 2 x 20 runs and their metrics, with nothing around them."""
    seeds = replication_seeds(1, REPLICATIONS)
    for changes in ({"weeks": WEEKS}, {"weeks": WEEKS, "team_size": 3}):
        scenario = with_changes(BASELINE, changes)
        for seed in seeds:
            summarize(simulate(scenario, seed))


def replications_only() -> float:
    """``compare()`` alone, in this process: the replications without the figures."""
    base = with_changes(BASELINE, {"weeks": WEEKS})
    what_if = with_changes(BASELINE, {"weeks": WEEKS, "team_size": 3, "name": "what-if"})
    start = time.perf_counter()
    compare(base, what_if, REPLICATIONS, 1, executor=SerialExecutor(), progress=False)
    return time.perf_counter() - start


def main() -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} cores, load average {load} (the absolute seconds depend on it)\n")
    press_run()  # warm up: imports, matplotlib's font cache
    ours, floor = paired_best(press_run, bare_runs)
    report(
        f"what-if panel Run: {REPLICATIONS} replications x 2 of {WEEKS} weeks of baseline",
        ours,
        floor,
        "s",
        f"<= {RATIO_TARGET}x",
        "what-if overhead",
        ours / floor <= RATIO_TARGET,
    )
    met = ours < TARGET_SECONDS
    print(
        f"  absolute  {ours:10.3f} s    (target < {TARGET_SECONDS:g} s on this machine)   "
        f"{verdict('what-if under 2 s', met)}"
    )
    print(f"  of which the replications (compare() alone) {replications_only():.3f} s")
    print("\ntargets (issue 13): " + ", ".join(VERDICTS))


if __name__ == "__main__":
    main()
