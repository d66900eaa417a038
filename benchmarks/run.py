"""pager_lab benchmarks: ratios against baselines measured in the same run (``make bench``).

Each benchmark times the project's code and a minimal baseline doing comparable
work in the same process, and prints both with their ratio, so the figures
compare across machines. Targets come from issues 5 and 12; see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Generator
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import simpy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pager_lab import (  # noqa: E402
    Incident,
    ManualClock,
    Scenario,
    Severity,
    load_scenario,
    sweep,
    with_changes,
)
from pager_lab.core import EscalationPolicy, EscalationRun  # noqa: E402
from pager_lab.sim import (  # noqa: E402
    Person,
    Roster,
    RosterLevel,
    Simulation,
    SlotTarget,
    WindowCalendar,
    simulate,
)

SCENARIOS = ROOT / "data" / "scenarios"


FULL_MODEL_CHANGES: dict[str, float] = {
    **{f"sources[{i}].alerts_per_problem": 1.0 for i in range(3)},
    **{f"sources[{i}].rate_per_hour": 0.4 for i in range(3)},
}
"""The full model, from ``baseline.toml``: one alert per incident, so that customers =
incidents = alerts, with its schedules, escalation, pages, triage and lognormal work at the
baseline's load shape."""


def best_of(fn: Callable[[], object], repeats: int = 3) -> float:
    """The fastest of *repeats* runs, in seconds (the least disturbed by other load)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def paired_best(
    ours: Callable[[], object], theirs: Callable[[], object], repeats: int = 5
) -> tuple[float, float]:
    """The fastest of *repeats* runs of each, alternating, so both see the same machine load."""
    mine, base = [], []
    for _ in range(repeats):
        mine.append(best_of(ours, 1))
        base.append(best_of(theirs, 1))
    return min(mine), min(base)


def bare_mmc(customers: int, lam: float, mu: float, servers: int, seed: int = 0) -> float:
    """The floor: a minimal SimPy M/M/c (one process per customer, one Resource)."""
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(1 / lam, customers).tolist()
    work = rng.exponential(1 / mu, customers).tolist()
    env = simpy.Environment()
    desk = simpy.Resource(env, servers)
    total = [0.0]

    def customer(i: int, arrived: float) -> Generator[simpy.Event, Any, None]:
        with desk.request() as turn:
            yield turn
            yield env.timeout(work[i])
        total[0] += env.now - arrived

    def arrivals() -> Generator[simpy.Event, Any, None]:
        for i in range(customers):
            yield env.timeout(gaps[i])
            env.process(customer(i, env.now))

    env.process(arrivals())
    env.run()
    return total[0] / customers


def textbook(customers: int) -> Scenario:
    base = load_scenario(SCENARIOS / "textbook-mmc.toml")
    weeks = customers / (2.0 * 24 * 7)  # lambda = 2 per hour
    return with_changes(base, {"weeks": weeks, "warmup_minutes": 0})


VERDICTS: list[str] = []
"""Each target's outcome, summed up at the end of the run."""


def verdict(what: str, met: bool) -> str:
    """``met`` or ``MISSED``, remembered for the summary line."""
    VERDICTS.append(f"{what} {'met' if met else 'MISSED'}")
    return "met" if met else "MISSED"


def report(
    name: str, ours: float, theirs: float, unit: str, target: str, label: str, met: bool
) -> None:
    print(
        f"{name}\n  pager_lab {ours:10.3f} {unit}\n  baseline  {theirs:10.3f} {unit}\n"
        f"  ratio     {ours / theirs:10.2f}x   (target {target})   {verdict(label, met)}"
    )


def bench_per_incident(customers: int) -> None:
    scenario = textbook(customers)
    ours, bare = paired_best(
        lambda: simulate(scenario, 1), lambda: bare_mmc(customers, 2 / 60, 1 / 60, 3)
    )
    ours, bare = ours / customers * 1e6, bare / customers * 1e6
    report(
        f"textbook M/M/3 vs bare SimPy M/M/3, {customers} customers",
        ours,
        bare,
        "us/incident",
        "<= 1.3x",
        "textbook",
        ours / bare <= 1.3,
    )
    full_scenario = with_changes(
        load_scenario(SCENARIOS / "baseline.toml"), {**FULL_MODEL_CHANGES, "weeks": 520}
    )
    incidents = len(simulate(full_scenario, 1).incidents)
    full, bare_full = paired_best(
        lambda: simulate(full_scenario, 1), lambda: bare_mmc(incidents, 2 / 60, 1 / 60, 3)
    )
    full, bare_full = full / incidents * 1e6, bare_full / incidents * 1e6
    title = f"full model (baseline features, 1 alert per incident, {incidents} incidents) vs bare"
    report(title, full, bare_full, "us/incident", "<= 2.2x", "full model", full / bare_full <= 2.2)
    breakdown(full_scenario, incidents, full)


def breakdown(scenario: Scenario, incidents: int, total: float) -> None:
    """Where the full model's *total* us/incident go, against two floors measured here."""
    per = 1e6 / incidents
    setup = best_of(lambda: Simulation(scenario, 1)) * per
    sim = Simulation(scenario, 1)
    events = count_events(sim)
    tables = best_of(lambda: sim.recorder.result(sim.scenario, sim.seed, sim.roster.everyone))
    tables *= per
    simpy_floor = timeout_chain(round(events * incidents)) * per
    core = best_of(lambda: core_lives(incidents)) * per
    print(
        f"  where it goes: set-up {setup:.1f}, run {total - setup - tables:.1f}, tables "
        f"{tables:.1f} us/incident\n"
        f"  floors inside the run: SimPy's own cost of its {events:.2f} events per incident "
        f"{simpy_floor:.1f}, the core (Incident, EscalationRun) {core:.1f} us/incident"
    )


def count_events(sim: Simulation) -> float:
    """Run *sim*, counting the events SimPy processes; events per incident."""
    steps = [0]
    step = sim.env.step

    def counted() -> None:  # Environment.run calls self.step(): the instance's wins
        steps[0] += 1
        step()

    sim.env.step = counted  # type: ignore[method-assign]
    result = sim.run()
    return steps[0] / len(result.incidents)


def timeout_chain(events: int) -> float:
    """Seconds for SimPy to schedule and fire *events* timeouts, each with one callback."""
    env = simpy.Environment()
    left = [events]

    def fire(event: simpy.Event) -> None:
        left[0] -= 1
        if left[0] > 0:
            env.timeout(1.0, event.value).callbacks.append(fire)

    env.timeout(1.0, None).callbacks.append(fire)
    start = time.perf_counter()
    env.run()
    return time.perf_counter() - start


def core_lives(incidents: int) -> None:
    """The core's share of a typical incident: open it, page level 1 of a one-person policy
    through the roster as the simulation does, acknowledge, triage, resolve, read its facts."""
    clock = ManualClock()
    roster = Roster({"Alice": "UTC"})
    calendar = WindowCalendar("UTC", clock.start, clock.start + timedelta(days=2))
    rng = np.random.default_rng(0)
    roster.seat(Person("Alice", "Alice", calendar, rng, simpy.Environment(), 0.0))
    policy = EscalationPolicy("one", (RosterLevel((SlotTarget("Alice", roster),), 5.0),))
    for n in range(incidents):
        incident = Incident(f"INC-{n}", "api alert", clock, service="api")
        EscalationRun(policy, incident, clock).page_next()
        incident.acknowledge("Alice")
        incident.triage("Alice", Severity.SEV2, need_help=False)
        incident.resolve("Alice", action="fixed")
        incident.facts()


def bench_year() -> None:
    baseline = load_scenario(SCENARIOS / "baseline.toml")
    alerts = len(simulate(baseline, 1, weeks=52).alerts)
    seconds = best_of(lambda: simulate(baseline, 1, weeks=52))
    floor = best_of(lambda: bare_mmc(alerts, 2 / 60, 1 / 60, 3))
    report(
        f"a simulated year of baseline ({alerts} alerts), vs bare M/M/3 with as many customers",
        seconds,
        floor,
        "s",
        "< 1 s absolute",
        "year",
        seconds < 1.0,
    )


def bench_memory(customers: int) -> None:
    code = (
        f"import resource, sys; sys.path.insert(0, {str(ROOT)!r});"
        "from benchmarks.run import textbook; from pager_lab.sim.model import simulate;"
        f"r = simulate(textbook({customers}), 1); n = len(r.incidents);"
        "print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    seconds = time.perf_counter() - start
    base_code = (
        "import resource, numpy, pandas, simpy;"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    floor = int(
        subprocess.run(
            [sys.executable, "-c", base_code], capture_output=True, text=True, check=True
        ).stdout
    )
    peak_mb = int(out[1]) / 1024
    print(
        f"{int(out[0])} incidents (textbook M/M/3) in {seconds:.1f} s\n"
        f"  peak memory {peak_mb:8.0f} MB   (target < 1536 MB; interpreter with numpy, "
        f"pandas, simpy: {floor / 1024:.0f} MB)   {verdict('memory', peak_mb < 1536)}"
    )


def bench_sweep() -> None:
    baseline = with_changes(load_scenario(SCENARIOS / "baseline.toml"), {"weeks": 520})
    grid = {"team_size": [3, 4, 5, 6]}

    def run(workers: int) -> None:
        with ProcessPoolExecutor(workers) as pool:
            sweep(baseline, grid, replications=2, seed=1, executor=pool, progress=False)

    one, two = best_of(lambda: run(1), 2), best_of(lambda: run(2), 2)
    print(
        f"sweep of 8 runs (10 years of baseline each) on {os.cpu_count()} cores\n"
        f"  1 worker  {one:8.2f} s\n  2 workers {two:8.2f} s\n"
        f"  speed-up  {one / two:8.2f}x   (target >= 1.8x)   {verdict('sweep', one / two >= 1.8)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--memory-incidents", type=int, default=1_000_000)
    args = parser.parse_args()
    print(
        f"python {sys.version.split()[0]}, simpy {simpy.__version__}, numpy {np.__version__}, "
        f"max RSS so far {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB\n"
    )
    bench_per_incident(args.customers)
    bench_year()
    bench_sweep()
    bench_memory(args.memory_incidents)
    print("\ntargets (issues 5, 12): " + ", ".join(VERDICTS))


if __name__ == "__main__":
    main()
