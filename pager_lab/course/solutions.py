"""Worked solutions to the notebooks' exercises, kept out of the first view.

Each notebook's exercise cell starts from one of these so the committed
notebook passes its own check; replace the call with your own answer.
"""

from __future__ import annotations

from typing import Any

from pager_lab.core.schedule import Schedule
from pager_lab.core.schedule_io import parse_schedule

__all__ = [
    "alert_routing",
    "challenge_2_schedule",
    "disk_full_runbook",
    "lifecycle",
    "office_profile",
    "postmortem_sections",
    "scenario_b_answers",
    "slack_message",
]


def lifecycle() -> list[str]:
    return ["trigger", "acknowledge", "triage", "resolve"]


def scenario_b_answers() -> list[str]:
    """Alice is asleep (ignore), Bob acks, keeps the default triage, restarts."""
    return ["ignore", "ack", "sev2", "no", "restart"]


def disk_full_runbook() -> str:
    return """# Runbook: Disk Full

## Severity: High
## Symptoms: Writes fail with "No space left on device"; the disk alert fires at 90 %.

## Steps:
1. Find the biggest directories:
   `du -xh / --max-depth=2 | sort -h | tail -20`
2. If old logs fill the disk, compress or delete logs older than 7 days:
   `find /var/log -name '*.log' -mtime +7 -delete`
3. If the database fills it, page the database owner; do not delete data files.
4. When usage is under 80 %, resolve and file a ticket to add capacity.
"""


def challenge_2_schedule() -> Schedule:
    """Bob's layer covers every hour; Alice's later layer wins 09:00-17:00."""
    layer = {"turn_length": 1, "turn_unit": "weeks", "handoff": "2026-01-05T09:00"}
    return parse_schedule(
        {
            "name": "challenge-2",
            "time_zone": "Europe/Dublin",
            "responders": {"Alice": "Europe/Dublin", "Bob": "Europe/Dublin"},
            "layers": [
                {"name": "bob", "responders": ["Bob"], **layer},
                {
                    "name": "alice",
                    "responders": ["Alice"],
                    **layer,
                    "restrictions": [{"start": "09:00", "end": "17:00"}],
                },
            ],
        },
        "challenge-2",
    )


def slack_message(summary: str = "Database Connection Failed") -> dict[str, Any]:
    return {
        "text": f"🚨 ALERT: {summary}",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": f"🚨 {summary}"}},
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "*Severity:* SEV2\n*On call:* Alice"},
            },
        ],
    }


def office_profile() -> list[float]:
    """Quiet nights, a morning ramp, busy office hours; scaled to a mean of 1."""
    raw = [0.3] * 7 + [
        0.8,
        1.4,
        1.8,
        1.9,
        1.9,
        1.7,
        1.8,
        1.9,
        1.8,
        1.5,
        1.1,
        0.8,
        0.6,
        0.5,
        0.4,
        0.3,
        0.3,
    ]
    mean = sum(raw) / len(raw)
    return [round(v / mean, 4) for v in raw]


def postmortem_sections() -> dict[str, str]:
    return {
        "Impact": "Checkout returned 500 errors for 6 minutes at 03:00 UTC; about 2 % of "
        "nightly orders failed and were retried by customers.",
        "What went wrong": "The first page went unanswered for 5 minutes: the primary was "
        "asleep and the phone was on silent. The alert had no runbook "
        "link in the page itself.",
        "Action items": "| action | owner | due |\n|---|---|---|\n"
        "| Put the runbook link in the alert payload | Bob | 2026-12-04 |\n"
        "| Add a long-running query alert before CPU reaches 100 % | Alice | "
        "2026-12-11 |",
    }


def alert_routing() -> Any:
    """11: group by alertname and service; a critical alert inhibits its service's warnings."""
    from pager_lab.core.routing_config import RoutingConfig
    from pager_lab.course.routing_lab import CRITICAL_INHIBITS_WARNING

    return RoutingConfig(
        group_by=("alertname", "service"), inhibit_rules=(CRITICAL_INHIBITS_WARNING,)
    )
