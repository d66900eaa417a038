"""Scenarios: everything one simulation run needs, as plain frozen objects.

Defaults either cite ``REFERENCES.md`` or are labelled **assumption**: they
are teaching values, chosen to be plausible, not measured.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pager_lab.core.escalation import EscalationPolicy
from pager_lab.core.incident import Severity
from pager_lab.core.routing_config import RoutingConfig
from pager_lab.core.schedule import Schedule

__all__ = [
    "AlertSource",
    "Attrition",
    "Fatigue",
    "Flapping",
    "ResponseModel",
    "Scenario",
    "Storm",
    "WorkModel",
]

FLAT_PROFILE = (1.0,) * 24
DEFAULT_URGENCY: Mapping[Severity, str] = {
    Severity.SEV1: "high",
    Severity.SEV2: "high",
    Severity.SEV3: "low",
    Severity.SEV4: "low",
}
"""Urgency follows severity, as PagerDuty's dynamic notifications do (REFERENCES.md): an
event's severity ``critical`` or ``error`` gives a high-urgency incident, ``warning`` or
``info`` a low-urgency one. The lab's SEV1-SEV4 stand for critical, error, warning, info.
A scenario may map them otherwise with an ``[urgency]`` table."""

DEFAULT_SEVERITY_MIX = {
    Severity.SEV1: 0.05,
    Severity.SEV2: 0.70,
    Severity.SEV3: 0.15,
    Severity.SEV4: 0.10,
}
"""Assumption: most pages are minor; SEV1s are rare."""


@dataclass(frozen=True)
class Storm:
    """A burst of alerts: ``count`` alerts around minute ``at``, spread over ``spread_minutes``."""

    at: float
    """Minutes after the scenario's start."""
    count: int
    spread_minutes: float = 15.0
    dedup_keys: int = 1
    """How many distinct dedup keys the storm's alerts share (1: one incident)."""


@dataclass(frozen=True)
class Flapping:
    """An alert that fires and clears repeatedly: ``episodes_per_week`` episodes of ``cycles``."""

    episodes_per_week: float
    cycles: int = 5
    fire_minutes: float = 3.0
    clear_minutes: float = 7.0


@dataclass(frozen=True)
class AlertSource:
    """One service's monitors: a non-homogeneous Poisson process of alerts."""

    service: str
    rate_per_hour: float
    """Mean alerts per hour before the profile and weekday factors."""
    profile: tuple[float, ...] = FLAT_PROFILE
    """24 multipliers, one per local hour of day (schedule time zone)."""
    weekday_factor: float = 1.0
    weekend_factor: float = 1.0
    noise_share: float = 0.0
    """Share of non-actionable alerts: they page and need an ack, but no work."""
    severity_mix: Mapping[Severity, float] = field(default_factory=lambda: DEFAULT_SEVERITY_MIX)
    alerts_per_problem: float = 1.0
    """Mean alerts one problem fires (same dedup key): monitors re-fire while it lasts."""
    refire_minutes: float = 10.0
    """Those repeat alerts arrive within this many minutes of the first."""
    storms: tuple[Storm, ...] = ()
    flapping: Flapping | None = None
    week_profile: tuple[float, ...] = ()
    """168 multipliers, one per local hour of the week, Monday 00:00 first; when given they
    replace ``profile`` and the weekday/weekend factors (a calibrated scenario's arrivals)."""

    @property
    def peak_rate_per_minute(self) -> float:
        if self.week_profile:
            return self.rate_per_hour / 60 * max(self.week_profile)
        return (
            self.rate_per_hour
            / 60
            * max(self.profile)
            * max(self.weekday_factor, self.weekend_factor)
        )


@dataclass(frozen=True)
class ResponseModel:
    """How people answer pages: lognormal delays (median, sigma) and miss probabilities.

    Assumptions, shaped by the SRE book's response targets (5 min user-facing,
    30 min less critical): awake people answer in about 2 minutes, asleep people
    in about 7, and miss a page more often when asleep.
    """

    awake_median_minutes: float = 2.0
    awake_sigma: float = 0.8
    asleep_median_minutes: float = 7.0
    asleep_sigma: float = 0.9
    awake_miss: float = 0.05
    asleep_miss: float = 0.2
    immediate: bool = False
    """Textbook mode: every incident is acknowledged the moment it triggers."""


@dataclass(frozen=True)
class WorkModel:
    """Triage and resolution times after acknowledgement.

    Lognormal by default (incident durations are positively skewed: Davidovič
    2021, VOID 2022); ``exponential`` for textbook queueing checks.
    """

    distribution: str = "lognormal"
    triage_median_minutes: float = 5.0
    triage_sigma: float = 0.5
    resolve_median_minutes: Mapping[Severity, float] = field(
        default_factory=lambda: {
            Severity.SEV1: 60.0,
            Severity.SEV2: 45.0,
            Severity.SEV3: 30.0,
            Severity.SEV4: 20.0,
        }
    )
    """Assumption: worse incidents take longer."""
    resolve_sigma: float = 1.0
    resolve_mean_minutes: float = 60.0
    """Mean of the exponential distribution (textbook mode)."""
    runbook_factor: float = 0.6
    """Assumption: a runbook cuts resolution time to 60 %."""


@dataclass(frozen=True)
class Fatigue:
    """Teaching assumption (off by default): recent sleep interruptions slow people down."""

    enabled: bool = False
    nights: int = 7
    slowdown_per_interruption: float = 0.1
    miss_per_interruption: float = 0.02
    max_miss: float = 0.6


@dataclass(frozen=True)
class Attrition:
    """Teaching assumption (off by default): sleep interruptions make people quit.

    Each week every person quits with ``weekly_quit`` plus
    ``per_sleep_interruption`` for each sleep interruption that week (capped);
    a replacement joins the same rotation slot after ``hiring_delay_weeks``.
    """

    enabled: bool = False
    weekly_quit: float = 0.002
    per_sleep_interruption: float = 0.01
    max_weekly_quit: float = 0.5
    hiring_delay_weeks: float = 8.0


@dataclass(frozen=True)
class Scenario:
    """A team, its schedules and policy, its alert sources, and how people behave."""

    name: str
    start: datetime
    weeks: float
    time_zone: str
    team: Mapping[str, str]
    """Rotation slot (the person's name) to IANA time zone."""
    policy: EscalationPolicy
    sources: tuple[AlertSource, ...]
    schedules: Mapping[str, Schedule] = field(default_factory=dict)
    response: ResponseModel = ResponseModel()
    work: WorkModel = WorkModel()
    fatigue: Fatigue = Fatigue()
    attrition: Attrition = Attrition()
    urgency: Mapping[Severity, str] = field(default_factory=lambda: dict(DEFAULT_URGENCY))
    """Each severity's urgency: ``high`` pages now and escalates; ``low`` waits for business
    hours and notifies level 1 once (PagerDuty low urgency never escalates)."""
    runbook_coverage: float = 0.5
    """Share of alerts that come with a runbook (assumption)."""
    dispatch: str = "owner"
    """``owner``: whoever acknowledges does the work; ``pool``: any free team member."""
    auto_resolve_minutes: float = 240.0
    """PagerDuty's auto-resolve timeout, often 4 h (REFERENCES.md)."""
    warmup_minutes: float = 0.0
    """Incidents triggered before this are dropped from the tables (queueing checks)."""
    routing: RoutingConfig | None = None
    """Alertmanager's grouping before paging (``[routing]``); ``None``: every alert pages."""
    on_gap: str = ""
    """``escalate`` to allow schedule gaps (the level is skipped); empty: gaps are an error."""
    description: str = ""
    source: str = ""
    """The file it came from."""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """The parsed TOML, so what-ifs can change one key and validate again."""

    @property
    def low_urgency_severities(self) -> frozenset[str]:
        """The severities (``"SEV3"``, ...) whose incidents are low urgency."""
        return frozenset(str(s) for s, urgency in self.urgency.items() if urgency == "low")

    @property
    def horizon_minutes(self) -> float:
        return self.weeks * 7 * 24 * 60

    def __repr__(self) -> str:
        return (
            f"Scenario({self.name!r}, team={len(self.team)}, sources={len(self.sources)}, "
            f"weeks={self.weeks:g})"
        )
