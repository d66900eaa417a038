"""Alertmanager's routing stage as a pure function: alerts in, grouped notifications out.

:func:`route` reads Prometheus Alertmanager 0.25's dispatcher and notification pipeline
(``dispatch/dispatch.go``, ``notify/notify.go``) for one root route and one receiver:

- An alert joins the **aggregation group** of its ``group_by`` labels (key
  ``{}:{alertname="X"}``, as Alertmanager's ``groupKey``). A new group is flushed first
  ``group_wait`` after its first alert, then every ``group_interval`` while it holds alerts.
- At each flush the alerts are **firing** (``ends_at`` later than now, or never) or
  **resolved**. Inhibited alerts (an inhibition rule whose firing source shares the
  ``equal`` labels), then silenced alerts (a silence active now), are left out.
- The **notification log** decides whether to send (``DedupStage.needsUpdate``): a group
  never notified is sent if something fires; a firing alert not in the last notification,
  a newly resolved one (``send_resolved``, the webhook's default), or everything having
  resolved sends; otherwise it is sent again only when more than ``repeat_interval`` has
  passed since the last notification.
- After a flush the resolved alerts leave the group. An empty group lives on until the
  dispatcher's next clean-up (every 30 s of Alertmanager's clock, ``group_cleanup_minutes``):
  an alert arriving before then joins it and is flushed on its old ``group_interval``
  rhythm; after it, a new group starts and waits ``group_wait`` again. The notification log
  outlives groups (120 h).

Time is simulated minutes; nothing here reads a clock. An alert arrives at its
``starts_at``. Alerts with the same label set must not overlap in time: re-sends of a
firing alert are one alert with a later ``ends_at`` (the simulation's routing stage
builds such episodes).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pager_lab.core.routing_config import Labels, RoutingConfig

__all__ = ["Notification", "RoutedAlert", "RoutingResult", "group_key", "labels_of", "route"]

TIME_EPS = 1e-9
"""Minutes below which two times are the same (flush times are sums of floats)."""
ARRIVAL, FLUSH = 0, 1
"""Event kinds; at the same minute an arrival comes before a flush (it is in it)."""


def labels_of(mapping: Mapping[str, str]) -> Labels:
    """A label mapping as a sorted, hashable label set."""
    return tuple(sorted((str(k), str(v)) for k, v in mapping.items()))


@dataclass(frozen=True)
class RoutedAlert:
    """One alert as Alertmanager sees it: labels, and when it fires (minutes)."""

    labels: Labels
    """Sorted ``(name, value)`` pairs (:func:`labels_of`)."""
    starts_at: float
    ends_at: float | None = None
    """When it resolves; ``None``: it fires until the end of the routing run."""

    @classmethod
    def of(
        cls, labels: Mapping[str, str], starts_at: float, ends_at: float | None = None
    ) -> RoutedAlert:
        """An alert from a plain ``{"alertname": ..., ...}`` mapping."""
        return cls(labels_of(labels), float(starts_at), None if ends_at is None else float(ends_at))

    def firing_at(self, minute: float) -> bool:
        """Arrived and not resolved at *minute* (Alertmanager: resolved once ``ends_at <= now``)."""
        return self.starts_at <= minute and (self.ends_at is None or self.ends_at > minute)


@dataclass(frozen=True)
class Notification:
    """One notification to the receiver (one webhook POST, one PagerDuty event)."""

    group_key: str
    """Alertmanager's ``groupKey``: ``{}:{alertname="X", service="db"}``."""
    minute: float
    firing: tuple[int, ...]
    """Positions (in :func:`route`'s input) of the firing alerts it carries."""
    resolved: tuple[int, ...]
    """Positions of the resolved alerts it carries."""
    new: tuple[int, ...]
    """Of :attr:`firing`, those the group's previous notification did not carry."""

    @property
    def status(self) -> str:
        """``firing`` if any alert fires, else ``resolved`` (the webhook body's ``status``)."""
        return "firing" if self.firing else "resolved"


@dataclass(frozen=True)
class RoutingResult:
    """The notifications, and what happened to every alert."""

    notifications: tuple[Notification, ...]
    alerts: int
    """How many alerts went in."""
    notified: frozenset[int]
    """Alerts that fired in at least one notification."""
    inhibited: frozenset[int]
    """Alerts an inhibition rule left out of at least one flush."""
    silenced: frozenset[int]
    """Alerts a silence left out of at least one flush (inhibition is applied first)."""
    groups: int
    """Distinct group keys notified."""

    @property
    def grouped(self) -> int:
        """Alerts that needed no notification of their own: each notification's new
        firing alerts beyond the first."""
        return sum(max(len(n.new) - 1, 0) for n in self.notifications)

    def counts(self) -> dict[str, int]:
        """The numbers of :meth:`summary`, by name (for JSON reports)."""
        return {
            "alerts": self.alerts,
            "notifications": len(self.notifications),
            "groups": self.groups,
            "grouped": self.grouped,
            "inhibited": len(self.inhibited),
            "silenced": len(self.silenced),
            "never_notified": self.alerts - len(self.notified),
        }

    def summary(self) -> str:
        """One line for a report: alerts, notifications, grouped, inhibited, silenced."""
        c = self.counts()
        return (
            f"{c['alerts']} Alertmanager alerts -> {c['notifications']} notifications in "
            f"{c['groups']} groups; {c['grouped']} alerts grouped into another's notification, "
            f"{c['inhibited']} inhibited, {c['silenced']} silenced, "
            f"{c['never_notified']} never notified"
        )


def group_key(labels: Labels, group_by: Sequence[str]) -> str:
    """The aggregation group's key for *labels* (missing ``group_by`` labels are left out)."""
    if "..." in group_by:
        chosen: Labels = labels
    else:
        wanted = set(group_by)
        chosen = tuple((k, v) for k, v in labels if k in wanted)
    inner = ", ".join(f'{k}="{v}"' for k, v in chosen)
    return "{}:{" + inner + "}"


@dataclass
class _LogEntry:
    """The notification log's entry of one group key: what was last sent, and when."""

    firing: frozenset[Labels]
    resolved: frozenset[Labels]
    minute: float


@dataclass
class _Group:
    """A live aggregation group: its alerts by label set (position in the input)."""

    key: str
    members: dict[Labels, int] = field(default_factory=dict)
    last_flush: float = 0.0
    removal: float | None = None
    """While empty: the clean-up that removes it (an alert before then joins it)."""


class _Router:
    """The event loop of :func:`route` (arrivals and flushes, in time order)."""

    def __init__(self, alerts: Sequence[RoutedAlert], config: RoutingConfig) -> None:
        self.alerts = alerts
        self.config = config
        self.groups: dict[str, _Group] = {}
        self.log: dict[str, _LogEntry] = {}
        self.events: list[tuple[float, int, int, Any]] = []
        self._order = 0
        self.notifications: list[Notification] = []
        self.inhibited: set[int] = set()
        self.silenced: set[int] = set()
        self.active: dict[int, RoutedAlert] = {}
        """Alerts that arrived and may still fire: the inhibition rules' sources."""
        self._dicts = [dict(a.labels) for a in alerts]

    def push(self, minute: float, kind: int, payload: Any) -> None:
        self._order += 1
        heapq.heappush(self.events, (minute, kind, self._order, payload))

    def run(self, until: float) -> None:
        for position, alert in enumerate(self.alerts):
            self.push(alert.starts_at, ARRIVAL, position)
        while self.events and self.events[0][0] <= until:
            minute, kind, _, payload = heapq.heappop(self.events)
            if kind == ARRIVAL:
                self.arrive(payload, minute)
            else:
                self.flush(payload, minute)

    def arrive(self, position: int, minute: float) -> None:
        alert = self.alerts[position]
        key = group_key(alert.labels, self.config.group_by)
        group = self.groups.get(key)
        if group is not None and group.removal is not None:  # empty, awaiting clean-up
            if minute >= group.removal:
                group = None
            else:  # it joins the empty group, whose flushes keep their old rhythm
                group.removal = None
                interval = self.config.group_interval_minutes
                due = math.ceil((minute - group.last_flush) / interval - TIME_EPS)
                self.push(group.last_flush + max(due, 1) * interval, FLUSH, group)
        if group is None:
            group = self.groups[key] = _Group(key)
            self.push(minute + self.config.group_wait_minutes, FLUSH, group)
        group.members[alert.labels] = position
        if self.config.inhibit_rules:
            self.active[position] = alert

    def flush(self, group: _Group, minute: float) -> None:
        firing: list[int] = []
        resolved: list[int] = []
        for position in group.members.values():
            (firing if self.alerts[position].firing_at(minute) else resolved).append(position)
        shown_firing = [p for p in firing if not self.muted(p, minute)]
        shown_resolved = [p for p in resolved if not self.muted(p, minute)]
        if shown_firing or shown_resolved:
            self.dedup_and_send(group.key, minute, shown_firing, shown_resolved)
        for position in resolved:  # notify() succeeded: resolved alerts leave the group
            del group.members[self.alerts[position].labels]
        group.last_flush = minute
        if group.members:
            self.push(minute + self.config.group_interval_minutes, FLUSH, group)
        elif self.config.group_cleanup_minutes > 0:
            group.removal = self._next_cleanup(minute)
        else:
            del self.groups[group.key]

    def _next_cleanup(self, minute: float) -> float:
        """The first clean-up after *minute* (every ``group_cleanup_minutes`` from the offset)."""
        period, offset = self.config.group_cleanup_minutes, self.config.group_cleanup_offset_minutes
        return offset + (math.floor((minute - offset) / period + TIME_EPS) + 1) * period

    def muted(self, position: int, minute: float) -> bool:
        """Inhibited (checked first, as the pipeline does), else silenced, at *minute*."""
        labels = self._dicts[position]
        if self.config.inhibit_rules and self.inhibited_now(position, labels, minute):
            self.inhibited.add(position)
            return True
        if any(s.mutes(labels, minute) for s in self.config.silences):
            self.silenced.add(position)
            return True
        return False

    def inhibited_now(self, position: int, labels: Mapping[str, str], minute: float) -> bool:
        for ended in [
            p for p, a in self.active.items() if not a.firing_at(minute) and a.starts_at <= minute
        ]:
            del self.active[ended]
        own = self.alerts[position].labels
        for rule in self.config.inhibit_rules:
            if not rule.is_target(labels):
                continue
            for source, alert in self.active.items():
                if alert.labels == own or not alert.firing_at(minute):
                    continue
                other = self._dicts[source]
                if rule.is_source(other) and all(
                    other.get(name, "") == labels.get(name, "") for name in rule.equal
                ):
                    return True
        return False

    def dedup_and_send(
        self, key: str, minute: float, firing: list[int], resolved: list[int]
    ) -> None:
        firing_set = frozenset(self.alerts[p].labels for p in firing)
        resolved_set = frozenset(self.alerts[p].labels for p in resolved)
        entry = self.log.get(key)
        if entry is not None and minute - entry.minute > self.config.log_retention_minutes:
            entry = None
        if not _needs_update(entry, firing_set, resolved_set, minute, self.config):
            return
        before = entry.firing if entry is not None else frozenset()
        new = tuple(p for p in firing if self.alerts[p].labels not in before)
        self.notifications.append(Notification(key, minute, tuple(firing), tuple(resolved), new))
        self.log[key] = _LogEntry(firing_set, resolved_set, minute)


def _needs_update(
    entry: _LogEntry | None,
    firing: frozenset[Labels],
    resolved: frozenset[Labels],
    minute: float,
    config: RoutingConfig,
) -> bool:
    """Alertmanager 0.25's ``DedupStage.needsUpdate`` with ``send_resolved`` on."""
    if entry is None:
        return bool(firing)
    if not firing <= entry.firing:
        return True
    if not firing:  # all resolved: clear what the receiver was told (if anything fired)
        return bool(entry.firing)
    if not resolved <= entry.resolved:
        return True
    return minute - entry.minute > config.repeat_interval_minutes + TIME_EPS


def _check(alerts: Sequence[RoutedAlert]) -> None:
    """Reject alerts that end before they start, and overlapping alerts with one label set."""
    last: dict[Labels, tuple[int, float]] = {}
    order = sorted(range(len(alerts)), key=lambda p: alerts[p].starts_at)
    for position in order:
        alert = alerts[position]
        if not math.isfinite(alert.starts_at) or (
            alert.ends_at is not None and not alert.ends_at > alert.starts_at
        ):
            raise ValueError(
                f"alert {position} ({dict(alert.labels)}): ends_at ({alert.ends_at}) must be "
                f"after starts_at ({alert.starts_at}), both finite minutes"
            )
        previous = last.get(alert.labels)
        if previous is not None and previous[1] > alert.starts_at:
            raise ValueError(
                f"alerts {previous[0]} and {position} have the same labels "
                f"{dict(alert.labels)} and overlap in time: a re-sent firing alert is one "
                "alert with a later ends_at"
            )
        last[alert.labels] = (position, math.inf if alert.ends_at is None else alert.ends_at)


def route(
    alerts: Sequence[RoutedAlert], config: RoutingConfig, until: float | None = None
) -> RoutingResult:
    """Group, inhibit, silence and notify *alerts* as Alertmanager 0.25 would.

    Flushes happen up to and including minute *until*. By default: until every group
    has emptied when every alert ends; otherwise until ``group_wait`` plus
    ``group_interval`` after the last start or end.
    """
    _check(alerts)
    if until is None:
        ends = [a.ends_at for a in alerts]
        if all(e is not None for e in ends):
            until = math.inf  # every group empties, and the loop ends by itself
        else:
            gw, gi = config.group_wait_minutes, config.group_interval_minutes
            latest = max([a.starts_at for a in alerts] + [e for e in ends if e is not None])
            until = latest + gw + gi
    router = _Router(alerts, config)
    router.run(until)
    notified = frozenset(p for n in router.notifications for p in n.firing)
    return RoutingResult(
        notifications=tuple(router.notifications),
        alerts=len(alerts),
        notified=notified,
        inhibited=frozenset(router.inhibited),
        silenced=frozenset(router.silenced),
        groups=len({n.group_key for n in router.notifications}),
    )
