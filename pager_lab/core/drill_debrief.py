"""A played drill explained: the player's path beside the best path, and a blameless
post-mortem draft that agrees with the score (:mod:`drill_score`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher
from itertools import zip_longest
from typing import Any

from pager_lab.core.drill_report import drill_postmortem_text
from pager_lab.core.drill_score import score_drill
from pager_lab.core.drill_session import DrillSession, Step

__all__ = ["Debrief", "DebriefLine", "debrief_drill", "drill_postmortem", "side_by_side"]


@dataclass(frozen=True)
class DebriefLine:
    """One step of the player's path and what it did."""

    at: float
    choice: str
    verdict: str
    explanation: str


@dataclass(frozen=True)
class Debrief:
    """The player's path beside the best path, each clue and action explained."""

    scenario: str
    lesson: str
    root_cause: str
    severity: str
    """The right severity and why (the scenario's guidance)."""
    path: tuple[DebriefLine, ...]
    best_path: tuple[str, ...]
    reasoning: str
    missed: tuple[str, ...]
    """Steps of the best path the player never took."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)

    def lines(self) -> list[str]:
        """The debrief as text lines."""
        out = [
            f"Debrief — {self.scenario}",
            f"Lesson: {self.lesson}",
            f"Root cause: {self.root_cause}",
            f"Severity: {self.severity}",
        ]
        out.append("Your path:")
        out += [
            f"  +{d.at:4.0f} min  {d.choice:<16} {d.verdict:<18} {d.explanation}" for d in self.path
        ]
        out.append("Best path: " + " → ".join(self.best_path))
        out += ["  " + line for line in self.reasoning.splitlines()]
        out.append("Side by side (yours | best):")
        yours = [d.choice for d in self.path]
        on_best, taken = set(self.best_path), set(yours)
        for number, (mine, best) in enumerate(side_by_side(yours, self.best_path), 1):
            mark = ""
            if mine and mine not in on_best:
                mark = "   <- not on the best path"
            elif best and best not in taken:
                mark = "   <- missed"
            out.append(f"  {number:>2}. {mine:<18}| {best}{mark}".rstrip())
        if self.missed:
            out.append("You never: " + ", ".join(self.missed))
        return out


def side_by_side(yours: Sequence[str], best: Sequence[str]) -> list[tuple[str, str]]:
    """*yours* and *best* aligned (the longest common run of steps pairs up; the rest stands
    alone on its side), so the same steps in another order are not all 'different'."""
    rows: list[tuple[str, str]] = []
    matcher = SequenceMatcher(a=list(yours), b=list(best), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += list(zip(yours[i1:i2], best[j1:j2], strict=True))
        else:
            rows += list(zip_longest(yours[i1:i2], best[j1:j2], fillvalue=""))
    return rows


def debrief_drill(session: DrillSession) -> Debrief:
    """The player's path, each step explained, beside the best path."""
    sc = session.scenario
    best = sc.best_paths[0]
    taken = {s.choice for s in session.path}
    return Debrief(
        sc.title,
        sc.lesson,
        session.fill(sc.root_cause),
        f"{sc.severity.value}" + (f" — {sc.severity_guidance}" if sc.severity_guidance else ""),
        tuple(DebriefLine(s.at, s.choice, s.verdict, _explain(session, s)) for s in session.path),
        best.steps,
        best.reasoning,
        tuple(s for s in best.steps if s not in taken),
    )


def _explain(session: DrillSession, step: Step) -> str:
    sc = session.scenario
    diag, action = sc.diagnostic(step.choice), sc.action(step.choice)
    if diag is not None and diag.explain:
        return session.fill(diag.explain)
    if action is not None and step.verdict == "refused":
        needs = ", ".join(action.requires)
        return f"{step.text} — refused: it needs a clue first ({needs}), so nothing changed."
    if action is not None:
        return f"{step.text} — {session.fill(action.explain)}" if action.explain else step.text
    if step.kind == "comm" and step.verdict == "harmful":
        return f"{step.text} — {session.fill(sc.comms_explain)}"
    return step.text


def drill_postmortem(session: DrillSession) -> str:
    """A blameless post-mortem draft consistent with the score and the debrief: timeline
    (with what the system did), impact, contributing factors and what went wrong."""
    return drill_postmortem_text(session, score_drill(session), debrief_drill(session))
