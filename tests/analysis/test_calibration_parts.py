"""Pieces of the calibration: the censored lognormal fit, hour-of-week rates, the plots."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pager_lab.alerting.importing import load_export
from pager_lab.analysis.calibration import calibrate, hour_of_week_rates
from pager_lab.analysis.calibration_base import lognormal_fit
from pager_lab.analysis.fit_plots import km_quantiles, plot_hour_of_week, plot_survival
from pager_lab.analysis.style import png_bytes
from tests.helpers import DATA


def test_a_censored_lognormal_fit_recovers_what_dropping_the_open_ones_biases():
    rng = np.random.default_rng(11)
    true = rng.lognormal(math.log(40.0), 1.0, 4000)
    cut = 60.0  # the export: anything longer is still open, seen only as "at least 60"
    seen, open_ = np.minimum(true, cut), true > cut
    median, sigma = lognormal_fit(seen, open_)
    assert abs(math.log(median / 40.0)) < 0.05 and abs(sigma - 1.0) < 0.05
    dropped, _ = lognormal_fit(seen[~open_])
    assert dropped < 30.0  # what a naive fit of the resolved ones only would claim


def test_hour_of_week_rates_count_incidents_over_the_hours_observed():
    stamps = pd.to_datetime(["2026-03-02T09:10:00Z", "2026-03-09T09:50:00Z"], utc=True)
    rates = hour_of_week_rates(
        pd.DataFrame({"triggered": stamps}), "UTC", stamps[0], pd.Timestamp("2026-03-16", tz="UTC")
    )
    monday_nine = rates[(rates["day"] == 0) & (rates["hour"] == 9)].iloc[0]
    assert (monday_nine["count"], monday_nine["exposure"], monday_nine["rate"]) == (2, 2, 1.0)
    assert len(rates) == 168 and rates["count"].sum() == 2
    assert rates.loc[rates["hour"] == 10, "smoothed"].iloc[0] == 0.25  # a neighbour's share


def test_the_notebook_plots_are_pngs_with_titles():
    result, _ = load_export(
        DATA / "imports" / "pagerduty-synthetic-sample.json", zone="Europe/Dublin"
    )
    calibration = calibrate(result)
    figure = plot_hour_of_week(calibration.rates)
    assert png_bytes(figure).startswith(b"\x89PNG") and "hour of the week" in repr(figure)
    ttr = result.incidents["time_to_resolve"].to_numpy()
    open_ = result.incidents["resolved_minute"].isna().to_numpy()
    figure = plot_survival({"all": (ttr, open_)}, "Time to resolve")
    assert png_bytes(figure).startswith(b"\x89PNG") and repr(figure) == "Figure: Time to resolve"
    quartiles = km_quantiles(np.array([1.0, 2.0, 3.0, 4.0]), np.zeros(4, bool), np.array([0.5]))
    assert quartiles.tolist() == [2.0]
