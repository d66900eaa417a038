"""``pager-lab schedule who|show|check|export``: thin front ends over the core's schedules."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta

from pager_lab.cli.arguments import number, output_file, path, when
from pager_lab.core.errors import ConfigError
from pager_lab.core.schedule import Schedule
from pager_lab.core.schedule_io import export_ics, load_schedule

__all__ = ["MAX_WINDOW_WEEKS", "add_schedule_parser", "run_schedule_command"]

MAX_WINDOW_WEEKS = 104
"""The longest window show, check and export cover: two years (about 700 daily shifts;
longer windows print for minutes and make calendars apps refuse the file)."""

_FILE_HELP = "schedule file (TOML, see data/schedules/)"


def add_schedule_parser(sub: argparse._SubParsersAction, parser_class: type) -> None:
    """Add ``schedule`` and its sub-commands."""
    sched = sub.add_parser("schedule", help="who is on call, shifts, gaps, iCalendar export")
    actions = sched.add_subparsers(dest="action", required=True, parser_class=parser_class)
    who = actions.add_parser("who", help="who is on call at an instant")
    who.add_argument("file", type=path("schedule file"), help=_FILE_HELP)
    who.add_argument("--at", type=when, help="ISO 8601 with offset (default: now)")
    for name, text in (
        ("show", "shifts and gaps in a window"),
        ("check", "exit 1 listing uncovered intervals"),
    ):
        p = actions.add_parser(name, help=text)
        p.add_argument("file", type=path("schedule file"), help=_FILE_HELP)
        p.add_argument("--from", dest="start", type=when, help="window start (default: now)")
        p.add_argument(
            "--to",
            dest="end",
            type=when,
            help=f"window end (default: 4 weeks on; at most {MAX_WINDOW_WEEKS} weeks)",
        )
    export = actions.add_parser("export", help="write the shifts as an iCalendar (.ics) file")
    export.add_argument("file", type=path("schedule file"), help=_FILE_HELP)
    export.add_argument(
        "--out",
        "--to",  # its first name; --out is what every other command writes files with
        dest="out",
        type=output_file("calendar file"),
        required=True,
        metavar="OUT.ics",
        help="the iCalendar file to write (its folder must exist)",
    )
    export.add_argument("--from", dest="start", type=when, help="window start (default: now)")
    export.add_argument(
        "--weeks",
        type=number("weeks", at_least=1, at_most=MAX_WINDOW_WEEKS, integer=True, why="two years"),
        default=4,
        help="how many weeks (default 4)",
    )


def _window(args: argparse.Namespace) -> tuple[datetime, datetime]:
    start = args.start or datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    weeks = getattr(args, "weeks", 4)
    try:
        end = getattr(args, "end", None) or start + timedelta(weeks=weeks)
    except OverflowError:
        raise ConfigError(
            "", "--from", start.isoformat(), f"a time {weeks} weeks before year 10000"
        ) from None
    if end <= start:
        raise argparse.ArgumentTypeError(
            f"--to ({end.isoformat()}) must be after --from ({start.isoformat()})"
        )
    if end - start > timedelta(weeks=MAX_WINDOW_WEEKS):
        raise ConfigError(
            "",
            "--to",
            end.isoformat(),
            f"at most {MAX_WINDOW_WEEKS} weeks (two years) after --from ({start.isoformat()}); "
            "look at a longer span a window at a time",
        )
    return start, end


def _fmt(when: datetime) -> str:
    return when.strftime("%a %Y-%m-%d %H:%M %Z")


def _show(schedule: Schedule, start: datetime, end: datetime) -> int:
    shifts = schedule.shift_list(start, end)
    print(f"{schedule.name} ({schedule.time_zone}), {_fmt(start)} to {_fmt(end)}")
    for row in shifts:
        mark = "  override" if row.override else ""
        print(
            f"  {_fmt(row.start)} -> {_fmt(row.end)}  {row.responder:<10} "
            f"{row.hours:6.1f} h  [{row.layer}]{mark}"
        )
    gaps = schedule.gaps(start, end)
    for a, b in gaps:
        print(f"  {_fmt(a)} -> {_fmt(b)}  GAP: nobody on call")
    print("Hours on call by window (each responder's own time zone):")
    print(schedule.hours_by_window(start, end).round(1).to_string(index=False))
    return 0


def _check(schedule: Schedule, start: datetime, end: datetime) -> int:
    gaps = schedule.gaps(start, end)
    for a, b in gaps:
        hours = (b - a).total_seconds() / 3600
        print(f"gap: {_fmt(a)} -> {_fmt(b)} ({hours:.1f} h): nobody on call")
    if not gaps:
        print(f"ok: {schedule.name} covers {_fmt(start)} to {_fmt(end)} with no gaps")
    return 1 if gaps else 0


def run_schedule_command(args: argparse.Namespace) -> int:
    schedule = load_schedule(args.file)
    if args.action == "who":
        at = args.at or datetime.now(UTC)
        who = schedule.on_call(at)
        print(f"{_fmt(at.astimezone(schedule.zone))}: {who or 'nobody (coverage gap)'}")
        return 0 if who else 1
    start, end = _window(args)
    if args.action == "show":
        return _show(schedule, start, end)
    if args.action == "check":
        return _check(schedule, start, end)
    try:
        args.out.write_bytes(export_ics(schedule, start, end))
    except OSError as exc:
        raise ConfigError("", "--out", str(args.out), f"a writable file ({exc.strerror})") from None
    print(f"wrote {len(schedule.shift_list(start, end))} shifts to {args.out}")
    return 0
