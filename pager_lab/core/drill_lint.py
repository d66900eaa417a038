"""Checking a drill scenario by playing it: best paths, reachable actions, dead ends.

:func:`lint_scenario` plays every best path through the engine (each must resolve with
full marks), then searches the scenario's states breadth first: every action must be
usable (not refused) in some state it reaches, and from every state reached within
:data:`DEPTH` choices a resolving path of at most :data:`DEPTH` choices must exist.
States are told apart by what changes the outcome — acknowledged or not, each fault's
status, the preconditions met and how the drill ended — so the search stays small.
"""

from __future__ import annotations

from collections import deque

from pager_lab.core.drill_scenario import DrillScenario
from pager_lab.core.drill_score import score_drill
from pager_lab.core.drill_session import DrillSession
from pager_lab.core.errors import PagerLabError

__all__ = ["DEPTH", "lint_scenario"]

DEPTH = 8
"""How many choices the search looks ahead (and how deep it looks for states)."""
_Key = tuple[object, ...]


def lint_scenario(scenario: DrillScenario, seed: int = 0, depth: int = DEPTH) -> list[str]:
    """Every problem found in *scenario*, as sentences naming its file (empty: clean)."""
    where = scenario.source or scenario.name
    problems = [f"{where}: {p}" for p in (*_comms_rule(scenario), *_best_paths(scenario, seed))]
    if problems:
        return problems  # the search assumes the scenario can be played at all
    nodes, edges, usable = _explore(scenario, seed, 2 * depth)
    for action in scenario.actions:
        if action.id not in usable:
            problems.append(
                f"{where}: action {action.id!r} is never usable within {2 * depth} choices "
                f"(its requires {list(action.requires)} are never met): unreachable"
            )
    distance = _distance_to_resolved(nodes, edges)
    stuck = [
        key
        for key, (session, level) in nodes.items()
        if level <= depth and not session.finished and distance.get(key, depth + 1) > depth
    ]
    for key in stuck[:5]:
        session = nodes[key][0]
        steps = " → ".join(s.choice for s in session.path) or "(the start)"
        problems.append(
            f"{where}: after {steps}, no path of at most {depth} choices resolves the incident"
        )
    if len(stuck) > 5:
        problems.append(f"{where}: ... and {len(stuck) - 5} more states that cannot resolve")
    return problems


COMMS_BY_SEVERITY = {"SEV1": ("declare", "status", "page-ic"), "SEV2": ("declare", "status")}
"""What a SEV1 or SEV2 scenario must require its responder to communicate (a teaching rule:
declare it and keep people updated; in a SEV1 an incident commander coordinates)."""


def _comms_rule(scenario: DrillScenario) -> list[str]:
    needed = COMMS_BY_SEVERITY.get(scenario.severity.value, ())
    missing = [c for c in needed if c not in scenario.comms_required]
    if not missing:
        return []
    return [
        f"comms.required = {list(scenario.comms_required)}: a {scenario.severity.value} scenario "
        f"must require {', '.join(needed)} (missing {', '.join(missing)})"
    ]


def _best_paths(scenario: DrillScenario, seed: int) -> list[str]:
    problems = []
    for number, best in enumerate(scenario.best_paths, 1):
        session = DrillSession(scenario, seed)
        try:
            for step in best.steps:
                if session.finished:
                    problems.append(f"best path {number}: it ends before step {step!r}")
                    break
                session.choose(step)
        except PagerLabError as exc:
            problems.append(f"best path {number}: step {exc}")
            continue
        card = score_drill(session)
        if session.outcome != "resolved" or card.total < card.max_total:
            lost = [
                f"{i.name} {i.points:g}/{i.max_points:g} ({i.why})"
                for i in card.items
                if i.points < i.max_points
            ]
            problems.append(
                f"best path {number} ends {session.outcome or 'unfinished'!r} with "
                f"{card.total:g}/{card.max_total:g}: {'; '.join(lost) or 'not resolved'}"
            )
    return problems


def _key(session: DrillSession) -> _Key:
    required = {r for a in session.scenario.actions for r in a.requires}
    faults = tuple(sorted((n, s.status.value) for n, s in session.state.faults.items()))
    done = tuple(sorted(required & {s.choice for s in session.path}))
    return (session.acked, faults, done, session.outcome)


def _moves(scenario: DrillScenario) -> list[str]:
    """The choices that can change a state's key (comms and plain looking cannot)."""
    required = {r for a in scenario.actions for r in a.requires}
    looks = [d.id for d in scenario.diagnostics if d.id in required]
    return [*looks, *(a.id for a in scenario.actions), "wait", "resolve"]


def _explore(
    scenario: DrillScenario, seed: int, limit: int
) -> tuple[dict[_Key, tuple[DrillSession, int]], dict[_Key, set[_Key]], set[str]]:
    """Breadth-first over state keys up to *limit* choices: nodes, edges, usable actions."""
    start = DrillSession(scenario, seed)
    nodes: dict[_Key, tuple[DrillSession, int]] = {_key(start): (start, 0)}
    edges: dict[_Key, set[_Key]] = {}
    usable: set[str] = set()
    queue = deque([_key(start)])
    moves = _moves(scenario)
    while queue:
        key = queue.popleft()
        session, level = nodes[key]
        if session.finished or level >= limit:
            continue
        for move in moves if session.acked else ["ack"]:
            child = session.copy()
            child.choose(move)
            if (
                child.path
                and child.path[-1].kind == "action"
                and child.path[-1].verdict != "refused"
            ):
                usable.add(move)
            child_key = _key(child)
            edges.setdefault(key, set()).add(child_key)
            if child_key not in nodes:
                nodes[child_key] = (child, level + 1)
                queue.append(child_key)
    return nodes, edges, usable


def _distance_to_resolved(
    nodes: dict[_Key, tuple[DrillSession, int]], edges: dict[_Key, set[_Key]]
) -> dict[_Key, int]:
    """Fewest choices from each state to a resolved one (absent: none found)."""
    back: dict[_Key, set[_Key]] = {}
    for parent, children in edges.items():
        for child in children:
            back.setdefault(child, set()).add(parent)
    distance = {k: 0 for k, (s, _) in nodes.items() if s.outcome == "resolved"}
    queue = deque(distance)
    while queue:
        key = queue.popleft()
        for parent in back.get(key, ()):
            if parent not in distance:
                distance[parent] = distance[key] + 1
                queue.append(parent)
    return distance
