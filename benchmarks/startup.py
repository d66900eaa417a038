"""How fast the ``pager-lab`` command starts, against ``python -c 'import pandas'`` (issue 14).

A student waits for ``pager-lab --help`` and a small command (``schedule who``) on every
use, so each must take at most 0.6x the time of importing pandas, measured in the same
run: each round runs the baseline and both commands once, in turn, as fresh processes,
so all three see the same machine load; the figure of each is its fastest round.
Part of ``make bench``; ``python benchmarks/startup.py --rounds 15`` for steadier figures.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.6
"""The most a command may take, as a share of ``import pandas`` (issue 14)."""

BASELINE = ("import pandas", [sys.executable, "-c", "import pandas"])
COMMANDS = {
    "pager-lab --help": [sys.executable, "-m", "pager_lab", "--help"],
    "pager-lab schedule who": [
        sys.executable,
        "-m",
        "pager_lab",
        "schedule",
        "who",
        str(ROOT / "data" / "schedules" / "business-hours.toml"),
        "--at",
        "2026-11-27T03:00+00:00",
    ],
}


def run_once(command: list[str]) -> float:
    """Seconds one fresh process takes, start to exit; a failing command stops the benchmark."""
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def measure(rounds: int) -> dict[str, float]:
    """The fastest of *rounds* runs of the baseline and of each command, alternating."""
    every = {BASELINE[0]: BASELINE[1], **COMMANDS}
    times: dict[str, list[float]] = {name: [] for name in every}
    for _ in range(rounds):
        for name, command in every.items():
            times[name].append(run_once(command))
    return {name: min(values) for name, values in times.items()}


def report(best: dict[str, float]) -> list[str]:
    """One line per figure, each command's ratio with met/MISSED."""
    base = best[BASELINE[0]]
    lines = [f"CLI start-up vs python -c 'import pandas' (target <= {TARGET}x)"]
    lines.append(f"  {BASELINE[0]:<24} {base:7.3f} s")
    for name in COMMANDS:
        ratio = best[name] / base
        verdict = "met" if ratio <= TARGET else "MISSED"
        lines.append(f"  {name:<24} {best[name]:7.3f} s  {ratio:5.2f}x   {verdict}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rounds", type=int, default=7, help="runs of each command, alternating (default 7)"
    )
    args = parser.parse_args()
    print("\n".join(report(measure(max(1, args.rounds)))))


if __name__ == "__main__":
    main()
