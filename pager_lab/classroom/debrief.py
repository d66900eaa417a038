"""The instructor's debrief of a class: tables and plots read from the results tables only.

- :func:`scenario_summary` and :func:`plot_scenarios`: per scenario, how the class acknowledged,
  resolved and scored (medians, p90, share resolved; a panel per measure).
- :func:`wrong_actions`: the most common actions and messages that did not help.
- :func:`stuck_points`: where students got stuck — the longest run of steps that did not help,
  named by the last step that did (or "the start"), with the minutes it cost.
- :func:`student_progress` and :func:`plot_progress`: each student's scores across scenarios.

Durations are simulated minutes from the alert; a drill the student gave up on is unresolved
(its time to resolve is empty, not zero). Beside a simulated team: ``team.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from pager_lab.analysis.style import OKABE_ITO, add_caption, new_figure
from pager_lab.classroom.results import HELPFUL
from pager_lab.classroom.tables import wrong_steps

__all__ = [
    "MEASURES",
    "plot_progress",
    "plot_scenarios",
    "scenario_summary",
    "stuck_points",
    "student_progress",
    "wrong_actions",
]

MEASURES = {
    "time_to_acknowledge": "Time to acknowledge (minutes)",
    "time_to_resolve": "Time to resolve (minutes)",
    "score": "Score (0-100)",
}
"""The per-scenario distributions the debrief shows, with their axis labels."""
START = "the start"


def scenario_summary(results: pd.DataFrame) -> pd.DataFrame:
    """Per scenario: students, drills, share resolved, median and p90 of each measure."""
    rows = []
    for scenario, frame in results.groupby("scenario", sort=True):
        row: dict[str, object] = {
            "scenario": scenario,
            "students": frame["handle"].nunique(),
            "drills": len(frame),
            "resolved_share": float(frame["resolved"].mean()),
        }
        for column in MEASURES:
            values = frame[column].dropna()
            row[f"{column}_median"] = float(values.median()) if len(values) else np.nan
            row[f"{column}_p90"] = float(values.quantile(0.9)) if len(values) else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def plot_scenarios(results: pd.DataFrame) -> Figure:
    """One panel per measure: each scenario's class distribution as a box with every drill."""
    scenarios = sorted(results["scenario"].unique())
    fig, _ = new_figure(8.0, 2.4 * len(MEASURES) + 0.6, rows=len(MEASURES))
    rng_jitter = np.linspace(-0.18, 0.18, 7)  # fixed offsets: the same figure every time
    for ax, (column, label) in zip(fig.axes, MEASURES.items(), strict=True):
        data = [
            results.loc[results["scenario"] == s, column].dropna().to_numpy() for s in scenarios
        ]
        ax.boxplot(
            data,
            orientation="horizontal",
            widths=0.5,
            showfliers=False,
            medianprops={"color": "black"},
        )
        for row, values in enumerate(data, start=1):
            offsets = rng_jitter[np.arange(values.size) % rng_jitter.size]
            ax.scatter(values, row + offsets, s=10, color=OKABE_ITO["blue"], alpha=0.6, zorder=3)
        ax.set_yticks(range(1, len(scenarios) + 1), scenarios)
        ax.set_xlabel(label)
        ax.set_title(label.split(" (")[0])
    fig.suptitle("The class, scenario by scenario")
    add_caption(
        fig,
        "Each dot is one drill; boxes span the middle half, the line is the median. "
        "Unresolved drills have no time to resolve.",
    )
    return fig


def wrong_actions(steps: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The most common wrong steps (actions, messages, ignored pages), per scenario: how many
    students took each and how often."""
    wrong = steps[wrong_steps(steps)]
    if wrong.empty:
        return pd.DataFrame(columns=["scenario", "step", "verdict", "students", "times"])
    table = (
        wrong.groupby(["scenario", "name", "verdict"])
        .agg(students=("handle", "nunique"), times=("result_id", "size"))
        .reset_index()
        .rename(columns={"name": "step"})
        .sort_values(
            ["students", "times", "scenario", "step"], ascending=[False, False, True, True]
        )
    )
    return table.head(top).reset_index(drop=True)


def _stuck_in(path: pd.DataFrame, end_minute: float) -> tuple[str, int, float] | None:
    """The longest run of unhelpful steps in one path: after which step, how long, minutes."""
    best: tuple[str, int, float] | None = None
    after, run_start, run_length = START, 0.0, 0
    minutes = path["minute"].to_numpy(dtype=float)
    helped = path["verdict"].isin(HELPFUL).to_numpy()
    names = path["name"].to_numpy()
    for i in range(len(path) + 1):
        if i < len(path) and not helped[i]:
            run_start = minutes[i] if run_length == 0 else run_start
            run_length += 1
            continue
        if run_length:
            until = minutes[i] if i < len(path) else end_minute
            lost = float(until - run_start)
            if best is None or (run_length, lost) > (best[1], best[2]):
                best = (after, run_length, lost)
        run_length = 0
        if i < len(path):
            after = str(names[i])
    return best


def stuck_points(results: pd.DataFrame, steps: pd.DataFrame, *, min_steps: int = 2) -> pd.DataFrame:
    """Where students got stuck: runs of at least *min_steps* unhelpful steps in a row.

    Per scenario and the last helpful step before the run: how many drills got stuck there,
    how many of those were never resolved, and the median minutes the run lasted."""
    ends = dict(zip(results["result_id"], results["end_minute"], strict=True))
    resolved = dict(zip(results["result_id"], results["resolved"], strict=True))
    rows = []
    for (result_id, scenario), path in steps.sort_values("position").groupby(
        ["result_id", "scenario"], sort=True
    ):
        found = _stuck_in(path, float(ends[result_id]))
        if found is not None and found[1] >= min_steps:
            rows.append(
                {
                    "scenario": scenario,
                    "stuck_after": found[0],
                    "steps": found[1],
                    "minutes": found[2],
                    "unresolved": not bool(resolved[result_id]),
                }
            )
    columns = ["scenario", "stuck_after", "drills", "never_resolved", "median_minutes"]
    if not rows:
        return pd.DataFrame(columns=columns)
    table = (
        pd.DataFrame(rows)
        .groupby(["scenario", "stuck_after"])
        .agg(
            drills=("steps", "size"),
            never_resolved=("unresolved", "sum"),
            median_minutes=("minutes", "median"),
        )
        .reset_index()
        .sort_values(["drills", "median_minutes"], ascending=False)
    )
    return table[columns].reset_index(drop=True)


def student_progress(results: pd.DataFrame) -> pd.DataFrame:
    """Each student's drills in the order played: first and last score, resolved, best."""
    ordered = results.sort_values(["handle", "finished_at", "result_id"])
    table = ordered.groupby("handle").agg(
        drills=("scenario", "size"),
        scenarios=("scenario", "nunique"),
        resolved=("resolved", "sum"),
        first_score=("score", "first"),
        last_score=("score", "last"),
        mean_score=("score", "mean"),
    )
    table["change"] = table["last_score"] - table["first_score"]
    return table.reset_index()


def plot_progress(results: pd.DataFrame) -> Figure:
    """Every student's score drill by drill (grey), the class median in black."""
    ordered = results.sort_values(["handle", "finished_at", "result_id"])
    ordered = ordered.assign(drill=ordered.groupby("handle").cumcount() + 1)
    fig, ax = new_figure(7.0, 4.0)
    for _, frame in ordered.groupby("handle"):
        ax.plot(frame["drill"], frame["score"], color="#BBBBBB", linewidth=0.8, marker=".")
    median = ordered.groupby("drill")["score"].median()
    ax.plot(
        median.index,
        median.to_numpy(),
        color=OKABE_ITO["black"],
        linewidth=2.5,
        marker="o",
        label="class median",
    )
    ax.set_xticks(sorted(ordered["drill"].unique()))
    ax.set_xlabel("Drill, in the order each student played it")
    ax.set_ylabel("Score (0-100)")
    ax.set_ylim(0, 105)
    ax.legend(loc="lower right")
    ax.set_title("Each student's progress across scenarios")
    add_caption(
        fig,
        "One grey line per student; the drills differ in difficulty, so read a line "
        "beside the per-scenario table.",
    )
    return fig
