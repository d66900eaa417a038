"""Plots that take the model's tables and return matplotlib figures (axes labelled, with units)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from pager_lab.analysis.metrics import escalation_summary
from pager_lab.analysis.oncall_load import WINDOWS, interruptions
from pager_lab.core.schedule import Schedule

__all__ = [
    "PAGES_PER_PERSON_WEEK_BUDGET",
    "plot_alerts_by_hour",
    "plot_alerts_over_time",
    "plot_comparison",
    "plot_escalation_funnel",
    "plot_interruptions",
    "plot_pages_heatmap",
    "plot_response_distribution",
    "plot_schedule",
    "plot_sweep",
    "plot_team_over_time",
]

PAGES_PER_PERSON_WEEK_BUDGET = 0.25 * 7 * 24 / 12 * 2
"""SRE book: at most 25 % of time on call and 2 incidents per 12-hour shift: 7 a week."""
WINDOW_COLOURS = {"business": "#4c72b0", "off-hours": "#dd8452", "sleep": "#55467a"}
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _figure(width: float = 7.0, height: float = 4.0) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def plot_response_distribution(incidents: pd.DataFrame, column: str = "time_to_resolve") -> Figure:
    """Histogram of MTTA or MTTR samples on a log axis, with mean, median and p90 marked."""
    values = incidents[column].dropna().to_numpy(dtype=float)
    values = values[values > 0]
    fig, ax = _figure()
    label = {"time_to_acknowledge": "Time to acknowledge", "time_to_resolve": "Time to resolve"}
    if values.size:
        bins = np.logspace(np.log10(values.min()), np.log10(values.max()), 40).tolist()
        ax.hist(values, bins=bins, color="#8da0cb", edgecolor="white")
        for name, value, style in (
            ("mean", values.mean(), "-"),
            ("median", np.median(values), "--"),
            ("p90", np.percentile(values, 90), ":"),
        ):
            ax.axvline(value, color="black", linestyle=style, label=f"{name} {value:.1f} min")
        ax.legend()
    ax.set_xscale("log")
    ax.set_xlabel(f"{label.get(column, column)} (minutes, log scale)")
    ax.set_ylabel("Incidents (count)")
    ax.set_title(f"{label.get(column, column)}: the mean sits far right of the median")
    return fig


def plot_pages_heatmap(pages: pd.DataFrame, zone: str) -> Figure:
    """Pages by hour of day and weekday, in time zone *zone*."""
    local = pd.DatetimeIndex(pages["timestamp"]).tz_convert(zone)
    grid = np.zeros((7, 24))
    np.add.at(grid, (local.day_of_week, local.hour), 1)
    fig, ax = _figure(8, 3.5)
    image = ax.imshow(grid, aspect="auto", cmap="magma_r")
    ax.set_yticks(range(7), WEEKDAYS)
    ax.set_xticks(range(0, 24, 2))
    ax.set_xlabel(f"Hour of day ({zone})")
    ax.set_ylabel("Weekday")
    ax.set_title("When the pager goes off")
    fig.colorbar(image, ax=ax, label="Pages (count)")
    return fig


def plot_interruptions(
    pages: pd.DataFrame,
    team: pd.DataFrame,
    horizon_minutes: float,
    budget: float = PAGES_PER_PERSON_WEEK_BUDGET,
) -> Figure:
    """Pages per person-week stacked by window, with the SRE-derived budget line."""
    table = interruptions(pages, team, horizon_minutes).set_index("responder")
    fig, ax = _figure()
    bottom = np.zeros(len(table))
    for window in WINDOWS:
        values = table[f"{window}_per_week"].fillna(0).to_numpy()
        ax.bar(table.index, values, bottom=bottom, label=window, color=WINDOW_COLOURS[window])
        bottom += values
    ax.axhline(budget, color="crimson", linestyle="--", label=f"SRE budget ({budget:g}/week)")
    ax.set_xlabel("Responder")
    ax.set_ylabel("Pages per week on the roster")
    ax.set_title("Interruptions by window (each responder's own time zone)")
    ax.legend()
    return fig


def plot_escalation_funnel(incidents: pd.DataFrame) -> Figure:
    """How many incidents reached each escalation level, and how many nobody answered."""
    summary = escalation_summary(incidents)
    levels = [k for k in summary if k.startswith("reached_level_")]
    labels = [f"level {k.rsplit('_', 1)[1]}" for k in levels] + ["no one answered"]
    values = [summary[k] for k in levels] + [summary["no_one_answered"]]
    fig, ax = _figure()
    ax.barh(labels[::-1], values[::-1], color=["#c44e52"] + ["#4c72b0"] * len(levels))
    ax.set_xlabel("Incidents (count)")
    ax.set_ylabel("Escalation reached")
    ax.set_title("Escalation funnel")
    return fig


def plot_team_over_time(over_time: pd.DataFrame) -> Figure:
    """Team size and people over the burnout thresholds, week by week (teaching heuristic)."""
    fig, ax = _figure()
    ax.bar(over_time["week"], over_time["high"], color="#c44e52", label="high risk")
    ax.bar(
        over_time["week"],
        over_time["elevated"],
        bottom=over_time["high"],
        color="#dd8452",
        label="elevated risk",
    )
    ax.step(
        over_time["week"], over_time["team_size"], where="mid", color="black", label="team size"
    )
    ax.set_xlabel("Week")
    ax.set_ylabel("People (count)")
    ax.set_title("Team size and burnout risk (a teaching heuristic, not a clinical measure)")
    ax.legend()
    return fig


def _interval_label(confidence: float, replications: Any = None) -> str:
    over = f" over {int(replications)} replications" if replications is not None else ""
    return f"{confidence:.0%} confidence interval{over}"


def plot_sweep(
    summary: pd.DataFrame,
    key: str,
    metric: str,
    unit: str = "",
    *,
    facet: str | None = None,
    confidence: float = 0.9,
) -> Figure:
    """A metric against one swept parameter, with its interval band (level in the legend).

    With *facet* (a second swept key), one panel per value of it, sharing the y axis.
    """
    values = sorted(summary[facet].unique()) if facet else [None]
    width = 7.0 if len(values) == 1 else 4.5 * len(values) + 1.5
    fig = Figure(figsize=(width, 4.0), layout="constrained")
    axes = fig.subplots(1, len(values), sharey=True, squeeze=False)[0]
    replications = summary["replications"].min() if "replications" in summary else None
    for ax, value in zip(axes, values, strict=True):
        frame = summary if facet is None else summary[summary[facet] == value]
        frame = frame.sort_values(key)
        ax.plot(frame[key], frame["mean"], marker="o", color="#4c72b0", label="mean")
        ax.fill_between(
            frame[key],
            frame["low"].astype(float),
            frame["high"].astype(float),
            alpha=0.25,
            color="#4c72b0",
            label=_interval_label(confidence, replications),
        )
        ax.set_xlabel(key)
        if facet is not None:
            ax.set_title(f"{facet} = {value}")
    axes[0].set_ylabel(f"{metric} ({unit})" if unit else metric)
    axes[0].legend(fontsize="small")
    fig.suptitle(f"{metric} as {key} changes" + (f", one panel per {facet}" if facet else ""))
    return fig


def plot_comparison(table: pd.DataFrame, metrics: Sequence[str] | None = None) -> Figure:
    """Paired differences (b - a) with their intervals: a forest plot (level in the title).

    Every metric's difference is in its own unit (shown beside its name).
    """
    frame = table if metrics is None else table[table["metric"].isin(metrics)]
    confidence = float(table.attrs.get("confidence", 0.9))
    replications = table.attrs.get("replications")
    fig, ax = _figure(7, 0.45 * len(frame) + 1.5)
    y = np.arange(len(frame))
    low = (frame["difference"] - frame["difference_low"]).fillna(0)
    high = (frame["difference_high"] - frame["difference"]).fillna(0)
    ax.errorbar(frame["difference"], y, xerr=[low, high], fmt="o", color="#4c72b0", capsize=3)
    ax.axvline(0, color="grey", linewidth=1)
    units = frame["unit"] if "unit" in frame else [""] * len(frame)
    labels = [f"{m} ({u})" if u else m for m, u in zip(frame["metric"], units, strict=True)]
    ax.set_yticks(y, labels)
    ax.set_xlabel("Difference b - a (in each metric's unit)")
    ax.set_ylabel("Metric")
    ax.set_title(
        "Paired difference (common random numbers) with its "
        + _interval_label(confidence, replications)
    )
    return fig


def plot_schedule(schedule: Schedule, start: datetime, end: datetime) -> Figure:
    """Who is on call when: one row per responder, gaps in red."""
    shifts = schedule.shift_list(start, end)
    people = sorted({s.responder for s in shifts})
    fig, ax = _figure(8, 0.5 * len(people) + 1.5)
    hours = lambda t: (t - start).total_seconds() / 3600  # noqa: E731
    for shift in shifts:
        ax.barh(
            people.index(shift.responder),
            hours(shift.end) - hours(shift.start),
            left=hours(shift.start),
            color="#c44e52" if shift.override else "#4c72b0",
        )
    for a, b in schedule.gaps(start, end):
        ax.axvspan(hours(a), hours(b), color="red", alpha=0.15)
    ax.set_yticks(range(len(people)), people)
    ax.set_xlabel(f"Hours after {start.isoformat()}")
    ax.set_ylabel("Responder")
    ax.set_title(f"{schedule.name}: on call (overrides in red, gaps shaded)")
    return fig


def plot_alerts_by_hour(alerts: pd.DataFrame, zone: str) -> Figure:
    """Alerts per local hour of day, one bar series per service."""
    local = pd.DatetimeIndex(alerts["timestamp"]).tz_convert(zone)
    table = pd.crosstab(local.hour, alerts["service"].to_numpy()).reindex(range(24), fill_value=0)
    fig, ax = _figure()
    bottom = np.zeros(24)
    for service in table.columns:
        ax.bar(table.index, table[service], bottom=bottom, label=service)
        bottom += table[service].to_numpy()
    ax.set_xlabel(f"Hour of day ({zone})")
    ax.set_ylabel("Alerts (count)")
    ax.set_title("The daily profile: when alerts fire")
    ax.legend()
    return fig


def plot_alerts_over_time(
    alerts: pd.DataFrame, incidents: pd.DataFrame, bin_minutes: float = 60.0
) -> Figure:
    """Alerts and the incidents they were folded into, per time bin (storms show as spikes)."""
    horizon = max(float(alerts["minute"].max()), bin_minutes) if len(alerts) else bin_minutes
    bins = (np.arange(0, horizon + bin_minutes, bin_minutes) / 60).tolist()
    fig, ax = _figure(8, 3.5)
    ax.hist(alerts["minute"] / 60, bins=bins, color="#dd8452", label="alerts")
    ax.hist(
        incidents["triggered_minute"] / 60,
        bins=bins,
        color="#4c72b0",
        label="incidents (after dedup)",
    )
    ax.set_xlabel("Hours since the start")
    ax.set_ylabel(f"Count per {bin_minutes:g} minutes")
    ax.set_title("Alerts vs incidents: deduplication folds a storm into a few incidents")
    ax.legend()
    return fig
