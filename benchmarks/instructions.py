"""Instructions per incident of the full model: ``python benchmarks/instructions.py [TREE]``.

Timings on a loaded machine cannot resolve a 1-2 % step; instruction counts can. This runs
the full-model scenario (``run.FULL_MODEL_CHANGES``) under ``valgrind --tool=callgrind`` for
two horizons and divides the difference in instructions by the difference in incidents, so
start-up and imports cancel (benchmarks/README.md, fifth round). ``PYTHONHASHSEED=0`` keeps
string hashing the same in every run. *TREE* (default: this checkout) is a checkout whose
``pager_lab`` is measured, e.g. a ``git worktree`` of an older revision.

The count moves by up to ~5 % with the length of *TREE*'s path (it shifts where objects land
in memory): compare only checkouts at paths of equal length.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ONE_RUN = """
import sys
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/benchmarks"]
from run import FULL_MODEL_CHANGES, SCENARIOS
from pager_lab import load_scenario, simulate, with_changes
changes = {**FULL_MODEL_CHANGES, "weeks": float(sys.argv[2])}
print(len(simulate(with_changes(load_scenario(SCENARIOS / "baseline.toml"), changes), 1).incidents))
"""


def count(tree: Path, weeks: float) -> tuple[int, int]:
    """(instructions, incidents) of one run of *weeks* weeks in *tree*."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "callgrind.out"
        valgrind = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
        run = subprocess.run(
            [*valgrind, sys.executable, "-c", ONE_RUN, str(tree), str(weeks)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        if run.returncode != 0:
            raise SystemExit(f"the run failed in {tree}: {run.stderr.strip().splitlines()[-1]}")
        totals = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.MULTILINE)
        if totals is None:
            raise SystemExit(f"no instruction total in callgrind's output for {tree}")
        return int(totals.group(1)), int(run.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", nargs="?", type=Path, default=ROOT)
    parser.add_argument("--weeks", type=float, nargs=2, default=(13.0, 39.0))
    args = parser.parse_args()
    (short_ir, short_n), (long_ir, long_n) = (count(args.tree, w) for w in args.weeks)
    print(
        f"{args.tree}: {(long_ir - short_ir) / (long_n - short_n):,.0f} instructions per "
        f"incident ({short_n} and {long_n} incidents)"
    )


if __name__ == "__main__":
    main()
