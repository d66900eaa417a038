"""The instructors' what-if panel: sliders and switches, a Run button, a progress bar, figures.

It changes a scenario with :func:`~pager_lab.sim.scenario_io.with_changes` and hands
the baseline and the what-if to :func:`~pager_lab.analysis.experiments.compare`:
several replications on common random numbers (replication *r* of both uses the
same seed, so both see the same alerts), and a Student-t interval for the paired
difference of each headline metric, so one lucky run cannot pass for an effect
("several replications ... confidence intervals rather than single runs", Ciw's
good practice in ``REFERENCES.md``).
The plots come from :mod:`pager_lab.analysis.plots`; no simulation logic lives here.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import ipywidgets as widgets
import pandas as pd

from pager_lab.analysis.experiments import SerialExecutor, compare, replication_seeds
from pager_lab.analysis.oncall_load import team_over_time
from pager_lab.analysis.plots import plot_interruptions, plot_team_over_time
from pager_lab.analysis.style import png_bytes
from pager_lab.sim.model import simulate
from pager_lab.sim.scenario import Scenario
from pager_lab.sim.scenario_io import with_changes

__all__ = ["WhatIfPanel"]

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
COMPARED = [key for key, _ in SHOWN] + ["alerts", "incidents"]
"""The metrics each run compares: the table's, and the alert and incident counts."""
RESULT = ("baseline", "what-if", "difference", "difference_low", "difference_high", "clear")
"""The columns of compare()'s table that :attr:`WhatIfPanel.result` keeps, by metric."""
REPLICATIONS = 20
"""Issue 13's figure: 20 replications of 8 weeks in under 2 s (benchmarks/what_if.py)."""
CONFIDENCE = 0.9
PRIMARY = "pages_per_person_week"
"""The default primary metric: the load every what-if here (team, alerts, noise) moves."""


WIDGET_DPI = 80
"""Figures in the panel are smaller than in a notebook cell: they sit beside the controls."""


class _CountingExecutor(SerialExecutor):
    """Runs each replication at once, in this process, and reports it done (the progress)."""

    def __init__(self, done: Callable[[], None]) -> None:
        self._done = done

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        self._done()
        return future


class WhatIfPanel(widgets.VBox):
    """Change the team and its alerts, press Run, compare with the baseline.

    Each run simulates the baseline and the what-if *replications* times on the
    same seeds and shows, per metric, both means and the difference with its
    interval. While a run is going the Run button is disabled and further clicks
    are ignored; a click with the settings of the result shown re-runs nothing
    (the same seeds give the same numbers).
    """

    def __init__(
        self,
        baseline: Scenario,
        *,
        seed: int = 1,
        weeks: float = 8,
        replications: int = REPLICATIONS,
        confidence: float = CONFIDENCE,
    ) -> None:
        self.baseline = baseline
        self.seed = seed
        self.confidence = confidence
        self._controls(baseline, weeks, replications)
        self._start = self._values()
        """The controls' first values: the baseline's own, so they change nothing."""
        self.primary = widgets.Dropdown(
            options=[(label, key) for key, label in SHOWN],
            value=PRIMARY,
            description="primary metric",
            style={"description_width": "170px"},
            layout=widgets.Layout(width="480px"),
        )
        self.run_button = widgets.Button(description="Run", button_style="primary")
        self.progress = widgets.IntProgress(0, min=0, max=1, description="progress")
        self.status = widgets.HTML()
        self.summary = widgets.HTML()
        self.interruptions = widgets.Image(format="png")
        self.team = widgets.Image(format="png")
        self.result: dict[str, dict[str, float]] = {}
        """The last run's means over replications, ``{"baseline": {...}, "what-if": {...}}``,
        and the paired difference: ``"difference"``, ``"difference_low"``, ``"difference_high"``,
        and compare()'s verdict ``"clear"`` (the primary metric first, the others Holm-adjusted)."""
        self.comparison: pd.DataFrame | None = None
        """The last run's :func:`~pager_lab.analysis.experiments.compare` table."""
        self._running = False
        self._ignored = 0
        """Clicks on Run during the current run (ignored, and said so)."""
        self._shown_settings: tuple[Any, ...] | None = None
        self.run_button.on_click(lambda _b: self.run())
        controls = widgets.VBox(
            [
                self.team_size,
                self.alert_rate,
                self.noise,
                self.timeout,
                self.runbooks,
                self.weeks,
                self.replications,
                self.primary,
                widgets.HBox([self.fatigue, self.attrition]),
                widgets.HBox([self.run_button, self.progress]),
                self.status,
            ]
        )
        super().__init__([controls, self.summary, self.interruptions, self.team])
        self.add_class("what-if-panel")

    def _controls(self, baseline: Scenario, weeks: float, replications: int) -> None:
        self.team_size = _slider(widgets.IntSlider, len(baseline.team), 2, 12, 1, "team size")
        self.alert_rate = _slider(widgets.FloatSlider, 1.0, 0.25, 3.0, 0.25, "alert rate ×")
        self.noise = _slider(
            widgets.FloatSlider, baseline.sources[0].noise_share, 0.0, 0.9, 0.1, "noise share"
        )
        self.timeout = _slider(
            widgets.FloatSlider,
            baseline.policy.levels[0].timeout,
            1,
            30,
            1,
            "escalation timeout (min)",
        )
        self.runbooks = _slider(
            widgets.FloatSlider, baseline.runbook_coverage, 0, 1, 0.1, "runbook coverage"
        )
        self.fatigue = widgets.Checkbox(
            baseline.fatigue.enabled, description="fatigue (assumption)"
        )
        self.attrition = widgets.Checkbox(
            baseline.attrition.enabled, description="attrition (assumption)"
        )
        self.weeks = _slider(widgets.IntSlider, int(weeks), 2, 52, 1, "weeks")
        self.replications = _slider(widgets.IntSlider, replications, 2, 100, 1, "replications")

    def __repr__(self) -> str:
        return f"WhatIfPanel({self.baseline.name!r}, seed={self.seed})"

    def changes(self) -> dict[str, Any]:
        """The scenario keys the controls set: the weeks, and each control moved from the baseline.

        A control left where it started changes nothing, so at the start the what-if
        is the baseline itself (the noise slider sets every source's share once moved).
        """
        moved = {
            name: value for name, value in self._values().items() if value != self._start[name]
        }
        changes: dict[str, Any] = {"weeks": float(self.weeks.value)}
        if "team_size" in moved:
            changes["team_size"] = int(self.team_size.value)
        for i, source in enumerate(self.baseline.sources):
            if "alert_rate" in moved:
                changes[f"sources[{i}].rate_per_hour"] = source.rate_per_hour * moved["alert_rate"]
            if "noise" in moved:
                changes[f"sources[{i}].noise_share"] = float(moved["noise"])
        keys = {
            "timeout": "policy.levels[0].timeout_minutes",
            "runbooks": "runbook_coverage",
            "fatigue": "fatigue.enabled",
            "attrition": "attrition.enabled",
        }
        changes |= {key: moved[name] for name, key in keys.items() if name in moved}
        return changes

    def _values(self) -> dict[str, Any]:
        """Where the scenario's controls are now."""
        return {
            "team_size": int(self.team_size.value),
            "alert_rate": float(self.alert_rate.value),
            "noise": float(self.noise.value),
            "timeout": float(self.timeout.value),
            "runbooks": float(self.runbooks.value),
            "fatigue": bool(self.fatigue.value),
            "attrition": bool(self.attrition.value),
        }

    def run(self) -> None:
        """Compare the baseline and the what-if over replications on the same seeds; show it."""
        if self._running:
            self._ignored += 1
            self._say("A run is already going: that click was ignored.")
            return
        settings = self._settings()
        if settings == self._shown_settings:
            self._say("Same settings as the result shown: nothing to re-run (same seeds).")
            return
        self._running, self.run_button.disabled, self._ignored = True, True, 0
        try:
            self._run(int(self.replications.value))
            self._shown_settings = settings
        finally:
            self._running, self.run_button.disabled = False, False
        self._say(self._done(settings))

    def _settings(self) -> tuple[Any, ...]:
        return (
            tuple(sorted(self.changes().items())),
            self.replications.value,
            self.seed,
            self.primary.value,
        )

    def _done(self, settings: tuple[Any, ...]) -> str:
        """The status after a run: what ran, and what happened to clicks made meanwhile."""
        text = f"Done: {settings[1]} replications each, on the same seeds."
        if self._ignored:
            text += f" {self._ignored} click(s) on Run during the run were ignored."
        if self._settings() != settings:
            text += " The controls moved during the run: press Run to see their effect."
        return text

    def _run(self, replications: int) -> None:
        weeks = float(self.weeks.value)
        base = with_changes(self.baseline, {"weeks": weeks, "name": "baseline"})
        what_if = with_changes(self.baseline, self.changes() | {"name": "what-if"})
        self.progress.value, self.progress.max = 0, 2 * replications + 1
        self._say(f"Running {replications} replications of {weeks:g} weeks, twice...")
        table = compare(
            base,
            what_if,
            replications,
            self.seed,
            metrics=COMPARED,
            confidence=self.confidence,
            primary=self.primary.value,
            executor=_CountingExecutor(self._step),
            progress=False,
        )
        self.comparison = table
        columns = table.set_index("metric").to_dict()
        self.result = {
            str(name): {
                str(k): bool(v) if name == "clear" else float(v) for k, v in columns[name].items()
            }
            for name in RESULT
        }
        self.summary.value = self._table(replications)  # the numbers first, then the figures
        self._say("Drawing the figures...")
        first = simulate(what_if, replication_seeds(self.seed, replications)[0])
        horizon = first.scenario.horizon_minutes
        self.interruptions.value = png_bytes(
            plot_interruptions(first.pages, first.team, horizon), WIDGET_DPI
        )
        self.team.value = png_bytes(
            plot_team_over_time(team_over_time(first.pages, first.team, horizon)), WIDGET_DPI
        )
        self._step()

    def _step(self) -> None:
        self.progress.value += 1

    def _say(self, text: str) -> None:
        self.status.value = f"<small class='what-if-status'>{html.escape(text)}</small>"

    def _table(self, replications: int) -> str:
        level = f"{self.confidence:.0%}"
        rows = "".join(self._row(key, label) for key, label in SHOWN)
        return (
            f"<style>{_TABLE_STYLE}</style>"
            "<table class='what-if-summary'><tr><th>metric</th><th>baseline</th>"
            f"<th>what-if</th><th>difference (what-if − baseline), {level} interval</th>"
            f"<th></th></tr>{rows}</table><small>Means of {replications} replications "
            f"each on common random numbers: replication <i>r</i> of both uses the same seed "
            f"(from seed {self.seed}), so both see the same alerts. The primary metric is "
            "clear when its interval excludes 0; the others are tested only then, with "
            "Holm's correction, as <code>pager-lab compare</code> does. "
            "Figures: the what-if's first replication. * a teaching heuristic, not a "
            "clinical measure.</small>"
        )

    def _row(self, key: str, label: str) -> str:
        """One metric; its verdict is compare()'s ``clear``, never decided here."""
        r = self.result
        low, high = r["difference_low"][key], r["difference_high"][key]
        primary = self.primary.value
        if math.isnan(low):
            verdict = "no data"
        elif r["clear"][key]:
            verdict = "a clear difference"
        elif key != primary and not r["clear"][primary]:
            verdict = "not tested (primary not clear)"
        else:
            verdict = "could be noise"
        return (
            f"<tr><td>{html.escape(label)}</td><td>{_number(r['baseline'][key])}</td>"
            f"<td>{_number(r['what-if'][key])}</td><td>{_number(r['difference'][key], '+')} "
            f"[{_number(low, '+')}, {_number(high, '+')}]</td><td>{verdict}</td></tr>"
        )


_TABLE_STYLE = (
    ".what-if-summary th, .what-if-summary td {padding: 2px 12px; text-align: left} "
    ".what-if-summary td:nth-child(2), .what-if-summary td:nth-child(3) {text-align: right}"
)


def _slider(kind: Any, value: float, low: float, high: float, step: float, label: str) -> Any:
    """A slider whose whole label shows (ipywidgets cuts labels at 80 px by default),
    its track lined up with the others'."""
    return kind(
        value,
        min=low,
        max=high,
        step=step,
        description=label,
        style={"description_width": "170px"},
        layout=widgets.Layout(width="480px"),
    )


def _number(value: float, sign: str = "") -> str:
    """Two decimals (with a sign for differences); a dash where a metric had no data."""
    return "—" if math.isnan(value) else f"{value:{sign}.2f}"
