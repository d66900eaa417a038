"""Analysis: metrics (MTTA, MTTR with intervals), on-call load and burnout
heuristics, summaries, experiments (compare on common random numbers, sweeps),
plots, and the calibration of a scenario from imported incidents with a check of
its fit. It only consumes tables (the model's, or imported ones).

It may import ``pager_lab.core``, ``pager_lab.sim`` and ``pager_lab.alerting``.
"""

from typing import TYPE_CHECKING

from pager_lab._lazy import lazy_exports

_EXPORTS = {
    "compare_with_alertmanager": ".routing_check",
    "plot_routing_check": ".routing_check",
    "RoutingCheck": ".routing_check",
    "batch_means_interval": ".intervals",
    "calibrate": ".calibration",
    "calibrated_scenario": ".calibration_toml",
    "Calibration": ".calibration_base",
    "simulate_and_compare": ".fit_check",
    "Estimate": ".calibration_base",
    "FitCheck": ".fit_check",
    "fit_report": ".fit_check",
    "hour_of_week_rates": ".calibration",
    "km_quantiles": ".fit_plots",
    "logrank_test": ".logrank",
    "median_difference": ".logrank",
    "plot_fit_check": ".fit_plots",
    "plot_hour_of_week": ".fit_plots",
    "plot_survival": ".fit_plots",
    "scenario_toml": ".calibration_toml",
    "censor": ".survival",
    "compare_report": ".experiment_report",
    "holm": ".intervals",
    "kaplan_meier": ".survival",
    "kaplan_meier_statistic": ".survival",
    "METRIC_UNITS": ".summary",
    "mtta_by_urgency": ".metrics",
    "replication_interval": ".intervals",
    "sweep_report": ".experiment_report",
    "urgency_report": ".summary",
    "plot_alerts_by_hour": ".plots",
    "plot_alerts_over_time": ".plots",
    "bootstrap_interval": ".metrics",
    "burnout_flags": ".oncall_load",
    "BurnoutThresholds": ".oncall_load",
    "compare": ".experiments",
    "escalation_summary": ".metrics",
    "gini": ".metrics",
    "HEADLINE_METRICS": ".summary",
    "hours_worked": ".oncall_load",
    "interruptions": ".oncall_load",
    "max_min_ratio": ".metrics",
    "PAGES_PER_PERSON_WEEK_BUDGET": ".plots",
    "plot_comparison": ".plots",
    "plot_drill_signals": ".drill_plot",
    "plot_escalation_funnel": ".plots",
    "plot_interruptions": ".plots",
    "plot_pages_heatmap": ".plots",
    "plot_response_distribution": ".plots",
    "plot_schedule": ".plots",
    "plot_sweep": ".plots",
    "plot_team_over_time": ".plots",
    "replication_seeds": ".experiments",
    "response_table": ".metrics",
    "route_events": ".replay_routing",
    "run_replication": ".experiments",
    "SerialExecutor": ".experiments",
    "shift_budget": ".oncall_load",
    "STATISTICS": ".metrics",
    "summarize": ".summary",
    "summary_report": ".summary",
    "sweep": ".experiments",
    "sweep_summary": ".experiments",
    "team_over_time": ".oncall_load",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:  # what type checkers and editors see; at run time names load lazily
    from .calibration import calibrate, hour_of_week_rates
    from .calibration_base import Calibration, Estimate
    from .calibration_toml import calibrated_scenario, scenario_toml
    from .drill_plot import plot_drill_signals
    from .experiment_report import compare_report, sweep_report
    from .experiments import (
        SerialExecutor,
        compare,
        replication_seeds,
        run_replication,
        sweep,
        sweep_summary,
    )
    from .fit_check import FitCheck, fit_report, simulate_and_compare
    from .fit_plots import km_quantiles, plot_fit_check, plot_hour_of_week, plot_survival
    from .intervals import batch_means_interval, holm, replication_interval
    from .logrank import logrank_test, median_difference
    from .metrics import (
        STATISTICS,
        bootstrap_interval,
        escalation_summary,
        gini,
        max_min_ratio,
        mtta_by_urgency,
        response_table,
    )
    from .oncall_load import (
        BurnoutThresholds,
        burnout_flags,
        hours_worked,
        interruptions,
        shift_budget,
        team_over_time,
    )
    from .plots import (
        PAGES_PER_PERSON_WEEK_BUDGET,
        plot_alerts_by_hour,
        plot_alerts_over_time,
        plot_comparison,
        plot_escalation_funnel,
        plot_interruptions,
        plot_pages_heatmap,
        plot_response_distribution,
        plot_schedule,
        plot_sweep,
        plot_team_over_time,
    )
    from .replay_routing import route_events
    from .routing_check import RoutingCheck, compare_with_alertmanager, plot_routing_check
    from .summary import HEADLINE_METRICS, METRIC_UNITS, summarize, summary_report, urgency_report
    from .survival import censor, kaplan_meier, kaplan_meier_statistic
