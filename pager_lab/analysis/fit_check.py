"""Does a calibrated scenario reproduce the data? Simulate it over several seeds and compare.

Each part gets a test and a verdict that names its threshold (p < ``alpha`` → "differs";
otherwise "no evidence of a difference", which with few incidents is weak):

- **hourly profile**: incidents by local hour of day, data against the simulated share
  (chi-square goodness of fit; hours merged into 3-hour blocks when an expected count is
  under 5), and by 6-hour block of the week (weekdays against weekends);
- **time to acknowledge / resolve**: the log-rank test (censored incidents kept) and the
  difference of Kaplan-Meier medians, simulated − data, with a bootstrap interval;
- **interruptions by window**: pages in business / off-hours / sleep (PagerDuty's
  interruption counts) against the simulated pages' windows (chi-square), when the
  export has them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from pager_lab.alerting.import_table import Import
from pager_lab.analysis.experiments import replication_seeds
from pager_lab.analysis.logrank import logrank_test, median_difference
from pager_lab.analysis.summary import _count
from pager_lab.analysis.survival import censor
from pager_lab.core.tables import WINDOW_NAMES
from pager_lab.sim.model import simulate
from pager_lab.sim.scenario import Scenario

__all__ = ["FEW_INCIDENTS", "FitCheck", "PartVerdict", "fit_report", "simulate_and_compare"]

FEW_INCIDENTS = 50
"""Under this many incidents the check warns that the data are too few to say."""
INTERRUPTION_COLUMNS = {
    "business": "business_hour_interruptions",
    "off-hours": "off_hour_interruptions",
    "sleep": "sleep_hour_interruptions",
}


@dataclass(frozen=True)
class PartVerdict:
    """One part of the check: its test, statistic, p-value and verdict."""

    part: str
    test: str
    statistic: float
    p_value: float
    verdict: str
    """``differs``, ``no evidence of a difference`` or ``untested``."""
    detail: str = ""


@dataclass
class FitCheck:
    """The check's verdicts and the samples behind them (for plots)."""

    verdicts: list[PartVerdict]
    incidents: int
    seeds: list[int]
    weeks: float
    alpha: float
    warnings: list[str] = field(default_factory=list)
    samples: dict[str, Any] = field(default_factory=dict, repr=False)
    """``hours`` (data, simulated share), ``time_to_acknowledge`` / ``time_to_resolve``
    ((durations, censored) of data and of the pooled runs), ``windows``."""

    def table(self) -> pd.DataFrame:
        """The verdicts as a table."""
        return pd.DataFrame([v.__dict__ for v in self.verdicts])


def _verdict(p: float, alpha: float) -> str:
    return "differs" if p < alpha else "no evidence of a difference"


def _chi_square(observed: np.ndarray, share: np.ndarray) -> tuple[float, float, int]:
    """Goodness of fit of counts to shares; bins with no simulated share are merged away."""
    keep = share > 0
    if (~keep & (observed > 0)).any():
        return float("inf"), 0.0, int(keep.sum())  # data where the model never goes
    observed, share = observed[keep], share[keep] / share[keep].sum()
    expected = observed.sum() * share
    result = stats.chisquare(observed, expected)
    return float(result.statistic), float(result.pvalue), observed.size


def _blocks(counts: np.ndarray, width: int) -> np.ndarray:
    return counts.reshape(-1, width).sum(axis=1)


def _hours(incidents: pd.DataFrame, zone: str) -> tuple[np.ndarray, np.ndarray]:
    local = pd.DatetimeIndex(incidents["triggered"]).tz_convert(zone)
    return (
        np.bincount(np.asarray(local.hour), minlength=24),
        np.bincount(np.asarray(local.day_of_week * 24 + local.hour), minlength=168),
    )


def _profile_parts(data: pd.DataFrame, sim: pd.DataFrame, zone: str, alpha: float) -> list:
    day_data, week_data = _hours(data, zone)
    day_sim, week_sim = _hours(sim, zone)
    share = day_sim / max(day_sim.sum(), 1)
    width = 1 if (share * day_data.sum()).min() >= 5 else 3
    chi, p, bins = _chi_square(_blocks(day_data, width), _blocks(day_sim, width).astype(float))
    parts = [
        PartVerdict(
            "hourly profile",
            f"chi-square, {bins} bins of {width} h",
            chi,
            p,
            _verdict(p, alpha),
            "incidents by local hour of day",
        )
    ]
    chi, p, bins = _chi_square(_blocks(week_data, 6), _blocks(week_sim, 6).astype(float))
    parts.append(
        PartVerdict(
            "weekly profile",
            f"chi-square, {bins} blocks of 6 h",
            chi,
            p,
            _verdict(p, alpha),
            "incidents by 6-hour block of the week (weekdays against weekends)",
        )
    )
    return parts


def _durations(table: pd.DataFrame, column: str, flag: str) -> tuple[np.ndarray, np.ndarray]:
    rows = table[table[column].notna()]
    return rows[column].to_numpy(float), rows[flag].to_numpy(bool)


def _signed(value: float) -> str:
    """``+1.5``; ``undefined`` where a median was never reached in a resample (inf - inf)."""
    return "undefined" if np.isnan(value) else f"{value:+.1f}"


def _duration_part(
    name: str, data: tuple, sim: tuple, alpha: float, rng: np.random.Generator
) -> PartVerdict:
    test = logrank_test(data[0], data[1], sim[0], sim[1])
    diff, low, high = median_difference(*data, *sim, rng=rng, resamples=300)
    return PartVerdict(
        name,
        "log-rank",
        test.statistic,
        test.p_value,
        _verdict(test.p_value, alpha),
        f"Kaplan-Meier median, simulated - data: {_signed(diff)} min, 90% bootstrap "
        f"[{_signed(low)}, {_signed(high)}]",
    )


def _window_part(result: Import, pages: pd.DataFrame, alpha: float) -> tuple[PartVerdict, Any]:
    extras = result.extras
    sim_counts = pages["window"].value_counts().reindex(list(WINDOW_NAMES), fill_value=0)
    if extras is None or not set(INTERRUPTION_COLUMNS.values()) <= set(extras):
        return PartVerdict(
            "interruptions by window",
            "chi-square",
            np.nan,
            np.nan,
            "untested",
            "the export has no interruption counts by window",
        ), None
    data_counts = np.array([extras[c].fillna(0).sum() for c in INTERRUPTION_COLUMNS.values()])
    chi, p, _ = _chi_square(data_counts, sim_counts.to_numpy(float))
    shares = ", ".join(
        f"{w} {d / data_counts.sum():.0%} vs {s / sim_counts.sum():.0%}"
        for w, d, s in zip(WINDOW_NAMES, data_counts, sim_counts, strict=True)
    )
    verdict = PartVerdict(
        "interruptions by window",
        "chi-square, 3 windows",
        chi,
        p,
        _verdict(p, alpha),
        f"share of pages, data vs simulated: {shares}",
    )
    return verdict, (data_counts, sim_counts.to_numpy())


def simulate_and_compare(
    result: Import, scenario: Scenario, *, seeds: int = 5, seed: int = 1, alpha: float = 0.01
) -> FitCheck:
    """Simulate *scenario* on *seeds* seeds and compare each part with the imported data."""
    runs = [simulate(scenario, s) for s in replication_seeds(seed, seeds)]
    sim = pd.concat(
        [censor(r.incidents, r.scenario.horizon_minutes) for r in runs], ignore_index=True
    )
    pages = pd.concat([r.pages for r in runs], ignore_index=True)
    data = censor(result.incidents, result.end_minute + 1e-6)  # the last one is inside
    check = FitCheck([], len(data), replication_seeds(seed, seeds), scenario.weeks, alpha)
    if len(data) < FEW_INCIDENTS:
        check.warnings.append(
            f"only {len(data)} incidents: under {FEW_INCIDENTS}, too few to say; a verdict of "
            "'no evidence of a difference' means little"
        )
    check.verdicts += _profile_parts(data, sim, scenario.time_zone, alpha)
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    for name, column, flag in (
        ("time to acknowledge", "time_to_acknowledge", "acknowledge_censored"),
        ("time to resolve", "time_to_resolve", "resolve_censored"),
    ):
        pair = (_durations(data, column, flag), _durations(sim, column, flag))
        check.samples[column] = pair
        check.verdicts.append(_duration_part(name, *pair, alpha, rng))
    window, counts = _window_part(result, pages, alpha)
    check.verdicts.append(window)
    check.samples["windows"] = counts
    check.samples["hours"] = (
        _hours(data, scenario.time_zone)[0],
        _hours(sim, scenario.time_zone)[0],
    )
    return check


def fit_report(check: FitCheck) -> str:
    """The check as text: set-up, one line per part with its verdict and threshold."""
    lines = [
        f"Fit check: {check.incidents} incidents of data against "
        f"{_count(len(check.seeds), 'simulated run')} of {_count(check.weeks, 'week')} "
        f"(seeds {', '.join(map(str, check.seeds))})",
        *[f"warning: {w}" for w in check.warnings],
        f"Verdicts: p < {check.alpha:g} -> differs; otherwise no evidence of a difference",
    ]
    for v in check.verdicts:
        numbers = (
            "" if v.verdict == "untested" else f"statistic {v.statistic:.2f}, p = {v.p_value:.3g}: "
        )
        lines.append(f"  {v.part:<24} {v.test}: {numbers}{v.verdict}")
        if v.detail:
            lines.append(f"  {'':<24} {v.detail}")
    return "\n".join(lines)
