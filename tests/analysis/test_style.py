"""Every figure: a PNG in Jupyter, a title, a caption, Okabe–Ito colours, one unit per axis."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from matplotlib.colors import to_hex

from pager_lab import load_scenario, simulate
from pager_lab.analysis import plots, sweep_summary, team_over_time
from pager_lab.analysis.style import OKABE_ITO, CourseFigure, readable, unit_of
from pager_lab.core.schedule_io import load_schedule
from tests.helpers import DATA

COMPARISON = pd.DataFrame(
    {
        "metric": ["mttr_median", "escalation_rate", "pages_per_person_week"],
        "difference": [3.0, -0.1, 1.0],
        "difference_low": [1.0, -0.2, 0.5],
        "difference_high": [5.0, 0.0, 1.5],
    }
)


@pytest.fixture(scope="module")
def figures() -> dict[str, CourseFigure]:
    result = simulate(load_scenario(DATA / "scenarios" / "baseline.toml"), seed=1, weeks=2)
    horizon = result.scenario.horizon_minutes
    sweep = pd.DataFrame({"team_size": [3, 3, 4, 4], "mttr_median": [1.0, 2.0, 3.0, 5.0]})
    start = datetime(2026, 12, 20, tzinfo=UTC)
    return {
        "response": plots.plot_response_distribution(result.incidents),
        "heatmap": plots.plot_pages_heatmap(result.pages, "Europe/Dublin"),
        "interruptions": plots.plot_interruptions(result.pages, result.team, horizon),
        "funnel": plots.plot_escalation_funnel(result.incidents),
        "team": plots.plot_team_over_time(team_over_time(result.pages, result.team, horizon)),
        "sweep": plots.plot_sweep(
            sweep_summary(sweep, ["team_size"], "mttr_median"), "team_size", "mttr_median"
        ),
        "comparison": plots.plot_comparison(COMPARISON),
        "schedule": plots.plot_schedule(
            load_schedule(DATA / "schedules" / "primary.toml"), start, start + timedelta(days=9)
        ),
        "by_hour": plots.plot_alerts_by_hour(result.alerts, "Europe/Dublin"),
        "over_time": plots.plot_alerts_over_time(result.alerts, result.incidents),
    }


def test_every_figure_shows_as_a_png_with_a_title_and_a_caption(figures):
    for name, fig in figures.items():
        assert isinstance(fig, CourseFigure), name
        assert fig._repr_png_().startswith(b"\x89PNG"), name
        title = fig.get_suptitle() or next(ax.get_title() for ax in fig.axes if ax.get_title())
        assert repr(fig) == f"Figure: {title}", name
        assert "<Figure size" not in repr(fig)
        caption = fig.get_supxlabel()
        assert caption and "\n" not in caption, f"{name}: a one-line caption"


def test_no_raw_variable_name_on_an_axis(figures):
    for name, fig in figures.items():
        for ax in fig.axes:
            for label in (
                ax.get_xlabel(),
                ax.get_ylabel(),
                *(t.get_text() for t in ax.get_yticklabels()),
            ):
                assert "_" not in label, f"{name}: {label!r}"


def test_the_comparison_puts_each_metric_on_its_own_panel_in_its_unit(figures):
    axes = figures["comparison"].axes
    assert len(axes) == len(COMPARISON)
    assert [ax.get_xlabel() for ax in axes] == [
        "Difference b - a (minutes)",
        "Difference b - a (fraction of incidents)",
        "Difference b - a (pages per person-week)",
    ]


def test_the_colours_are_okabe_ito(figures):
    palette = {c.lower() for c in OKABE_ITO.values()} | {"#808080"}
    for name in ("interruptions", "funnel", "by_hour", "over_time", "schedule"):
        ax = figures[name].axes[0]
        colours = {to_hex(p.get_facecolor()).lower() for p in ax.patches}
        assert colours and colours <= palette, f"{name}: {colours - palette}"


def test_readable_names_and_units():
    assert readable("team_size") == "Team size (people)"
    assert readable("some_new_metric") == "Some new metric"
    assert unit_of("mtta_p90") == "minutes"
    assert unit_of("escalation_rate") == "fraction of incidents"
    assert unit_of("unknown") == ""
