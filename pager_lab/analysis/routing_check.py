"""The model's routing stage checked against a real Alertmanager, on the same alert stream.

:func:`compare_with_alertmanager` replays one stream of ``RoutedAlert`` s through the core's
:func:`~pager_lab.core.routing.route` and through a real Alertmanager per configuration (the
Alertmanagers run side by side, each with its own receiver, in accelerated wall-clock time),
and pairs their notifications group by group: how many each sent, and how far apart in
simulated minutes the paired notifications are. The model agrees when every group got the
same number of notifications and each pair is within one ``group_interval``.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from matplotlib.figure import Figure

from pager_lab.alerting.am_config import describe_routing
from pager_lab.alerting.am_replay import AlertmanagerLoop, ReplayReport
from pager_lab.analysis.style import OKABE_ITO, add_caption, new_figure
from pager_lab.core.routing import RoutedAlert, RoutingResult, route
from pager_lab.core.routing_config import RoutingConfig

__all__ = ["RoutingCheck", "compare_with_alertmanager", "pair_notifications", "plot_routing_check"]


def pair_notifications(
    model: Mapping[str, Sequence[float]], real: Mapping[str, Sequence[float]], interval: float
) -> pd.DataFrame:
    """One row per group: notifications in the model and from Alertmanager, the largest gap
    between paired notifications (minutes, the n-th with the n-th) and whether they agree."""
    rows = []
    for key in sorted(set(model) | set(real)):
        ours, theirs = sorted(model.get(key, ())), sorted(real.get(key, ()))
        gaps = [abs(a - b) for a, b in zip(ours, theirs, strict=False)]
        largest = max(gaps) if gaps else float("nan")
        rows.append(
            {
                "group": key,
                "model": len(ours),
                "alertmanager": len(theirs),
                "largest_gap_minutes": largest,
                "agrees": len(ours) == len(theirs) and (not gaps or largest <= interval),
            }
        )
    return pd.DataFrame(
        rows, columns=["group", "model", "alertmanager", "largest_gap_minutes", "agrees"]
    )


@dataclass(frozen=True)
class RoutingCheck:
    """One configuration: the model's notifications, Alertmanager's, and their pairing."""

    name: str
    routing: RoutingConfig
    model: RoutingResult
    real: ReplayReport
    groups: pd.DataFrame
    """:func:`pair_notifications`' table."""

    @property
    def agrees(self) -> bool:
        """Same notifications per group, each within one ``group_interval``."""
        return bool(self.groups["agrees"].all())

    def __repr__(self) -> str:
        return f"RoutingCheck({self.name!r}, agrees={self.agrees})"

    def summary(self) -> dict[str, object]:
        """The counts a table shows (no wall-clock values): alerts, notifications, pages."""
        return {
            "configuration": self.name,
            "alerts": self.real.alerts_sent,
            "pages": self.real.pages,
            "notifications": len(self.real.notifications),
            "model's notifications": len(self.model.notifications),
            "agrees": self.agrees,
        }


def _minutes_by_group(pairs: Sequence[tuple[str, float]]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = defaultdict(list)
    for key, minute in pairs:
        out[key].append(minute)
    return out


def _one(
    name: str, alerts: Sequence[RoutedAlert], routing: RoutingConfig, speed: float, start: datetime
) -> RoutingCheck:
    with AlertmanagerLoop(routing, speed=speed, start=start) as loop:
        real = loop.replay(alerts, origin=0.0)
    model = route(alerts, real.model_routing or routing)  # with Alertmanager's clean-up phase
    groups = pair_notifications(
        _minutes_by_group([(n.group_key, n.minute) for n in model.notifications]),
        _minutes_by_group([(n.group_key, n.minute) for n in real.notifications]),
        routing.group_interval_minutes,
    )
    return RoutingCheck(name, routing, model, real, groups)


def compare_with_alertmanager(
    alerts: Sequence[RoutedAlert],
    configurations: Mapping[str, RoutingConfig],
    *,
    speed: float = 600.0,
    start: datetime | None = None,
) -> list[RoutingCheck]:
    """Each configuration through the model and through its own real Alertmanager (run side
    by side); raises ``AlertmanagerMissing`` when the binary is not installed."""
    begin = start or datetime.fromisoformat("2026-11-03T03:00+00:00")
    with ThreadPoolExecutor(max_workers=max(1, len(configurations))) as pool:
        futures = [
            pool.submit(_one, name, alerts, routing, speed, begin)
            for name, routing in configurations.items()
        ]
        return [f.result() for f in futures]


def plot_routing_check(checks: Sequence[RoutingCheck]) -> Figure:
    """One panel per configuration: each group's notifications over simulated time, the
    model's (circles) beside the real Alertmanager's (crosses)."""
    fig, _ = new_figure(8.0, 2.2 * len(checks) + 0.8, rows=len(checks))
    for ax, check in zip(fig.axes, checks, strict=True):
        keys = sorted(check.groups["group"])
        row = {key: i for i, key in enumerate(keys)}
        for notes, marker, colour, label, offset in (
            (check.model.notifications, "o", OKABE_ITO["blue"], "model", 0.12),
            (check.real.notifications, "x", OKABE_ITO["vermillion"], "Alertmanager", -0.12),
        ):
            ax.scatter(
                [n.minute for n in notes],
                [row[n.group_key] + offset for n in notes],
                marker=marker,
                s=28,
                color=colour,
                facecolors="none" if marker == "o" else colour,
                label=f"{label} ({len(notes)})",
            )
        ax.set_yticks(range(len(keys)))
        ax.set_yticklabels([_short(k) for k in keys], fontsize="x-small")
        title = f"{check.name}: {describe_routing(check.routing)}"
        ax.set_title("\n".join(textwrap.wrap(title, 90)), fontsize="small")  # never cut off
        ax.set_ylabel("group")
        ax.legend(fontsize="x-small", loc="upper left", bbox_to_anchor=(1.0, 1.0))  # off the points
    fig.axes[-1].set_xlabel("simulated minute")
    fig.suptitle("Notifications per group: the model's routing stage and a real Alertmanager")
    add_caption(
        fig, "A cross on each circle: the model and Alertmanager notified at the same time."
    )
    return fig


def _short(group_key: str, width: int = 38) -> str:
    inner = group_key.removeprefix("{}:")
    return inner if len(inner) <= width else inner[: width - 1] + "…"
