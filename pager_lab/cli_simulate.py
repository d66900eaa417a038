"""``pager-lab simulate``: run a scenario from the terminal and write its tables."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pager_lab.errors import ConfigError
from pager_lab.model import simulate
from pager_lab.scenario import Scenario
from pager_lab.scenario_io import load_scenario
from pager_lab.sim_tables import SimulationResult

__all__ = ["SCENARIOS_DIR", "add_simulate_parser", "resolve_scenario", "run_simulate_command"]

SCENARIOS_DIR = Path(__file__).resolve().parent.parent / "data" / "scenarios"


def resolve_scenario(name: str) -> Scenario:
    """A scenario file path, or the name of a bundled one (``baseline``)."""
    path = Path(name)
    if not path.exists() and (SCENARIOS_DIR / f"{name}.toml").exists():
        path = SCENARIOS_DIR / f"{name}.toml"
    if not path.exists():
        bundled = ", ".join(sorted(p.stem for p in SCENARIOS_DIR.glob("*.toml")))
        raise ConfigError("", "SCENARIO", name, f"a scenario file or one of: {bundled}")
    return load_scenario(path)


def add_simulate_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("simulate", help="run a scenario in simulated time")
    p.add_argument("scenario", help="scenario file, or a bundled name such as baseline")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--weeks", type=float, help="override the scenario's horizon")
    p.add_argument("--out", type=Path, metavar="DIR", help="write the tables as CSV here")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")


def write_tables(result: SimulationResult, folder: Path) -> list[Path]:
    """Each table as ``<name>.csv`` in *folder*."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in result.tables().items():
        path = folder / f"{name}.csv"
        table.to_csv(path, index=False)
        written.append(path)
    return written


def summary(result: SimulationResult) -> dict[str, object]:
    """Counts of what happened in the run."""
    incidents = result.incidents
    return {
        "scenario": result.scenario.name,
        "seed": result.seed,
        "weeks": result.scenario.weeks,
        "alerts": len(result.alerts),
        "incidents": len(incidents),
        "pages": len(result.pages),
        "no_one_answered": int(incidents["no_one_answered"].sum()),
        "people_who_left": int(result.team["left_minute"].notna().sum()),
    }


def run_simulate_command(args: argparse.Namespace) -> int:
    if args.weeks is not None and args.weeks <= 0:
        raise ConfigError("", "--weeks", args.weeks, "a number of weeks > 0")
    scenario = resolve_scenario(args.scenario)
    result = simulate(scenario, args.seed, weeks=args.weeks)
    facts = summary(result)
    if args.out is not None:
        facts["written"] = [str(p) for p in write_tables(result, args.out)]
    if args.json:
        print(json.dumps(facts, indent=2))
    else:
        for key, value in facts.items():
            print(f"{key:>16}: {value}")
    return 0
