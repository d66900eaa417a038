"""The parts of a calibration: an estimate with its support, the calibration, the lognormal fit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["MIN_FIT", "TTR_CANDIDATES", "Calibration", "Estimate", "lognormal_fit"]

MIN_FIT = 10
"""The fewest durations a distribution is fitted to; with fewer the lab default is kept."""
TTR_CANDIDATES = ("lognorm", "gamma", "weibull_min", "expon")
"""Distributions compared by AIC for the time to resolve."""
MIN_MINUTES = 0.01


@dataclass(frozen=True)
class Estimate:
    """One calibrated number: its value, its support and its source."""

    value: Any
    support: int
    """Incidents it rests on (0: an assumption)."""
    source: str
    """Where it came from, in words (written as the scenario file's comment)."""


@dataclass
class Calibration:
    """Everything calibrated from one import, by scenario key."""

    zone: str
    weeks: float
    incidents: int
    start: datetime
    """The first incident's creation."""
    end: datetime
    """The export time."""
    source: str = ""
    """The export's file name and format."""
    estimates: dict[str, Estimate] = field(default_factory=dict)
    rates: pd.DataFrame | None = None
    """Hour-of-week rates per hour: raw and smoothed (168 rows, zone local time)."""
    ttr_fits: pd.DataFrame | None = None
    """The time-to-resolve candidates with their parameters, log-likelihood and AIC."""
    warnings: list[str] = field(default_factory=list)

    def __getitem__(self, key: str) -> Any:
        return self.estimates[key].value

    def __repr__(self) -> str:
        return (
            f"Calibration(incidents={self.incidents}, weeks={self.weeks:.1f}, zone={self.zone!r})"
        )


def lognormal_fit(minutes: np.ndarray, censored: np.ndarray | None = None) -> tuple[float, float]:
    """``(median, sigma)`` of a lognormal fitted by maximum likelihood (right-censoring kept)."""
    x = np.clip(np.asarray(minutes, dtype=float), MIN_MINUTES, None)
    cens = np.zeros(x.size, bool) if censored is None else np.asarray(censored, bool)
    if not cens.any():
        logs = np.log(x)
        return float(np.exp(logs.mean())), float(logs.std(ddof=0))
    data = stats.CensoredData.right_censored(x, cens)
    sigma, _, scale = stats.lognorm.fit(data, floc=0)
    return float(scale), float(sigma)
