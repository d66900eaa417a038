"""What every importer shares: one imported incident, one rejected row, and the checks.

An importer reads its format into :class:`Record` objects, one per incident, and
:class:`Reject` objects, one per row it could not take, each with a reason from
:data:`REASONS`. Nothing is dropped silently: every skipped row is counted by its
reason and written to the rejects file with the field, the value and what was
expected.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pager_lab.core.errors import ConfigError

__all__ = [
    "REASONS",
    "REJECT_REASONS",
    "Record",
    "Reject",
    "RowProblem",
    "parse_stamp",
    "parse_zone",
]

REASONS = {
    "missing-value": "a required field is empty",
    "unparseable-timestamp": "a timestamp that cannot be read",
    "zone-less-timestamp": "a timestamp without a UTC offset and no zone to read it in",
    "mixed-zones": "a timestamp whose UTC offset differs from the export's zone",
    "resolved-before-created": "resolved before it was created",
    "negative-duration": "a negative duration",
    "duplicate-id": "an id seen on an earlier row",
    "bad-value": "a value outside the allowed set",
}
"""Every reason a row can be rejected for, with what it means."""
REJECT_REASONS = REASONS
"""The same table under the name the ``alerting`` layer exports."""


class RowProblem(ValueError):
    """Why one row cannot be imported: a reason from :data:`REASONS`, the field, the value."""

    def __init__(self, reason: str, field: str, value: object, expected: str) -> None:
        self.reason, self.field, self.value, self.expected = reason, field, value, expected
        super().__init__(f"{field} = {value!r}: expected {expected}")


@dataclass(frozen=True)
class Reject:
    """One row that was not imported, and why."""

    row: int
    """The row's number in the file (1 = the first data row, or JSON list index + 1)."""
    reason: str
    """A key of :data:`REASONS`."""
    field: str
    value: str
    expected: str
    raw: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    """The row as read, so nothing is lost."""


@dataclass
class Record:
    """One imported incident, in the export's own terms, before it becomes a table row."""

    id: str
    created: datetime
    acknowledged: datetime | None = None
    resolved: datetime | None = None
    service: str = ""
    severity: str = ""
    """``SEV1`` ... ``SEV4``."""
    urgency: str = "high"
    responder: str = ""
    row: int = 0
    seconds_to_ack: float | None = None
    """The export's own figure, when it has one (PagerDuty's ``seconds_to_first_ack``)."""
    seconds_to_resolve: float | None = None
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)
    """Format-specific columns kept beside the table (interruptions, team, ...)."""
    raw: Mapping[str, Any] = dataclasses.field(default_factory=dict, repr=False)


def parse_zone(name: str, where: str, key: str) -> ZoneInfo:
    """An IANA time zone, or a :class:`ConfigError` naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            where, key, name, "an IANA time zone such as UTC or Europe/Dublin"
        ) from None


def parse_stamp(
    value: Any,
    field: str,
    *,
    fmt: str = "iso",
    zone: tzinfo | None = None,
    required: bool = True,
) -> datetime | None:
    """A time-zone aware timestamp from an export's cell.

    ``fmt`` is ``iso`` (ISO 8601; ``Z`` means UTC), ``epoch`` (seconds since 1970) or a
    :func:`datetime.strptime` format. A timestamp without an offset is read in *zone*
    when one is given; without a zone it is rejected (``zone-less-timestamp``).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RowProblem("missing-value", field, value, "a timestamp")
        return None
    text = str(value).strip()
    try:
        if fmt == "epoch":
            return datetime.fromtimestamp(float(text), tz=ZoneInfo("UTC"))
        stamp = (
            datetime.fromisoformat(text.replace("Z", "+00:00"))
            if fmt == "iso"
            else datetime.strptime(text, fmt)
        )
    except (ValueError, OverflowError):
        expected = "an ISO 8601 timestamp" if fmt == "iso" else f"a timestamp in the format {fmt}"
        raise RowProblem("unparseable-timestamp", field, text, expected) from None
    if stamp.tzinfo is None:
        if zone is None:
            raise RowProblem(
                "zone-less-timestamp",
                field,
                text,
                "a UTC offset (like +00:00), or a zone given with --zone or the mapping",
            )
        stamp = stamp.replace(tzinfo=zone)
    return stamp


def check_offset(stamp: datetime, first: tzinfo, zone: tzinfo | None, field: str) -> None:
    """Refuse a timestamp whose UTC offset is neither that of the export's first row nor
    that of *zone* (the user's, which may follow DST) at that instant: mixed zones."""
    offset = stamp.utcoffset()
    if offset == stamp.astimezone(first).utcoffset():
        return
    if zone is not None and offset == stamp.astimezone(zone).utcoffset():
        return
    named = f"{getattr(zone, 'key', zone)} or " if zone is not None else ""
    raise RowProblem(
        "mixed-zones",
        field,
        stamp.isoformat(),
        f"the offset of the export's first row ({_offset(stamp.astimezone(first).utcoffset())})"
        f"{' or of ' + named[:-4] if named else ''}; pass --zone if the export follows a "
        "zone with daylight saving time",
    )


def _offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def check_record(record: Record, seen: set[str]) -> None:
    """The checks every format shares: duplicate ids, order of times, negative durations."""
    if record.id in seen:
        raise RowProblem("duplicate-id", "id", record.id, "an id not seen on an earlier row")
    for name, seconds in (
        ("seconds_to_first_ack", record.seconds_to_ack),
        ("seconds_to_resolve", record.seconds_to_resolve),
    ):
        if seconds is not None and seconds < 0:
            raise RowProblem("negative-duration", name, seconds, "a duration of 0 s or more")
    for name, later in (("acknowledged", record.acknowledged), ("resolved", record.resolved)):
        if later is not None and later < record.created:
            reason = "resolved-before-created" if name == "resolved" else "negative-duration"
            raise RowProblem(
                reason, name, later.isoformat(), f"a time at or after {record.created.isoformat()}"
            )
