"""The class as a team: its drills' MTTA and MTTR beside the simulated team of notebook 06.

Each finished drill counts as one incident the class handled: acknowledged after
``time_to_acknowledge`` and resolved after ``time_to_resolve`` simulated minutes. A drill the
student never acknowledged or resolved is right-censored at its last step (the time it is
known to have taken *at least*), so the statistics are Kaplan-Meier estimates, as
``analysis.response_table`` makes them for open incidents.

The team is notebook 06's run (``baseline.toml``, seed 2, 8 weeks), cut to what a drill is
comparable with: high-urgency incidents that needed work (low-urgency ones wait for business
hours; noise is closed at the acknowledgement). The comparison teaches, it does not grade: a
drill has no sleep, no escalation chain and one incident at a time.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from pager_lab.analysis.metrics import response_table
from pager_lab.analysis.style import OKABE_ITO, add_caption, new_figure
from pager_lab.sim.model import simulate
from pager_lab.sim.scenario_io import load_scenario

__all__ = [
    "NOTEBOOK_06",
    "NOTEBOOK_06_SCENARIO",
    "class_beside_team",
    "class_incidents",
    "plot_class_beside_team",
    "team_incidents",
]

NOTEBOOK_06_SCENARIO = "scenarios/baseline.toml"
"""Notebook 06's scenario, under the data folder."""
NOTEBOOK_06 = {"seed": 2, "weeks": 8}
"""Notebook 06's simulated team: seed and weeks of its run."""
CLASS, TEAM = "class (drills)", "team (simulated, notebook 06)"
STATISTICS_SHOWN = ("median", "p90")


def class_incidents(results: pd.DataFrame) -> pd.DataFrame:
    """The drills as incidents: times to acknowledge and resolve, censored where never done."""
    table = pd.DataFrame({"handle": results["handle"], "scenario": results["scenario"]})
    for event, column in (("acknowledge", "time_to_acknowledge"), ("resolve", "time_to_resolve")):
        never = results[column].isna()
        table[column] = results[column].where(~never, results["end_minute"]).astype(float)
        table[f"{event}_censored"] = never.to_numpy()
    return table


def team_incidents(
    data_dir: Path, *, seed: int = NOTEBOOK_06["seed"], weeks: float = NOTEBOOK_06["weeks"]
) -> pd.DataFrame:
    """Notebook 06's team's incidents that a drill compares with (high urgency, real work)."""
    scenario = load_scenario(Path(data_dir) / NOTEBOOK_06_SCENARIO)
    run = simulate(scenario, seed=seed, weeks=weeks)
    incidents = run.incidents
    keep = ~incidents["low_urgency"].astype(bool) & ~incidents["noise"].astype(bool)
    return incidents[keep].reset_index(drop=True)


def class_beside_team(
    results: pd.DataFrame, team: pd.DataFrame, *, resamples: int = 500, seed: int = 0
) -> pd.DataFrame:
    """MTTA and MTTR median and p90, with intervals, for the class and for the team."""
    tables = []
    for group, incidents in ((CLASS, class_incidents(results)), (TEAM, team)):
        table = response_table(incidents, resamples=resamples, seed=seed)
        tables.append(table.assign(group=group))
    both = pd.concat(tables, ignore_index=True)
    both = both[both["statistic"].isin(STATISTICS_SHOWN)]
    columns = ["metric", "statistic", "group", "minutes", "low", "high", "n", "censored", "method"]
    return both[columns].sort_values(["metric", "statistic", "group"]).reset_index(drop=True)


def plot_class_beside_team(table: pd.DataFrame) -> Figure:
    """A panel for MTTA and one for MTTR: median and p90 of the class and the team, intervals."""
    fig, _ = new_figure(7.5, 5.0, rows=2)
    colours = {CLASS: OKABE_ITO["vermillion"], TEAM: OKABE_ITO["blue"]}
    for ax, metric in zip(fig.axes, ("MTTA", "MTTR"), strict=True):
        rows = table[table["metric"] == metric]
        for offset, (group, colour) in zip((-0.12, 0.12), colours.items(), strict=True):
            part = rows[rows["group"] == group].set_index("statistic").reindex(STATISTICS_SHOWN)
            y = np.arange(len(STATISTICS_SHOWN)) + offset
            errors = np.vstack([part["minutes"] - part["low"], part["high"] - part["minutes"]])
            ax.errorbar(
                part["minutes"],
                y,
                xerr=np.clip(errors, 0, None),
                fmt="o",
                color=colour,
                capsize=3,
                label=group,
            )
        ax.set_yticks(range(len(STATISTICS_SHOWN)), list(STATISTICS_SHOWN))
        ax.set_xlabel(f"{metric} (minutes)")
        ax.set_xlim(left=0)
        ax.set_title(f"{metric}: the class beside a simulated team")
    fig.axes[0].legend(loc="lower right", fontsize="small")
    add_caption(
        fig,
        "Dots are estimates with 90 % intervals; a drill has no sleep and no "
        "escalation, so compare shapes, not grades.",
    )
    return fig
