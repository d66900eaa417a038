"""Compare two commits on the full-model benchmark: ``python benchmarks/ab.py REV_A REV_B``.

On a noisy machine a single timing cannot tell a 2 % step from chance. This checks both
revisions out into temporary git worktrees and times them in alternating child processes,
swapping which goes first every round, and prints the fastest time of each and their ratio
(benchmarks/README.md, third round).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from run import FULL_MODEL_CHANGES  # benchmarks/run.py, beside this script

ROOT = Path(__file__).resolve().parent.parent

ONE_RUN = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
try:  # the layered package (issue 12) exports these at the top
    from pager_lab import load_scenario, simulate, with_changes
except ImportError:  # revisions before it
    from pager_lab.model import simulate
    from pager_lab.scenario_io import load_scenario, with_changes
changes = {**json.loads(sys.argv[2]), "weeks": 260}
scenario = with_changes(load_scenario(Path(sys.argv[1], "data/scenarios/baseline.toml")), changes)
incidents = len(simulate(scenario, 1).incidents)
best = float("inf")
for _ in range(3):
    start = time.perf_counter()
    simulate(scenario, 1)
    best = min(best, time.perf_counter() - start)
print(best / incidents * 1e6)
"""


def time_once(tree: Path) -> float:
    """Microseconds per incident of the full model in *tree*, fastest of three, in a child."""
    # The tree's own pager_lab runs the scenario; this checkout says which scenario.
    changes = json.dumps(FULL_MODEL_CHANGES)
    out = subprocess.run(
        [sys.executable, "-c", ONE_RUN, str(tree), changes],
        cwd=tree,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise SystemExit(f"benchmark failed in {tree}: {out.stderr.strip().splitlines()[-1]}")
    return float(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", help="baseline revision, e.g. HEAD~1")
    parser.add_argument("b", help="revision to compare, e.g. HEAD")
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        trees = [Path(scratch) / "a", Path(scratch) / "b"]
        for tree, rev in zip(trees, (args.a, args.b), strict=True):
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(tree), rev],
                check=True,
            )
        try:
            best = [float("inf"), float("inf")]
            for round_ in range(args.rounds):
                order = (0, 1) if round_ % 2 == 0 else (1, 0)
                for i in order:
                    best[i] = min(best[i], time_once(trees[i]))
            print(
                f"{args.a}: {best[0]:.2f} us/incident  {args.b}: {best[1]:.2f} us/incident  "
                f"ratio {best[1] / best[0]:.3f}  (fastest of {args.rounds} rounds each)"
            )
        finally:
            for tree in trees:
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                    check=False,
                )


if __name__ == "__main__":
    main()
