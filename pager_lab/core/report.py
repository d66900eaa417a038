"""Text views of an incident: its timeline, its durations and a blameless post-mortem draft."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pager_lab.core.clock import to_datetime
from pager_lab.core.incident import EntryKind, Incident, TimelineEntry
from pager_lab.core.runbook import Runbook

__all__ = ["describe_entry", "durations_lines", "postmortem_markdown", "timeline_lines"]


def describe_entry(entry: TimelineEntry) -> str:
    """A short human sentence for one timeline entry."""
    d: dict[str, Any] = dict(entry.detail)
    match entry.kind:
        case EntryKind.TRIGGERED:
            return f"Alert fired: {d.get('summary', '')}"
        case EntryKind.PAGED:
            return f"Paged {d['responder']} (level {d['level']}, loop {d['loop'] + 1})"
        case EntryKind.LEVEL_SKIPPED:
            return f"Level {d['level']} skipped: nobody on call"
        case EntryKind.NO_ANSWER:
            return f"{entry.actor} did not answer (level {d['level']})"
        case EntryKind.NO_ONE_ANSWERED:
            return "No one answered: every level and loop exhausted"
        case EntryKind.ACKNOWLEDGED:
            return f"Acknowledged by {entry.actor}"
        case EntryKind.TRIAGED:
            helped = "asked for help" if d["need_help"] else "no help needed"
            return f"Triaged by {entry.actor}: {d['severity']}, {helped}"
        case EntryKind.HELP_PAGED:
            return f"Paged {d['responder']} to help {d['requested_by']} (level {d['level']})"
        case EntryKind.ACTION:
            return f"{entry.actor} chose action: {d['action']}"
        case EntryKind.ACK_TIMEOUT:
            return "Acknowledgement timed out: re-triggered"
        case EntryKind.RESOLVED:
            how = f" ({d['action']})" if d.get("action") else ""
            return f"Resolved by {entry.actor}{how}"
        case EntryKind.AUTO_RESOLVED:
            return "Auto-resolved after the auto-resolve timeout"
    return str(entry.kind)  # pragma: no cover - every kind is listed above


def timeline_lines(incident: Incident) -> list[str]:
    """``+minutes  UTC time  event`` lines; times to the minute (seconds only if there are any)."""
    lines = []
    for entry in incident.timeline:
        when = to_datetime(incident.clock.start, entry.at)
        stamp = when.strftime("%H:%M:%S %Z" if when.second or when.microsecond else "%H:%M %Z")
        lines.append(f"  +{entry.at:6.1f} min  {stamp}  {describe_entry(entry)}")
    return lines


def _minutes(value: float | None) -> str:
    return "not reached" if value is None else f"{value:.1f} min"


def durations_lines(incident: Incident) -> list[str]:
    """This incident's time to acknowledge and to resolve."""
    return [
        f"Time to acknowledge: {_minutes(incident.time_to_acknowledge)}",
        f"Time to resolve: {_minutes(incident.time_to_resolve)}",
    ]


def postmortem_markdown(
    incident: Incident,
    runbook: Runbook | None = None,
    root_cause: str = "",
    *,
    events: Sequence[tuple[float, str]] = (),
    went_wrong: Sequence[str] = (),
    describe: Callable[[TimelineEntry], str] = describe_entry,
) -> str:
    """A blameless post-mortem draft from the timeline (the bridge to Lab 29.2).

    *events* are ``(minute, sentence)`` the timeline does not hold (what the system did),
    merged in by minute; *went_wrong* drafts that section; *describe* words each entry."""
    start = incident.clock.start
    began = to_datetime(start, incident.triggered_at).isoformat()
    merged = sorted(
        [(e.at, i, describe(e)) for i, e in enumerate(incident.timeline)]
        + [(at, len(incident.timeline) + i, text) for i, (at, text) in enumerate(events)]
    )
    rows = "\n".join(
        f"| +{at:.1f} | {to_datetime(start, at).isoformat()} | {text} |" for at, _, text in merged
    )
    wrong = "\n".join(f"- {line}" for line in went_wrong) or "_(fill in)_"
    went_well = []
    if incident.acknowledged_by:
        went_well.append(
            f"- {incident.acknowledged_by} acknowledged after "
            f"{_minutes(incident.time_to_acknowledge)}."
        )
    if runbook is not None:
        went_well.append(f"- A runbook existed: *{runbook.title}* ({len(runbook.steps)} steps).")
    if incident.highest_level > 1:
        went_well.append(f"- Escalation worked: level {incident.highest_level} was reached.")
    sev = incident.severity.value if incident.severity else "not triaged"
    return f"""# Post-mortem (draft): {incident.summary}

*Blameless: describe what happened and why the system allowed it, not who to blame.*

## Summary
- Incident: {incident.id} — {incident.summary}
- Began: {began}
- Severity: {sev}
- State at the end of the drill: {incident.state.value}
- {durations_lines(incident)[0]}; {durations_lines(incident)[1]}
- Pages sent: {incident.pages_sent}; highest escalation level: {incident.highest_level}

## Impact
_Who was affected, for how long, and how badly? (fill in)_

## Timeline
| minute | time | event |
|---:|---|---|
{rows}

## Root cause
{root_cause or "_To be determined._"}

## What went well
{chr(10).join(went_well) or "- _(fill in)_"}

## What went wrong
{wrong}

## Action items
| action | owner | due |
|---|---|---|
| _(fill in)_ | | |
"""
