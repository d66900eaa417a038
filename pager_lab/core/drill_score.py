"""Scoring a drill session (its debrief and post-mortem draft: :mod:`drill_debrief`).

The score is out of 100, in eight parts (:data:`WEIGHTS`). Customer impact is judged
against *par*: the error budget the scenario's best path burns with the same seed,
played through the same engine (:func:`best_session`), so a best path always gets
full marks and nothing is hand-tuned per scenario.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, replace
from typing import Any

from pager_lab.core.drill_base import COSTS
from pager_lab.core.drill_scenario import DrillScenario
from pager_lab.core.drill_session import DrillSession

__all__ = [
    "WEIGHTS",
    "DrillScore",
    "ScoreItem",
    "best_session",
    "final_burn",
    "score_drill",
]

WEIGHTS = {
    "acknowledge": 10,
    "resolution": 25,
    "impact": 15,
    "diagnosis": 10,
    "runbook": 5,
    "communication": 15,
    "efficiency": 10,
    "safety": 10,
}
"""Points of each part of the score (they add up to 100)."""
ACK_TARGET = 5.0
"""Minutes within which an acknowledgement earns full points (then linearly to 0 at 20)."""
WASTE_PENALTY = 2
RECURRENCE_PENALTY = 5
HARM_PENALTY = 5


@dataclass(frozen=True)
class ScoreItem:
    """One part of the score: points earned of the most possible, and why."""

    name: str
    points: float
    max_points: float
    why: str


@dataclass(frozen=True)
class DrillScore:
    """A played drill's numbers and its score with the breakdown."""

    scenario: str
    seed: int
    outcome: str
    total: float
    max_total: float
    items: tuple[ScoreItem, ...]
    time_to_acknowledge: float | None
    time_to_mitigate: float | None
    """Minutes from the alert until no fault was active any more (and stayed so), or ``None``."""
    time_to_resolve: float | None
    impact_minutes: float
    """Error-budget minutes burned: minutes of full outage the incident cost customers."""
    par_impact_minutes: float
    """What the best path burns with the same seed."""
    wasted: tuple[str, ...]
    harmful: tuple[str, ...]
    runbook_opened: bool
    comms_done: tuple[str, ...]
    comms_missing: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)

    def lines(self) -> list[str]:
        """The score card as text lines."""

        def minutes(value: float | None) -> str:
            return "not reached" if value is None else f"{value:.0f} min"

        out = [
            f"Score: {self.total:.0f}/{self.max_total:.0f} ({self.outcome})",
            f"Time to acknowledge: {minutes(self.time_to_acknowledge)}; to mitigate: "
            f"{minutes(self.time_to_mitigate)}; to resolve: {minutes(self.time_to_resolve)}",
            f"Customer impact: {self.impact_minutes:.1f} error-budget minutes "
            f"(best path: {self.par_impact_minutes:.1f})",
        ]
        out += [f"  {i.name:<14}{i.points:5.1f}/{i.max_points:<3g} {i.why}" for i in self.items]
        return out


def best_session(scenario: DrillScenario, seed: int) -> DrillSession:
    """The scenario's best path played with *seed*: the one burning least, if several."""
    runs = []
    for best in scenario.best_paths:
        session = DrillSession(scenario, seed)
        for step in best.steps:
            if session.finished:
                break
            session.choose(step)
        runs.append(session)
    return min(runs, key=lambda s: s.state.burned)


def final_burn(session: DrillSession) -> float:
    """Error-budget minutes the incident costs, counting the damage still ongoing when the
    drill ended: a drill that ends unresolved or resolved too early (a fault active or
    coming back) keeps burning until the scenario's time limit, or until the fault would
    stop on its own. While playing, and once really resolved, what was burned so far."""
    if not session.finished or session.outcome == "resolved":
        return session.state.burned
    state = copy.copy(session.state)
    state.faults = {name: replace(f) for name, f in session.state.faults.items()}
    state.history = list(session.state.history)
    rest = session.scenario.limit_minutes - state.now
    if rest > 0:
        state.advance(rest)
    return state.burned


def score_drill(session: DrillSession, par: float | None = None) -> DrillScore:
    """Score *session*; *par* is the best path's impact (computed when not given)."""
    if par is None:
        par = final_burn(best_session(session.scenario, session.seed))
    burned = final_burn(session)
    wasted = tuple(
        s.choice
        for s in session.path
        if s.verdict in ("no effect", "refused", "repeat", "too soon")
    )
    harmful = tuple(s.choice for s in session.path if s.verdict in ("worse", "harmful"))
    harmful += tuple(
        s.choice
        for s in session.path
        if s.kind == "action"
        and s.verdict != "refused"
        and _action_harmful(session, s.choice)
        and s.verdict != "worse"
    )
    done, missing = _comms(session)
    items: tuple[ScoreItem, ...] = (
        _ack_item(session),
        _resolution_item(session),
        _impact_item(round(burned, 2), round(par, 2)),
        _diagnosis_item(session),
        _runbook_item(session),
        _comms_item(done, missing),
        _efficiency_item(wasted, session.recurrences),
        _safety_item(harmful),
    )
    items = _nothing_done(session, items)
    inc = session.incident
    mitigated = session.mitigated_at
    return DrillScore(
        session.scenario.name,
        session.seed,
        session.outcome or "playing",
        round(sum(i.points for i in items), 1),
        float(sum(WEIGHTS.values())),
        items,
        inc.time_to_acknowledge,
        mitigated,
        inc.time_to_resolve if session.outcome == "resolved" else None,
        round(burned, 2),
        round(par, 2),
        wasted,
        harmful,
        session.runbook_opened,
        done,
        missing,
    )


def _nothing_done(session: DrillSession, items: tuple[ScoreItem, ...]) -> tuple[ScoreItem, ...]:
    """No points for doing nothing: a page never acknowledged earns nothing at all (never
    answering must score below any real attempt); a drill ended unresolved without a single
    action taken earns no efficiency or safety points (there was nothing to judge)."""
    if session.incident.time_to_acknowledge is None and session.finished:
        why = "never acknowledged: nobody worked the incident"
        return tuple(replace(i, points=0, why=why) if i.points else i for i in items)
    acted = any(
        s.kind == "action" and s.verdict not in ("refused", "too late") for s in session.path
    )
    if acted or not session.finished or session.outcome == "resolved":
        return items
    why = "no action taken before the drill ended: nothing to credit"
    return tuple(
        replace(i, points=0, why=why) if i.name in ("efficiency", "safety") else i for i in items
    )


def _action_harmful(session: DrillSession, ident: str) -> bool:
    action = session.scenario.action(ident)
    return action is not None and action.harmful


def _ack_item(session: DrillSession) -> ScoreItem:
    tta = session.incident.time_to_acknowledge
    top = WEIGHTS["acknowledge"]
    if tta is None:
        return ScoreItem("acknowledge", 0, top, "never acknowledged")
    points = top if tta <= ACK_TARGET else top * max(0.0, 1 - (tta - ACK_TARGET) / 15)
    return ScoreItem(
        "acknowledge",
        round(points, 1),
        top,
        f"acknowledged after {tta:.0f} min (target {ACK_TARGET:g})",
    )


def _resolution_item(session: DrillSession) -> ScoreItem:
    top = WEIGHTS["resolution"]
    table = {
        "resolved": (top, "resolved: the impact is over and will not come back"),
        "resolved too early": (5, "resolved while the fix was only temporary: it would come back"),
    }
    if session.outcome in table:
        points, why = table[session.outcome]
    elif session.state.healthy:
        points, why = 10, "mitigated but not resolved"
    else:
        points, why = 0, f"not resolved ({session.outcome or 'still playing'})"
    return ScoreItem("resolution", points, top, why)


def _impact_item(burned: float, par: float) -> ScoreItem:
    top = WEIGHTS["impact"]
    allowance = max(1.0, 0.25 * par)
    over = max(0.0, burned - par - allowance)
    points = top * max(0.0, 1 - over / max(par, 5.0))
    why = f"{burned:.1f} error-budget minutes burned; the best path burns {par:.1f}"
    return ScoreItem("impact", round(points, 1), top, why)


def _diagnosis_item(session: DrillSession) -> ScoreItem:
    top = WEIGHTS["diagnosis"]
    key = {d.id for d in session.scenario.diagnostics if d.key}
    first_act = next(
        (i for i, s in enumerate(session.path) if s.kind == "action"), len(session.path)
    )
    looked = [s.choice for s in session.path[:first_act] if s.choice in key]
    if key and not looked and first_act == len(session.path):
        why = f"never looked at the key evidence ({', '.join(sorted(key))})"
        return ScoreItem("diagnosis", 0, top, why)
    if not key or looked:
        return ScoreItem(
            "diagnosis",
            top,
            top,
            f"looked before acting ({', '.join(looked) or 'no key evidence needed'})",
        )
    return ScoreItem(
        "diagnosis", 0, top, f"acted before looking at the key evidence ({', '.join(sorted(key))})"
    )


def _runbook_item(session: DrillSession) -> ScoreItem:
    top = WEIGHTS["runbook"]
    if session.scenario.runbook is None:
        return ScoreItem("runbook", top, top, "no runbook for this alert")
    if session.runbook_opened:
        return ScoreItem("runbook", top, top, "opened the runbook")
    return ScoreItem("runbook", 0, top, "never opened the runbook")


def _comms(session: DrillSession) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Required communication done and missing (a wrong severity, an unanswered ETA: missing)."""
    sc = session.scenario
    done: list[str] = []
    missing: list[str] = []
    have = {
        "declare": bool(session.declared),
        "status": bool(session.statuses),
        "page-ic": any(k == "page-ic" for _, k, _ in session.paged),
        "page-sme": any(k == "page-sme" for _, k, _ in session.paged),
    }
    for need in sc.comms_required:
        (done if have[need] else missing).append(need)
    if (
        "declare" in sc.comms_required
        and session.declared
        and session.declared[-1][1] != sc.severity.value
    ):
        done.remove("declare")
        missing.append(f"declare {sc.severity.value} (declared {session.declared[-1][1]})")
    closing = session.incident.resolved_at if session.outcome == "resolved" else None
    for at, injection in session.injected:
        if injection.expects == "status":
            # asked while the incident was being closed: the all-clear answers it
            answered = any(at <= t <= at + injection.within for t in session.statuses) or (
                closing is not None and at >= closing - COSTS["resolve"]
            )
            (done if answered else missing).append(
                f"answer {injection.id} within {injection.within:g} min"
            )
    return tuple(done), tuple(missing)


def _comms_item(done: tuple[str, ...], missing: tuple[str, ...]) -> ScoreItem:
    top = WEIGHTS["communication"]
    total = len(done) + len(missing)
    if total == 0:
        return ScoreItem("communication", top, top, "nothing needed to be communicated")
    why = f"done: {', '.join(done) or 'nothing'}" + (
        f"; missing: {', '.join(missing)}" if missing else ""
    )
    return ScoreItem("communication", round(top * len(done) / total, 1), top, why)


def _efficiency_item(wasted: tuple[str, ...], recurrences: int) -> ScoreItem:
    top = WEIGHTS["efficiency"]
    points = max(0, top - WASTE_PENALTY * len(wasted) - RECURRENCE_PENALTY * recurrences)
    why = (
        f"{len(wasted)} wasted step(s) {list(wasted)}; a quick fix came back {recurrences} time(s)"
    )
    return ScoreItem("efficiency", points, top, why)


def _safety_item(harmful: tuple[str, ...]) -> ScoreItem:
    top = WEIGHTS["safety"]
    return ScoreItem(
        "safety",
        max(0, top - HARM_PENALTY * len(harmful)),
        top,
        f"{len(harmful)} harmful step(s) {list(harmful)}",
    )
