"""Textbook mode against queueing theory (REFERENCES.md): M/M/1 and Erlang C for M/M/c.

With Poisson arrivals, immediate acknowledgement, exponential work and c
interchangeable responders, the model is an M/M/c queue; the simulated mean
time in system and probability of waiting must be within 3 % of the formulas.
"""

from __future__ import annotations

import math

import pytest

from pager_lab.sim.model import simulate
from pager_lab.sim.scenario_io import load_scenario, with_changes
from tests.helpers import DATA


def erlang_c(c: int, a: float) -> float:
    """Probability that an arrival waits in an M/M/c queue with offered load a = lambda/mu."""
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


@pytest.mark.parametrize(
    ("lam", "mu", "c", "weeks"),
    [(0.5, 1.0, 1, 900), (1.0, 1.0, 2, 450), (2.0, 1.0, 3, 250), (6.0, 2.0, 4, 120)],
)
def test_textbook_mode_matches_mmc_formulas(lam: float, mu: float, c: int, weeks: int):
    base = load_scenario(DATA / "scenarios" / "textbook-mmc.toml")
    scenario = with_changes(
        base,
        {
            "team_size": c,
            "sources[0].rate_per_hour": lam,
            "work.resolve_mean_minutes": 60.0 / mu,
            "weeks": weeks,
        },
    )
    incidents = simulate(scenario, seed=2026).incidents
    assert len(incidents) > 20_000
    a = lam / mu
    p_wait = erlang_c(c, a)
    w_theory = (p_wait / (c * mu - lam) + 1 / mu) * 60  # minutes
    w_sim = incidents["time_to_resolve"].mean()
    p_sim = (incidents["wait_minutes"] > 0).mean()
    assert w_sim == pytest.approx(w_theory, rel=0.03), (w_sim, w_theory)
    assert p_sim == pytest.approx(p_wait, rel=0.03), (p_sim, p_wait)
    assert (incidents["time_to_acknowledge"] == 0).all()


def test_mm1_example_from_the_references():
    # lambda = 0.8, mu = 1: Wq = 4, W = 5 (hours), P(wait) = 0.8.
    assert erlang_c(1, 0.8) == pytest.approx(0.8)
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
    assert erlang_c(1, 0.8) / (1 - 0.8) == pytest.approx(4)
