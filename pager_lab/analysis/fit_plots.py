"""Plots of an import, its calibration and the fit check (course figures: PNG, captions)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from pager_lab.analysis.fit_check import FitCheck
from pager_lab.analysis.style import OKABE_ITO, CourseFigure, add_caption
from pager_lab.analysis.survival import kaplan_meier

__all__ = ["km_quantiles", "plot_fit_check", "plot_hour_of_week", "plot_survival"]

QQ_LEVELS = np.linspace(0.05, 0.95, 19)


def km_quantiles(durations: np.ndarray, censored: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Kaplan-Meier quantiles at *levels* (``nan`` where the curve never gets that low)."""
    curve = kaplan_meier(durations, censored)
    times, survival = curve["time"].to_numpy(), curve["survival"].to_numpy()
    out = np.full(levels.size, np.nan)
    for i, level in enumerate(levels):
        below = np.flatnonzero(survival <= 1 - level + 1e-12)
        if below.size:
            out[i] = times[below[0]]
    return out


def _figure(width: float, height: float, rows: int, cols: int) -> tuple[CourseFigure, np.ndarray]:
    fig = CourseFigure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax in axes.flat:
        ax.set_prop_cycle(color=list(OKABE_ITO.values()))
    return fig, axes


def _qq(ax: Axes, pair: tuple, title: str) -> None:
    (data_t, data_c), (sim_t, sim_c) = pair
    data_q = km_quantiles(data_t, data_c, QQ_LEVELS)
    sim_q = km_quantiles(sim_t, sim_c, QQ_LEVELS)
    keep = np.isfinite(data_q) & np.isfinite(sim_q) & (data_q > 0) & (sim_q > 0)
    ax.loglog(sim_q[keep], data_q[keep], "o", color=OKABE_ITO["blue"], label="5 %, 10 %, … 95 %")
    if keep.any():
        low = min(sim_q[keep].min(), data_q[keep].min())
        high = max(sim_q[keep].max(), data_q[keep].max())
        ax.plot([low, high], [low, high], "--", color=OKABE_ITO["black"], label="equal")
    ax.set_xlabel("simulated quantile (minutes, log)")
    ax.set_ylabel("data quantile (minutes, log)")
    ax.set_title(f"QQ: {title}")
    ax.legend(fontsize="small")


def _hours(ax: Axes, hours: tuple) -> None:
    data, sim = hours
    expected = sim / max(sim.sum(), 1) * data.sum()
    ax.bar(np.arange(24), data, color=OKABE_ITO["sky blue"], label="data")
    ax.step(np.arange(25) - 0.5, np.r_[expected, expected[-1]], where="post",
            color=OKABE_ITO["vermillion"], label="simulated (scaled)")  # fmt: skip
    ax.set_xlabel("local hour of day")
    ax.set_ylabel("incidents (count)")
    ax.set_title("When incidents start")
    ax.legend(fontsize="small")


def _windows(ax: Axes, counts: tuple | None) -> None:
    names = ["business", "off-hours", "sleep"]
    if counts is None:
        ax.text(0.5, 0.5, "the export has no\ninterruption counts", ha="center", va="center")
        ax.set_axis_off()
        return
    data, sim = (np.asarray(c, float) for c in counts)
    x = np.arange(3)
    ax.bar(x - 0.2, data / data.sum(), 0.4, color=OKABE_ITO["sky blue"], label="data")
    ax.bar(x + 0.2, sim / sim.sum(), 0.4, color=OKABE_ITO["vermillion"], label="simulated")
    ax.set_xticks(x, names)
    ax.set_ylabel("share of pages")
    ax.set_title("Interruptions by window")
    ax.legend(fontsize="small")


def plot_fit_check(check: FitCheck) -> CourseFigure:
    """Four panels: hourly profile, QQ of time to acknowledge and resolve, windows."""
    fig, axes = _figure(10, 7.5, 2, 2)
    _hours(axes[0, 0], check.samples["hours"])
    _windows(axes[0, 1], check.samples["windows"])
    _qq(axes[1, 0], check.samples["time_to_acknowledge"], "time to acknowledge")
    _qq(axes[1, 1], check.samples["time_to_resolve"], "time to resolve")
    fig.suptitle(f"Fit check: data against {len(check.seeds)} simulated runs")
    add_caption(
        fig,
        "Points on the dashed line: the model reproduces that quantile. Kaplan-Meier "
        "quantiles, so incidents still open count.",
    )
    return fig


def plot_hour_of_week(rates: pd.DataFrame) -> CourseFigure:
    """Incidents per hour through the week: raw, and as calibrated (a calibration's ``rates``)."""
    fig, axes = _figure(9, 3.8, 1, 1)
    ax = axes[0, 0]
    x = np.arange(len(rates))
    ax.bar(x, rates["rate"], width=1.0, color=OKABE_ITO["sky blue"], label="raw")
    ax.plot(x, rates["smoothed"], color=OKABE_ITO["vermillion"], label="calibrated (smoothed)")
    ax.set_xticks(np.arange(0, 168, 24) + 12, ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])
    ax.set_ylabel("incidents per hour")
    ax.set_title("Arrival rate by hour of the week (local time)")
    ax.legend(fontsize="small")
    add_caption(fig, "Each bar: incidents that started in that hour / hours of that kind observed.")
    return fig


def plot_survival(pairs: dict[str, tuple], title: str) -> CourseFigure:
    """Kaplan-Meier curves (share still unresolved against minutes) of named samples."""
    fig, axes = _figure(7, 4, 1, 1)
    ax = axes[0, 0]
    for name, (durations, censored) in pairs.items():
        curve = kaplan_meier(durations, censored)
        positive = curve["time"].to_numpy().clip(min=0.01)
        times = np.r_[positive[:1] * 0.9, positive]  # the curve starts at 1 just before
        ax.step(times, np.r_[1.0, curve["survival"].to_numpy()],
                where="post", label=f"{name} ({int(np.sum(censored))} censored)")  # fmt: skip
    ax.set_xscale("log")
    ax.set_xlabel("minutes since the incident started (log)")
    ax.set_ylabel("share not yet done")
    ax.set_title(title)
    ax.legend(fontsize="small")
    add_caption(fig, "Kaplan-Meier: incidents still open at export time count until then.")
    return fig
