"""Analysis: metrics (MTTA, MTTR with intervals), on-call load and burnout
heuristics, summaries, experiments (compare on common random numbers, sweeps)
and plots. It only consumes the tables the model produces.

It may import ``pager_lab.core``, ``pager_lab.sim`` and ``pager_lab.alerting``.
"""

from typing import TYPE_CHECKING

from pager_lab._lazy import lazy_exports

_EXPORTS = {
    "compare_with_alertmanager": ".routing_check",
    "plot_routing_check": ".routing_check",
    "RoutingCheck": ".routing_check",
    "batch_means_interval": ".intervals",
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
    from .experiment_report import compare_report, sweep_report
    from .experiments import (
        SerialExecutor,
        compare,
        replication_seeds,
        run_replication,
        sweep,
        sweep_summary,
    )
    from .intervals import batch_means_interval, holm, replication_interval
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
