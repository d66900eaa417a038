"""Calibrate the model from imported incidents: the numbers a scenario needs, with their support.

Every estimate is a :class:`Estimate`: the value, how many incidents support it and
where it came from (or that it is an assumption), so the scenario file can say so in
its comments (``calibration_toml.py``). Fits use ``scipy.stats``; durations still open
at export time enter the fits as right-censored (``scipy.stats.CensoredData``).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pager_lab.alerting.import_table import Import
from pager_lab.analysis.calibration_base import Calibration, Estimate
from pager_lab.analysis.calibration_fits import fit_response, fit_team, fit_work
from pager_lab.core.windows import window_at

__all__ = ["Calibration", "Estimate", "calibrate", "hour_of_week_rates"]

SMOOTHING = np.array([0.25, 0.5, 0.25])
"""Kernel over neighbouring hours (circular) that smooths the hour-of-week rates."""


def hour_of_week_rates(incidents: pd.DataFrame, zone: str, start: Any, end: Any) -> pd.DataFrame:
    """Incidents per hour in each of the 168 hours of the week (Monday 00:00 first), local time.

    ``exposure`` counts the hours of that kind the export covers; ``rate`` is count /
    exposure, ``smoothed`` the rate smoothed over neighbouring hours (circular); a
    calibration replaces it by the rate it calibrated (shrunk toward profile x day factor,
    then smoothed).
    """
    local = pd.DatetimeIndex(incidents["triggered"]).tz_convert(zone)
    cell = np.asarray(local.day_of_week * 24 + local.hour)
    counts = np.bincount(cell, minlength=168)
    hours = pd.date_range(
        pd.Timestamp(start).floor("h"), pd.Timestamp(end), freq="h", inclusive="left"
    ).tz_convert(zone)
    exposure = np.bincount(np.asarray(hours.day_of_week * 24 + hours.hour), minlength=168)
    rate = counts / np.maximum(exposure, 1)
    padded = np.concatenate([rate[-1:], rate, rate[:1]])
    smoothed = np.convolve(padded, SMOOTHING, mode="valid")
    return pd.DataFrame(
        {
            "day": np.repeat(np.arange(7), 24),
            "hour": np.tile(np.arange(24), 7),
            "count": counts,
            "exposure": exposure,
            "rate": rate,
            "smoothed": smoothed,
        }
    )


PROFILE_FLOOR = 0.05
"""No hour's profile goes below this (the mean is 1): an hour without incidents in a short
export is not an hour in which incidents cannot happen."""


def _profile(rates: pd.DataFrame) -> np.ndarray:
    by_hour = rates.groupby("hour")[["count", "exposure"]].sum()
    raw = (by_hour["count"] / by_hour["exposure"].clip(lower=1)).to_numpy()
    padded = np.concatenate([raw[-1:], raw, raw[:1]])
    profile = np.convolve(padded, SMOOTHING, mode="valid")
    if profile.mean() <= 0:
        return np.ones(24)
    profile = np.maximum(profile / profile.mean(), PROFILE_FLOOR)
    return profile / profile.mean()


def _day_factors(rates: pd.DataFrame, profile: np.ndarray) -> tuple[float, float, str]:
    """Base rate (weekdays), weekend factor, and how the factor was found."""
    weekend = (rates["day"] >= 5).to_numpy()
    weight = profile[rates["hour"].to_numpy()] * rates["exposure"].to_numpy()
    counts = rates["count"].to_numpy()
    n_weekday, n_weekend = counts[~weekend].sum(), counts[weekend].sum()
    days = "weekday" if weight[~weekend].sum() > 0 else "all"
    base = (n_weekday if days == "weekday" else counts.sum()) / max(weight[~weekend].sum(), 1e-9)
    if weight[weekend].sum() <= 0 or base <= 0:
        return base, 1.0, "assumption: no weekend in the export, so no difference assumed"
    if n_weekend == 0:
        factor = 0.5 / (base * weight[weekend].sum())
        return base, factor, "no weekend incident: half an incident assumed (not zero)"
    return base, n_weekend / (base * weight[weekend].sum()), "weekend rate / weekday rate"


PRIOR_HOURS = 24.0
"""Assumption: each hour-of-week rate is shrunk toward the profile x day-factor fit with the
weight of this many observed hours (26 weeks of data: about half and half; a year: mostly
the data), so an hour that saw no incident by chance is not an hour without incidents."""


def _week_profile(
    rates: pd.DataFrame, profile: np.ndarray, base: float, weekend_factor: float
) -> np.ndarray:
    """Hour-of-week rates per hour: shrunk toward the separable fit, then smoothed."""
    day = np.where(rates["day"].to_numpy() >= 5, weekend_factor, 1.0)
    separable = base * profile[rates["hour"].to_numpy()] * day
    shrunk = (rates["count"].to_numpy() + PRIOR_HOURS * separable) / (
        rates["exposure"].to_numpy() + PRIOR_HOURS
    )
    padded = np.concatenate([shrunk[-1:], shrunk, shrunk[:1]])
    return np.convolve(padded, SMOOTHING, mode="valid")


def _arrivals(cal: Calibration, rates: pd.DataFrame, incidents: pd.DataFrame) -> None:
    """Arrivals: the 24-hour profile x day factors, and the hour-of-week profile built on them."""
    profile = _profile(rates)
    base, weekend_factor, how = _day_factors(rates, profile)
    weekend = rates["day"] >= 5
    n_weekday, n_weekend = rates.loc[~weekend, "count"].sum(), rates.loc[weekend, "count"].sum()
    n = len(incidents)
    cal.estimates["profile"] = Estimate(
        [round(float(p), 3) for p in profile],
        n,
        "hour-of-day rates (incidents / hours observed), smoothed over neighbouring hours, "
        f"mean 1, at least {PROFILE_FLOOR:g}",
    )
    cal.estimates["weekday_factor"] = Estimate(1.0, int(n_weekday), "reference (weekdays)")
    cal.estimates["weekend_factor"] = Estimate(
        round(max(float(weekend_factor), 0.001), 3), int(n_weekend), how
    )
    week = _week_profile(rates, profile, base, max(weekend_factor, 0.001))
    rates["smoothed"] = week
    mean = float(week.mean())
    multipliers = np.maximum(week / mean, PROFILE_FLOOR) if mean > 0 else np.ones(168)
    multipliers = multipliers / multipliers.mean()
    cal.estimates["week_profile"] = Estimate(
        [round(float(m), 3) for m in multipliers],
        n,
        "incidents per hour in each hour of the week (Monday 00:00 first, local time), shrunk "
        f"toward profile x day factor with the weight of {PRIOR_HOURS:g} observed hours "
        "(assumption), smoothed over neighbouring hours, mean 1",
    )
    shares = incidents["service"].replace("", "unnamed").value_counts()
    cal.estimates["rate_per_hour"] = Estimate(
        {str(s): round(max(mean * c / n, 1e-5), 5) for s, c in shares.items()},
        n,
        "mean incidents per hour over the week (week_profile 1), split by each service's share",
    )


def _mix(cal: Calibration, incidents: pd.DataFrame) -> None:
    counts = incidents["severity"].value_counts()
    n = int(counts.sum())
    cal.estimates["severity_mix"] = Estimate(
        {str(s): round(float(c / n), 4) for s, c in counts.sort_index().items()},
        n,
        "share of incidents by severity",
    )
    urgency = {}
    for sev, group in incidents.groupby("severity"):
        low = float(group["low_urgency"].mean())
        urgency[str(sev)] = "low" if low > 0.5 else "high"
    cal.estimates["urgency"] = Estimate(urgency, n, "each severity's majority urgency in the data")
    cal.estimates["low_urgency_share"] = Estimate(
        round(float(incidents["low_urgency"].mean()), 4), n, "share of low-urgency incidents"
    )


def calibrate(result: Import, *, team_size: int | None = None) -> Calibration:
    """Calibrate from an import (see the module's docstring and ``calibration_fits.py``)."""
    incidents = result.incidents
    weeks = max((result.end - result.start) / timedelta(weeks=1), 1 / 7)
    cal = Calibration(
        result.zone,
        weeks,
        len(incidents),
        result.start,
        result.end,
        f"{Path(result.source).name} ({result.format})",
    )
    if len(incidents) < 50:
        cal.warnings.append(
            f"only {len(incidents)} incidents: under 50, too few to calibrate or check with "
            "confidence; treat every number as a rough guess"
        )
    if result.zone == "UTC" or result.zone.startswith(("Etc/", "UTC")):
        cal.warnings.append(
            f"the profile and the awake/asleep windows are read in {result.zone}, the "
            "export's own offset: pass --zone with the team's time zone if it is another"
        )
    cal.rates = hour_of_week_rates(incidents, result.zone, result.start, result.end)
    _arrivals(cal, cal.rates, incidents)
    _mix(cal, incidents)
    windows = incidents["triggered"].map(lambda t: window_at(t.to_pydatetime(), result.zone).value)
    fit_response(cal, incidents.assign(window=windows), result.extras)
    fit_work(cal, incidents, result.end_minute)
    fit_team(cal, result.pages, team_size)
    return cal
