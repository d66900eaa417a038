"""The drill's dashboard: one panel per signal, a time axis that grows with the drill."""

from __future__ import annotations

import pytest

from pager_lab.analysis.drill_plot import DASHBOARD_MINUTES, plot_drill_signals
from pager_lab.core.drill_scenario import load_drill_library
from pager_lab.core.drill_session import DrillSession
from tests.helpers import DATA

SCENARIO = load_drill_library(DATA / "drills")["db-runaway-query"]


def played(*choices: str) -> DrillSession:
    session = DrillSession(SCENARIO, 3)
    for choice in choices:
        session.choose(choice)
    return session


def test_one_panel_per_signal_with_its_alarm_and_the_history_so_far():
    session = played("ack", "wait", "wait")
    fig = plot_drill_signals(session.history(), SCENARIO.signals, session.now)
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in shown] == [
        f"{s.label} ({s.unit})" if s.unit else s.label for s in SCENARIO.signals
    ]
    for ax, signal in zip(shown, SCENARIO.signals, strict=True):
        line = ax.get_lines()[0]
        assert list(line.get_xdata()) == [m for m, _ in session.history()]
        assert list(line.get_ydata()) == [row[signal.name] for _, row in session.history()]
        if signal.alarm is not None:
            assert any(list(h.get_ydata()) == [signal.alarm] * 2 for h in ax.get_lines()[1:])
    assert repr(fig) == "Figure: Signals at +11 min"


def test_the_time_axis_starts_at_thirty_minutes_and_grows_with_the_drill():
    early = played("ack")
    fig = plot_drill_signals(early.history(), SCENARIO.signals, early.now)
    assert fig.axes[0].get_xlim() == (0, DASHBOARD_MINUTES)
    late = played("ack", *["wait"] * 8)
    fig = plot_drill_signals(late.history(), SCENARIO.signals, late.now)
    assert fig.axes[0].get_xlim() == (0, late.now) and late.now > DASHBOARD_MINUTES


def test_no_signal_is_a_clear_error():
    with pytest.raises(ValueError, match="at least one signal"):
        plot_drill_signals([], [], 0)


def test_the_y_axis_fits_the_values_and_the_alarm_within_the_signals_range():
    session = played("ack", "wait")
    fig = plot_drill_signals(session.history(), SCENARIO.signals, session.now)
    for ax, signal in zip(fig.axes, SCENARIO.signals, strict=False):
        low, top = ax.get_ylim()
        values = [row[signal.name] for _, row in session.history()]
        assert low == signal.low and top <= signal.high
        assert top >= max(values) and (signal.alarm is None or top >= signal.alarm)
