"""``pager-lab why RUN PAGE_ID``: why one page went to one person.

RUN is a folder written by ``pager-lab simulate --out`` (its tables, ``scenario.toml``
and ``run.toml``) or a drill's ``--json`` timeline. The chain is rebuilt from what the
run wrote (:mod:`pager_lab.sim.why`, :mod:`pager_lab.core.explain`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pager_lab.cli.arguments import path

__all__ = ["add_why_parser", "run_why"]


def add_why_parser(sub: argparse._SubParsersAction, summary: str) -> None:
    """The ``why`` command's parser."""
    p = sub.add_parser(
        "why",
        help=summary,
        description="Explain one page: the alert, the dedup decision, the urgency rule, the "
        "escalation policy's level and loop, the schedule's layer, rotation, restriction or "
        "override that chose the person, and the window in their own time zone.",
    )
    p.add_argument(
        "run",
        type=path("run folder or drill JSON"),
        metavar="RUN",
        help="a folder written by `pager-lab simulate --out DIR`, or a drill's --json file",
    )
    p.add_argument(
        "page_id",
        metavar="PAGE_ID",
        help="the page: its row number in the run's pages.csv (0 is the first page), or "
        "the page's number in the drill's timeline (0 is the first page)",
    )
    p.add_argument("--json", action="store_true", help="print the chain as JSON")


def run_why(args: argparse.Namespace) -> int:
    """Print the chain behind page PAGE_ID of RUN."""
    run: Path = args.run
    if run.is_file() and run.suffix == ".json":
        from pager_lab.cli.why_drill import explain_drill_page

        explanation = explain_drill_page(run, args.page_id)
    else:
        from pager_lab.sim.run_dir import load_run
        from pager_lab.sim.why_chain import check_page_id

        result = load_run(run)
        page_id = check_page_id(args.page_id, len(result.pages), str(run / "pages.csv"))
        explanation = result.why(page_id)
    if args.json:
        data = {
            "page_id": explanation.page_id,
            "responder": explanation.responder,
            "incident_id": explanation.incident_id,
            "chain": [{"step": link.step, "lines": list(link.lines)} for link in explanation.links],
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(explanation.text())
    return 0
