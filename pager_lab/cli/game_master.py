"""``pager-lab gm``: run one drill as a game master (Wheel of Misfortune) on two screens.

It starts the classroom's session server on 127.0.0.1 with one drill session and
prints two URLs, the player's and the game master's (each with its own token), then
serves until Ctrl-C (SIGTERM stops it the same way). ``--host`` binds another interface for
a classroom network: it prints the URLs and warns, since anyone on that network with a URL
can join.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from pager_lab.cli.arguments import existing_folder, number, output_file
from pager_lab.cli.recording import add_record_options, recorder_from, report_outcome
from pager_lab.course.catalog import DATA_DIR

if TYPE_CHECKING:
    from pager_lab.classroom.game_session import DrillGame
    from pager_lab.core.drill_session import DrillSession

__all__ = ["add_gm_parser", "run_gm"]

SUMMARY = "run a drill as a game master, player and GM pages"


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number >= 0")
    return value


def add_gm_parser(sub: argparse._SubParsersAction, parser_class: type) -> None:
    """``gm --scenario NAME [--seed N] [--port P] [--host H] [--pace S]``."""
    from pager_lab.classroom.pacer import PACE_LIMITS
    from pager_lab.cli.webhooks import port_number

    p = sub.add_parser(
        "gm",
        help=SUMMARY,
        description="Run one drill as a game master (Wheel of Misfortune): it prints a "
        "player's URL and a game master's URL, each with its own token, and serves both "
        "pages on 127.0.0.1 until Ctrl-C.",
    )
    p.add_argument("--scenario", required=True, metavar="NAME", help="a drill scenario's name")
    p.add_argument(
        "--seed", type=_seed, default=0, metavar="N", help="the drill's seed (default 0)"
    )
    p.add_argument(
        "--port",
        type=port_number,
        default=0,
        metavar="P",
        help="port to listen on (default 0: a free one)",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="H",
        help="interface to bind (default 127.0.0.1, this machine only; another one "
        "is for a classroom network and prints a warning)",
    )
    low, high = PACE_LIMITS
    p.add_argument(
        "--pace",
        type=number("seconds per simulated minute", at_least=low, at_most=high),
        metavar="SECONDS_PER_MINUTE",
        help="real-time pace: the simulated clock ticks one minute every this many seconds "
        "(starts paused: the GM presses Resume); default: no pace, the clock moves with moves",
    )
    p.add_argument(
        "--save",
        type=output_file("JSON file"),
        metavar="FILE",
        help="when the server stops, write the session (DrillSession.to_dict), the transcript "
        "and the score there",
    )
    p.add_argument(
        "--data",
        type=existing_folder("data folder"),
        default=DATA_DIR,
        metavar="FOLDER",
        help="data folder with drills/ and runbooks/ (default: bundled)",
    )
    add_record_options(p)  # --handle H [--store]: record the drill when it finishes, once


def run_gm(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Serve the drill until Ctrl-C; print the two URLs (and a warning off loopback)."""
    from pager_lab.classroom.game_master import open_game_master
    from pager_lab.classroom.session_server import bind_warning

    out = out or sys.stdout
    recorder = recorder_from(args)  # a bad --handle or --store fails before the server starts
    recorded: list[int] = []

    def on_finish(session: DrillSession) -> None:  # once, on the server's thread
        if recorder is not None:
            recorded.append(report_outcome(recorder.record(session), out))

    server = open_game_master(
        args.scenario,
        seed=args.seed,
        host=args.host,
        port=args.port,
        pace=args.pace,
        data=args.data,
        on_finish=on_finish,
    )
    warning = bind_warning(server.host, server.port)
    if warning:
        print(warning, file=sys.stderr)
    pace = (
        "no real-time pace" if args.pace is None else f"pace {args.pace:g} s per simulated minute"
    )
    print(f"Game master: {server.name} (seed {args.seed}, {pace})", file=out)
    print(f"  player: {server.player_url}", file=out)
    print(f"  GM:     {server.gm_url}", file=out)
    print("Open each URL in its own browser tab (the GM's stays yours). Ctrl-C stops.", file=out)
    out.flush()
    try:
        with _term_as_ctrl_c():
            server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    game = cast("DrillGame", server.session)
    print(f"\nSession stopped: {game.summary()}", file=out)
    if recorder is not None and not recorded:
        print(f"not recorded for {recorder.handle}: the drill did not finish", file=out)
    status = max(recorded, default=0)
    if args.save is not None:
        return max(_save(game, args.save, out), status)
    return status


@contextmanager
def _term_as_ctrl_c() -> Iterator[None]:
    """SIGTERM (``kill``, a closing terminal's session manager, ``docker stop``) stops the
    server like Ctrl-C: the summary, the "not recorded" note and the ``--save`` file follow."""
    if threading.current_thread() is not threading.main_thread():  # signals reach main only
        yield
        return

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _save(game: DrillGame, target: Path, out: TextIO) -> int:
    """Write the stopped session as JSON; a failure is one line, the session is printed."""
    text = json.dumps(game.to_dict(), indent=2, ensure_ascii=False)
    try:
        target.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        print(f"pager-lab: error: cannot write {target}: {exc.strerror}", file=sys.stderr)
        print(text, file=out)  # nothing lost: the session goes to the screen instead
        return 1
    print(f"Saved the session to {target}", file=out)
    return 0
