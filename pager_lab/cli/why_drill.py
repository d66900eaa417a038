"""Why was I paged — in a drill: the chain behind one page of a drill's ``--json`` timeline.

The drill's timeline records every page, no-answer and skipped level; its ``setup``
block (data folder, alert, ``--escalation``/``--schedule``/``--timeout``, start) lets
the policy that paged be rebuilt exactly as the drill built it
(:func:`~pager_lab.cli.drill_policy.drill_policy`), so the schedule's reason and the
responder's window are asked of the same objects.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from pager_lab.cli.drill_policy import drill_policy, load_lab_folder
from pager_lab.core.clock import to_datetime
from pager_lab.core.errors import ConfigError, PagerLabError
from pager_lab.core.escalation import EscalationPolicy
from pager_lab.core.explain import describe_target, explain_on_call, explain_window
from pager_lab.core.lab_config import Lab
from pager_lab.sim.why_chain import PageExplanation, WhyLink, check_page_id

__all__ = ["PAGE_KINDS", "explain_drill_page"]

PAGE_KINDS = ("paged", "help_paged")
"""Timeline entries that are pages: page ids count them in order, from 0."""
_SETUP_KEYS = ("data", "alert_name", "escalation", "schedule", "timeout", "at")


def _read(path: Path) -> dict[str, Any]:
    expected = "a drill timeline written by `pager-lab drill --json FILE`"
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(str(path), "RUN", path.name, f"{expected} ({exc})") from None
    if isinstance(data, dict) and isinstance(data.get("save"), dict) and "timeline" not in data:
        raise PagerLabError(_library_file(path, data))
    if not isinstance(data, dict) or not isinstance(data.get("timeline"), list):
        raise ConfigError(str(path), "timeline", "missing", expected)
    setup = data.get("setup")
    if not isinstance(setup, dict) or any(k not in setup for k in _SETUP_KEYS):
        raise ConfigError(
            str(path),
            "setup",
            "missing",
            f"{expected} since `pager-lab why` exists (it keeps the drill's setup): "
            "run the drill again with --json",
        )
    return data


def _library_file(path: Path, data: dict[str, Any]) -> str:
    """What ``why`` says of a ``drill --scenario NAME --json`` file: no policy paged there."""
    name = data["save"].get("scenario", "?")
    return (
        f"{path} is a drill-library file (`pager-lab drill --scenario {name} --json`): "
        "`why` explains the seed drill's pages only (`pager-lab drill --json FILE` without "
        "--scenario, paged through an escalation policy and schedules); a library scenario "
        "pages its one responder directly, and its score and debrief are in the file"
    )


def _rebuild(setup: dict[str, Any], path: Path) -> tuple[Lab, Any, EscalationPolicy]:
    """The data folder, the alert definition and the policy, as the drill built them."""
    try:
        lab = load_lab_folder(Path(setup["data"]))
        alert = lab.alerts[setup["alert_name"]]
        args = argparse.Namespace(
            escalation=setup["escalation"],
            schedule=None if setup["schedule"] is None else Path(setup["schedule"]),
            timeout=setup["timeout"],
        )
        return lab, alert, drill_policy(args, lab, lab.policies[alert.policy])
    except (PagerLabError, KeyError, TypeError) as exc:
        raise ConfigError(
            str(path), "setup", setup.get("data"), f"the drill's data folder as it was ({exc})"
        ) from None


def explain_drill_page(path: Path, page_id: object) -> PageExplanation:
    """Why page *page_id* (0 = the drill's first page) of the drill in *path* was sent."""
    data = _read(path)
    timeline = data["timeline"]
    pages = [i for i, e in enumerate(timeline) if e.get("kind") in PAGE_KINDS]
    number = check_page_id(page_id, len(pages), str(path), "pages of the drill's timeline")
    entry = timeline[pages[number]]
    lab, alert, policy = _rebuild(data["setup"], path)
    start = datetime.fromisoformat(data["start"])
    at = to_datetime(start, float(entry["at_minutes"]))
    detail = entry["detail"]
    responder = str(detail["responder"])
    links = (
        WhyLink(
            "alert",
            (
                f"alert {alert.name!r} at {start.isoformat()}: {data['summary']!r}, service "
                f"{alert.service or '-'}, {alert.severity}",
            ),
        ),
        WhyLink(
            "dedup",
            (
                f"a drill fires one alert: it opened {data['id']} (no open incident to join; "
                "in a simulation, a trigger with an open incident's dedup key joins it)",
            ),
        ),
        WhyLink(
            "urgency",
            (
                f"{alert.severity}: the drill pages at once and escalates (high urgency); in "
                "a simulation SEV3/SEV4 are low urgency and wait for business hours",
            ),
        ),
        _escalation(policy, timeline[: pages[number] + 1], number),
        _schedule(policy, entry, at, responder),
        _window(lab, responder, at),
    )
    return PageExplanation(number, responder, str(data["id"]), links)


def _escalation(policy: EscalationPolicy, entries: list[dict[str, Any]], number: int) -> WhyLink:
    page = entries[-1]["detail"]
    lines = [
        f"policy {policy.name!r}: {len(policy.levels)} level(s), repeat {policy.repeat}; this "
        f"page is level {page['level']} of loop {page.get('loop', 0)}"
    ]
    for entry in entries[1:-1]:
        kind, detail, minute = entry["kind"], entry["detail"], entry["at_minutes"]
        step = f"level {detail.get('level')}, loop {detail.get('loop', 0)}"
        if kind == "paged":
            lines.append(f"{step} at minute {minute:g}: paged {detail['responder']}")
        elif kind == "no_answer":
            lines.append(f"{step}: {entry['actor']} did not answer by minute {minute:g}")
        elif kind == "level_skipped":
            lines.append(f"{step} at minute {minute:g}: skipped, nobody on call (no wait)")
        elif kind == "acknowledged":
            lines.append(f"{entry['actor']} acknowledged at minute {minute:g}")
    if entries[-1]["kind"] == "help_paged":
        lines.append(
            f"{page['requested_by']} asked for help: level {page['level']} is the next level "
            f"after the one that reached them; page {number} to {page['responder']}"
        )
    else:
        timeout = policy.levels[int(page["level"]) - 1].timeout
        lines.append(
            f"level {page['level']}, loop {page.get('loop', 0)} at minute "
            f"{entries[-1]['at_minutes']:g}: page {number} to {page['responder']}, "
            f"{timeout:g} min to acknowledge"
        )
    return WhyLink("escalation", tuple(lines))


def _schedule(policy: EscalationPolicy, entry: dict[str, Any], at: datetime, who: str) -> WhyLink:
    level = policy.levels[int(entry["detail"]["level"]) - 1]
    lines: list[str] = []
    for target in level.targets:
        if isinstance(target, str):
            if target == who:
                lines.append(f"{target} is named in the policy (--escalation or policies.toml)")
            continue
        reason = explain_on_call(target, at)  # type: ignore[arg-type]
        if reason.responder == who:
            lines += reason.lines()
    if not lines:
        names = ", ".join(describe_target(t) for t in level.targets)
        lines.append(f"note: no target of level {entry['detail']['level']} ({names}) gives {who}")
    return WhyLink("schedule", tuple(lines))


def _window(lab: Lab, responder: str, at: datetime) -> WhyLink:
    person = lab.responders.get(responder)
    zone = person.time_zone if person is not None else "UTC"
    source = "responders.toml" if person is not None else "not in responders.toml: UTC"
    _, text = explain_window(at, zone)
    return WhyLink("window", (f"{responder}'s own clock ({source}): {text}",))
