"""``pager-lab simulate | compare | sweep``: thin front ends over the model and experiments."""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from pager_lab.analysis.experiment_report import (
    PRIMARY_METRIC,
    SWEEP_METRICS,
    check_metrics,
    compare_report,
    sweep_report,
)
from pager_lab.analysis.experiments import compare, sweep, sweep_summary
from pager_lab.analysis.oncall_load import team_over_time
from pager_lab.analysis.summary import HEADLINE_METRICS, metric_unit, summary_report
from pager_lab.cli.arguments import number, output_folder
from pager_lab.cli.whatif import (
    check_settings,
    missing_scenario,
    same_scenario_note,
    sweep_grid,
    sweep_points,
    warn_short_horizons,
)
from pager_lab.core.errors import ConfigError
from pager_lab.course.catalog import DATA_DIR
from pager_lab.sim.model import simulate
from pager_lab.sim.run_dir import save_run
from pager_lab.sim.scenario import Scenario
from pager_lab.sim.scenario_io import MAX_WEEKS, load_scenario, with_changes
from pager_lab.sim.tables import SimulationResult

__all__ = [
    "SCENARIOS_DIR",
    "add_experiment_parsers",
    "resolve_scenario",
    "run_compare",
    "run_simulate",
    "run_sweep",
]

SCENARIOS_DIR = DATA_DIR / "scenarios"
SWEEP_CONFIDENCE = 0.9
"""sweep's interval level (printed, and in its JSON as ``confidence``)."""


def resolve_scenario(name: str) -> Scenario:
    """A scenario file path, or the name of a bundled one (``baseline``)."""
    path = Path(name)
    if not path.exists() and (SCENARIOS_DIR / f"{name}.toml").exists():
        path = SCENARIOS_DIR / f"{name}.toml"
    if not name.strip() or not path.exists():  # Path("") would be the current folder
        raise missing_scenario(name, sorted(p.stem for p in SCENARIOS_DIR.glob("*.toml")))
    return load_scenario(path)


def _positive(kind: type, what: str) -> Any:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} {text!r} is not a number") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{what} ({text}) must be greater than 0")
        return value

    return parse


def _common(p: argparse.ArgumentParser, replications: bool) -> None:
    p.add_argument(
        "--seed",
        type=number("", at_least=0, integer=True, why="numpy seeds are non-negative"),
        default=0,
        help="random seed (default 0): the same seed gives the same tables",
    )
    p.add_argument(
        "--weeks",
        type=number("weeks", above=0, at_most=MAX_WEEKS, why="100 years"),
        help="override the scenario's horizon, in weeks",
    )
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    if replications:
        p.add_argument(
            "--replications",
            type=_positive(int, "--replications"),
            default=10,
            help="replications, each with its own seed (default 10): compare runs A and B "
            "on the same alert streams this many times and pairs them; sweep runs each "
            "grid point this many times",
        )
        p.add_argument(
            "--workers",
            type=_positive(int, "--workers"),
            help="processes to use (default: all cores)",
        )


def add_experiment_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("simulate", help="run a scenario in simulated time and summarise it")
    p.add_argument("scenario", help="scenario file, or a bundled name such as baseline")
    p.add_argument(
        "--out",
        type=output_folder("CSV tables and plots"),
        metavar="DIR",
        help="write CSV tables and PNG plots here (created if missing)",
    )
    _common(p, replications=False)
    c = sub.add_parser("compare", help="two scenarios on the same alert streams")
    c.add_argument("a", help="scenario A: a scenario file, or a bundled name such as baseline")
    c.add_argument("b", help="scenario B, compared against A (differences are b - a)")
    c.add_argument(
        "--out",
        type=output_folder("table and plot"),
        metavar="DIR",
        help="write the table and a plot here",
    )
    c.add_argument(
        "--metric",
        dest="metrics",
        action="append",
        metavar="NAME",
        help=f"a metric to compare (repeatable); the first is the primary metric "
        f"(default: {PRIMARY_METRIC}, then all headline metrics)",
    )
    _common(c, replications=True)
    _set_help(
        c,
        "--replications",
        "paired runs (default 10): replication r of A and of B use the same seed, so "
        "both see the same alerts (common random numbers) and b - a is paired; intervals "
        "are over replications and need at least 2",
    )
    s = sub.add_parser("sweep", help="a grid of what-ifs over one scenario")
    s.add_argument("scenario", help="scenario file, or a bundled name such as baseline")
    s.add_argument(
        "--set",
        dest="settings",
        action="append",
        required=True,
        metavar="KEY=V1,V2",
        help="a scenario key and the values to try (repeatable); [*] changes every "
        "list element, e.g. 'sources[*].noise_share=0.1,0.3'",
    )
    s.add_argument(
        "--metric",
        dest="metrics",
        action="append",
        metavar="NAME",
        help=f"a metric to print and plot (repeatable; default: {', '.join(SWEEP_METRICS)})",
    )
    s.add_argument(
        "--out",
        type=output_folder("table and plots"),
        metavar="DIR",
        help="write the table and plots here",
    )
    _common(s, replications=True)
    _set_help(
        s,
        "--replications",
        "runs per grid point (default 10); replication r of every point uses the same "
        "seed (common random numbers), so differences between points are paired",
    )


def _set_help(parser: argparse.ArgumentParser, option: str, text: str) -> None:
    """Give *option* of *parser* a help text of its own (compare and sweep differ)."""
    for action in parser._actions:
        if option in action.option_strings:
            action.help = text


def _with_weeks(scenario: Scenario, weeks: float | None) -> Scenario:
    if weeks is None:
        return scenario
    warmup_weeks = scenario.warmup_minutes / (7 * 24 * 60)
    if weeks <= warmup_weeks:
        raise ConfigError(
            "",
            "--weeks",
            weeks,
            f"more than {scenario.name}'s warm-up of {warmup_weeks:g} "
            f"week{'' if warmup_weeks == 1 else 's'} "
            "(the warm-up is left out of every table)",
        )
    return with_changes(scenario, {"weeks": weeks})


def write_outputs(result: SimulationResult, folder: Path) -> list[Path]:
    """CSV tables and PNG plots of one run, and its scenario and seed (for ``why``)."""
    from pager_lab.analysis import plots

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in result.tables().items():
        table.to_csv(folder / f"{name}.csv", index=False)
        written.append(folder / f"{name}.csv")
    horizon = result.scenario.horizon_minutes
    figures = {
        "mtta": plots.plot_response_distribution(result.incidents, "time_to_acknowledge"),
        "mttr": plots.plot_response_distribution(result.incidents, "time_to_resolve"),
        "pages_heatmap": plots.plot_pages_heatmap(result.pages, result.scenario.time_zone),
        "interruptions": plots.plot_interruptions(result.pages, result.team, horizon),
        "escalation_funnel": plots.plot_escalation_funnel(result.incidents),
        "team_over_time": plots.plot_team_over_time(
            team_over_time(result.pages, result.team, horizon)
        ),
    }
    for name, figure in figures.items():
        figure.savefig(folder / f"{name}.png", dpi=100)
        written.append(folder / f"{name}.png")
    return written + save_run(result, folder)  # scenario.toml + run.toml: for `pager-lab why`


def run_simulate(args: argparse.Namespace) -> int:
    scenario = _with_weeks(resolve_scenario(args.scenario), args.weeks)
    if args.out is not None:
        _make_folder(args.out)  # before the run: a bad --out should not cost a simulation
    warn_short_horizons([scenario])
    result = simulate(scenario, args.seed)
    text, data = summary_report(result)

    def show() -> None:
        strict = json.dumps(_strict_json(data), indent=2, default=_json_number)
        print(strict if args.json else text)

    if args.out is not None:
        try:
            data["written"] = [str(p) for p in write_outputs(result, args.out)]
        except OSError as exc:
            show()
            raise ConfigError(
                "", "--out", str(args.out), f"a folder to write into ({exc.strerror})"
            ) from None
    show()
    return 0


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            "", "--out", str(folder), f"a folder to write into ({exc.strerror})"
        ) from None


def _executor(workers: int | None) -> Any:
    if workers is None:
        return None
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers)


def run_compare(args: argparse.Namespace) -> int:
    metrics = check_metrics(args.metrics or [PRIMARY_METRIC, *HEADLINE_METRICS])
    a = _with_weeks(resolve_scenario(args.a), args.weeks)
    b = _with_weeks(resolve_scenario(args.b), args.weeks)
    note = same_scenario_note(a, b)
    if note is not None:
        print(note, file=sys.stderr)
    warn_short_horizons([a] if note else [a, b])
    a, b = _distinct_names(a, b, args.a, args.b)
    pool = _executor(args.workers)
    try:
        table = compare(
            a,
            b,
            args.replications,
            args.seed,
            metrics=metrics,
            primary=metrics[0],
            executor=pool,
            progress=None if sys.stderr.isatty() else False,
        )
    finally:  # shut down here: Python 3.11's exit hook can race a live pool (EBADF)
        if pool is not None:
            pool.shutdown()
    if args.out is not None:
        from pager_lab.analysis.plots import plot_comparison

        args.out.mkdir(parents=True, exist_ok=True)
        table.to_csv(args.out / "compare.csv", index=False)
        plot_comparison(table).savefig(args.out / "compare.png", dpi=100)
    if args.json:
        data = {
            "a": a.name,
            "b": b.name,
            "weeks": a.weeks,
            "warmup_minutes": a.warmup_minutes,
            "replications": args.replications,
            "seed": args.seed,
            "confidence": table.attrs["confidence"],
            "primary": table.attrs["primary"],
            "intervals": "Student t over replications, unadjusted",
            "clear": "primary: paired t-test p < 1 - confidence; then the others, "
            "Holm-adjusted (family-wise error at 1 - confidence)",
            "rows": table.to_dict("records"),
        }
        print(json.dumps(_strict_json(data), indent=2, default=_json_number))
    else:
        print(compare_report(table, a, b, args.replications, args.seed))
    return 0


def _distinct_names(
    a: Scenario, b: Scenario, given_a: str, given_b: str
) -> tuple[Scenario, Scenario]:
    """Two scenarios with one ``name`` are told apart by the files (or names) given."""
    if a.name != b.name:
        return a, b
    shown_a, shown_b = Path(given_a).name, Path(given_b).name
    if shown_a == shown_b:  # dir1/ours.toml vs dir2/ours.toml: the whole paths
        shown_a, shown_b = given_a, given_b
    if shown_a == shown_b:  # the same scenario twice: a and b say which is which
        return a, b
    return replace(a, name=f"{a.name} [{shown_a}]"), replace(b, name=f"{b.name} [{shown_b}]")


def _json_number(value: Any) -> Any:
    """numpy scalars as plain numbers for json.dumps."""
    return value.item() if hasattr(value, "item") else str(value)


def _strict_json(value: Any) -> Any:
    """*value* with NaN and infinities as null: JSON has no NaN (no interval = null)."""
    if isinstance(value, dict):
        return {k: _strict_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_strict_json(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def run_sweep(args: argparse.Namespace) -> int:
    metrics = check_metrics(args.metrics or list(SWEEP_METRICS))
    scenario = _with_weeks(resolve_scenario(args.scenario), args.weeks)
    grid = sweep_grid(args.settings)
    check_settings(scenario, grid)
    warn_short_horizons(sweep_points(scenario, grid))
    pool = _executor(args.workers)
    try:
        table = sweep(
            scenario,
            grid,
            args.replications,
            args.seed,
            executor=pool,
            progress=None if sys.stderr.isatty() else False,
        )
    finally:  # shut down here: Python 3.11's exit hook can race a live pool (EBADF)
        if pool is not None:
            pool.shutdown()
    keys = list(grid)
    every = list(dict.fromkeys([*metrics, *HEADLINE_METRICS]))
    summaries = {m: sweep_summary(table, keys, m, SWEEP_CONFIDENCE) for m in every}
    notes = _write_sweep(table, summaries, keys, metrics, args.out) if args.out else []
    if args.json:
        data = {
            "scenario": scenario.name,
            "grid": grid,
            "weeks": scenario.weeks,
            "warmup_minutes": scenario.warmup_minutes,
            "replications": args.replications,
            "seed": args.seed,
            "confidence": SWEEP_CONFIDENCE,
            "intervals": "Student t over replications, unadjusted",
            "units": {m: metric_unit(m) for m in every},
            "summary": {m: s.to_dict("records") for m, s in summaries.items()},
        }
        print(json.dumps(_strict_json(data), indent=2, default=_json_number))
    else:
        shown = {m: summaries[m] for m in metrics}
        print(sweep_report(shown, scenario, grid, args.replications, args.seed, SWEEP_CONFIDENCE))
    for note in notes:
        print(note, file=sys.stderr)
    return 0


def _write_sweep(
    table: pd.DataFrame,
    summaries: dict[str, pd.DataFrame],
    keys: list[str],
    metrics: list[str],
    out: Path,
) -> list[str]:
    """The table as CSV and one plot per metric (one or two keys); notes on what was not."""
    from pager_lab.analysis.plots import plot_sweep

    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "sweep.csv", index=False)
    if len(keys) > 2:
        return [f"pager-lab: note: no plots for {len(keys)} --set keys (plots take one or two)"]
    facet = keys[1] if len(keys) == 2 else None
    for metric in metrics:
        figure = plot_sweep(summaries[metric], keys[0], metric, metric_unit(metric), facet=facet)
        figure.savefig(out / f"sweep_{metric}.png", dpi=100)
    return []
