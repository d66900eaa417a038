"""SHA-256 fingerprints of the simulation's four tables, for refactors that must not change them.

``python -m tests.sim.fingerprints --write`` records the current fingerprints in
``fingerprints.json`` beside this file; ``test_fingerprints.py`` compares every run
against them. Regenerate only for a change that is *meant* to change the tables
(a new model behaviour, new random streams), and say so in the commit message.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from pager_lab import load_scenario, simulate, with_changes
from tests.helpers import DATA

FILE = Path(__file__).with_name("fingerprints.json")
SEEDS = (1, 2)
WEEKS = 6
VARIANTS: dict[str, dict[str, object]] = {
    "fatigue+attrition": {"fatigue.enabled": True, "attrition.enabled": True},
    "pool": {"dispatch": "pool"},
    "routing": {
        "routing.group_by": ["alertname", "service"],
        "routing.inhibit_rules": [
            {
                "source_matchers": ['severity="critical"'],
                "target_matchers": ['severity="warning"'],
                "equal": ["service"],
            }
        ],
        "routing.silences": [
            {"matchers": ['service="batch"'], "start_minute": 0, "end_minute": 10080}
        ],
    },
}
"""Changes of ``baseline`` that switch on the model's optional paths."""


def table_fingerprint(table: pd.DataFrame) -> str:
    """Columns, dtypes and every value (index included), hashed."""
    digest = hashlib.sha256()
    digest.update(repr([(str(c), str(t)) for c, t in table.dtypes.items()]).encode())
    digest.update(pd.util.hash_pandas_object(table, index=True).to_numpy().tobytes())
    return digest.hexdigest()


def cases() -> Iterator[tuple[str, int]]:
    """Every bundled scenario and every variant of ``baseline``, with each seed."""
    names = sorted(p.stem for p in (DATA / "scenarios").glob("*.toml"))
    for name in [*names, *(f"baseline/{v}" for v in VARIANTS)]:
        for seed in SEEDS:
            yield name, seed


def fingerprints(name: str, seed: int) -> dict[str, str]:
    """The four tables' fingerprints for one case."""
    base, _, variant = name.partition("/")
    scenario = with_changes(load_scenario(DATA / "scenarios" / f"{base}.toml"), {"weeks": WEEKS})
    if variant:
        scenario = with_changes(scenario, VARIANTS[variant])
    result = simulate(scenario, seed)
    return {table: table_fingerprint(frame) for table, frame in result.tables().items()}


def main(argv: list[str]) -> int:
    """Print the fingerprints; with ``--write`` store them."""
    found = {f"{name}@{seed}": fingerprints(name, seed) for name, seed in cases()}
    if "--write" in argv:
        FILE.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
        print(f"wrote {len(found)} cases x 4 tables to {FILE.name}")
    else:
        print(json.dumps(found, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
