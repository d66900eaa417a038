"""The alert-routing lab's storm and configurations (notebook 11, and the tests).

A bad deploy at minute 1: ``HighLatency`` warnings from web, api and db, a critical
``DatabaseDown`` on db and a ``DiskFull`` warning on db that the outage causes. Every alert
starts and ends on a whole minute, so with ``group_wait`` 0.5 min and ``group_interval``
5 min no alert lands within half a minute of any flush: a replay in accelerated wall-clock
time gives the same notifications however busy the machine is (down to 1/10 of a minute,
0.1 s at speed 300, of scheduling delay).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pager_lab.core.routing import RoutedAlert, route
from pager_lab.core.routing_config import InhibitRule, RoutingConfig, Silence, parse_matcher
from pager_lab.course.feedback import Feedback, describe, screened

__all__ = ["API_DEPLOY_SILENCE", "CRITICAL_INHIBITS_WARNING", "routing_configurations", "storm"]

CRITICAL_INHIBITS_WARNING = InhibitRule(
    (parse_matcher('severity="critical"'),), (parse_matcher('severity="warning"'),), ("service",)
)
"""A critical alert mutes the warnings of the same service (REFERENCES.md's example rule)."""

API_DEPLOY_SILENCE = Silence((parse_matcher('service="api"'),), 0.0, 60.0, "api deploy in progress")
"""The api team silences their own service for the first hour of the deploy."""

_LATENCY = (  # (service, instance, start, end) in minutes
    ("web", "web-1", 1, 15),
    ("api", "api-1", 2, 16),
    ("db", "db-1", 3, 17),
    ("web", "web-2", 4, 18),
    ("api", "api-2", 5, 19),
    ("db", "db-2", 6, 20),
    ("web", "web-3", 8, 21),
    ("api", "api-3", 9, 22),
    ("db", "db-3", 10, 23),
    ("web", "web-4", 11, 24),
)


def storm() -> list[RoutedAlert]:
    """The deploy storm: 12 alerts over 11 minutes, all resolved by minute 24."""
    alerts = [
        RoutedAlert.of(
            {"alertname": "HighLatency", "service": s, "severity": "warning", "instance": i},
            start,
            end,
        )
        for s, i, start, end in _LATENCY
    ]
    alerts.append(
        RoutedAlert.of(
            {
                "alertname": "DatabaseDown",
                "service": "db",
                "severity": "critical",
                "instance": "db-0",
            },
            2,
            12,
        )
    )
    alerts.append(
        RoutedAlert.of(
            {"alertname": "DiskFull", "service": "db", "severity": "warning", "instance": "db-0"},
            4,
            9,
        )
    )
    return alerts


def routing_configurations(
    group_wait: float = 0.5, group_interval: float = 5.0, repeat_interval: float = 240.0
) -> dict[str, RoutingConfig]:
    """The three configurations the model is checked with: no grouping, group by alertname,
    and group by alertname+service with a critical-inhibits-warning rule."""
    timers = RoutingConfig(
        group_wait_minutes=group_wait,
        group_interval_minutes=group_interval,
        repeat_interval_minutes=repeat_interval,
    )
    return {
        "no grouping": replace(timers, group_by=("...",)),
        "by alertname": replace(timers, group_by=("alertname",)),
        "by alertname+service, inhibit": replace(
            timers, group_by=("alertname", "service"), inhibit_rules=(CRITICAL_INHIBITS_WARNING,)
        ),
    }


def _bad_group_by(fb: Feedback, group_by: Any) -> bool:
    """True, with a sentence, when ``group_by`` is not a tuple of label names."""
    if isinstance(group_by, str):
        fb.fail(
            f"group_by is one string ({group_by!r}): give a tuple of label names, "
            f"like group_by=({group_by!r},) — the comma makes it a tuple; a string would be "
            "read letter by letter"
        )
        return True
    if not isinstance(group_by, tuple | list) or not all(isinstance(g, str) for g in group_by):
        fb.fail(
            f'group_by must be a tuple of label names, like ("alertname", "service"); '
            f"you gave {describe(group_by)}"
        )
        return True
    return False


def check_routing_config(config: Any, most_pages: int = 4) -> Feedback:
    """11: a routing under which the deploy storm pages at most *most_pages* times, no page
    mixes two services, and ``DatabaseDown`` still pages (checked with the model's stage)."""
    fb = Feedback(f"a routing that pages at most {most_pages} times for the storm")
    if screened(fb, config, "your RoutingConfig(...)", RoutingConfig, "give a RoutingConfig(...)"):
        return fb
    if _bad_group_by(fb, config.group_by):
        return fb
    alerts = storm()
    result = route(alerts, config)
    pages = result.groups
    fb.ok(
        pages <= most_pages,
        f"{pages} page(s), one per group notified",
        f"{pages} page(s): group more alerts together (group_by fewer labels)",
    )
    mixed: dict[str, set[str]] = {}
    for n in result.notifications:
        services = {dict(alerts[p].labels)["service"] for p in n.firing + n.resolved}
        if len(services) > 1:
            mixed.setdefault(n.group_key, set()).update(services)
    example = ", ".join(sorted(next(iter(mixed.values())))) if mixed else ""
    fb.ok(
        not mixed,
        "every page is about one service",
        f"{len(mixed)} group(s) mix services, e.g. one page about {example}: "
        "the web team would be woken for the database; put service in group_by",
    )
    down = next(i for i, a in enumerate(alerts) if dict(a.labels)["alertname"] == "DatabaseDown")
    fb.ok(
        down in result.notified,
        "DatabaseDown still pages",
        "DatabaseDown never reached a page: do not silence or inhibit the critical alert",
    )
    return fb
