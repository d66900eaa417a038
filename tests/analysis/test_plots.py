"""Every plot takes the model's tables and returns a figure with labelled axes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from pager_lab.analysis import plots
from pager_lab.analysis.experiments import sweep_summary
from pager_lab.analysis.oncall_load import team_over_time
from pager_lab.core.schedule_io import load_schedule
from pager_lab.sim.model import simulate
from pager_lab.sim.scenario_io import load_scenario
from tests.helpers import DATA


@pytest.fixture(scope="module")
def result():
    return simulate(load_scenario(DATA / "scenarios" / "baseline.toml"), seed=1, weeks=3)


def labels(fig):
    ax = fig.axes[0]
    return ax.get_xlabel(), ax.get_ylabel()


def test_response_distribution_is_log_scaled_with_markers(result):
    fig = plots.plot_response_distribution(result.incidents, "time_to_acknowledge")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert labels(fig) == ("Time to acknowledge (minutes, log scale)", "Incidents (count)")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert [t.split()[0] for t in legend] == ["mean", "median", "p90"]


def test_heatmap_counts_every_page(result):
    fig = plots.plot_pages_heatmap(result.pages, "Europe/Dublin")
    assert fig.axes[0].images[0].get_array().sum() == len(result.pages)
    assert labels(fig) == ("Hour of day (Europe/Dublin)", "Weekday")


def test_interruptions_stack_windows_with_a_budget_line(result):
    fig = plots.plot_interruptions(result.pages, result.team, result.scenario.horizon_minutes)
    ax = fig.axes[0]
    assert labels(fig) == ("Responder", "Pages per week on the roster")
    assert len(ax.containers) == 3
    assert ax.lines[0].get_ydata()[0] == pytest.approx(7.0)


def test_funnel_team_sweep_comparison_and_schedule_plots(result):
    fig = plots.plot_escalation_funnel(result.incidents)
    assert labels(fig) == ("Incidents (count)", "Escalation reached")
    over = team_over_time(result.pages, result.team, result.scenario.horizon_minutes)
    assert labels(plots.plot_team_over_time(over)) == ("Week", "People (count)")
    import pandas as pd

    table = pd.DataFrame({"x": [1, 1, 2, 2], "m": [1.0, 2.0, 3.0, 5.0]})
    fig = plots.plot_sweep(sweep_summary(table, ["x"], "m"), "x", "m", "minutes")
    assert labels(fig) == ("X", "M (minutes)")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["mean", "90% confidence interval over 2 replications"]
    compare_table = pd.DataFrame(
        {"metric": ["a"], "difference": [1.0], "difference_low": [0.5], "difference_high": [1.5]}
    )
    compare_table.attrs.update(confidence=0.8, replications=7)
    fig = plots.plot_comparison(compare_table)
    assert labels(fig)[0] == "Difference b - a"
    assert "80% confidence interval over 7 replications" in fig.get_suptitle()
    schedule = load_schedule(DATA / "schedules" / "primary.toml")
    start = datetime(2026, 12, 20, tzinfo=UTC)
    fig = plots.plot_schedule(schedule, start, start + timedelta(days=9))
    assert fig.axes[0].get_xlabel() == "Hours after Sun 20 Dec 2026 00:00 UTC"
    assert len(fig.axes[0].patches) == len(schedule.shift_list(start, start + timedelta(days=9)))


def test_alert_plots_count_every_alert(result):
    fig = plots.plot_alerts_by_hour(result.alerts, "Europe/Dublin")
    total = sum(p.get_height() for p in fig.axes[0].patches)
    assert total == len(result.alerts)
    assert labels(fig) == ("Hour of day (Europe/Dublin)", "Alerts (count)")
    fig = plots.plot_alerts_over_time(result.alerts, result.incidents)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert sum(heights) == len(result.alerts) + len(result.incidents)
    assert labels(fig) == ("Hours since the start", "Count per 60 minutes")


def test_sweep_plot_has_a_panel_per_value_of_the_second_key():
    import pandas as pd

    table = pd.DataFrame(
        {
            "x": [1, 1, 2, 2] * 3,
            "f": ["a"] * 4 + ["b"] * 4 + ["c"] * 4,
            "replication": [0, 1] * 6,
            "m": np.arange(12, dtype=float),
        }
    )
    summary = sweep_summary(table, ["x", "f"], "m")
    fig = plots.plot_sweep(summary, "x", "m", "minutes", facet="f", confidence=0.95)
    assert [ax.get_title() for ax in fig.axes] == ["F = a", "F = b", "F = c"]
    assert all(ax.get_xlabel() == "X" for ax in fig.axes)
    ticks = fig.axes[0].get_xticks()
    assert all(float(tick).is_integer() for tick in ticks)  # x is a whole number: no 1.5
    assert "95% confidence interval" in fig.axes[0].get_legend().get_texts()[1].get_text()


def _comparison(primary_clear: bool):
    import pandas as pd

    table = pd.DataFrame(
        {
            "metric": ["mtta_mean", "pages_per_person_week"],
            "primary": [True, False],
            "difference": [-10.0, 1.5],
            "difference_low": [-30.0, 0.9],
            "difference_high": [10.0, 2.2] if not primary_clear else [-1.0, 2.2],
            "p_adjusted": [0.333 if not primary_clear else 0.04, 0.002],
            "clear": [primary_clear, primary_clear],
            "unit": ["minutes", "pages per person-week"],
        }
    )
    table.attrs.update(confidence=0.9, replications=5, names=("baseline", "noisy"))
    return table


def _filled(ax) -> bool:
    marker = ax.lines[0]
    return marker.get_markerfacecolor() != "white"


def test_the_comparison_figure_marks_clear_only_as_the_table_does_and_names_both_sides():
    fig = plots.plot_comparison(_comparison(primary_clear=False))
    primary, other = fig.axes
    assert other.get_xlabel() == "Difference noisy - baseline (pages per person-week)"
    assert "noisy minus baseline" in fig.get_suptitle()
    # the other metric's interval misses zero, but it was never tested: hollow, and it says so
    assert not _filled(primary) and not _filled(other)
    assert [t.get_text() for t in primary.texts] == ["not clear, p adj. 0.333"]
    assert [t.get_text() for t in other.texts] == ["untested (the primary is not clear)"]
    fig = plots.plot_comparison(_comparison(primary_clear=True))
    assert all(_filled(ax) for ax in fig.axes)
    assert [t.get_text() for t in fig.axes[1].texts] == ["clear, p adj. 0.002"]
