"""``pager-lab webhook serve``, ``notify send|flush`` and ``ingest``: thin front ends."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pager_lab.alerting.drill_notify import DEFAULT_LOCAL_PORT, destination
from pager_lab.alerting.ingest import Event, EventError, EventReplay, parse_line
from pager_lab.alerting.notify import Notifier, Outbox, json_payload, slack_payload
from pager_lab.alerting.receiver import LocalReceiver, Misbehaviour
from pager_lab.core.clock import DEFAULT_START
from pager_lab.core.errors import ConfigError

__all__ = ["add_webhook_parsers", "run_ingest", "run_notify", "run_webhook"]

DEFAULT_OUTBOX = Path(".pager-lab-outbox.jsonl")


def add_webhook_parsers(sub: argparse._SubParsersAction, parser_class: type) -> None:
    web = sub.add_parser("webhook", help="a local webhook receiver for offline classes")
    web_sub = web.add_subparsers(dest="action", required=True, parser_class=parser_class)
    serve = web_sub.add_parser("serve", help="receive posts on 127.0.0.1 and print them")
    serve.add_argument(
        "--port", type=int, default=DEFAULT_LOCAL_PORT, help="port on 127.0.0.1 (default 8765)"
    )
    serve.add_argument("--status", type=int, help="answer the first --times posts with this")
    serve.add_argument("--times", type=int, default=1, help="how many posts get --status")
    serve.add_argument("--retry-after", type=float, help="Retry-After seconds with --status 429")
    serve.add_argument("--fail-rate", type=float, default=0.0, help="share answered with 500")
    serve.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    serve.add_argument("--seed", type=int, default=0, help="seed of --fail-rate's draws")
    notify = sub.add_parser("notify", help="send a test message or flush the outbox")
    notify_sub = notify.add_subparsers(dest="action", required=True, parser_class=parser_class)
    send = notify_sub.add_parser("send", help="post one message")
    send.add_argument("text", help="the message to post")
    flush = notify_sub.add_parser("flush", help="re-send what is waiting in the outbox")
    for p in (send, flush):
        p.add_argument(
            "--to",
            default="local",
            metavar="slack|local|URL",
            help="where to (default local; slack reads PAGER_LAB_SLACK_WEBHOOK_URL)",
        )
        p.add_argument("--port", type=int, default=DEFAULT_LOCAL_PORT, help="for --to local")
        p.add_argument(
            "--outbox",
            type=Path,
            default=DEFAULT_OUTBOX,
            help="where undelivered messages wait (default .pager-lab-outbox.jsonl)",
        )
        p.add_argument(
            "--retries",
            type=int,
            default=4,
            help="retries for 429, 5xx and connection errors (default 4)",
        )
    ingest = sub.add_parser("ingest", help="replay Events v2 / Alertmanager JSON lines")
    ingest.add_argument("file", type=Path, help="a file of JSON lines, one event per line")


def run_webhook(args: argparse.Namespace) -> int:
    if args.retry_after is not None and args.status != 429:
        raise ConfigError("", "--retry-after", args.retry_after, "--status 429 with it")
    script = [args.status] * args.times if args.status is not None else []
    try:
        misbehaviour = Misbehaviour(
            script,
            retry_after=args.retry_after,
            fail_rate=args.fail_rate,
            delay=args.delay,
            seed=args.seed,
        )
    except ValueError as exc:
        raise ConfigError("", "webhook serve", str(exc), "valid misbehaviour options") from None
    receiver = LocalReceiver(args.port, misbehaviour, echo=lambda line: print(line, flush=True))
    print(
        f"listening on {receiver.url('/')} (POST anything, GET /messages); Ctrl-C stops", flush=True
    )
    try:
        receiver.serve_forever()
    finally:
        receiver.stop()
    return 0


def run_notify(args: argparse.Namespace) -> int:
    url, style = destination(args.to, args.port)
    outbox = Outbox(args.outbox)
    notifier = Notifier(url, outbox, style=style, retries=args.retries)
    if args.action == "flush":
        delivered, waiting = outbox.flush(notifier.post)
        print(f"delivered {delivered}, still waiting {waiting} ({outbox.path})")
        return 0 if waiting == 0 else 1
    payload = (
        slack_payload("info", args.text) if style == "slack" else json_payload("info", args.text)
    )
    delivery = notifier.send(payload)
    if delivery.queued:
        print(f"not delivered, kept in {outbox.path}: {delivery.reason}", file=sys.stderr)
        return 1
    print(f"delivered to {url.redacted} after {delivery.attempts} attempt(s)")
    return 0


def _read_events(path: Path) -> tuple[list[tuple[int, Event]], list[str]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(
            str(path), "file", str(path), f"a readable file ({exc.strerror})"
        ) from None
    events, errors = [], []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            events += [(number, event) for event in parse_line(line)]
        except EventError as exc:
            errors.append(f"{path}:{number}: {exc}")
    return events, errors


def _minutes(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def run_ingest(args: argparse.Namespace) -> int:
    events, errors = _read_events(args.file)
    stamps = [e.timestamp for _, e in events if e.timestamp is not None]
    replay = EventReplay(min(stamps) if stamps else DEFAULT_START)
    for number, event in events:
        try:
            if replay.apply(event) is None:
                errors.append(
                    f"{args.file}:{number}: dedup_key = {event.dedup_key!r}: "
                    f"no open incident to {event.action}"
                )
        except ValueError as exc:
            errors.append(f"{args.file}:{number}: {exc}")
    for line in errors:
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
        f"{len(events)} events, {len(replay.incidents)} incidents, {len(errors)} problems "
        "(times in minutes)"
    )
    return 1 if errors else 0
