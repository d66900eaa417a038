"""Answer delays and misses from acknowledgements that PagerDuty's escalation has cut.

The first person is paged at once. If they miss the page (probability ``miss``) or have
not answered within the level's ``timeout``, the next level is paged then, and whoever
answers first acknowledges. An export that counts escalations therefore shows:

- not escalated: the first person's delay *d* itself, and only delays ``d <= timeout``;
- escalated: the first time anyone answered, ``t >= timeout``: ``timeout + d2`` after a
  miss, else ``min(d1, timeout + d2)`` with ``d1 > timeout``.

Fitting a lognormal to the not-escalated delays alone would cut its tail at the timeout
(a median too short) and count every slow answer as a miss. Here the delay (lognormal,
the same for both people: they are in the same window) and the miss probability are
fitted together by maximum likelihood over both kinds of incident; the second level is
assumed to answer (a second miss is rare and not in the likelihood).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from scipy import optimize, special, stats

__all__ = ["EscalationFit", "escalation_fit", "timeout_between"]


class EscalationFit(NamedTuple):
    """The fitted answer delay and miss probability, with standard errors (observed
    information, by the delta method; ``nan`` where the curvature cannot be measured)."""

    median: float
    sigma: float
    miss: float
    median_se: float
    sigma_se: float
    miss_se: float


def timeout_between(first: np.ndarray, escalated: np.ndarray) -> float | None:
    """The level timeout: above every not-escalated delay and below every escalated time.

    The midpoint of that gap, or ``None`` when the data have no such gap (several
    timeouts, or escalations by hand).
    """
    if first.size == 0 or escalated.size == 0:
        return None
    low, high = float(np.max(first)), float(np.min(escalated))
    return (low + high) / 2 if low <= high else None


def _log_likelihood(
    theta: np.ndarray, first: np.ndarray, escalated: np.ndarray, timeout: float
) -> float:
    mu, log_sigma, logit_miss = theta
    sigma, miss = float(np.exp(log_sigma)), float(special.expit(logit_miss))
    delay = stats.lognorm(sigma, scale=float(np.exp(mu)))
    total = first.size * np.log1p(-miss) + float(delay.logpdf(first).sum())
    after = np.clip(escalated - timeout, 1e-9, None)
    density = miss * delay.pdf(after) + (1 - miss) * (
        delay.pdf(escalated) * delay.sf(after) + delay.pdf(after) * delay.sf(escalated)
    )
    return total + float(np.log(np.clip(density, 1e-300, None)).sum())


def _standard_errors(
    function: Callable[[np.ndarray], float], theta: np.ndarray, step: float = 1e-3
) -> np.ndarray:
    """Standard errors of the parameters from the numerical Hessian of -log-likelihood."""
    k = theta.size
    hessian = np.empty((k, k))
    for i in range(k):
        for j in range(k):
            e_i, e_j = np.eye(k)[i] * step, np.eye(k)[j] * step
            hessian[i, j] = (
                function(theta + e_i + e_j)
                - function(theta + e_i - e_j)
                - function(theta - e_i + e_j)
                + function(theta - e_i - e_j)
            ) / (4 * step * step)
    try:
        variance = np.diag(np.linalg.inv(hessian))
    except np.linalg.LinAlgError:
        return np.full(k, np.nan)
    return np.sqrt(np.where(variance > 0, variance, np.nan))


def escalation_fit(first: np.ndarray, escalated: np.ndarray, timeout: float) -> EscalationFit:
    """The answer delay (median, sigma) and miss probability, by maximum likelihood (see the
    module), with standard errors.

    *first*: times to acknowledge of incidents not escalated; *escalated*: those of
    incidents escalated once; *timeout*: the first level's timeout, minutes.
    """
    first = np.clip(np.asarray(first, float), 1e-3, None)
    escalated = np.clip(np.asarray(escalated, float), timeout, None)
    logs = np.log(np.concatenate([first, escalated]))
    share = (escalated.size + 0.5) / (first.size + escalated.size + 1)
    start = np.array([logs.mean(), np.log(max(logs.std(), 0.2)), special.logit(share / 2)])

    def loss(theta: np.ndarray) -> float:
        return -_log_likelihood(theta, first, escalated, timeout)

    result = optimize.minimize(
        loss, start, method="Nelder-Mead", options={"xatol": 1e-6, "fatol": 1e-9, "maxiter": 5000}
    )
    mu, log_sigma, logit_miss = result.x
    se = _standard_errors(loss, result.x)
    median, sigma, miss = (
        float(np.exp(mu)),
        float(np.exp(log_sigma)),
        float(special.expit(logit_miss)),
    )
    return EscalationFit(
        median, sigma, miss, median * se[0], sigma * se[1], miss * (1 - miss) * se[2]
    )
