"""Make the SYNTHETIC PagerDuty sample export, ``pagerduty-synthetic-sample.json``.

The incidents are invented. This generator deliberately does NOT use pager_lab's model
(only numpy and the standard library), so that calibrating the lab from its output and
recovering :data:`PARAMETERS` is a real test, not a circle
(``tests/analysis/test_calibration_recovery.py``). Run it from the repository root:

    python data/imports/make_sample.py          # rewrites the JSON beside this file

What it draws, all from one seeded ``numpy.random.Generator``:

- incidents: a Poisson process whose rate is ``rate_per_hour`` x ``profile[local hour]``
  (x ``weekend_factor`` on Saturday and Sunday), in the team's zone, by thinning;
- priority P1-P4 from ``priority_mix``; P4 is low urgency, the rest high;
- the responder's window (PagerDuty's: business 08-18 Mon-Fri, sleep 22-08, else off-hours)
  at creation, in the team's zone;
- high urgency: the first responder misses the page with ``miss[awake|asleep]``, or answers
  after a lognormal delay (``ack_median`` / ``ack_sigma``, asleep in the sleep window, else
  awake); not answered within ``timeout_minutes``, the second is paged then, and whoever answers
  first acknowledges (PagerDuty's escalation; the second never misses);
- low urgency: nobody is paged before the next business window opens; then an awake delay;
- resolution: acknowledgement + a lognormal work time (``work_median`` by priority,
  ``work_sigma``);
- the export is taken ``export_hours_early`` hours before the last week ends (a Saturday
  morning); anything not yet acknowledged or resolved then is left empty (open).
"""

from __future__ import annotations

import json
import math
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

PARAMETERS = {
    "seed": 2026,
    "zone": "Europe/Dublin",
    "start": "2026-01-05T00:00:00+00:00",  # a Monday
    "weeks": 26,
    "export_hours_early": 40,  # exported on a Saturday morning, one incident still open
    "rate_per_hour": 0.12,
    "weekend_factor": 0.6,
    "profile": [0.5, 0.4, 0.4, 0.4, 0.4, 0.5, 0.7, 0.9, 1.2, 1.5, 1.6, 1.6,
                1.5, 1.5, 1.6, 1.6, 1.4, 1.2, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5],
    "priority_mix": {"P1": 0.05, "P2": 0.45, "P3": 0.35, "P4": 0.15},
    "services": {"database": 0.4, "api": 0.4, "batch": 0.2},
    "ack_median": {"awake": 2.5, "asleep": 8.0},
    "ack_sigma": {"awake": 0.7, "asleep": 0.8},
    "miss": {"awake": 0.08, "asleep": 0.25},
    "timeout_minutes": 5.0,
    "work_median": {"P1": 90.0, "P2": 50.0, "P3": 35.0, "P4": 25.0},
    "work_sigma": 1.0,
}  # fmt: skip
"""The known truth the calibration must recover (the profile is relative: mean about 1)."""
OUT = Path(__file__).with_name("pagerduty-synthetic-sample.json")


def window(local: datetime) -> str:
    """PagerDuty's interruption window of a local time (own code: not the lab's)."""
    if local.hour >= 22 or local.hour < 8:
        return "sleep"
    return "business" if local.weekday() < 5 and local.hour < 18 else "off-hours"


def next_business(local: datetime) -> datetime:
    """The start of the next business window at or after *local* (itself if inside one)."""
    t = local
    while window(t) != "business":
        t = (t + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    return max(t, local)


def arrivals(rng: np.random.Generator, p: dict, start: datetime, zone: ZoneInfo) -> list[datetime]:
    """Creation times: a non-homogeneous Poisson process by thinning."""
    hours = p["weeks"] * 7 * 24
    peak = p["rate_per_hour"] * max(p["profile"])
    times = np.sort(rng.uniform(0, hours, rng.poisson(peak * hours)))
    kept = []
    for t in times:
        local = (start + timedelta(hours=float(t))).astimezone(zone)
        rate = p["rate_per_hour"] * p["profile"][local.hour]
        rate *= p["weekend_factor"] if local.weekday() >= 5 else 1.0
        if rng.uniform(0, peak) < rate:
            kept.append(start + timedelta(seconds=round(float(t) * 3600)))
    return kept


def lognormal(rng: np.random.Generator, median: float, sigma: float) -> float:
    return median * math.exp(sigma * rng.standard_normal())


def first_ack(rng: np.random.Generator, p: dict, created: datetime, zone: ZoneInfo, urgency: str):
    """Minutes to the first acknowledgement, the windows paged in, and the escalations.

    As in PagerDuty: the first person is paged at once; if they miss it, or have not answered
    within ``timeout_minutes``, the second person is paged then. Whoever answers first
    acknowledges (a late answer from the first still counts). The second never misses.
    """
    local = created.astimezone(zone)
    if urgency == "low":
        paged = next_business(local)
        wait = (paged - local).total_seconds() / 60
        return (
            wait + lognormal(rng, p["ack_median"]["awake"], p["ack_sigma"]["awake"]),
            ["business"],
            0,
        )
    state = "asleep" if window(local) == "sleep" else "awake"
    missed = rng.random() < p["miss"][state]
    first = lognormal(rng, p["ack_median"][state], p["ack_sigma"][state])
    second = lognormal(rng, p["ack_median"][state], p["ack_sigma"][state])
    timeout = p["timeout_minutes"]
    if not missed and first <= timeout:
        return first, [window(local)], 0
    delay = timeout + second if missed else min(first, timeout + second)
    return delay, [window(local)] * 2, 1


def incident(rng: np.random.Generator, p: dict, n: int, created: datetime, end: datetime) -> dict:
    zone = ZoneInfo(p["zone"])
    priority = str(rng.choice(list(p["priority_mix"]), p=list(p["priority_mix"].values())))
    service = str(rng.choice(list(p["services"]), p=list(p["services"].values())))
    urgency = "low" if priority == "P4" else "high"
    to_ack, windows, escalations = first_ack(rng, p, created, zone, urgency)
    to_resolve = to_ack + lognormal(rng, p["work_median"][priority], p["work_sigma"])
    acked = created + timedelta(minutes=to_ack)
    resolved = created + timedelta(minutes=to_resolve)
    return {
        "id": f"PSYN{n:05d}",
        "incident_number": n,
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "resolved_at": resolved.strftime("%Y-%m-%dT%H:%M:%SZ") if resolved <= end else None,
        "seconds_to_first_ack": round(to_ack * 60) if acked <= end else None,
        "seconds_to_resolve": round(to_resolve * 60) if resolved <= end else None,
        "urgency": urgency,
        "priority_name": priority,
        "service_name": service,
        "team_name": "Platform (synthetic)",
        "major": priority == "P1",
        "business_hour_interruptions": windows.count("business"),
        "off_hour_interruptions": windows.count("off-hours"),
        "sleep_hour_interruptions": windows.count("sleep"),
        "engaged_user_count": 1 + escalations,
        "escalation_count": escalations,
    }


def make(p: dict = PARAMETERS) -> dict:
    """The export: PagerDuty's ``{"data": [...]}``, labelled synthetic."""
    rng = np.random.default_rng(np.random.SeedSequence(p["seed"]))
    start = datetime.fromisoformat(p["start"]).astimezone(UTC)
    end = start + timedelta(weeks=p["weeks"]) - timedelta(hours=p["export_hours_early"])
    created = [c for c in arrivals(rng, p, start, ZoneInfo(p["zone"])) if c < end]
    rows = [incident(rng, p, n, c, end) for n, c in enumerate(created, 1)]
    return {
        "synthetic": True,
        "note": "SYNTHETIC data made by data/imports/make_sample.py (not a real team's "
        "incidents; parameters in PARAMETERS there). PagerDuty Analytics raw incident format.",
        "exported_at": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "data": rows,
    }


def main() -> int:
    text = json.dumps(make(), indent=1) + "\n"
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count('PSYN')} synthetic incidents)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
