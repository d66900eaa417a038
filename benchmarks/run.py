"""pager_lab benchmarks: ratios against a baseline measured in the same run.

Run with ``make bench``. Each benchmark times the project's code and a minimal
baseline doing the same work, on the same machine in the same process, and
prints the ratio, so the figures are comparable across machines.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pager_lab.clock import ManualClock
from pager_lab.escalation import EscalationPolicy, EscalationRun
from pager_lab.incident import Incident

N = 20_000


def best_of(fn: Callable[[], None], repeats: int = 5) -> float:
    """The fastest of *repeats* runs, in seconds (the least disturbed by other load)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def core_lifecycle() -> None:
    """Scenario B N times through the real core: page, time out, page, ack, triage, resolve."""
    policy = EscalationPolicy.chain(["Alice", "Bob", "Charlie"])
    clock = ManualClock()
    for i in range(N):
        incident = Incident(f"INC-{i}", "db", clock)
        run = EscalationRun(policy, incident, clock)
        batch = run.page_next()
        assert batch is not None
        clock.set(batch.deadline)
        run.time_out()
        run.page_next()
        incident.acknowledge("Bob")
        incident.triage("Bob", "SEV2", False)
        incident.resolve("Bob", "restart")


def bare_lifecycle() -> None:
    """The same steps as plain list appends: the floor any state machine pays."""
    t = 0.0
    for i in range(N):
        timeline = [(t, "triggered", f"INC-{i}"), (t, "paged", "Alice")]
        t += 5
        timeline += [
            (t, "no_answer", "Alice"),
            (t, "paged", "Bob"),
            (t, "ack", "Bob"),
            (t, "triaged", "Bob"),
            (t, "resolved", "Bob"),
        ]


def main() -> None:
    core = best_of(core_lifecycle)
    bare = best_of(bare_lifecycle)
    print(f"incident lifecycle (Scenario B) x {N}:")
    print(f"  pager_lab core   {core * 1e6 / N:8.2f} us/incident")
    print(f"  bare baseline    {bare * 1e6 / N:8.2f} us/incident")
    print(f"  ratio core/bare  {core / bare:8.1f}x")


if __name__ == "__main__":
    main()
