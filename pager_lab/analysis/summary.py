"""One run's headline numbers: the scalars that comparisons and sweeps work with."""

from __future__ import annotations

from typing import Any

import numpy as np

from pager_lab.analysis.metrics import (
    STATISTICS,
    escalation_summary,
    gini,
    max_min_ratio,
    response_table,
)
from pager_lab.analysis.oncall_load import (
    BurnoutThresholds,
    burnout_flags,
    hours_on_call,
    hours_worked,
    interruptions,
    shift_budget,
)
from pager_lab.sim.tables import SimulationResult

__all__ = ["HEADLINE_METRICS", "summarize", "summary_report"]

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
    "people_left",
]
"""The metrics compare() and sweep() report by default."""


def summarize(
    result: SimulationResult, thresholds: BurnoutThresholds = DEFAULT_THRESHOLDS
) -> dict[str, float]:
    """Scalar metrics of one run (point estimates; intervals come from replications)."""
    incidents, pages, team = result.incidents, result.pages, result.team
    horizon = result.scenario.horizon_minutes
    out: dict[str, float] = {
        "incidents": float(len(incidents)),
        "alerts": float(len(result.alerts)),
        "pages": float(len(pages)),
    }
    for name, column in (("mtta", "time_to_acknowledge"), ("mttr", "time_to_resolve")):
        values = incidents[column].dropna().to_numpy(dtype=float)
        for stat, fn in STATISTICS.items():
            out[f"{name}_{stat}"] = float(fn(values)) if values.size else float("nan")
    load = interruptions(pages, team, horizon)
    person_weeks = load["weeks"].sum()
    for window in ("business", "off-hours", "sleep", "total"):
        label = "pages" if window == "total" else f"{window.replace('-', '_')}_pages"
        out[f"{label}_per_person_week"] = float(load[window].sum() / person_weeks)
    shifts = shift_budget(incidents, result.scenario.start, result.scenario.time_zone, horizon)
    out["incidents_per_shift"] = float(shifts["incidents"].mean())
    out["shifts_over_budget"] = float(shifts["over_budget"].mean())
    escalation = escalation_summary(incidents)
    out["escalation_rate"] = float(escalation["escalation_rate"])
    out["no_one_answered"] = float(escalation["no_one_answered"])
    per_person = load.set_index("responder")["total"]
    out["pages_gini"] = gini(per_person.to_numpy())
    out["pages_max_min"] = max_min_ratio(per_person.to_numpy())
    flags = burnout_flags(pages, team, horizon, thresholds)
    out["people_at_risk"] = float((flags["burnout_risk"] != "ok").sum())
    out["people_left"] = float(team["left_minute"].notna().sum())
    return out


def _fmt(value: Any) -> str:
    number = float(value)
    return "   n/a" if np.isnan(number) else f"{number:6.1f}"


def summary_report(
    result: SimulationResult,
    *,
    confidence: float = 0.9,
    thresholds: BurnoutThresholds = DEFAULT_THRESHOLDS,
) -> tuple[str, dict[str, Any]]:
    """A printable report and the same facts as a JSON-ready dict."""
    horizon = result.scenario.horizon_minutes
    response = response_table(result.incidents, confidence=confidence, seed=result.seed)
    load = interruptions(result.pages, result.team, horizon)
    flags = burnout_flags(result.pages, result.team, horizon, thresholds)
    worked = hours_worked(result.incidents)
    facts = summarize(result, thresholds)
    lines = [
        f"{result.scenario.name}: {result.scenario.weeks:g} weeks, seed {result.seed} — "
        f"{int(facts['alerts'])} alerts, {int(facts['incidents'])} incidents, "
        f"{int(facts['pages'])} pages",
        "",
        f"Response (minutes; {confidence:.0%} bootstrap intervals):",
    ]
    for row in response.itertuples(index=False):
        lines.append(
            f"  {row.metric} {row.statistic:<6} {_fmt(row.minutes)}  "
            f"[{_fmt(row.low)} – {_fmt(row.high)}]  n={row.n}"
        )
    lines += ["", "Interruptions per person-week by window (responder's own time zone):"]
    table = load[
        ["responder", "business_per_week", "off-hours_per_week", "sleep_per_week", "total_per_week"]
    ].merge(flags[["responder", "burnout_risk"]], on="responder")
    on_call = hours_on_call(result.scenario.schedules.values(), result.scenario.start, horizon)
    table["hours_on_call"] = table["responder"].map(on_call).fillna(0.0)
    table["hours_worked"] = table["responder"].map(worked).fillna(0.0)
    lines += ["  " + line for line in table.round(2).to_string(index=False).splitlines()]
    lines += [
        "",
        f"SRE budget (2 incidents per 12-hour shift): {facts['shifts_over_budget']:.1%} "
        f"of shifts over, {facts['incidents_per_shift']:.2f} incidents per shift",
        f"Escalation rate: {facts['escalation_rate']:.1%}; no one answered: "
        f"{int(facts['no_one_answered'])}",
        f"Fairness of pages: Gini {facts['pages_gini']:.2f}, max/min {facts['pages_max_min']:.2f}",
        f"Burnout risk (teaching heuristic, not a clinical measure): "
        f"{int(facts['people_at_risk'])} at risk; {int(facts['people_left'])} left",
    ]
    data = {
        "scenario": result.scenario.name,
        "seed": result.seed,
        "weeks": result.scenario.weeks,
        "metrics": facts,
        "response": response.to_dict("records"),
        "interruptions": table.to_dict("records"),
        "burnout": flags.to_dict("records"),
    }
    return "\n".join(lines), data
