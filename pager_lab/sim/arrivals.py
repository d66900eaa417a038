"""Alert streams: when alerts fire, generated up front from each source's own random stream.

Alerts do not depend on how the team responds, so they are drawn before the
simulation starts, one independent ``numpy.random.Generator`` per source (from
``SeedSequence.spawn``). Two scenarios that differ only in team or policy
therefore see exactly the same alerts (common random numbers).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from pager_lab.core.incident import Severity
from pager_lab.core.tables import ALERTS
from pager_lab.sim.scenario import AlertSource

__all__ = ["ALERT_COLUMNS", "PUBLIC_ALERT_COLUMNS", "generate_alerts", "rate_at"]

PUBLIC_ALERT_COLUMNS = [
    c for c in ALERTS if c not in ("alert_id", "timestamp", "incident_id", "joined")
]
"""The alerts table's columns that arrivals generate (the core's schema less what the run adds);
the generated table also holds the per-alert draws the simulation uses."""
ALERT_COLUMNS = [*PUBLIC_ALERT_COLUMNS, "runbook_u", "triage_z", "work_z", "work_u"]
_SEVERITIES = list(Severity)
_SEVERITY_NAMES = np.array([str(s) for s in _SEVERITIES], dtype=object)


def _local_hours_and_weekend(
    start: datetime, minutes: np.ndarray, zone: str
) -> tuple[np.ndarray, np.ndarray]:
    stamps = pd.DatetimeIndex(
        pd.Timestamp(start).tz_convert("UTC") + pd.to_timedelta(minutes, unit="min")
    ).tz_convert(zone)
    return np.asarray(stamps.hour), np.asarray(stamps.day_of_week >= 5)


def _local_hours_of_week(start: datetime, minutes: np.ndarray, zone: str) -> np.ndarray:
    stamps = pd.DatetimeIndex(
        pd.Timestamp(start).tz_convert("UTC") + pd.to_timedelta(minutes, unit="min")
    ).tz_convert(zone)
    return np.asarray(stamps.day_of_week * 24 + stamps.hour)


def rate_at(source: AlertSource, start: datetime, minutes: np.ndarray, zone: str) -> np.ndarray:
    """The source's alert rate (per minute) at each of *minutes*: base x profile x day factor,
    or base x the hour-of-week multiplier when the source has a ``week_profile``."""
    if source.week_profile:
        cells = _local_hours_of_week(start, minutes, zone)
        return source.rate_per_hour / 60 * np.asarray(source.week_profile)[cells]
    hours, weekend = _local_hours_and_weekend(start, minutes, zone)
    factor = np.where(weekend, source.weekend_factor, source.weekday_factor)
    return source.rate_per_hour / 60 * np.asarray(source.profile)[hours] * factor


def _base_times(
    source: AlertSource, rng: np.random.Generator, start: datetime, horizon: float, zone: str
) -> np.ndarray:
    """A non-homogeneous Poisson process by thinning (Lewis and Shedler)."""
    peak = source.peak_rate_per_minute
    if peak <= 0:
        return np.empty(0)
    candidates = np.sort(rng.uniform(0, horizon, rng.poisson(peak * horizon)))
    keep = rng.uniform(0, peak, candidates.size) < rate_at(source, start, candidates, zone)
    return candidates[keep]


def _refires(
    source: AlertSource, rng: np.random.Generator, first: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each problem fires 1 + Poisson(mean - 1) alerts within ``refire_minutes``."""
    extra = rng.poisson(max(source.alerts_per_problem - 1, 0.0), first.size)
    problem = np.repeat(np.arange(first.size), 1 + extra)
    offsets = rng.uniform(0, source.refire_minutes, problem.size)
    starts = np.r_[0, np.cumsum(1 + extra)[:-1]] if first.size else np.empty(0, int)
    offsets[starts] = 0.0
    return first[problem] + offsets, problem


def _storm_times(source: AlertSource, rng: np.random.Generator) -> tuple[np.ndarray, list[str]]:
    times, keys = [], []
    for s, storm in enumerate(source.storms):
        times.append(storm.at + rng.uniform(0, storm.spread_minutes, storm.count))
        keys += [f"{source.service}/storm-{s}/{k % storm.dedup_keys}" for k in range(storm.count)]
    return (np.concatenate(times) if times else np.empty(0)), keys


def _flapping(
    source: AlertSource, rng: np.random.Generator, horizon: float
) -> tuple[np.ndarray, list[str], list[str]]:
    flap = source.flapping
    if flap is None or flap.episodes_per_week <= 0:
        return np.empty(0), [], []
    starts = np.sort(
        rng.uniform(0, horizon, rng.poisson(flap.episodes_per_week * horizon / (7 * 24 * 60)))
    )
    times, keys, kinds = [], [], []
    period = flap.fire_minutes + flap.clear_minutes
    for e, t0 in enumerate(starts):
        for c in range(flap.cycles):
            fire = t0 + c * period
            times += [fire, fire + flap.fire_minutes]
            keys += [f"{source.service}/flap-{e}"] * 2
            kinds += ["trigger", "resolve"]
    return np.asarray(times), keys, kinds


def _source_alerts(
    source: AlertSource,
    seed: np.random.SeedSequence,
    start: datetime,
    horizon: float,
    zone: str,
    low_urgency: frozenset[str],
) -> pd.DataFrame:
    base_seq, storm_seq, flap_seq, attr_seq = seed.spawn(4)
    base_rng = np.random.default_rng(base_seq)
    base, problem = _refires(source, base_rng, _base_times(source, base_rng, start, horizon, zone))
    storm, storm_keys = _storm_times(source, np.random.default_rng(storm_seq))
    flap, flap_keys, flap_kinds = _flapping(source, np.random.default_rng(flap_seq), horizon)
    n = base.size + storm.size + flap.size
    rng = np.random.default_rng(attr_seq)
    mix = np.asarray([source.severity_mix.get(s, 0.0) for s in _SEVERITIES])
    service = source.service
    severity = _SEVERITY_NAMES[rng.choice(4, size=n, p=mix / mix.sum())]
    frame = pd.DataFrame(
        {
            "minute": np.concatenate([base, storm, flap]),
            "service": source.service,
            "dedup_key": [f"{service}/{i}" for i in problem.tolist()] + storm_keys + flap_keys,
            "kind": ["trigger"] * (base.size + storm.size) + flap_kinds,
            "severity": severity.tolist(),
            "noise": rng.random(n) < source.noise_share,
            "low_urgency": np.isin(severity, list(low_urgency)),
            "origin": ["base"] * base.size + ["storm"] * storm.size + ["flapping"] * flap.size,
            "runbook_u": rng.random(n),
            "triage_z": rng.standard_normal(n),
            "work_z": rng.standard_normal(n),
            "work_u": rng.random(n),
        }
    )
    return frame[frame["minute"] < horizon]


def generate_alerts(
    sources: tuple[AlertSource, ...],
    seeds: list[np.random.SeedSequence],
    start: datetime,
    horizon: float,
    zone: str,
    low_urgency: frozenset[str] = frozenset({"SEV3", "SEV4"}),
) -> pd.DataFrame:
    """Every alert of every source in [0, horizon) minutes, sorted by time, with an ``alert_id``.

    An alert is low urgency when its severity is in *low_urgency* (the scenario's
    :attr:`~pager_lab.sim.scenario.Scenario.low_urgency_severities`).
    """
    frames = [
        _source_alerts(s, q, start, horizon, zone, low_urgency)
        for s, q in zip(sources, seeds, strict=True)
    ]
    alerts = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=ALERT_COLUMNS)
    alerts = alerts.sort_values("minute", kind="stable", ignore_index=True)
    alerts.insert(0, "alert_id", [f"A-{i + 1}" for i in range(len(alerts))])
    return alerts
