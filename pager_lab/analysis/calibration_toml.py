"""A calibration as a scenario file that ``simulate``, ``compare`` and ``sweep`` accept.

Each number carries a comment: where it came from and how many incidents support it,
or "assumption" where the export says nothing. The text is checked by parsing it back
(:func:`calibrated_scenario`), so a file that would not run is never written.
"""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pager_lab.analysis.calibration_base import Calibration, Estimate
from pager_lab.sim.scenario import Scenario
from pager_lab.sim.scenario_io import parse_scenario

__all__ = ["calibrated_scenario", "scenario_start", "scenario_toml"]

SEVERITIES = ("SEV1", "SEV2", "SEV3", "SEV4")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _line(key: str, value: Any, comment: str) -> str:
    return f"{key} = {_value(value)}  # {comment}"


def _why(estimate: Estimate) -> str:
    if estimate.support == 0:
        return estimate.source
    return f"{estimate.source} [{estimate.support} incidents]"


def scenario_start(cal: Calibration) -> datetime:
    """Monday 00:00 (local) at or before the first incident: whole weeks from a Monday."""
    local = cal.start.astimezone(ZoneInfo(cal.zone))
    monday = (local - timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return monday.replace(tzinfo=ZoneInfo(cal.zone))


def _mix(cal: Calibration) -> dict[str, float]:
    """The severity mix, rounded so that it still adds up to 1."""
    raw = cal["severity_mix"]
    mix = {s: round(float(raw.get(s, 0.0)), 4) for s in SEVERITIES}
    largest = max(mix, key=lambda s: mix[s])
    mix[largest] = round(1 - sum(v for s, v in mix.items() if s != largest), 4)
    return mix


def _header(cal: Calibration, name: str) -> list[str]:
    start = scenario_start(cal)
    weeks = round((cal.end - start) / timedelta(weeks=1), 2)
    lines = [
        f"# {name}: calibrated by `pager-lab calibrate` from {cal.source},",
        f"# {cal.incidents} incidents over {cal.weeks:.1f} weeks, read in {cal.zone}.",
        "# Each number says where it came from and how many incidents support it; "
        '"assumption" marks',
        "# what the export does not say. Check the fit with `pager-lab calibrate FILE --check`.",
        *[f"# WARNING: {w}" for w in cal.warnings],
        f'name = "{name}"',
        f'description = "calibrated from {cal.source}"',
        _line(
            "start", start.isoformat(timespec="minutes"), "Monday 00:00 before the first incident"
        ),
        _line("weeks", weeks, "the export's span, from that Monday to the export time"),
        _line("time_zone", cal.zone, "the export's zone (--zone): profile and windows read here"),
    ]
    if "team" in cal.estimates:
        return lines
    return [*lines, _line("team_size", cal["team_size"], _why(cal.estimates["team_size"]))]


def _urgency_line(cal: Calibration, severity: str) -> str:
    count = round(cal["severity_mix"].get(severity, 0.0) * cal.incidents)
    if severity in cal["urgency"]:
        return _line(severity, cal["urgency"][severity], f"the majority of {count} incidents")
    default = "high" if severity in SEVERITIES[:2] else "low"
    return _line(severity, default, "none in the data: the lab's default")


def _team_and_policy(cal: Calibration) -> list[str]:
    lines = [
        _line(
            "runbook_coverage",
            0.0,
            "assumption: the export says nothing of runbooks; the fitted work times include them",
        ),
        _line("auto_resolve_minutes", 240, "PagerDuty's auto-resolve, often 4 h (REFERENCES.md)"),
        _line(
            "dispatch",
            "pool",
            "any free person works it: the fitted work times already hold any wait for a busy "
            "responder, so the model should not add it again (assumption)",
        ),
    ]
    if "team" in cal.estimates:
        lines += ["", f"[team]  # {_why(cal.estimates['team'])}"]
        lines += [f'"{person}" = "{cal.zone}"' for person in cal["team"]]
    timeout = cal.estimates["timeout_minutes"]
    lines += [
        "",
        f"# Rotation: {cal.estimates['rotation'].source}",
        "[urgency]  # " + _why(cal.estimates["urgency"]),
        *[_urgency_line(cal, s) for s in SEVERITIES],
        "",
        "[policy]",
        _line("repeat", 1, "loop once more (PagerDuty num_loops; assumption)"),
    ]  # fmt: skip
    for target in ("primary", "secondary"):
        lines += [
            "[[policy.levels]]",
            f'targets = ["schedule:{target}"]',
            _line("timeout_minutes", timeout.value, _why(timeout)),
        ]
    return lines


def _week_lines(values: list[float]) -> list[str]:
    """``week_profile`` as one line per day, each named in a comment."""
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    rows = [
        "  " + ", ".join(_value(v) for v in values[d * 24 : d * 24 + 24]) + f",  # {days[d]}"
        for d in range(7)
    ]
    return ["week_profile = [", *rows, "]"]


def _sources(cal: Calibration) -> list[str]:
    lines = []
    week = cal.estimates["week_profile"]
    for service, rate in cal["rate_per_hour"].items():
        lines += [
            "",
            "[[sources]]",
            f'service = "{service}"',
            _line("rate_per_hour", rate, _why(cal.estimates["rate_per_hour"])),
            _line("alerts_per_problem", 1, "an export holds incidents, not alerts: one each"),
            f"# week_profile: {_why(week)}",
            *_week_lines(week.value),
            _line("noise_share", 0.0, "assumption: an export does not say which pages were noise"),
            _line("severity_mix", _mix(cal), _why(cal.estimates["severity_mix"])),
        ]
    return lines


def _response_and_work(cal: Calibration) -> list[str]:
    lines = ["", "[response]"]
    for key in (
        "awake_median_minutes",
        "awake_sigma",
        "awake_miss",
        "asleep_median_minutes",
        "asleep_sigma",
        "asleep_miss",
    ):
        lines.append(_line(key, cal[key], _why(cal.estimates[key])))
    medians = {s: v for s, v in cal["resolve_median_minutes"].items() if s in SEVERITIES}
    ttr = cal.estimates["ttr_distribution"]
    return [
        *lines,
        "",
        "[work]",
        _line("distribution", "lognormal", f"time to resolve: {_why(ttr)}"),
        _line("triage_median_minutes", 0.01, "the data do not separate triage: it is in the work"),
        _line("triage_sigma", 0.01, "(next to no triage of its own)"),
        _line("resolve_median_minutes", medians, _why(cal.estimates["resolve_median_minutes"])),
        _line("resolve_sigma", cal["resolve_sigma"], _why(cal.estimates["resolve_sigma"])),
        _line("runbook_factor", 1.0, "no runbook effect: runbook_coverage is 0"),
    ]


def scenario_toml(cal: Calibration, name: str = "calibrated") -> str:
    """The scenario file's text; parsed back before it is returned, so it always runs."""
    text = "\n".join(
        [*_header(cal, name), *_team_and_policy(cal), *_sources(cal), *_response_and_work(cal)]
    )
    text += "\n"
    calibrated_scenario(text, f"<calibrated {name}>")
    return text


def calibrated_scenario(text: str, where: str = "<calibrated>") -> Scenario:
    """The scenario a calibrated file's text describes (validated as any scenario file)."""
    return parse_scenario(tomllib.loads(text), where)
