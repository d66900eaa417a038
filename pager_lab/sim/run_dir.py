"""A run folder: a run's tables, its scenario and its seed — enough to explain any page.

``pager-lab simulate --out DIR`` writes ``alerts.csv``, ``incidents.csv``, ``pages.csv``
and ``team.csv`` (and plots). Before issue 17 it did not keep the scenario, so a page in
those tables could not be explained; :func:`save_run` adds

- ``scenario.toml``: the scenario exactly as run (``extends`` merged, ``--weeks``
  applied), with any ``schedule_files`` copied into ``schedules/`` beside it, so the
  folder is self-contained and ``pager-lab simulate DIR/scenario.toml --seed S`` runs
  it again;
- ``run.toml``: the seed, the scenario's name and the pager_lab version.

:func:`load_run` reads the folder back as a :class:`SimulationResult`, so
``load_run(DIR).why(page_id)`` is what ``pager-lab why DIR PAGE_ID`` prints.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Mapping
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pandas as pd
import tomli_w

from pager_lab.core.errors import ConfigError
from pager_lab.core.tables import ALERTS, INCIDENTS, PAGES, TEAM, TIMESTAMP
from pager_lab.core.tomlfile import read_toml
from pager_lab.sim.scenario_io import parse_scenario
from pager_lab.sim.tables import SimulationResult

__all__ = ["RUN_FILE", "SCENARIO_FILE", "TABLES", "load_run", "read_table", "save_run"]

RUN_FILE = "run.toml"
SCENARIO_FILE = "scenario.toml"
TABLES: Mapping[str, Mapping[str, str]] = {
    "alerts": ALERTS,
    "incidents": INCIDENTS,
    "pages": PAGES,
    "team": TEAM,
}
"""The tables a run folder holds (``NAME.csv``) and their schemas."""
WRITTEN_BY = "pager-lab simulate --out"


def scenario_data(result: SimulationResult, folder: Path) -> dict[str, Any]:
    """The scenario's TOML data as run, schedule files copied into *folder*/schedules."""
    scenario = result.scenario
    data = copy.deepcopy(dict(scenario.raw))
    if not data:
        raise ConfigError(
            "", "scenario", scenario.name, "a scenario read from TOML (it has no TOML data to save)"
        )
    data["weeks"] = scenario.weeks
    files = data.get("schedule_files", [])
    if files:
        (folder / "schedules").mkdir(exist_ok=True)
        base = Path(scenario.source).parent
        copied = []
        for i, name in enumerate(files):
            target = Path("schedules") / f"{i}-{Path(name).name}"
            shutil.copyfile(base / name, folder / target)
            copied.append(target.as_posix())
        data["schedule_files"] = copied
    check = parse_scenario(data, str(folder / SCENARIO_FILE))
    if replace(check, source=scenario.source) != scenario:
        raise ConfigError(
            "",
            "scenario",
            scenario.name,
            "a scenario changed only through its TOML (with_changes): this one was changed "
            "in code, so its TOML would not run the same",
        )
    return data


def save_run(result: SimulationResult, folder: str | Path) -> list[Path]:
    """Write ``scenario.toml`` and ``run.toml`` into *folder* (the tables are written by
    the caller, as ``simulate --out`` does); returns the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data = scenario_data(result, folder)
    scenario_path, run_path = folder / SCENARIO_FILE, folder / RUN_FILE
    header = f"# {result.scenario.name} as run by {WRITTEN_BY}: `pager-lab why` reads it\n"
    scenario_path.write_text(header + tomli_w.dumps(data), "utf-8")
    run = {
        "seed": result.seed,
        "scenario": result.scenario.name,
        "scenario_file": SCENARIO_FILE,
        "pager_lab": version("pager_lab"),
    }
    run_path.write_text(tomli_w.dumps(run), "utf-8")
    return [scenario_path, run_path]


def read_table(path: Path, schema: Mapping[str, str], zone: str) -> pd.DataFrame:
    """A table written with ``to_csv``, typed by *schema* (timestamps aware, in *zone*).

    CSV cannot tell a missing text from an empty one: both read back as ``""``."""
    if not path.is_file():
        raise ConfigError(str(path.parent), path.name, "missing", f"the run's {path.stem} table")
    floats = [c for c, t in schema.items() if t.startswith("float")]
    try:
        table = pd.read_csv(
            path, keep_default_na=False, na_values={c: [""] for c in floats}, dtype=str
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), "table", path.name, f"a CSV table ({exc})") from None
    missing = [c for c in schema if c not in table.columns]
    if missing:
        raise ConfigError(str(path), "columns", missing, f"the columns {', '.join(schema)}")
    for column, dtype in schema.items():
        table[column] = _typed(table[column], dtype, zone, f"{path}: {column}")
    return table[list(schema)]


def _typed(values: pd.Series, dtype: str, zone: str, where: str) -> pd.Series:
    try:
        if dtype == TIMESTAMP:
            stamps = pd.to_datetime(values.replace("", None), utc=True, format="ISO8601")
            return stamps.dt.tz_convert(zone)
        if dtype == "bool":
            if not values.isin(["True", "False"]).all():
                raise ValueError("True or False")
            return values == "True"
        if dtype == "category":
            return values.astype("category")
        if dtype == "str":
            return pd.Series(pd.array(values.to_numpy(), dtype="str"), index=values.index)
        return pd.Series(values.to_numpy().astype(dtype), index=values.index, name=values.name)
    except (ValueError, TypeError) as exc:
        raise ConfigError(where, "values", values.head(3).tolist(), f"{dtype} ({exc})") from None


def load_run(folder: str | Path) -> SimulationResult:
    """A run folder written by ``simulate --out`` (or :func:`save_run`) as a result."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError("", "RUN_DIR", str(folder), f"a folder written by {WRITTEN_BY} DIR")
    scenario_path, run_path = folder / SCENARIO_FILE, folder / RUN_FILE
    for needed in (scenario_path, run_path):
        if not needed.is_file():
            raise ConfigError(
                str(folder),
                needed.name,
                "missing",
                f"a run folder with {SCENARIO_FILE} and {RUN_FILE} (written by {WRITTEN_BY} "
                "since `pager-lab why` exists: run the simulation again with --out)",
            )
    run = read_toml(run_path)
    seed = run.get("seed")
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ConfigError(str(run_path), "seed", seed, "the run's seed, a whole number >= 0")
    scenario = parse_scenario(read_toml(scenario_path), str(scenario_path))
    zone = scenario.time_zone
    tables = {name: read_table(folder / f"{name}.csv", s, zone) for name, s in TABLES.items()}
    return SimulationResult(
        scenario, seed, tables["alerts"], tables["incidents"], tables["pages"], tables["team"]
    )
