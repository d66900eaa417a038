"""Replay an alert stream through a real Alertmanager in accelerated wall-clock time.

:class:`AlertmanagerLoop` starts the lab's receiver and an Alertmanager that sends to it
(timers divided by the speed); :meth:`AlertmanagerLoop.replay` posts each alert with
``POST /api/v2/alerts`` when its simulated minute comes (``startsAt`` now, ``endsAt`` its
simulated end turned into wall-clock time), posts the silences first, watches which alerts
Alertmanager holds back (``GET /api/v2/alerts``: ``silencedBy``, ``inhibitedBy``), waits
for the last notifications and folds them into incidents (:mod:`am_inbox`). The report
is in simulated minutes: one wall-clock second is ``speed`` simulated seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from pager_lab.alerting.alertmanager import CLEANUP_SECONDS, Alertmanager
from pager_lab.alerting.am_config import describe_routing
from pager_lab.alerting.am_inbox import AlertmanagerInbox, ReceivedNotification
from pager_lab.alerting.receiver import LocalReceiver
from pager_lab.core.routing import RoutedAlert
from pager_lab.core.routing_config import RoutingConfig, Silence

__all__ = ["AlertmanagerLoop", "ReplayReport"]

_LEAD_SECONDS = 0.3
"""Wall-clock time between the start of a replay and simulated minute 0 (setting up)."""
_SETTLE_SECONDS = 0.5
"""Extra wall-clock time after the last expected notification."""
_WEBHOOK_PATH = "/alertmanager"


@dataclass(frozen=True)
class ReplayReport:
    """What a replay sent, what came back, and why fewer pages went out."""

    routing: RoutingConfig
    speed: float
    alerts_sent: int
    notifications: tuple[ReceivedNotification, ...]
    incidents_opened: int
    pages: int
    silenced: Mapping[str, int]
    """Alerts held back by each silence (by its comment)."""
    inhibited: int
    """Alerts an inhibition rule held back at some moment."""
    never_notified: int
    """Alerts that never appeared firing in any notification."""
    wall_seconds: float
    problems: tuple[str, ...] = ()
    incidents: tuple[str, ...] = ()
    """One line per incident the notifications opened: id, state, notifications, summary."""
    not_posted: tuple[str, ...] = ()
    """Silences of the routing that end before the replayed alerts start or start after."""
    model_routing: RoutingConfig | None = None
    """The routing for the model to see what this Alertmanager saw: its clean-up of empty
    groups every 30 s of wall-clock time, in simulated minutes, from its dispatcher's start."""

    @property
    def groups(self) -> int:
        """Distinct group keys notified."""
        return len({n.group_key for n in self.notifications})

    def lines(self, wall_clock: bool = True) -> list[str]:
        """The report as lines: counts, then why pages were saved (*wall_clock*: with the
        replay's wall-clock seconds, which vary from run to run)."""
        took = f": {self.wall_seconds:.1f} s of wall-clock time" if wall_clock else ""
        out = [
            f"routing: {describe_routing(self.routing)}",
            f"replayed at {self.speed:g}x{took}; Alertmanager's timers were divided by "
            f"{self.speed:g}, and times here are simulated minutes",
            f"alerts sent: {self.alerts_sent}",
            f"notifications received: {len(self.notifications)} in {self.groups} group(s)",
            f"incidents opened: {self.incidents_opened}",
            f"pages sent: {self.pages} (one per incident; a group's later notifications "
            "join its open incident)",
        ]
        for comment, count in self.silenced.items():
            out.append(f"silenced: {count} alert(s) by the silence '{comment}'")
        if self.inhibited:
            out.append(
                f"inhibited: {self.inhibited} alert(s) muted while a matching source alert "
                "fired (inhibit_rules)"
            )
        if self.never_notified:
            out.append(f"never paged: {self.never_notified} alert(s) never reached a page")
        out.extend(f"not posted: {line}" for line in self.not_posted)
        out.extend(f"problem: {p}" for p in self.problems)
        return out


def _labels(alert: RoutedAlert) -> dict[str, str]:
    return dict(alert.labels)


@dataclass
class _Watch:
    """What Alertmanager held back, gathered while the replay runs."""

    silenced: dict[str, set[tuple[tuple[str, str], ...]]] = field(default_factory=dict)
    inhibited: set[tuple[tuple[str, str], ...]] = field(default_factory=set)

    def look(self, am: Alertmanager, comments: Mapping[str, str]) -> None:
        query = "/api/v2/alerts?active=false&silenced=true&inhibited=true&unprocessed=false"
        for alert in am.request("GET", query) or []:
            labels = tuple(sorted(alert["labels"].items()))
            status = alert.get("status") or {}
            for silence_id in status.get("silencedBy") or []:
                comment = comments.get(silence_id, silence_id)
                self.silenced.setdefault(comment, set()).add(labels)
            if status.get("inhibitedBy"):
                self.inhibited.add(labels)


class AlertmanagerLoop:
    """The lab's receiver and a real Alertmanager sending to it (a context manager)."""

    def __init__(
        self,
        routing: RoutingConfig,
        *,
        speed: float = 60.0,
        start: datetime | None = None,
        echo: Callable[[str], None] | None = None,
    ) -> None:
        self.routing = routing
        self.speed = speed
        self.start = start or datetime(2026, 11, 3, tzinfo=UTC)
        """The simulated clock's minute 0 for the incidents (time-zone aware)."""
        self.receiver = LocalReceiver(echo=echo)
        self.alertmanager = Alertmanager(routing, self.receiver.url(_WEBHOOK_PATH), speed=speed)

    def __repr__(self) -> str:
        return f"AlertmanagerLoop({self.alertmanager!r}, receiver :{self.receiver.port})"

    def __enter__(self) -> AlertmanagerLoop:
        self.receiver.start()
        try:
            self.alertmanager.start()
        except BaseException:
            self.receiver.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.alertmanager.stop()
        finally:
            self.receiver.stop()

    def replay(self, alerts: Sequence[RoutedAlert], origin: float | None = None) -> ReplayReport:
        """Post *alerts* (simulated minutes; *origin*, by default the first start, is played
        first) with the routing's silences, wait for the last notification, report."""
        return replay_through(
            self.alertmanager,
            lambda: self.receiver.messages,
            alerts,
            start=self.start,
            origin=origin,
        )


@dataclass(frozen=True)
class _Clock:
    """Simulated minutes on the wall clock: *origin* is played at *wall_zero*, S times faster."""

    wall_zero: float
    origin: float
    speed: float

    def wall(self, minute: float) -> float:
        return self.wall_zero + (minute - self.origin) * 60 / self.speed

    def stamp(self, minute: float) -> str:
        return datetime.fromtimestamp(self.wall(minute), UTC).isoformat()


def _post_in_time(
    am: Alertmanager,
    alerts: Sequence[RoutedAlert],
    clock: _Clock,
    finish: float,
    watch: Callable[[], None],
) -> None:
    """Post each alert when its minute comes (alerts without an end fire until *finish*),
    look at what Alertmanager holds back twice per ``group_interval``, and return once
    *finish* (simulated minutes) and the settling time have passed."""
    order = sorted(alerts, key=lambda a: a.starts_at)
    look_every = max(am.routing.group_interval_minutes * 60 / am.speed / 2, 0.05)
    next_look, i = clock.wall_zero, 0
    done = clock.wall(finish) + _SETTLE_SECONDS
    while i < len(order) or time.time() < done:
        now, batch = time.time(), []
        while i < len(order) and clock.wall(order[i].starts_at) <= now:
            alert, i = order[i], i + 1
            end = alert.ends_at if alert.ends_at is not None else finish
            batch.append(
                {
                    "labels": _labels(alert),
                    "startsAt": clock.stamp(alert.starts_at),
                    "endsAt": clock.stamp(end),
                }
            )
        am.post_alerts(batch)
        if now >= next_look:
            watch()
            next_look = now + look_every
        upcoming = [done, next_look] + ([clock.wall(order[i].starts_at)] if i < len(order) else [])
        time.sleep(max(0.0, min(upcoming) - time.time()))


def replay_through(
    am: Alertmanager,
    messages: Callable[[], Sequence[Mapping[str, Any]]],
    alerts: Sequence[RoutedAlert],
    *,
    start: datetime,
    origin: float | None = None,
) -> ReplayReport:
    """Replay *alerts* through a running Alertmanager whose notifications the receiver
    behind *messages* stores; only messages that arrive during this replay are counted."""
    began = time.time()
    speed, routing = am.speed, am.routing
    origin = min((a.starts_at for a in alerts), default=0.0) if origin is None else origin
    ends = [a.ends_at for a in alerts if a.ends_at is not None] + [a.starts_at for a in alerts]
    last = max(ends, default=origin)
    already = len(messages())
    clock = _Clock(time.time() + _LEAD_SECONDS, origin, speed)
    minute_zero = datetime.fromtimestamp(clock.wall(0.0), UTC)
    outside = [s for s in routing.silences if s.end <= origin or s.start >= last]
    comments = {
        am.silence(s, minute_zero): s.comment or "silenced by pager-lab"
        for s in routing.silences
        if s not in outside
    }
    watch = _Watch()
    finish = last + routing.group_wait_minutes + routing.group_interval_minutes
    _post_in_time(
        am,
        alerts,
        clock,
        finish,
        lambda: watch.look(am, comments) if comments or routing.inhibit_rules else None,
    )
    inbox = AlertmanagerInbox(start, wall_zero=clock.wall(0.0), speed=speed)
    inbox.sync(list(messages())[already:])
    return _report(am, alerts, inbox, watch, outside, clock, time.time() - began)


def _report(
    am: Alertmanager,
    alerts: Sequence[RoutedAlert],
    inbox: AlertmanagerInbox,
    watch: _Watch,
    outside: Sequence[Silence],
    clock: _Clock,
    seconds: float,
) -> ReplayReport:
    notified = {tuple(sorted(lab.items())) for n in inbox.notifications for lab in n.firing}
    dispatcher = clock.origin + (am.dispatcher_started - clock.wall_zero) * clock.speed / 60
    return ReplayReport(
        routing=am.routing,
        speed=am.speed,
        alerts_sent=len(alerts),
        notifications=tuple(inbox.notifications),
        incidents_opened=len(inbox.incidents),
        pages=inbox.pages,
        silenced={c: len(v) for c, v in sorted(watch.silenced.items())},
        inhibited=len(watch.inhibited),
        never_notified=len({a.labels for a in alerts} - notified),
        wall_seconds=seconds,
        problems=tuple(inbox.problems),
        model_routing=replace(
            am.routing,
            group_cleanup_minutes=CLEANUP_SECONDS * am.speed / 60,
            group_cleanup_offset_minutes=dispatcher,
        ),
        not_posted=tuple(
            f"silence '{s.comment}' (minutes {s.start:g}-{s.end:g}): outside the replayed alerts"
            for s in outside
        ),
        incidents=tuple(
            f"{i.id} {i.state.value}, {inbox.replay.alerts[i.id]} firing "
            f"notification(s): {i.summary}"
            for i in inbox.incidents
        ),
    )
