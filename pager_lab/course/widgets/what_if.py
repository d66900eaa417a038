"""The instructors' what-if panel: sliders and switches, a Run button, a progress bar, figures.

It changes a scenario with :func:`~pager_lab.sim.scenario_io.with_changes`, runs the
model on the same seed as the baseline (common random numbers) and shows the
plots from :mod:`pager_lab.analysis.plots`; no simulation logic lives here.
"""

from __future__ import annotations

import html
import io
from typing import Any

import ipywidgets as widgets
from matplotlib.figure import Figure

from pager_lab.analysis.oncall_load import team_over_time
from pager_lab.analysis.plots import plot_interruptions, plot_team_over_time
from pager_lab.analysis.summary import summarize
from pager_lab.sim.model import simulate
from pager_lab.sim.scenario import Scenario
from pager_lab.sim.scenario_io import with_changes

__all__ = ["WhatIfPanel", "figure_png"]

SHOWN = [
    ("mtta_median", "MTTA median (min)"),
    ("mttr_median", "MTTR median (min)"),
    ("pages_per_person_week", "pages per person-week"),
    ("sleep_pages_per_person_week", "sleep pages per person-week"),
    ("shifts_over_budget", "shifts over the SRE budget"),
    ("pages_gini", "fairness: Gini of pages"),
    ("people_at_risk", "people at burnout risk*"),
    ("people_left", "people who left"),
]


def figure_png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)
    return buffer.getvalue()


class WhatIfPanel(widgets.VBox):
    """Change the team and its alerts, press Run, compare with the baseline."""

    def __init__(self, baseline: Scenario, *, seed: int = 1, weeks: float = 8) -> None:
        self.baseline = baseline
        self.seed = seed
        self.team_size = widgets.IntSlider(
            len(baseline.team), min=2, max=12, description="team size"
        )
        self.alert_rate = widgets.FloatSlider(
            1.0, min=0.25, max=3.0, step=0.25, description="alert rate ×"
        )
        self.noise = widgets.FloatSlider(
            baseline.sources[0].noise_share, min=0.0, max=0.9, step=0.1, description="noise share"
        )
        self.timeout = widgets.FloatSlider(
            baseline.policy.levels[0].timeout, min=1, max=30, step=1, description="esc. timeout"
        )
        self.runbooks = widgets.FloatSlider(
            baseline.runbook_coverage, min=0, max=1, step=0.1, description="runbooks"
        )
        self.fatigue = widgets.Checkbox(False, description="fatigue (assumption)")
        self.attrition = widgets.Checkbox(False, description="attrition (assumption)")
        self.weeks = widgets.IntSlider(int(weeks), min=2, max=52, description="weeks")
        self.run_button = widgets.Button(description="Run", button_style="primary")
        self.progress = widgets.IntProgress(0, min=0, max=2, description="progress")
        self.summary = widgets.HTML()
        self.interruptions = widgets.Image(format="png")
        self.team = widgets.Image(format="png")
        self.result: dict[str, dict[str, float]] = {}
        """The last run's metrics: ``{"baseline": {...}, "what-if": {...}}``."""
        self.run_button.on_click(lambda _b: self.run())
        controls = widgets.VBox(
            [
                self.team_size,
                self.alert_rate,
                self.noise,
                self.timeout,
                self.runbooks,
                self.weeks,
                widgets.HBox([self.fatigue, self.attrition]),
                widgets.HBox([self.run_button, self.progress]),
            ]
        )
        super().__init__([controls, self.summary, self.interruptions, self.team])
        self.add_class("what-if-panel")

    def __repr__(self) -> str:
        return f"WhatIfPanel({self.baseline.name!r}, seed={self.seed})"

    def changes(self) -> dict[str, Any]:
        """The scenario keys the controls set."""
        changes: dict[str, Any] = {
            "weeks": float(self.weeks.value),
            "runbook_coverage": float(self.runbooks.value),
            "policy.levels[0].timeout_minutes": float(self.timeout.value),
            "fatigue.enabled": bool(self.fatigue.value),
            "attrition.enabled": bool(self.attrition.value),
        }
        if self.team_size.value != len(self.baseline.team):
            changes["team_size"] = int(self.team_size.value)
        for i, source in enumerate(self.baseline.sources):
            changes[f"sources[{i}].rate_per_hour"] = source.rate_per_hour * self.alert_rate.value
            changes[f"sources[{i}].noise_share"] = float(self.noise.value)
        return changes

    def run(self) -> None:
        """Simulate the baseline and the what-if on the same seed and show both."""
        self.run_button.disabled = True
        self.progress.value = 0
        try:
            base = with_changes(self.baseline, {"weeks": float(self.weeks.value)})
            what_if = with_changes(self.baseline, self.changes())
            runs = {}
            for name, scenario in (("baseline", base), ("what-if", what_if)):
                runs[name] = simulate(scenario, self.seed)
                self.progress.value += 1
            self.result = {name: summarize(r) for name, r in runs.items()}
            chosen = runs["what-if"]
            horizon = chosen.scenario.horizon_minutes
            self.interruptions.value = figure_png(
                plot_interruptions(chosen.pages, chosen.team, horizon)
            )
            self.team.value = figure_png(
                plot_team_over_time(team_over_time(chosen.pages, chosen.team, horizon))
            )
            self.summary.value = self._table()
        finally:
            self.run_button.disabled = False

    def _table(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(label)}</td><td>{self.result['baseline'][key]:.2f}</td>"
            f"<td>{self.result['what-if'][key]:.2f}</td></tr>"
            for key, label in SHOWN
        )
        return (
            "<table class='what-if-summary'><tr><th>metric</th><th>baseline</th>"
            f"<th>what-if</th></tr>{rows}</table><small>* a teaching heuristic, not a "
            "clinical measure; one run each on the same alerts (seed "
            f"{self.seed}): use compare() for intervals.</small>"
        )
