"""A SYNTHETIC class: scripted players of different skill playing the drill library.

Not real students. Each of the class's players (handles ``synth-01`` ... — clearly not people)
has a *skill* between 0 and 1 drawn once, and improves a little with every drill. A player
plays each scenario of the library in order of difficulty through the drill engine
(``pager_lab.core.DrillSession``) with a simple script:

- on the page, a less skilled player sometimes ignores it once;
- then it follows the scenario's first best path, but with probability growing as skill falls
  it skips a communication step (declaring, status updates, the runbook), or tries a wrong
  choice instead (a random other diagnostic, action or message), or resolves too early;
- it gives up after ``MAX_STEPS`` choices (the drill stays unresolved), unless the engine ends
  it first (out of time, resolved).

Every draw comes from one seeded ``numpy`` generator per player (``SeedSequence.spawn``), so
the same seed makes the same class, bit for bit, for a given drill library.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from pager_lab.classroom.record import result_from_session
from pager_lab.classroom.results import DrillResult
from pager_lab.core.drill_scenario import DrillScenario
from pager_lab.core.drill_score import best_session, score_drill
from pager_lab.core.drill_session import DrillSession
from pager_lab.core.errors import InvalidAnswer

__all__ = [
    "CLASS_START",
    "MAX_STEPS",
    "SYNTHETIC_LABEL",
    "SYNTHETIC_PREFIX",
    "ScriptedPlayer",
    "play_drill",
    "scripted_players",
    "synthetic_class",
]

SYNTHETIC_LABEL = "SYNTHETIC class: scripted players of different skill, not real students"
SYNTHETIC_PREFIX = "synth-"
"""The synthetic players' handles start with it (``synth-01``)."""
"""Shown wherever the synthetic class is: a plot title, a report, the notebook."""
CLASS_START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
"""When the synthetic class's first drill starts."""
MAX_STEPS = 20
"""Choices after which a scripted player gives up (a teaching assumption)."""
DIFFICULTY = {"easy": 0, "medium": 1, "hard": 2}
_TALK = ("runbook", "status", "page-ic", "page-sme")
_MINUTES_BETWEEN_DRILLS = 40


@dataclass(frozen=True)
class ScriptedPlayer:
    """One synthetic student: a handle, a starting skill and how much each drill teaches it."""

    handle: str
    skill: float
    """0 (guesses) to 1 (plays the best path)."""
    learning: float
    """Skill gained per drill played."""

    def skill_at(self, drill: int) -> float:
        """The player's skill in its *drill*-th drill (0-based), at most 0.97."""
        return min(0.97, self.skill + self.learning * drill)


def scripted_players(students: int, rng: np.random.Generator) -> list[ScriptedPlayer]:
    """*students* players with skills spread by a Beta(2.5, 2) draw (most middling)."""
    skills = rng.beta(2.5, 2.0, size=students)
    learning = rng.uniform(0.0, 0.08, size=students)
    return [
        ScriptedPlayer(f"{SYNTHETIC_PREFIX}{i + 1:02d}", round(float(s), 3), round(float(g), 3))
        for i, (s, g) in enumerate(zip(skills, learning, strict=True))
    ]


def _is_talk(step: str) -> bool:
    return step in _TALK or step.startswith("declare-")


def _next_choice(
    session: DrillSession, best: list[str], position: int, skill: float, rng: np.random.Generator
) -> tuple[str, int]:
    """The player's next choice and the new position on the best path."""
    clumsy = 1.0 - skill
    while position < len(best) and _is_talk(best[position]) and rng.random() < 0.7 * clumsy:
        position += 1  # forgot to talk (or to read the runbook)
    if position >= len(best):
        return "resolve", position
    if rng.random() < 0.12 * clumsy:
        return "resolve", position  # "looks fine now": resolves too early
    if rng.random() < 0.75 * clumsy:
        others = [c.id for c in session.choices() if c.id not in ("resolve", best[position])]
        return str(rng.choice(others)), position
    return best[position], position + 1


def play_drill(
    scenario: DrillScenario, seed: int, skill: float, rng: np.random.Generator
) -> DrillSession:
    """One scripted play of *scenario* with *seed* by a player of *skill*."""
    session = DrillSession(scenario, seed)
    if rng.random() < 0.5 * (1.0 - skill):
        session.choose("ignore")
    if not session.finished:
        session.choose("ack")
    best = [step for step in scenario.best_paths[0].steps if step not in ("ack", "ignore")]
    position = 0
    for _ in range(MAX_STEPS):
        if session.finished:
            break
        choice, position = _next_choice(session, best, position, skill, rng)
        try:
            session.choose(choice)
        except InvalidAnswer:  # not available now: the player moves on
            position += 1
    return session


def synthetic_class(
    library: Mapping[str, DrillScenario], *, students: int = 30, seed: int = 2026
) -> list[DrillResult]:
    """Every player's result on every scenario of *library*, in the order played."""
    scenarios = sorted(library.values(), key=lambda s: (DIFFICULTY.get(s.difficulty, 3), s.name))
    streams = np.random.SeedSequence(seed).spawn(students + 1)
    players = scripted_players(students, np.random.default_rng(streams[0]))
    pars: dict[tuple[str, int], float] = {}
    results = []
    for player, stream in zip(players, streams[1:], strict=True):
        rng = np.random.default_rng(stream)
        late = float(rng.uniform(0, 10))  # minutes: players start a little apart
        for drill, scenario in enumerate(scenarios):
            drill_seed = int(rng.integers(1, 1000))
            session = play_drill(scenario, drill_seed, player.skill_at(drill), rng)
            key = (scenario.name, drill_seed)
            if key not in pars:
                pars[key] = best_session(scenario, drill_seed).state.burned
            finished = CLASS_START + timedelta(
                minutes=late + _MINUTES_BETWEEN_DRILLS * drill + session.now
            )
            score = score_drill(session, par=pars[key])
            results.append(
                result_from_session(player.handle, session, score=score, finished_at=finished)
            )
    return results
