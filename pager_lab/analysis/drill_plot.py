"""The drill's dashboard: each signal of a drill session over its simulated minutes so far.

One small panel per signal (error rate, p95 latency, CPU ...) with its alarm threshold dashed,
on one shared time axis that grows as the drill's simulated time advances, so a restart that
only buys minutes shows as a dip and a climb. It reads a session's history only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from pager_lab.analysis.style import OKABE_ITO, CourseFigure, add_caption
from pager_lab.core.drill_parts import Signal

__all__ = ["DASHBOARD_MINUTES", "plot_drill_signals"]

DASHBOARD_MINUTES = 30.0
"""The time axis shows at least this many minutes, so the first steps do not fill it."""
_COLUMNS = 3


def plot_drill_signals(
    history: Sequence[tuple[float, Mapping[str, float]]],
    signals: Sequence[Signal],
    now: float,
    *,
    title: str = "",
) -> Figure:
    """The signals of *history* (``(minute, {signal: value})`` rows) up to minute *now*.

    Each panel is titled with the signal's label and unit; a value above the signal's
    alarm threshold is drawn in vermillion, the threshold as a dashed line.
    """
    if not signals:
        raise ValueError("plot_drill_signals needs at least one signal to draw")
    columns = min(_COLUMNS, len(signals))
    rows = math.ceil(len(signals) / columns)
    fig = CourseFigure(figsize=(3.1 * columns, 2.1 * rows + 0.5), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False, sharex=True).ravel()
    minutes = [m for m, _ in history]
    right = max(DASHBOARD_MINUTES, now)
    for ax, signal in zip(axes, signals, strict=False):
        values = [row.get(signal.name, math.nan) for _, row in history]
        _panel(ax, signal, minutes, values, right)
    for ax in axes[len(signals) :]:
        ax.set_visible(False)
    for ax in axes[-columns:]:
        ax.set_xlabel("minutes since the alert")
    fig.suptitle(title or f"Signals at +{now:.0f} min", fontsize="medium")
    add_caption(fig, "Dashed: the alarm threshold; vermillion dots: above it.")
    return fig


def _top(signal: Signal, values: list[float]) -> float:
    """The y-axis top: a quarter above the highest value or alarm, never above the signal's
    range (a p95 latency of 300 ms is not drawn on an axis up to 10 s)."""
    seen = [v for v in values if not math.isnan(v)]
    highest = max([*seen, signal.alarm or signal.low, signal.baseline])
    top = min(signal.high, signal.low + 1.25 * (highest - signal.low))
    return top if top > signal.low else signal.high


def _panel(
    ax: Axes, signal: Signal, minutes: list[float], values: list[float], right: float
) -> None:
    ax.plot(minutes, values, color=OKABE_ITO["blue"], linewidth=1.6)
    if signal.alarm is not None:
        ax.axhline(signal.alarm, color=OKABE_ITO["black"], linestyle="--", linewidth=0.9)
        high = [(m, v) for m, v in zip(minutes, values, strict=True) if v > signal.alarm]
        if high:
            ax.plot(*zip(*high, strict=True), "o", color=OKABE_ITO["vermillion"], markersize=3)
    ax.set_xlim(0, right)
    ax.set_ylim(signal.low, _top(signal, values))
    ax.set_title(f"{signal.label} ({signal.unit})" if signal.unit else signal.label, fontsize=9)
    ax.tick_params(labelsize=8)
