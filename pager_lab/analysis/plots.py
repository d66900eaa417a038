"""Plots that take the model's tables and return matplotlib figures (axes labelled, with units)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from pager_lab.analysis.metrics import escalation_summary
from pager_lab.analysis.oncall_load import WINDOWS, interruptions
from pager_lab.analysis.style import (
    OKABE_ITO,
    SEQUENTIAL_MAP,
    add_caption,
    new_figure,
    readable,
    unit_of,
)
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
WINDOW_COLOURS = {
    "business": OKABE_ITO["sky blue"],
    "off-hours": OKABE_ITO["orange"],
    "sleep": OKABE_ITO["blue"],
}
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _figure(width: float = 7.0, height: float = 4.0) -> tuple[Figure, Axes]:
    return new_figure(width, height)


def plot_response_distribution(incidents: pd.DataFrame, column: str = "time_to_resolve") -> Figure:
    """Histogram of MTTA or MTTR samples on a log axis, with mean, median and p90 marked."""
    values = incidents[column].dropna().to_numpy(dtype=float)
    values = values[values > 0]
    fig, ax = _figure()
    label = {"time_to_acknowledge": "Time to acknowledge", "time_to_resolve": "Time to resolve"}
    if values.size:
        bins = np.logspace(np.log10(values.min()), np.log10(values.max()), 40).tolist()
        ax.hist(values, bins=bins, color=OKABE_ITO["sky blue"], edgecolor="white")
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
    add_caption(fig, "Each bar counts incidents; a few very long ones pull the mean up.")
    return fig


def plot_pages_heatmap(pages: pd.DataFrame, zone: str) -> Figure:
    """Pages by hour of day and weekday, in time zone *zone*."""
    local = pd.DatetimeIndex(pages["timestamp"]).tz_convert(zone)
    grid = np.zeros((7, 24))
    np.add.at(grid, (local.day_of_week, local.hour), 1)
    fig, ax = _figure(8, 3.5)
    image = ax.imshow(grid, aspect="auto", cmap=SEQUENTIAL_MAP)
    ax.set_yticks(range(7), WEEKDAYS)
    ax.set_xticks(range(0, 24, 2))
    ax.set_xlabel(f"Hour of day ({zone})")
    ax.set_ylabel("Weekday")
    ax.set_title("When the pager goes off")
    fig.colorbar(image, ax=ax, label="Pages (count)")
    add_caption(
        fig, "Brighter cells: more pages; the night hours at left and right mean woken people."
    )
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
    ax.axhline(budget, color="black", linestyle="--", label=f"SRE budget ({budget:g}/week)")
    ax.set_xlabel("Responder")
    ax.set_ylabel("Pages per week on the roster")
    ax.set_title("Interruptions by window (each responder's own time zone)")
    ax.legend()
    add_caption(fig, "Bars above the dashed line: more pages than the SRE book's on-call budget.")
    return fig


def plot_escalation_funnel(incidents: pd.DataFrame) -> Figure:
    """How many incidents reached each escalation level, and how many ran out of levels
    before anyone answered (a late answer may still acknowledge them)."""
    summary = escalation_summary(incidents)
    levels = [k for k in summary if k.startswith("reached_level_")]
    labels = [f"level {k.rsplit('_', 1)[1]}" for k in levels] + ["ran out (no answer in time)"]
    values = [summary[k] for k in levels] + [summary["no_one_answered"]]
    fig, ax = _figure()
    ax.barh(
        labels[::-1],
        values[::-1],
        color=[OKABE_ITO["vermillion"]] + [OKABE_ITO["blue"]] * len(levels),
    )
    ax.set_xlabel("Incidents (count)")
    ax.set_ylabel("Escalation reached")
    ax.set_title("Escalation funnel")
    add_caption(fig, "Every incident pages level 1; each further level is a page nobody answered.")
    return fig


def plot_team_over_time(over_time: pd.DataFrame) -> Figure:
    """Team size and people over the burnout thresholds, week by week (teaching heuristic)."""
    fig, ax = _figure()
    ax.bar(over_time["week"], over_time["high"], color=OKABE_ITO["vermillion"], label="high risk")
    ax.bar(
        over_time["week"],
        over_time["elevated"],
        bottom=over_time["high"],
        color=OKABE_ITO["orange"],
        label="elevated risk",
    )
    ax.step(
        over_time["week"], over_time["team_size"], where="mid", color="black", label="team size"
    )
    empty = over_time.loc[over_time["team_size"] == 0, "week"]
    for week in empty:
        ax.axvspan(week - 0.5, week + 0.5, color="grey", alpha=0.3, linewidth=0)
    ax.set_xlabel("Week (grey: nobody left on the team)" if len(empty) else "Week")
    ax.set_ylabel("People (count)")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Team size and burnout risk (a teaching heuristic, not a clinical measure)")
    ax.legend()
    add_caption(fig, "The black line is the team left; a week at 0 has nobody on call at all.")
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
    fig, _ = new_figure(width, 4.0)
    fig.clear()
    axes = fig.subplots(1, len(values), sharey=True, squeeze=False)[0]
    replications = summary["replications"].min() if "replications" in summary else None
    for ax, value in zip(axes, values, strict=True):
        frame = summary if facet is None else summary[summary[facet] == value]
        frame = frame.sort_values(key)
        ax.plot(frame[key], frame["mean"], marker="o", color=OKABE_ITO["blue"], label="mean")
        ax.fill_between(
            frame[key],
            frame["low"].astype(float),
            frame["high"].astype(float),
            alpha=0.25,
            color=OKABE_ITO["blue"],
            label=_interval_label(confidence, replications),
        )
        ax.set_xlabel(readable(key))
        if pd.api.types.is_integer_dtype(summary[key]):  # team sizes: no tick at 3.5 people
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if facet is not None:
            ax.set_title(f"{readable(facet)} = {value}")
    named = unit and unit.lower() not in readable(metric).lower()
    axes[0].set_ylabel(f"{readable(metric)} ({unit})" if named else readable(metric))
    axes[0].legend(fontsize="small")
    title = f"{readable(metric)} as {readable(key).split(' (')[0].lower()} changes"
    fig.suptitle(title + (f", one panel per {readable(facet).lower()}" if facet else ""))
    add_caption(fig, "Dots: the mean over replications; band: where the true mean plausibly lies.")
    return fig


def plot_comparison(table: pd.DataFrame, metrics: Sequence[str] | None = None) -> Figure:
    """Paired differences (b - a) with their intervals: one panel per metric, each in its unit.

    The interval level, the replications and the scenarios' names come from the table's
    ``attrs``. A filled marker is a difference compare() calls clear (the primary metric's
    test, then Holm over the others); a hollow one is not, even when its unadjusted interval
    misses zero; each panel says which, so the figure never contradicts the table.
    """
    frame = table if metrics is None else table[table["metric"].isin(metrics)]
    confidence = float(table.attrs.get("confidence", 0.9))
    replications = table.attrs.get("replications")
    name_a, name_b = table.attrs.get("names", ("a", "b"))
    fig, _ = new_figure(7, 1.1 * len(frame) + 1.6, rows=max(len(frame), 1))
    units = frame["unit"].tolist() if "unit" in frame else [""] * len(frame)
    verdicts = _verdicts(frame)
    for ax, (_, row), unit, verdict in zip(
        fig.axes, frame.iterrows(), units, verdicts, strict=False
    ):
        mid, low, high = (
            float(row[k]) for k in ("difference", "difference_low", "difference_high")
        )
        error = None if pd.isna(low) or pd.isna(high) else [[mid - low], [high - mid]]
        clear = verdict.startswith("clear")
        ax.errorbar(
            [mid], [0], xerr=error, fmt="o", color=OKABE_ITO["blue"], capsize=4,
            markerfacecolor=OKABE_ITO["blue"] if clear else "white",
        )  # fmt: skip
        ax.axvline(0, color="grey", linewidth=1)
        ax.set_yticks([0], [readable(str(row["metric"]))])
        if verdict:
            ax.text(0.99, 0.9, verdict, transform=ax.transAxes, ha="right", va="top", fontsize=8)
        unit = unit or unit_of(str(row["metric"]))
        ax.set_xlabel(f"Difference {name_b} - {name_a}" + (f" ({unit})" if unit else ""))
    fig.suptitle(
        f"{name_b} minus {name_a}: paired difference (common random numbers)\n"
        f"with its {_interval_label(confidence, replications)} (unadjusted)"
    )
    add_caption(
        fig,
        "Filled: clear (the primary's test, then Holm); hollow: not clear, even off zero.",
    )
    return fig


def _verdicts(frame: pd.DataFrame) -> list[str]:
    """Each metric's verdict as compare() printed it: clear, not clear, or untested."""
    if "clear" not in frame or "p_adjusted" not in frame:
        return [""] * len(frame)
    primary = frame["primary"] if "primary" in frame else frame.index == frame.index[0]
    primary_clear = bool(frame.loc[primary, "clear"].any())
    verdicts = []
    for is_primary, clear, p in zip(primary, frame["clear"], frame["p_adjusted"], strict=False):
        if not (is_primary or primary_clear):
            verdicts.append("untested (the primary is not clear)")
        else:
            verdicts.append(f"{'clear' if clear else 'not clear'}, p adj. {p:.3f}")
    return verdicts


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
            color=OKABE_ITO["vermillion"] if shift.override else OKABE_ITO["blue"],
        )
    for a, b in schedule.gaps(start, end):
        ax.axvspan(hours(a), hours(b), color=OKABE_ITO["yellow"], alpha=0.5)
    ax.set_yticks(range(len(people)), people)
    ax.set_xlabel(f"Hours after {start:%a %d %b %Y %H:%M %Z}")
    ax.set_ylabel("Responder")
    ax.set_title(f"{schedule.name}: on call (overrides in vermillion, gaps shaded yellow)")
    add_caption(fig, "One row per responder: a bar is a shift; nobody is paged in a gap.")
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
    add_caption(fig, "Alerts stacked by service per local hour: the profile shapes who is woken.")
    return fig


def plot_alerts_over_time(
    alerts: pd.DataFrame, incidents: pd.DataFrame, bin_minutes: float = 60.0
) -> Figure:
    """Alerts and the incidents they were folded into, per time bin (storms show as spikes)."""
    horizon = max(float(alerts["minute"].max()), bin_minutes) if len(alerts) else bin_minutes
    bins = (np.arange(0, horizon + bin_minutes, bin_minutes) / 60).tolist()
    fig, ax = _figure(8, 3.5)
    ax.hist(alerts["minute"] / 60, bins=bins, color=OKABE_ITO["orange"], label="alerts")
    ax.hist(
        incidents["triggered_minute"] / 60,
        bins=bins,
        color=OKABE_ITO["blue"],
        label="incidents (after dedup)",
    )
    ax.set_xlabel("Hours since the start")
    ax.set_ylabel(f"Count per {bin_minutes:g} minutes")
    ax.set_title("Alerts vs incidents: deduplication folds a storm into a few incidents")
    ax.legend()
    add_caption(
        fig, "Orange spikes are storms of alerts; blue shows the few incidents they became."
    )
    return fig
