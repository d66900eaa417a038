"""The optional routing stage: the model's alerts go through Alertmanager's grouping first.

With a scenario's ``[routing]`` table, the run does not page on each alert: the alerts
become Alertmanager alerts (:func:`routing_alerts`), the core's :func:`~pager_lab.core.
routing.route` groups, inhibits and silences them, and each **notification** is what
triggers (or joins, or clears) an incident, keyed by its ``groupKey`` — as the lab's
receiver does with a real Alertmanager's webhook. Without the table nothing here runs.

An Alertmanager alert is one *episode* of a dedup key: its first trigger starts it,
re-sends within ``resolve_timeout_minutes`` keep it firing (Alertmanager's
``resolve_timeout``: an alert sent without an end fires that long after its last send),
and an explicit resolve (flapping) ends it. Its labels are ``alertname`` (``problem``,
``storm-N`` or ``flapping``), ``service``, ``severity`` (SEV1-4 as critical, error,
warning, info) and ``instance`` (the dedup key).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from pager_lab.core.routing import Notification, RoutedAlert, RoutingResult, labels_of, route
from pager_lab.core.routing_config import RoutingConfig
from pager_lab.sim.recorder import Recorder
from pager_lab.sim.steps import Alert, IncidentLife, OpenIncident

__all__ = ["SEVERITY_LABELS", "AlertEpisodes", "RoutingStage", "routing_alerts"]

SEVERITY_LABELS = {"SEV1": "critical", "SEV2": "error", "SEV3": "warning", "SEV4": "info"}
"""The lab's severities as Alertmanager ``severity`` labels (the PagerDuty Events v2 names)."""


@dataclass(frozen=True)
class AlertEpisodes:
    """The alerts table as Alertmanager alerts, and which table rows each one is."""

    alerts: tuple[RoutedAlert, ...]
    rows: tuple[tuple[int, ...], ...]
    """For each alert, the positions of its rows in the alerts table (first row first)."""
    unmatched: tuple[int, ...] = ()
    """Resolve rows with no firing episode to end (they clear nothing)."""


def alert_labels(service: str, dedup_key: str, severity: str) -> dict[str, str]:
    """The Alertmanager labels of one of the model's alerts."""
    parts = dedup_key.split("/")
    if len(parts) == 3:
        name = parts[1]  # service/storm-N/k
    elif len(parts) == 2 and parts[1].startswith("flap-"):
        name = "flapping"
    else:
        name = "problem"
    return {
        "alertname": name,
        "service": service,
        "severity": SEVERITY_LABELS.get(severity, severity.lower()),
        "instance": dedup_key,
    }


def routing_alerts(alerts: pd.DataFrame, config: RoutingConfig) -> AlertEpisodes:
    """The model's alerts table (in time order) as Alertmanager alert episodes.

    The same stream can be posted to a real Alertmanager (``startsAt``/``endsAt``).
    """
    timeout = config.resolve_timeout_minutes
    columns = zip(
        alerts["minute"].tolist(),
        alerts["service"].tolist(),
        alerts["dedup_key"].tolist(),
        alerts["kind"].tolist(),
        alerts["severity"].tolist(),
        strict=True,
    )
    open_: dict[str, list] = {}  # dedup key -> [labels, start, end, rows]
    done: list[list] = []
    unmatched: list[int] = []
    for position, (minute, service, key, kind, severity) in enumerate(columns):
        episode = open_.get(key)
        if episode is not None and minute > episode[2]:  # it ended before this row
            done.append(open_.pop(key))
            episode = None
        if kind == "resolve":
            if episode is None:
                unmatched.append(position)
            else:
                episode[2] = minute
                episode[3].append(position)
                done.append(open_.pop(key))
        elif episode is None:
            labels = labels_of(alert_labels(service, key, severity))
            open_[key] = [labels, minute, minute + timeout, [position]]
        else:
            episode[2] = minute + timeout
            episode[3].append(position)
    done += open_.values()
    done.sort(key=lambda e: (e[1], e[3][0]))
    return AlertEpisodes(
        tuple(RoutedAlert(e[0], float(e[1]), float(e[2])) for e in done),
        tuple(tuple(e[3]) for e in done),
        tuple(unmatched),
    )


class RoutingStage:
    """Notifications instead of alerts: the feed a routed run delivers, and how.

    Built once per run, before it starts; :meth:`feed` gives the notifications as the
    model's ``Alert`` tuples (minute, the group key as dedup key, the fields of the
    notification's first new alert), :meth:`deliver` opens, joins or clears incidents.
    """

    def __init__(
        self,
        config: RoutingConfig,
        alerts: pd.DataFrame,
        horizon: float,
        life: IncidentLife,
        recorder: Recorder,
        opener: Callable[[Alert], None],
    ) -> None:
        self.alerts = alerts
        self.episodes = routing_alerts(alerts, config)
        self.result: RoutingResult = route(self.episodes.alerts, config)
        self.notifications = [
            n for n in self.result.notifications if n.minute < horizon or not n.firing
        ]
        """What pages: firing notifications after the horizon are left out (as alerts are)."""
        self.life = life
        self.open: Mapping[str, OpenIncident] = life.open
        self.recorder = recorder
        self._open = opener
        """The model's own delivery, which opens an incident (the run then uses :meth:`deliver`)."""
        self._pending: deque[tuple[int, ...]] = deque()
        self._recorded: set[int] = set()

    def feed(self) -> Iterator[Alert]:
        """The notifications as the model's alerts, in time order."""
        table = self.alerts
        names = Alert._fields[:-1]
        columns = {name: table[name].tolist() for name in names}
        for note in self.notifications:
            lead = self.episodes.rows[_lead(note)][0]
            values = {name: columns[name][lead] for name in names}
            values["minute"], values["dedup_key"] = note.minute, note.group_key
            values["kind"] = "trigger" if note.firing else "resolve"
            self._pending.append(self._rows_carried(note))
            yield Alert(**values, position=lead)

    def _rows_carried(self, note: Notification) -> tuple[int, ...]:
        """Table rows of the episodes this notification is the first to carry."""
        rows: list[int] = []
        for episode in (*note.firing, *note.resolved):
            if episode not in self._recorded:
                self._recorded.add(episode)
                rows += self.episodes.rows[episode]
        return tuple(rows)

    def deliver(self, alert: Alert) -> None:
        """A notification arrives at the pager: trigger/join by group key, or clear."""
        rows = self._pending.popleft()
        rec = self.open.get(alert.dedup_key)
        if rec is None and alert.kind == "trigger":
            self._open(alert)  # opens the incident; its row names the lead alert
            rec = self.open.get(alert.dedup_key)
            rows = tuple(r for r in rows if r != alert.position)
        if rec is not None:
            rec.alerts += len(rows)
        incident = rec.incident.id if rec is not None else ""
        for row in rows:
            self.recorder.alert(row, incident)
        if rec is not None and alert.kind == "resolve":
            self.life.monitor_cleared(rec)


def _lead(note: Notification) -> int:
    """The episode that stands for a notification: its first new, firing, or resolved one."""
    chosen: Sequence[int] = note.new or note.firing or note.resolved
    return chosen[0]
