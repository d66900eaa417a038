"""The debrief as text and PNG files: what ``pager-lab class report`` prints and writes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from pager_lab.analysis.style import PNG_DPI
from pager_lab.classroom.debrief import (
    plot_progress,
    plot_scenarios,
    scenario_summary,
    stuck_points,
    student_progress,
    wrong_actions,
)
from pager_lab.classroom.synthetic import SYNTHETIC_LABEL, SYNTHETIC_PREFIX
from pager_lab.classroom.team import plot_class_beside_team

__all__ = ["debrief_figures", "debrief_report", "save_figures"]


def _section(title: str, table: pd.DataFrame, empty: str) -> list[str]:
    body = table.round(1).to_string(index=False) if len(table) else f"  ({empty})"
    return ["", title, "-" * len(title), body]


def debrief_report(
    results: pd.DataFrame, steps: pd.DataFrame, team: pd.DataFrame | None = None
) -> str:
    """The class's debrief as plain text: per scenario, wrong steps, stuck points, students,
    and (given the class-beside-team table) the class as a team."""
    students, scenarios = results["handle"].nunique(), results["scenario"].nunique()
    lines = [f"{len(results)} drills by {students} students on {scenarios} scenarios"]
    handles = results["handle"].drop_duplicates()
    synthetic = int(handles.str.startswith(SYNTHETIC_PREFIX).sum())
    if synthetic:
        lines.append(f"{synthetic} of the {students} are the {SYNTHETIC_LABEL} (handles synth-NN)")
    summary = scenario_summary(results).rename(
        columns=lambda c: c.replace("time_to_acknowledge", "ack").replace("time_to_resolve", "fix")
    )
    lines += _section("Per scenario (minutes; score 0-100)", summary, "no drills")
    lines += _section("Most common wrong steps", wrong_actions(steps), "none")
    lines += _section(
        "Where students got stuck (2+ unhelpful steps in a row)",
        stuck_points(results, steps),
        "nobody got stuck",
    )
    lines += _section("Each student across scenarios", student_progress(results), "none")
    if team is not None:
        shown = team[["metric", "statistic", "group", "minutes", "low", "high", "n", "censored"]]
        lines += _section("The class as a team (90 % intervals)", shown, "no data")
    return "\n".join(lines) + "\n"


def debrief_figures(results: pd.DataFrame, team: pd.DataFrame | None = None) -> dict[str, Figure]:
    """The debrief's figures by file stem."""
    figures = {"scenarios": plot_scenarios(results), "progress": plot_progress(results)}
    if team is not None:
        figures["class-beside-team"] = plot_class_beside_team(team)
    return figures


def save_figures(figures: dict[str, Figure], folder: Path) -> list[Path]:
    """Write each figure as ``folder/STEM.png``; the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, figure in figures.items():
        target = folder / f"{stem}.png"
        figure.savefig(target, format="png", dpi=PNG_DPI)
        written.append(target)
    return written
