"""``pager-lab ingest FILE --scenario S --out DIR``: an ingest replay as a run folder.

The replay's incidents are paged through the scenario's team, schedules and policy
(:func:`~pager_lab.analysis.replay_routing.route_events`), and written as the model's
tables plus ``scenario.toml`` and ``run.toml`` (:func:`~pager_lab.sim.run_dir.save_run`),
so ``pager-lab why DIR PAGE_ID`` explains who would have been paged, and why.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from pager_lab.alerting.ingest import Event
from pager_lab.cli.arguments import output_folder
from pager_lab.core.errors import ConfigError

__all__ = ["add_routing_options", "check_routing_options", "write_routed_replay"]


def add_routing_options(p: argparse.ArgumentParser) -> None:
    """``--scenario`` and ``--out`` of ``ingest``."""
    p.add_argument(
        "--scenario",
        metavar="SCENARIO",
        help="page the replay's incidents through this scenario's team, schedules and "
        "policy (a scenario file or a bundled name such as baseline); needs --out",
    )
    p.add_argument(
        "--out",
        type=output_folder("run folder"),
        metavar="DIR",
        help="write the routed replay as a run folder (tables, scenario.toml, run.toml) "
        "for `pager-lab why DIR PAGE_ID`; needs --scenario",
    )


def check_routing_options(args: argparse.Namespace) -> None:
    """--scenario and --out go together, and the scenario must load: checked before the
    replay (the loaded scenario is kept as ``args.routing``)."""
    scenario, out = getattr(args, "scenario", None), getattr(args, "out", None)
    if (scenario is None) != (out is None):
        given, missing = ("--scenario", "--out") if out is None else ("--out", "--scenario")
        value = scenario if out is None else str(out)
        raise ConfigError("", given, value, f"{missing} as well (who is on call, and where)")
    if scenario is not None:
        from pager_lab.cli.simulate import resolve_scenario

        try:
            args.routing = resolve_scenario(scenario)
        except ConfigError as exc:
            if exc.key != "SCENARIO":
                raise
            raise ConfigError("", "--scenario", scenario, exc.expected) from None


def write_routed_replay(
    args: argparse.Namespace, events: Sequence[Event], start: datetime
) -> list[Path]:
    """Route *events* through ``--scenario`` and write the run folder ``--out``."""
    if getattr(args, "out", None) is None:
        return []
    from pager_lab.analysis.replay_routing import route_events
    from pager_lab.sim.run_dir import TABLES, save_run

    result = route_events(events, args.routing, start)
    folder: Path = args.out
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name in TABLES:
            result.tables()[name].to_csv(folder / f"{name}.csv", index=False)
            written.append(folder / f"{name}.csv")
        return written + save_run(result, folder)
    except OSError as exc:
        raise ConfigError(
            "", "--out", str(folder), f"a folder to write into ({exc.strerror})"
        ) from None
