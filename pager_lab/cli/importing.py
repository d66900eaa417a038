"""``pager-lab import`` and ``pager-lab calibrate``: real exports in, a checked scenario out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pager_lab.alerting.import_table import Import, Pseudonymiser
from pager_lab.alerting.importing import (
    FORMATS,
    SALT_ENV,
    load_export,
    pseudonymise,
    read_salt,
    write_import,
)
from pager_lab.cli.arguments import number, output_file, output_folder, path
from pager_lab.core.errors import ConfigError

__all__ = ["COMMANDS_HELP", "add_import_parsers", "run_calibrate", "run_import"]

COMMANDS_HELP = {
    "import": "read a real export into the lab's tables",
    "calibrate": "a scenario from a real export, and its fit",
}
"""The one-line summaries (the same as in ``cli/app.py``'s COMMANDS)."""


def _export_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=path("export file"), help="the export to read")
    p.add_argument(
        "--format",
        choices=list(FORMATS),
        help="the export's format (default: detected, and the detection says what it chose)",
    )
    p.add_argument(
        "--mapping", type=path("TOML column mapping"), metavar="TOML", help="for csv-mapped"
    )
    p.add_argument(
        "--zone",
        metavar="ZONE",
        help="the team's IANA time zone: tables, windows and profiles are read in it "
        "(default: the export's own offset)",
    )
    p.add_argument(
        "--received-field",
        metavar="NAME",
        help="replays: the field beside each event that holds when it was received",
    )


def add_import_parsers(sub: argparse._SubParsersAction) -> None:
    """``import`` and ``calibrate``."""
    _import_parser(sub)
    _calibrate_parser(sub)


def _import_parser(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser("import", help=COMMANDS_HELP["import"])
    _export_options(imp)
    imp.add_argument(
        "--out",
        type=output_folder("imported tables"),
        metavar="DIR",
        required=True,
        help="write incidents.csv (+ pages.csv, extras.csv), rejects.csv and import.json here",
    )
    imp.add_argument(
        "--pseudonymise",
        action="store_true",
        help=f"replace services, teams and people by salted pseudonyms (salt from {SALT_ENV} "
        "or --salt-file; never written)",
    )
    imp.add_argument(
        "--salt-file",
        type=path("salt file"),
        metavar="FILE",
        help="a file you keep that holds the pseudonymisation salt",
    )


def _calibrate_parser(sub: argparse._SubParsersAction) -> None:
    cal = sub.add_parser("calibrate", help=COMMANDS_HELP["calibrate"])
    _export_options(cal)
    cal.add_argument(
        "--out",
        type=output_file("scenario TOML file"),
        metavar="TOML",
        help="write the calibrated scenario here (simulate, compare and sweep accept it)",
    )
    cal.add_argument("--check", action="store_true", help="simulate it and compare with the data")
    cal.add_argument(
        "--team-size",
        type=number("people", at_least=1, at_most=20, integer=True, why="1-20 people"),
        metavar="N",
        help="the team's size when the export names no responders (default: an assumption, 6)",
    )
    cal.add_argument(
        "--seeds",
        type=number("runs", at_least=2, at_most=50, integer=True, why="2-50 runs"),
        default=5,
        help="--check: simulated runs (default 5)",
    )
    cal.add_argument(
        "--seed",
        type=number("", at_least=0, integer=True, why="numpy seeds are non-negative"),
        default=1,
        help="--check: the seed of the runs (default 1)",
    )
    cal.add_argument(
        "--plots", type=output_folder("fit plots"), metavar="DIR", help="--check: write the plots"
    )


def _load(args: argparse.Namespace) -> Import:
    result, said = load_export(
        args.file,
        args.format,
        mapping=args.mapping,
        zone=args.zone,
        received_field=args.received_field,
    )
    print(said)
    return result


def _account(result: Import) -> None:
    open_note = (
        f", {result.open_incidents} still open at export time (right-censored)"
        if result.open_incidents
        else ""
    )
    print(
        f"{len(result.incidents)} incidents imported from {result.start.isoformat()} to "
        f"{result.end.isoformat()} ({result.zone}){open_note}"
    )
    for reason, count in result.reject_counts().items():
        if count:
            print(f"rejected {count} row(s): {reason}", file=sys.stderr)
    for note in result.notes:
        print(f"note: {note}")


def _response(result: Import) -> None:
    from pager_lab.analysis.metrics import response_table

    table = response_table(result.incidents, end_minute=result.end_minute + 1e-6)
    shown = table[table["statistic"].isin(["mean", "median"])]
    for row in shown.to_dict("records"):
        if not row["n"]:
            what = "acknowledged" if row["metric"] == "MTTA" else "resolved"
            print(f"  {row['metric']} {row['statistic']:<6}        -      (no incident {what})")
            continue
        low, high = float(row["low"]), float(row["high"])
        interval = f"[{low:8.1f} - {high:8.1f}]" if low == low else f"{'(no interval)':<21}"
        print(
            f"  {row['metric']} {row['statistic']:<6} {float(row['minutes']):8.1f} min  "
            f"{interval}  n={row['n']} censored={row['censored']}  {row['method']}"
        )


def run_import(args: argparse.Namespace) -> int:
    salt = read_salt(args.salt_file) if args.pseudonymise else None
    if args.salt_file is not None and not args.pseudonymise:
        raise ConfigError("", "--salt-file", str(args.salt_file), "--pseudonymise beside it")
    result = _load(args)
    if salt is not None:
        result = pseudonymise(result, Pseudonymiser(salt))
    _account(result)
    print("Response (minutes; 90% intervals; Kaplan-Meier where incidents are still open):")
    _response(result)
    files = write_import(result, args.out)
    print("wrote " + ", ".join(str(f) for f in files))
    if result.rejects:
        print(
            f"pager-lab: {len(result.rejects)} row(s) rejected, each with its reason in "
            f"{args.out / 'rejects.csv'}",
            file=sys.stderr,
        )
        return 1
    return 0


def run_calibrate(args: argparse.Namespace) -> int:
    if args.out is None and not args.check:
        raise ConfigError("", "calibrate", str(args.file), "--out scenario.toml, --check, or both")
    from pager_lab.analysis.calibration import calibrate
    from pager_lab.analysis.calibration_toml import calibrated_scenario, scenario_toml

    result = _load(args)
    _account(result)
    team_size = None if args.team_size is None else int(args.team_size)
    cal = calibrate(result, team_size=team_size)
    for warning in cal.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    name = Path(args.out).stem if args.out is not None else f"calibrated-{Path(args.file).stem}"
    text = scenario_toml(cal, name)
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out} (pager-lab simulate {args.out})")
    if args.check:
        from pager_lab.analysis.fit_check import fit_report, simulate_and_compare

        check = simulate_and_compare(
            result, calibrated_scenario(text, name), seeds=int(args.seeds), seed=int(args.seed)
        )
        print(fit_report(check))
        if args.plots is not None:
            from pager_lab.analysis.fit_plots import plot_fit_check
            from pager_lab.analysis.style import png_bytes

            args.plots.mkdir(parents=True, exist_ok=True)
            target = args.plots / "fit-check.png"
            target.write_bytes(png_bytes(plot_fit_check(check)))
            print(f"wrote {target}")
    return 0
