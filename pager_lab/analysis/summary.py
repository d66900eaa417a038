"""One run's headline numbers: the scalars that comparisons and sweeps work with."""

from __future__ import annotations

from typing import Any

import numpy as np

from pager_lab.analysis.metrics import (
    STATISTICS,
    escalation_summary,
    gini,
    max_min_ratio,
    mtta_by_urgency,
    response_table,
    urgency,
)
from pager_lab.analysis.oncall_load import (
    WEEK,
    BurnoutThresholds,
    burnout_flags,
    hours_on_call,
    hours_worked,
    interruptions,
    shift_budget,
)
from pager_lab.sim.tables import SimulationResult

__all__ = [
    "HEADLINE_METRICS",
    "METRIC_UNITS",
    "metric_unit",
    "summarize",
    "summary_report",
    "urgency_report",
]

DEFAULT_THRESHOLDS = BurnoutThresholds()

HEADLINE_METRICS = [
    "mtta_mean",
    "mtta_median",
    "mtta_p90",
    "mttr_mean",
    "mttr_median",
    "mttr_p90",
    "pages_per_person_week",
    "sleep_pages_per_person_week",
    "shifts_over_budget",
    "escalation_rate",
    "no_one_answered",
    "pages_gini",
    "people_at_risk",
    "people_at_risk_share",
    "people_left",
    "people_left_share",
]
"""The metrics compare() and sweep() report by default (the first is compare's primary)."""

METRIC_UNITS: dict[str, str] = {
    "incidents": "incidents",
    "alerts": "alerts",
    "pages": "pages",
    **{f"{m}_{s}": "minutes" for m in ("mtta", "mttr") for s in STATISTICS},
    **{f"mtta_{u}_{s}": "minutes" for u in ("high", "low") for s in STATISTICS},
    **{
        f"{w}_per_person_week": "pages per person-week"
        for w in ("pages", "business_pages", "off_hours_pages", "sleep_pages")
    },
    "incidents_per_shift": "incidents per 12-hour shift",
    "shifts_over_budget": "share of shifts (0-1)",
    "escalation_rate": "share of paged incidents (0-1)",
    "no_one_answered": "incidents",
    "pages_gini": "Gini (0 even - 1 one person)",
    "pages_max_min": "ratio",
    "people_at_risk": "people",
    "people_at_risk_share": "share of the team (0-1)",
    "people_left": "people",
    "people_left_share": "share of the team (0-1)",
}
"""The unit of every metric summarize() returns: printed beside each number."""


def metric_unit(metric: str) -> str:
    """The unit of *metric* (``minutes``, ``pages per person-week``, ...)."""
    return METRIC_UNITS.get(metric, "")


def summarize(
    result: SimulationResult, thresholds: BurnoutThresholds = DEFAULT_THRESHOLDS
) -> dict[str, float]:
    """Scalar metrics of one run (point estimates; intervals come from replications).

    Rates divide by the observed time (the horizon less the warm-up,
    ``result.observed_minutes``): the tables hold only what followed the warm-up.
    """
    incidents, pages, team = result.incidents, result.pages, result.team
    horizon = result.scenario.horizon_minutes
    warmup = result.scenario.warmup_minutes
    out: dict[str, float] = {
        "incidents": float(len(incidents)),
        "alerts": float(len(result.alerts)),
        "pages": float(len(pages)),
    }
    levels = urgency(incidents)
    for name, column, rows in (
        ("mtta", "time_to_acknowledge", None),
        ("mttr", "time_to_resolve", None),
        ("mtta_high", "time_to_acknowledge", levels == "high"),  # paged at once, escalates
        ("mtta_low", "time_to_acknowledge", levels == "low"),  # waits for business hours
    ):
        chosen = incidents[column] if rows is None else incidents.loc[rows.to_numpy(), column]
        values = chosen.dropna().to_numpy(dtype=float)
        for stat, fn in STATISTICS.items():
            out[f"{name}_{stat}"] = float(fn(values)) if values.size else float("nan")
    load = interruptions(pages, team, horizon, observed_from=warmup)
    person_weeks = load["weeks"].sum()
    for window in ("business", "off-hours", "sleep", "total"):
        label = "pages" if window == "total" else f"{window.replace('-', '_')}_pages"
        out[f"{label}_per_person_week"] = float(load[window].sum() / person_weeks)
    shifts = shift_budget(
        incidents,
        result.scenario.start,
        result.scenario.time_zone,
        horizon,
        observed_from=warmup,
    )
    out["incidents_per_shift"] = float(shifts["incidents"].mean())
    out["shifts_over_budget"] = float(shifts["over_budget"].mean())
    escalation = escalation_summary(incidents)
    out["escalation_rate"] = float(escalation["escalation_rate"])
    out["no_one_answered"] = float(escalation["no_one_answered"])
    per_person = load.set_index("responder")["total"]
    out["pages_gini"] = gini(per_person.to_numpy())
    out["pages_max_min"] = max_min_ratio(per_person.to_numpy())
    flags = burnout_flags(pages, team, horizon, thresholds, observed_from=warmup)
    out["people_at_risk"] = float((flags["burnout_risk"] != "ok").sum())
    out["people_left"] = float(team["left_minute"].notna().sum())
    everyone = max(len(team), 1)  # everyone on the roster at some time (hires included)
    out["people_at_risk_share"] = out["people_at_risk"] / everyone
    out["people_left_share"] = out["people_left"] / everyone
    return out


def _fmt(value: Any) -> str:
    number = float(value)
    return "   n/a" if np.isnan(number) else f"{number:6.1f}"


def urgency_report(
    result: SimulationResult, *, confidence: float = 0.9, method: str = "auto"
) -> tuple[list[str], list[dict[str, Any]]]:
    """MTTA split by urgency (high / low) as printable lines and JSON-ready records.

    Low-urgency incidents wait for business hours (PagerDuty urgency): their MTTA
    is hours and, mixed in, makes the overall MTTA p95 look like a slow team.
    """
    table = mtta_by_urgency(
        result.incidents, confidence=confidence, seed=result.seed, method=method
    )
    lines = [f"MTTA by urgency (minutes and hours; {confidence:.0%} intervals):"]
    for row in table.itertuples(index=False):
        lines.append(
            f"  {row.urgency:<4} {row.statistic:<6} {_fmt(row.minutes)} min "
            f"({row.hours:5.1f} h)  [{_fmt(row.low)} – {_fmt(row.high)}]  n={row.n}  "
            f"{_short(str(row.method))}"
        )
    return lines, [{str(k): v for k, v in r.items()} for r in table.to_dict("records")]


def _short(method: str) -> str:
    """``batch means`` from ``batch means (10 batches in time order)``."""
    return method.split(" (")[0]


def _response_lines(response: Any, confidence: float) -> list[str]:
    lines = [
        f"Response (minutes; {confidence:.0%} intervals — "
        + "; ".join(sorted(set(response["method"])))
        + "):"
    ]
    for row in response.itertuples(index=False):
        note = f", {row.censored} censored" if row.censored else ""
        lines.append(
            f"  {row.metric} {row.statistic:<6} {_fmt(row.minutes)}  "
            f"[{_fmt(row.low)} – {_fmt(row.high)}]  n={row.n}  {_short(row.method)}{note}"
        )
    return lines


def _closing_lines(facts: dict[str, float]) -> list[str]:
    """Budget, escalation, fairness and burnout lines of the report."""
    return [
        f"SRE budget (2 incidents per 12-hour shift): {facts['shifts_over_budget']:.1%} "
        f"of shifts over, {facts['incidents_per_shift']:.2f} incidents per shift",
        f"Escalation rate: {facts['escalation_rate']:.1%}; escalation ran out (no one "
        f"answered in time; a late answer may still acknowledge): {int(facts['no_one_answered'])}",
        f"Fairness of pages: Gini {facts['pages_gini']:.2f}, max/min {facts['pages_max_min']:.2f}",
        f"Burnout risk (teaching heuristic, not a clinical measure): "
        f"{int(facts['people_at_risk'])} at risk ({facts['people_at_risk_share']:.0%} of the "
        f"team); {int(facts['people_left'])} left ({facts['people_left_share']:.0%})",
    ]


def summary_report(
    result: SimulationResult,
    *,
    confidence: float = 0.9,
    thresholds: BurnoutThresholds = DEFAULT_THRESHOLDS,
    method: str = "auto",
) -> tuple[str, dict[str, Any]]:
    """A printable report and the same facts as a JSON-ready dict.

    *method* picks the response intervals: ``bootstrap``, ``batch_means`` or
    ``auto`` (batch means for groups of 1,000 incidents or more);
    every line names the method it used.
    """
    scenario = result.scenario
    horizon, warmup = scenario.horizon_minutes, scenario.warmup_minutes
    response = response_table(
        result.incidents, confidence=confidence, seed=result.seed, method=method
    )
    load = interruptions(result.pages, result.team, horizon, observed_from=warmup)
    flags = burnout_flags(result.pages, result.team, horizon, thresholds, observed_from=warmup)
    worked = hours_worked(result.incidents)
    facts = summarize(result, thresholds)
    open_at_end = int((result.incidents["resolved_minute"] > horizon).sum())
    lines = [
        f"{scenario.name}: {_count(scenario.weeks, 'week')}, seed {result.seed} — "
        f"{_count(facts['alerts'], 'alert')}, {_count(facts['incidents'], 'incident')}, "
        f"{_count(facts['pages'], 'page')}",
        f"Observed {_count(result.observed_minutes / WEEK, 'week')} (warm-up of "
        f"{_count(warmup / WEEK, 'week')} left out; rates divide by the observed time); "
        f"{_count(open_at_end, 'incident')} still open at the end (resolved after it, "
        "counted in full)",
        "",
        *_response_lines(response, confidence),
        "",
    ]
    if result.routing is not None:  # the scenario's [routing] stage: what paging was spared
        lines.insert(2, f"Routing: the model's alerts as {result.routing.summary()}")
    urgency_lines, urgency_records = urgency_report(result, confidence=confidence, method=method)
    lines += [
        *urgency_lines,
        "",
        "Interruptions per person-week by window (responder's own time zone):",
    ]
    table = load[
        ["responder", "business_per_week", "off-hours_per_week", "sleep_per_week", "total_per_week"]
    ].merge(flags[["responder", "burnout_risk"]], on="responder")
    on_call = hours_on_call(scenario.schedules.values(), scenario.start, horizon)
    table["hours_on_call"] = table["responder"].map(on_call).fillna(0.0)
    table["hours_worked"] = table["responder"].map(worked).fillna(0.0)
    lines += ["  " + line for line in table.round(2).to_string(index=False).splitlines()]
    lines += ["", *_closing_lines(facts)]
    data = {
        "scenario": scenario.name,
        "seed": result.seed,
        "weeks": scenario.weeks,
        "warmup_minutes": warmup,
        "observed_minutes": result.observed_minutes,
        "open_at_end": open_at_end,
        "confidence": confidence,
        "intervals": "; ".join(sorted(set(response["method"]))),
        "metrics": facts,
        "units": {m: metric_unit(m) for m in facts},
        "response": response.to_dict("records"),
        "mtta_by_urgency": urgency_records,
        "interruptions": table.to_dict("records"),
        "burnout": flags.to_dict("records"),
    }
    if result.routing is not None:
        data["routing"] = result.routing.counts()
    return "\n".join(lines), data


def _count(number: float, noun: str) -> str:
    """``1 week``, ``2 weeks``, ``0.5 weeks``: the number with its noun, singular only for 1."""
    shown = f"{int(number)}" if float(number).is_integer() else f"{number:g}"
    return f"{shown} {noun}" if number == 1 else f"{shown} {noun}s"
