"""The duration fits of a calibration: answering pages, working incidents, the team.

- **Answering** (``[response]``): high-urgency incidents only (low urgency waits for
  business hours, which is not a response delay). The window at creation, in the
  export's zone, tells awake (business, off-hours) from asleep (sleep). Where the export
  counts escalations (PagerDuty's ``escalation_count``), the level timeout lies between
  the longest answer not escalated and the shortest escalated one, and the delay and the
  miss probability are fitted together (``escalation_fit.py``): a slow answer escalates
  too, so neither the not-escalated delays alone nor the escalated share would do.
- **Working** (``[work]``): acknowledgement to resolution, a lognormal per severity
  (censored when still open), one pooled sigma. The time to resolve from creation is
  also fitted with each of :data:`~pager_lab.analysis.calibration.TTR_CANDIDATES`
  and ranked by AIC, to say whether lognormal is a fair shape.
- **Team**: the responders a pages table names, else an explicit assumption.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from pager_lab.analysis.calibration_base import (
    MIN_FIT,
    TTR_CANDIDATES,
    Calibration,
    Estimate,
    lognormal_fit,
)
from pager_lab.analysis.escalation_fit import escalation_fit, timeout_between
from pager_lab.sim.scenario import ResponseModel, WorkModel

__all__ = ["DEFAULT_TEAM_SIZE", "fit_response", "fit_team", "fit_ttr", "fit_work"]

DEFAULT_TEAM_SIZE = 6
"""Assumed when the export names no responders: the lab's baseline team."""
MIN_SIGMA = 0.05
"""A fitted sigma is never below this (identical durations would give 0, which no
lognormal has)."""
DEFAULT_TIMEOUT = 5.0
"""Assumed level timeout (Grafana OnCall's default wait; REFERENCES.md)."""


def _escalated(incidents: pd.DataFrame, extras: pd.DataFrame | None) -> pd.Series | None:
    if extras is None or "escalation_count" not in extras:
        return None
    counts = extras.set_index("incident_id")["escalation_count"].astype(float)
    return incidents["incident_id"].map(counts).fillna(0).gt(0)


def _state_fit(cal: Calibration, state: str, minutes: np.ndarray, what: str) -> None:
    default = ResponseModel()
    if minutes.size >= MIN_FIT:
        median, sigma = lognormal_fit(minutes)
        source = f"lognormal fitted to the time to acknowledge of {what}"
        cal.estimates[f"{state}_median_minutes"] = Estimate(round(median, 3), minutes.size, source)
        cal.estimates[f"{state}_sigma"] = Estimate(
            round(max(sigma, MIN_SIGMA), 3), minutes.size, source
        )
        return
    for key in (f"{state}_median_minutes", f"{state}_sigma"):
        cal.estimates[key] = Estimate(
            getattr(default, key),
            0,
            f"the lab's default (assumption): only {minutes.size} incidents {what}",
        )


def _joint_fit(
    cal: Calibration, state: str, tta: np.ndarray, escalated: np.ndarray, timeout: float, what: str
) -> None:
    fit = escalation_fit(tta[~escalated], tta[escalated], timeout)
    how = (
        f"maximum likelihood over {what}: {int((~escalated).sum())} answered by the first "
        f"person, {int(escalated.sum())} escalated (a miss, or no answer within the timeout)"
    )
    for key, value, se in (
        (f"{state}_median_minutes", fit.median, fit.median_se),
        (f"{state}_sigma", max(fit.sigma, MIN_SIGMA), fit.sigma_se),
        (f"{state}_miss", fit.miss, fit.miss_se),
    ):
        cal.estimates[key] = Estimate(round(value, 4), tta.size, f"SE {se:.3g}; {how}")


def fit_response(cal: Calibration, incidents: pd.DataFrame, extras: pd.DataFrame | None) -> None:
    """``[response]`` and the level timeout, from high-urgency acknowledgements by window."""
    high = incidents[~incidents["low_urgency"] & incidents["acknowledged_minute"].notna()]
    escalated = _escalated(high, extras)
    timeout = _timeout(cal, high, escalated)
    asleep = high["window"].eq("sleep").to_numpy()
    tta_all = high["time_to_acknowledge"].to_numpy(float)
    for state, mask in (("awake", ~asleep), ("asleep", asleep)):
        where = "in the sleep window" if state == "asleep" else "in business or off-hours"
        what = f"high-urgency incidents created {where} ({cal.zone})"
        tta = tta_all[mask]
        if escalated is None:
            _state_fit(cal, state, tta, what)
            cal.estimates[f"{state}_miss"] = Estimate(
                0.0, 0, "assumption: the export has no escalation_count; misses are in the delay"
            )
            continue
        esc = escalated.to_numpy()[mask]
        if timeout is not None and tta.size >= MIN_FIT and (~esc).sum() >= 3 and esc.any():
            _joint_fit(cal, state, tta, esc, timeout, what)
            continue
        _state_fit(cal, state, tta[~esc], what + " that were not escalated")
        share = float(esc.mean()) if esc.size else 0.0
        cal.estimates[f"{state}_miss"] = Estimate(
            round(share, 4),
            int(esc.size),
            f"share escalated of {what} (no clear timeout, or too few: slow answers "
            "count as misses)",
        )


def _timeout(cal: Calibration, high: pd.DataFrame, escalated: pd.Series | None) -> float | None:
    """The first level's timeout: between the longest answer that was not escalated and the
    shortest escalated one; ``None`` when the data show no such gap."""
    if escalated is None or escalated.sum() == 0:
        n = 0 if escalated is None else int(escalated.sum())
        cal.estimates["timeout_minutes"] = Estimate(
            DEFAULT_TIMEOUT,
            0,
            f"assumption: Grafana OnCall's default wait (only {n} escalated incidents)",
        )
        return None
    tta = high["time_to_acknowledge"].to_numpy(float)
    esc = escalated.to_numpy()
    between = timeout_between(tta[~esc], tta[esc])
    if between is not None:
        cal.estimates["timeout_minutes"] = Estimate(
            round(between, 2),
            int(tta.size),
            f"between the longest answer not escalated ({tta[~esc].max():.2f} min) and the "
            f"shortest escalated one ({tta[esc].min():.2f} min)",
        )
        return between
    extra = float(np.median(tta[esc]) - np.median(tta[~esc]))
    cal.estimates["timeout_minutes"] = Estimate(
        max(1.0, round(extra * 2) / 2),
        int(esc.sum()),
        "median time to acknowledge of escalated minus not escalated incidents (the data "
        "show no single timeout)",
    )
    return None


def _work_durations(incidents: pd.DataFrame, end_minute: float) -> pd.DataFrame:
    acked = incidents[incidents["acknowledged_minute"].notna()]
    still_open = acked["resolved_minute"].isna()
    resolved = acked["resolved_minute"].where(~still_open, end_minute)
    return pd.DataFrame(
        {
            "severity": acked["severity"],
            "minutes": (resolved - acked["acknowledged_minute"]).to_numpy(float),
            "censored": still_open.to_numpy(),
        }
    )


def fit_work(cal: Calibration, incidents: pd.DataFrame, end_minute: float) -> None:
    """``[work]``: a lognormal of acknowledgement → resolution per severity, pooled sigma."""
    work = _work_durations(incidents, end_minute)
    if len(work) < MIN_FIT:
        _default_work(cal, len(work))
        fit_ttr(cal, incidents, end_minute)
        return
    overall = lognormal_fit(work["minutes"].to_numpy(), work["censored"].to_numpy())
    medians, notes, sigmas = {}, [], []
    for sev, group in work.groupby("severity"):
        if len(group) >= MIN_FIT:
            median, sigma = lognormal_fit(group["minutes"].to_numpy(), group["censored"].to_numpy())
            medians[str(sev)] = round(median, 2)
            sigmas.append((len(group), sigma))
            notes.append(f"{sev} {len(group)}")
        else:
            medians[str(sev)] = round(overall[0], 2)
            notes.append(f"{sev} {len(group)} (too few: the overall median)")
    sigma = sum(n * s for n, s in sigmas) / sum(n for n, _ in sigmas) if sigmas else overall[1]
    n = len(work)
    censored = int(work["censored"].sum())
    cal.estimates["resolve_median_minutes"] = Estimate(
        medians,
        n,
        "lognormal per severity of acknowledged → resolved (incidents: "
        + ", ".join(notes)
        + f"; {censored} still open, censored)",
    )
    cal.estimates["resolve_sigma"] = Estimate(
        round(max(float(sigma), MIN_SIGMA), 3),
        n,
        f"the per-severity fits' sigma, weighted by incidents (at least {MIN_SIGMA:g})",
    )
    fit_ttr(cal, incidents, end_minute)


def _default_work(cal: Calibration, n: int) -> None:
    default = WorkModel()
    why = f"the lab's default (assumption): only {n} acknowledged incidents"
    cal.estimates["resolve_median_minutes"] = Estimate(
        {str(s): v for s, v in default.resolve_median_minutes.items()}, 0, why
    )
    cal.estimates["resolve_sigma"] = Estimate(default.resolve_sigma, 0, why)


def fit_ttr(cal: Calibration, incidents: pd.DataFrame, end_minute: float) -> None:
    """Rank :data:`TTR_CANDIDATES` by AIC on the time to resolve (censored where open)."""
    still_open = incidents["resolved_minute"].isna().to_numpy()
    minutes = incidents["time_to_resolve"].to_numpy(float)
    minutes = np.where(still_open, end_minute - incidents["triggered_minute"], minutes)
    minutes = np.clip(minutes, 0.01, None)
    data = stats.CensoredData.right_censored(minutes, still_open) if still_open.any() else minutes
    rows = []
    for name in TTR_CANDIDATES:
        dist = getattr(stats, name)
        params = dist.fit(data, floc=0)
        loglik = float(dist.logpdf(minutes[~still_open], *params).sum())
        loglik += float(dist.logsf(minutes[still_open], *params).sum())
        k = len(params) - 1  # loc is fixed at 0
        rows.append(
            {"distribution": name, "params": params, "loglik": loglik, "aic": 2 * k - 2 * loglik}
        )
    table = pd.DataFrame(rows).sort_values("aic", ignore_index=True)
    table["delta_aic"] = table["aic"] - table["aic"].iloc[0]
    cal.ttr_fits = table
    cal.estimates["ttr_distribution"] = Estimate(
        str(table["distribution"].iloc[0]),
        len(minutes),
        "lowest AIC of "
        + ", ".join(f"{r.distribution} {r.delta_aic:+.1f}" for r in table.itertuples()),
    )


def fit_team(cal: Calibration, pages: pd.DataFrame | None, team_size: int | None) -> None:
    """The team: the responders the pages name, or *team_size*, or the assumed default."""
    rotation = "weekly primary/secondary rotation of the whole team (the lab's default: assumption)"
    cal.estimates["rotation"] = Estimate("weekly", 0, rotation)
    if team_size is not None:
        cal.estimates["team_size"] = Estimate(team_size, 0, "given by the user (--team-size)")
        return
    if pages is not None and len(pages) and pages["responder"].ne("").any():
        people = sorted(set(pages["responder"]) - {""})
        cal.estimates["team"] = Estimate(people, len(pages), "the responders the export names")
        return
    cal.estimates["team_size"] = Estimate(
        DEFAULT_TEAM_SIZE,
        0,
        "assumption: the export names no responders; the lab's baseline team (--team-size N)",
    )
