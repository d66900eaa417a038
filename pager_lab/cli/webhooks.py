"""``pager-lab webhook serve``, ``notify send|flush`` and ``ingest``: thin front ends."""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pager_lab.alerting.drill_notify import DEFAULT_LOCAL_PORT, destination
from pager_lab.alerting.ingest import Event, EventReplay, read_lines
from pager_lab.alerting.notify import DEFAULT_MAX_WAIT, Notifier, json_payload, slack_payload
from pager_lab.alerting.outbox import DEFAULT_MAX_REFUSALS, Outbox
from pager_lab.alerting.pagerduty import ACTIONS as PD_ACTIONS
from pager_lab.alerting.pagerduty import EVENTS_PATH, PagerDutyNotifier, make_notifier, pd_event
from pager_lab.alerting.pd_emulator import EventsV2Emulator
from pager_lab.alerting.receiver import LocalReceiver, Misbehaviour
from pager_lab.cli.ingest_out import add_routing_options, check_routing_options, write_routed_replay
from pager_lab.core.clock import DEFAULT_START
from pager_lab.core.errors import ConfigError

__all__ = [
    "DEFAULT_OUTBOX",
    "add_webhook_parsers",
    "open_outbox",
    "run_ingest",
    "run_notify",
    "run_webhook",
]

DEFAULT_OUTBOX = Path(".pager-lab-outbox.db")
LEGACY_OUTBOX = Path(".pager-lab-outbox.jsonl")
"""The JSON-lines outbox of pager-lab before the SQLite one: read in once, then renamed."""


def port_number(text: str) -> int:
    """A TCP port, 0-65535 (0 lets the system pick a free one)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: expected 0-65535")
    return value


def http_status(text: str) -> int:
    """An HTTP status a receiver may answer with, 200-599."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 200 <= value <= 599:
        raise argparse.ArgumentTypeError(f"{text!r} is not an HTTP status: expected 200-599")
    return value


def at_least(minimum: float, kind: type[int] | type[float]) -> Callable[[str], float]:
    """An argparse type: a finite number of *kind* that is at least *minimum*."""

    def parse(text: str) -> float:
        try:
            value: float | None = kind(text)
        except ValueError:
            value = None
        if value is None or not minimum <= value < float("inf"):
            name = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"{text!r}: expected {name} >= {minimum:g}")
        return value

    return parse


def _serve_parser(sub: argparse._SubParsersAction, parser_class: type) -> None:
    web = sub.add_parser("webhook", help="a local webhook receiver for offline classes")
    web_sub = web.add_subparsers(dest="action", required=True, parser_class=parser_class)
    serve = web_sub.add_parser("serve", help="receive posts on 127.0.0.1 and print them")
    serve.add_argument(
        "--port",
        type=port_number,
        default=DEFAULT_LOCAL_PORT,
        help=f"port on 127.0.0.1, 0-65535 (default {DEFAULT_LOCAL_PORT})",
    )
    serve.add_argument("--status", type=http_status, help="answer the first --times posts so")
    serve.add_argument(
        "--times", type=at_least(1, int), help="how many posts get --status (default 1)"
    )
    serve.add_argument(
        "--retry-after", type=at_least(0, float), help="Retry-After seconds with --status 429"
    )
    serve.add_argument("--fail-rate", type=float, default=0.0, help="share answered with 500")
    serve.add_argument(
        "--delay", type=at_least(0, float), default=0.0, help="seconds before each answer"
    )
    serve.add_argument(
        "--seed", type=at_least(0, int), help="seed of --fail-rate's draws (default 0)"
    )
    serve.add_argument(
        "--pd-throttle",
        type=at_least(1, int),
        metavar="N",
        help="PagerDuty Events v2 (POST /v2/enqueue) throttling mode: answer 429 to the "
        "first of every N events (1: all of them)",
    )


def add_webhook_parsers(sub: argparse._SubParsersAction, parser_class: type) -> None:
    """``webhook serve``, ``notify send|flush|list`` and ``ingest``."""
    _serve_parser(sub, parser_class)
    notify = sub.add_parser("notify", help="send a test message, flush or list the outbox")
    notify_sub = notify.add_subparsers(dest="action", required=True, parser_class=parser_class)
    send = notify_sub.add_parser("send", help="post one message")
    send.add_argument("text", help="the message")
    send.add_argument(
        "--event",
        choices=PD_ACTIONS,
        help="with --to pagerduty[-local]: the Events v2 action (default trigger)",
    )
    send.add_argument(
        "--dedup-key",
        metavar="KEY",
        help="with --to pagerduty[-local]: the incident's key (default: one made from the text, "
        "so the same text acknowledges or resolves what it triggered)",
    )
    flush = notify_sub.add_parser("flush", help="re-send what is waiting in the outbox")
    listing = notify_sub.add_parser("list", help="list the outbox: waiting, or --dead letters")
    listing.add_argument(
        "--dead", action="store_true", help="list the dead letters (refused for good)"
    )
    for p in (send, flush, listing):
        p.add_argument(
            "--outbox",
            type=Path,
            default=DEFAULT_OUTBOX,
            help=f"the SQLite outbox (default {DEFAULT_OUTBOX}; an old {LEGACY_OUTBOX} "
            "beside it is read in once)",
        )
    for p in (send, flush):
        _sending_options(p)
    ingest = sub.add_parser("ingest", help="replay Events v2 / Alertmanager JSON lines")
    ingest.add_argument("file", type=Path, help="a JSON-lines file, one event per line")
    ingest.add_argument(
        "--received-field",
        metavar="NAME",
        help="the field beside each event that holds when it was received "
        '(default: lines wrapped as {"received_at": ..., "event": {...}})',
    )
    add_routing_options(ingest)  # --scenario S --out DIR: a run folder for `pager-lab why`


def _sending_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--to",
        default="local",
        metavar="slack|local|pagerduty|pagerduty-local|URL",
        help="where to (default local; slack reads PAGER_LAB_SLACK_WEBHOOK_URL, pagerduty "
        "sends Events v2 with PAGER_LAB_PD_ROUTING_KEY; pagerduty-local: the local receiver)",
    )
    p.add_argument("--port", type=port_number, default=DEFAULT_LOCAL_PORT, help="for --to local")
    p.add_argument(
        "--retries",
        type=at_least(0, int),
        default=4,
        metavar="N",
        help="retries for 429, 5xx and connection errors (default 4)",
    )
    p.add_argument(
        "--max-wait",
        type=at_least(0, float),
        default=DEFAULT_MAX_WAIT,
        metavar="SECONDS",
        help=f"longest wait before a retry (default {DEFAULT_MAX_WAIT:g}; a longer "
        "Retry-After keeps the message in the outbox instead)",
    )
    p.add_argument(
        "--max-refusals",
        type=at_least(1, int),
        default=DEFAULT_MAX_REFUSALS,
        metavar="N",
        help="permanent refusals (400, 403, 404, 410) before a message becomes a dead "
        f"letter (default {DEFAULT_MAX_REFUSALS})",
    )
    p.add_argument(
        "--quiet", action="store_true", help="do not print each retry and wait on stderr"
    )


def run_webhook(args: argparse.Namespace) -> int:
    """``webhook serve``: the local receiver, printing what it receives and answers."""
    if args.retry_after is not None and args.status != 429:
        raise ConfigError("", "--retry-after", args.retry_after, "--status 429 with it")
    if args.times is not None and args.status is None:
        raise ConfigError("", "--times", args.times, "--status with it")
    if args.seed is not None and not args.fail_rate:
        raise ConfigError("", "--seed", args.seed, "--fail-rate with it (it seeds those draws)")
    script = [args.status] * (args.times or 1) if args.status is not None else []
    try:
        misbehaviour = Misbehaviour(
            script,
            retry_after=args.retry_after,
            fail_rate=args.fail_rate,
            delay=args.delay,
            seed=args.seed or 0,
        )
    except ValueError as exc:
        raise ConfigError("", "webhook serve", str(exc), "valid misbehaviour options") from None
    try:
        receiver = LocalReceiver(
            args.port,
            misbehaviour,
            echo=lambda line: print(line, flush=True),
            events_v2=EventsV2Emulator(args.pd_throttle or 0),
        )
    except OSError as exc:
        raise ConfigError("", "--port", args.port, f"a free port ({exc.strerror})") from None
    print(
        f"listening on {receiver.url('/')} (POST anything, GET /messages; PagerDuty Events v2 "
        f"at {receiver.url(EVENTS_PATH)}); Ctrl-C stops",
        flush=True,
    )
    try:
        receiver.serve_forever()
    finally:
        receiver.stop()
    return 0


def _stderr(line: str) -> None:
    print(f"pager-lab: {line}", file=sys.stderr, flush=True)


def open_outbox(path: Path, max_refusals: int = DEFAULT_MAX_REFUSALS) -> tuple[Outbox, list[str]]:
    """The SQLite outbox at *path*; an old JSON-lines outbox is read in first.

    That is *path* itself when it holds JSON lines (its rows go to ``PATH.db``), or
    ``.pager-lab-outbox.jsonl`` beside the default outbox. Returns problem lines.
    """
    legacy = None
    if path.is_file() and _is_json_lines(path):
        legacy, path = path, path.with_suffix(".db")
    elif path.name == DEFAULT_OUTBOX.name and (path.parent / LEGACY_OUTBOX).is_file():
        legacy = path.parent / LEGACY_OUTBOX
    outbox = Outbox(path, max_refusals=max_refusals)
    if legacy is None:
        return outbox, []
    imported, problems = outbox.import_jsonl(legacy)
    print(f"read {imported} message(s) from the old outbox {legacy} into {path}")
    return outbox, problems


def _is_json_lines(path: Path) -> bool:
    """Does *path* start like the old JSON-lines outbox (not SQLite, not some other file)?"""
    try:
        with path.open("rb") as handle:
            return handle.read(256).lstrip().startswith(b"{")
    except OSError:
        return False  # let the outbox itself report what is wrong with the file


def run_notify(args: argparse.Namespace) -> int:
    """``notify send|flush|list``."""
    outbox, problems = open_outbox(args.outbox, getattr(args, "max_refusals", DEFAULT_MAX_REFUSALS))
    if args.action == "list":
        return _list(outbox, args.dead, problems)
    url, style = destination(args.to, args.port, flag="--to", warn=_stderr)
    notifier = make_notifier(
        url,
        style,
        outbox,
        retries=args.retries,
        max_wait=args.max_wait,
        report=None if args.quiet else _stderr,
    )
    if args.action == "flush":
        report = None if args.quiet else _stderr
        delivered, waiting = outbox.flush(notifier, problems=problems, report=report)
        for line in problems:
            print(line, file=sys.stderr)
        print(
            f"delivered {delivered}, still waiting {waiting}, "
            f"dead letters {outbox.count('dead')} ({outbox.path})"
        )
        return 0 if waiting == 0 and not problems else 1
    for line in problems:
        print(line, file=sys.stderr)
    return _send(notifier, outbox, _payload(args, style))


def _payload(args: argparse.Namespace, style: str) -> dict[str, Any]:
    """``notify send``'s body: Slack, JSON, or an Events v2 event (with --event, --dedup-key)."""
    if style != "pagerduty":
        for option, value in (("--event", args.event), ("--dedup-key", args.dedup_key)):
            if value is not None:
                raise ConfigError("", option, value, "--to pagerduty or pagerduty-local with it")
        return (
            slack_payload("info", args.text)
            if style == "slack"
            else json_payload("info", args.text)
        )
    if args.dedup_key is not None and not 1 <= len(args.dedup_key) <= 255:
        raise ConfigError("", "--dedup-key", args.dedup_key, "1-255 characters")
    if not args.text.strip():
        raise ConfigError("", "TEXT", args.text, "a summary for the event (not empty)")
    key = args.dedup_key or "pager-lab/send/" + hashlib.sha256(args.text.encode()).hexdigest()[:16]
    return pd_event(args.event or "trigger", key, summary=args.text, severity="info")


def _send(notifier: Notifier, outbox: Outbox, payload: dict[str, Any]) -> int:
    try:
        delivery = notifier.send(payload)
    except KeyboardInterrupt:
        _stderr(
            f"interrupted (Ctrl-C): the message is kept in {outbox.path}; notify flush sends it"
        )
        return 130
    if delivery.queued:
        _stderr(
            f"not delivered, kept in {outbox.path} (notify flush sends it later): {delivery.reason}"
        )
        return 1
    print(f"delivered to {notifier.url.redacted} after {delivery.attempts} attempt(s)")
    if isinstance(notifier, PagerDutyNotifier):
        event = payload["event_action"]
        print(f"PagerDuty accepted the {event} event: dedup_key {notifier.accepted[delivery.key]}")
    return 0


def _list(outbox: Outbox, dead: bool, problems: list[str]) -> int:
    states = ("dead",) if dead else ("waiting", "maybe_delivered")
    messages = outbox.messages(states, problems)
    for line in problems:
        print(line, file=sys.stderr)
    for m in messages:
        reason = m.reason if len(m.reason) <= 70 else m.reason[:69] + "…"
        print(f"{m.key[:12]:<12}  {m.state:<15}  {m.created_at}  refusals {m.refusals}  {m.text!r}")
        if reason:
            print(f"{'':<12}  {reason}")
    what = "dead letter(s)" if dead else "message(s) waiting"
    print(f"{len(messages)} {what} in {outbox.path}")
    return 1 if problems else 0


def _read_events(
    path: Path, received_field: str | None = None
) -> tuple[list[tuple[int, Event]], list[str]]:
    if path.is_dir():
        raise ConfigError("", "ingest FILE", str(path), "a JSON-lines file, not a folder")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            "", "ingest FILE", str(path), f"a readable JSON-lines file ({exc.strerror})"
        ) from None
    events, bad = read_lines(data, received_field)
    return events, [f"{path}:{number}: {error}" for number, _, error in bad]


def _minutes(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def run_ingest(args: argparse.Namespace) -> int:
    check_routing_options(args)
    events, errors = _read_events(args.file, args.received_field)
    stamps = [e.received_at or e.timestamp for _, e in events]
    known = [s for s in stamps if s is not None]
    replay = EventReplay(min(known) if known else DEFAULT_START)
    warnings = []
    for number, event in events:
        try:
            if replay.apply(event) is None:
                warnings.append(
                    f"warning: {args.file}:{number}: dedup_key = {event.dedup_key!r}: "
                    f"no open incident to {event.action} (accepted with no effect, as "
                    "PagerDuty does)"
                )
        except ValueError as exc:
            errors.append(f"{args.file}:{number}: {exc}")
    if replay.borrowed:
        warnings.append(
            f"warning: {replay.borrowed} of {len(events)} events had no time of their own "
            "and borrowed the time of the event before, so MTTA and MTTR may be too short: "
            'give each line its time received, {"received_at": ..., "event": {...}}, '
            "or name the field with --received-field"
        )
    for line in [*errors, *warnings]:
        print(line, file=sys.stderr)
    print(f"{'incident':<8} {'state':<12} {'alerts':>6} {'MTTA':>7} {'MTTR':>7}  summary")
    for incident in replay.incidents:
        runbook = (
            f"  (runbook: {replay.runbooks[incident.id]})" if incident.id in replay.runbooks else ""
        )
        print(
            f"{incident.id:<8} {incident.state.value:<12} {replay.alerts[incident.id]:>6} "
            f"{_minutes(incident.time_to_acknowledge):>7} "
            f"{_minutes(incident.time_to_resolve):>7}  {incident.summary}{runbook}"
        )
    print(
        f"{len(events)} events, {len(replay.incidents)} incidents, {len(errors)} problems, "
        f"{len(warnings)} warnings (times in minutes)"
    )
    for path in write_routed_replay(args, [e for _, e in events], replay.clock.start):
        print(f"wrote {path}")
    return 1 if errors else 0
