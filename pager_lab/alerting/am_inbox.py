"""Alertmanager's notifications become incidents, through the ingest path's ``EventReplay``.

One aggregation group is one incident, keyed by the notification's ``groupKey``: the first
``firing`` notification of a group opens an incident and pages; later ``firing``
notifications of the same group join it (PagerDuty's dedup: no new page); a ``resolved``
notification resolves it. A group that fires again after it resolved opens a new incident.

Times: a notification's receipt (wall-clock seconds) is turned back into simulated time —
minute 0 is the wall-clock instant ``wall_zero`` and one wall-clock second is ``speed``
seconds — so an accelerated replay reports minutes, not seconds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pager_lab.alerting.ingest import (
    MAX_DEDUP_KEY,
    Event,
    EventError,
    EventReplay,
    parse_alertmanager,
)
from pager_lab.core.incident import Incident

__all__ = ["AlertmanagerInbox", "ReceivedNotification", "group_event"]

_RANK = {"critical": 0, "error": 1, "warning": 2, "info": 3}


@dataclass(frozen=True)
class ReceivedNotification:
    """One webhook post from Alertmanager, as the lab received it."""

    group_key: str
    status: str
    """``firing`` or ``resolved`` (the body's ``status``)."""
    minute: float
    """When it arrived, in simulated minutes."""
    firing: tuple[Mapping[str, str], ...]
    """Label sets of the firing alerts it carried."""
    resolved: tuple[Mapping[str, str], ...]
    """Label sets of the resolved alerts it carried."""


def _dedup_key(group_key: str) -> str:
    if len(group_key) <= MAX_DEDUP_KEY:
        return group_key
    digest = hashlib.sha1(group_key.encode()).hexdigest()[:16]
    return f"{group_key[: MAX_DEDUP_KEY - 18]}…{digest}"


def group_event(body: Any, at: datetime) -> Event:
    """One Alertmanager webhook body as one Events v2 event for its group (keyed by
    ``groupKey``): ``trigger`` when it fires, ``resolve`` when the whole group resolved."""
    per_alert = parse_alertmanager(body)  # validates version, alerts, statuses, labels
    key = body.get("groupKey")
    if not isinstance(key, str) or not key:
        raise EventError("groupKey", key, "a non-empty string (Alertmanager's group key)")
    if body.get("status") not in ("firing", "resolved"):
        raise EventError("status", body.get("status"), "firing | resolved")
    if body["status"] == "resolved":
        return Event("resolve", _dedup_key(key), timestamp=at)
    firing = [e for e in per_alert if e.action == "trigger"]
    severity = min((e.severity for e in firing), key=lambda s: _RANK.get(s, 9))
    labels = body.get("groupLabels") or {}
    common = body.get("commonLabels") or {}
    named = ", ".join(f"{k}={v}" for k, v in sorted(labels.items())) or "all alerts"
    summary = (body.get("commonAnnotations") or {}).get("summary") or (
        f"{named}: {len(firing)} alert(s) firing"
    )
    return Event(
        "trigger",
        _dedup_key(key),
        str(summary)[:1024],
        str(common.get("service") or common.get("instance") or body.get("receiver") or "am"),
        severity,
        at,
        firing[0].links,
        {"groupKey": key, "groupLabels": dict(labels), "firing": len(firing)},
    )


@dataclass
class AlertmanagerInbox:
    """Folds Alertmanager's notifications into incidents, and counts what happened."""

    start: datetime
    """The simulated clock's minute 0 (time-zone aware)."""
    wall_zero: float = 0.0
    """The wall-clock instant (epoch seconds) that is simulated minute 0."""
    speed: float = 1.0
    """Simulated seconds per wall-clock second."""
    notifications: list[ReceivedNotification] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Posts that were not valid Alertmanager notifications, each with the reason (kept)."""
    replay: EventReplay = field(init=False)
    _seen: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.replay = EventReplay(self.start)

    def __repr__(self) -> str:
        return (
            f"AlertmanagerInbox(notifications={len(self.notifications)}, "
            f"incidents={len(self.incidents)}, problems={len(self.problems)})"
        )

    @property
    def incidents(self) -> list[Incident]:
        """Every incident opened, in order."""
        return self.replay.incidents

    @property
    def pages(self) -> int:
        """Pages sent: one when a group's notification opens an incident; a notification
        for an incident still open joins it and pages nobody again."""
        return len(self.replay.incidents)

    def minute_of(self, received_at: float) -> float:
        """A wall-clock instant (epoch seconds) in simulated minutes."""
        return (received_at - self.wall_zero) * self.speed / 60

    def take(self, message: Mapping[str, Any]) -> Incident | None:
        """One message the receiver stored (``body``, ``received_at``): the incident it
        opened, joined or resolved, ``None`` if it matched none (or was not valid)."""
        body: Any = message.get("body")
        minute = self.minute_of(float(message.get("received_at") or self.wall_zero))
        at = self.start + timedelta(minutes=minute)
        try:
            event = group_event(body, at)
        except EventError as exc:
            self.problems.append(f"post {len(self.notifications) + len(self.problems) + 1}: {exc}")
            return None
        alerts = body["alerts"]
        self.notifications.append(
            ReceivedNotification(
                str(body["groupKey"]),
                str(body["status"]),
                minute,
                tuple(a["labels"] for a in alerts if a["status"] == "firing"),
                tuple(a["labels"] for a in alerts if a["status"] == "resolved"),
            )
        )
        return self.replay.apply(event)

    def sync(self, messages: Sequence[Mapping[str, Any]]) -> int:
        """Take the messages not taken yet (the receiver's list, in arrival order); returns
        how many were new."""
        new = list(messages[self._seen :])
        for message in new:
            self.take(message)
            self._seen += 1
        return len(new)
