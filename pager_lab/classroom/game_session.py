"""A drill session as the game master's server serves it: two views and the moves.

:class:`DrillGame` wraps one :class:`~pager_lab.core.drill_session.DrillSession` and
turns it into JSON: what the player sees (:meth:`DrillGame.player_state`) and what
the game master sees (:meth:`DrillGame.gm_state`: the hidden root cause, the best
path, the clue sheet, the faults, the player's path). Moves and injections are
passed to the session unchanged — the drill's logic lives in the session only; this
module keeps the transcript of the lines the session returned (a driver's job, as the
terminal prints them) and guards against stale clicks.

Every move carries the number of the prompt it answers (``prompt``), like
:meth:`~pager_lab.core.drill.Drill.answer`: the prompt number is the player's move
count plus one, so a double click's second request names a prompt that has passed
and is refused with :class:`~pager_lab.core.drill.StaleAnswer`, never applied twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from pager_lab.core.drill import Message, StaleAnswer
from pager_lab.core.drill_debrief import debrief_drill
from pager_lab.core.drill_score import score_drill
from pager_lab.core.drill_session import DrillSession
from pager_lab.core.errors import PagerLabError

__all__ = ["OWN_EVENTS", "DrillGame", "MoveError"]

VERB_KINDS = {
    "answer": None,  # any choice
    "diagnose": ("diagnostic", "runbook"),
    "act": ("action", "time", "end"),
    "communicate": ("comm",),
}
"""Which kinds of choice each player verb may make."""
GROUPS = (
    ("page", "The page", "answer"),
    ("runbook", "Runbook", "diagnose"),
    ("diagnostic", "Look (diagnose)", "diagnose"),
    ("action", "Act", "act"),
    ("comm", "Communicate", "communicate"),
    ("time", "Wait", "act"),
    ("end", "Finish", "act"),
)
"""The player's page groups the choices by kind, each with the verb it is sent with."""
OWN_EVENTS = {
    "alert": "A second alert fires: {service} p95 latency is above its threshold.",
    "eta": "Your manager asks in the incident channel: what is the ETA for {service}?",
    "no-answer": "The teammate you tried to reach does not answer their phone.",
    "recovery": "A dependency of {service} says on its status page that it has recovered.",
    "customer": "Support forwards a customer report: {service} fails with an error.",
    "note": "",
}
"""Events the game master can make up on the spot, with the text used when none is typed
(``{service}`` is the scenario's service; ``note`` has none: the GM writes it)."""
INJECT_KEYS = {"kind", "text", "starts", "fixes"}


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class MoveError(PagerLabError):
    """A move or an injection the game refuses before it reaches the session (bad fields)."""


def _text_field(body: dict[str, Any], key: str, required: bool = True) -> str:
    value = body.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise MoveError(f"{key!r} is {value!r}: expected {'non-empty ' if required else ''}text")
    return value.strip()


class DrillGame:
    """One drill session, its transcript, and the two views of it."""

    def __init__(
        self, session: DrillSession, on_finish: Callable[[DrillSession], Any] | None = None
    ) -> None:
        self.session = session
        """The drill being played (all its logic and state)."""
        self.transcript: list[tuple[float, Message]] = [(0.0, m) for m in session.opening]
        """Every line the session returned, with the minute it was shown."""
        self._score: tuple[list[str], list[str]] | None = None
        self._steps_shown = len(session.path)
        """Steps of the session's path whose lines the transcript has."""
        self.on_finish = on_finish
        """Called once, with the session, when the drill has finished (``pager-lab gm
        --handle`` records the result there), whoever finished it."""
        self._finish_seen = False

    # -- what changes the session -------------------------------------------------------
    @property
    def prompt_number(self) -> int:
        """The number of the prompt waiting for an answer (the session's own)."""
        return self.session.prompt_number

    def play(self, verb: str, body: dict[str, Any]) -> dict[str, Any]:
        """The player's *verb* with ``{"text" or "name": choice, "prompt": number}``."""
        unknown = set(body) - {"text", "name", "prompt"}
        if unknown:
            raise MoveError(f"unknown field(s) {sorted(unknown)}: expected text, name, prompt")
        choice = _text_field(body, "name" if "name" in body else "text")
        self._check_prompt(choice, body.get("prompt"))
        kinds = VERB_KINDS[verb]
        if kinds is not None:
            allowed = [c.id for c in self.session.choices() if c.kind in kinds]
            if choice.lower() not in allowed:
                raise MoveError(
                    f"{choice!r} is not something to {verb} now: expected one of "
                    f"{', '.join(allowed) or '(none)'}"
                )
        self._catch_up()
        self._show(self.session.choose(choice, body["prompt"]))
        return self.player_state()

    def _check_prompt(self, choice: str, prompt: Any) -> None:
        """Before anything else: a move for another prompt is stale (409), whatever it names.
        The page always sends its prompt, so a missing one is stale too."""
        if prompt is None and not self.session.finished:
            raise StaleAnswer(choice, "it names no prompt (send the prompt number it answers)")
        self.session.check_prompt(choice, prompt)

    def inject(self, body: dict[str, Any]) -> dict[str, Any]:
        """The game master's injection: a scenario's own (``kind`` is its id) or an event
        made up now (``kind`` is one of :data:`OWN_EVENTS`, ``text`` optional)."""
        unknown = set(body) - INJECT_KEYS
        if unknown:
            raise MoveError(f"unknown field(s) {sorted(unknown)}: expected {sorted(INJECT_KEYS)}")
        kind = _text_field(body, "kind")
        text = _text_field(body, "text", required=False)
        self._catch_up()
        scripted = [i.id for i in self.session.scenario.injections]
        if kind in scripted:
            if text or body.get("starts") or body.get("fixes"):
                raise MoveError(
                    f"the scenario's injection {kind!r} has its own text and effects: "
                    "choose an event of your own to write yours"
                )
            self._show(self.session.inject(kind))
            return self.gm_state()
        if kind not in OWN_EVENTS:
            raise MoveError(
                f"kind {kind!r}: expected one of the scenario's injections "
                f"({', '.join(scripted) or 'none'}) or an event ({', '.join(OWN_EVENTS)})"
            )
        if not (text or OWN_EVENTS[kind]):
            raise MoveError(f"a {kind!r} needs its text: what is the player told?")
        lines = self.session.inject_event(
            kind,
            text or self._own_text(kind),
            starts=tuple(body.get("starts") or ()),
            fixes=tuple(body.get("fixes") or ()),
        )
        self._show(lines)
        return self.gm_state()

    def _own_text(self, kind: str) -> str:
        return OWN_EVENTS[kind].replace("{service}", self.session.scenario.service or "the service")

    def tick(self, minutes: float) -> None:
        """Real-time pace: *minutes* pass (scripted injections may fire)."""
        self._catch_up()
        self._show(self.session.tick(minutes))

    def _show(self, lines: list[Message]) -> None:
        """Add what one call of the session returned (after :meth:`_catch_up` before it)."""
        self.transcript += [(self.session.now, m) for m in lines]
        self._steps_shown = len(self.session.path)
        self._finished_once()

    def _catch_up(self) -> None:
        """Moves another driver made on the same session (a notebook console) join the
        transcript as one line each: the game master sees every move, whoever drove it."""
        for step in self.session.path[self._steps_shown :]:
            text = f"{step.choice}: {step.text}"
            self.transcript.append((step.at, Message("step", text)))
        self._steps_shown = len(self.session.path)
        self._finished_once()

    def _finished_once(self) -> None:
        """Tell :attr:`on_finish` the drill has finished: the first time it is seen only."""
        if self.session.finished and not self._finish_seen:
            self._finish_seen = True
            if self.on_finish is not None:
                self.on_finish(self.session)

    # -- what the pages show ------------------------------------------------------------
    def player_state(self) -> dict[str, Any]:
        """What the player sees: the prompt and its choices, the lines, the clock, the signals."""
        s = self.session
        self._catch_up()
        prompt = None
        if not s.finished:
            prompt = {"number": self.prompt_number, "text": s.prompt_text().strip()}
        return {
            "title": s.incident.summary,  # the alert: the scenario's title may name the cause
            "clock": self._clock(),
            "finished": s.finished,
            "outcome": s.outcome,
            "prompt": prompt,
            "moves": self._moves(),
            "messages": [
                {"at": f"+{at:.0f} min", "kind": m.kind, "text": m.text}
                for at, m in self.transcript
            ],
            "signals": self._signals(),
            "score": self._score_lines(),
            "debrief": self._finished_lines()[1],
        }

    def _score_lines(self) -> list[str]:
        """The score card once the drill has finished (the engine scores; this shows it)."""
        return self._finished_lines()[0]

    def _finished_lines(self) -> tuple[list[str], list[str]]:
        """The score card and the debrief once the drill has finished (the root cause is no
        secret any more: the debrief is where the game master and the player talk it over)."""
        if not self.session.finished:
            return [], []
        if self._score is None:
            self._score = (
                score_drill(self.session).lines(),
                debrief_drill(self.session).lines(),
            )
        return self._score

    def _clock(self) -> dict[str, Any]:
        s = self.session
        when = s.clock.start + timedelta(minutes=s.now)
        return {
            "minutes": round(s.now, 3),
            "time": when.isoformat(),
            "label": f"+{s.now:.1f} min ({when:%H:%M} {when:%Z})",
        }

    def _moves(self) -> list[dict[str, Any]]:
        choices = self.session.choices()
        out = []
        for kind, label, verb in GROUPS:
            mine = [
                {"name": c.id, "label": c.label, "hint": f"{c.cost:g} min"}
                for c in choices
                if c.kind == kind
            ]
            if mine:
                out.append({"kind": kind, "label": label, "verb": verb, "choices": mine})
        return out

    def _signals(self) -> list[dict[str, Any]]:
        values = self.session.signals()
        return [
            {
                "name": s.label,
                "value": f"{values[s.name]:g} {s.unit}".strip(),
                "alarm": s.alarm is not None and values[s.name] > s.alarm,
            }
            for s in self.session.scenario.signals
        ]

    def gm_state(self) -> dict[str, Any]:
        """What the game master sees: the player's view, the hidden truth, the player's path."""
        s, sc = self.session, self.session.scenario
        return {
            "title": sc.title,
            "clock": self._clock(),
            "player": self.player_state(),
            "hidden": {
                "root_cause": s.fill(sc.root_cause),
                "severity": sc.severity.value,
                "best_path": [self._label(step) for step in sc.best_paths[0].steps],
                "reasoning": s.fill(sc.best_paths[0].reasoning),
                "clues": self._clues(),
                "seed_picks": dict(s.variables),
                "faults": [
                    {"name": name, "status": str(state.status.value)}
                    for name, state in s.state.faults.items()
                ],
            },
            "actions": [
                f"+{step.at:.0f} min  {step.choice} ({step.verdict}): {step.text}"
                for step in s.path
            ],
            "injections": self._injection_menu(),
            "fired": [f"+{at:.0f} min  {i.kind}: {s.fill(i.text)}" for at, i in s.injected],
        }

    def _label(self, ident: str) -> str:
        sc = self.session.scenario
        part = sc.diagnostic(ident) or sc.action(ident)
        return f"{ident}: {self.session.fill(part.label)}" if part is not None else ident

    def _clues(self) -> list[dict[str, str]]:
        s = self.session
        out = []
        for d in s.scenario.diagnostics:
            tag = "KEY clue" if d.key else "red herring" if d.red_herring else "clue"
            if d.red_herring and d.id not in s.herrings:
                continue  # this seed does not offer it: the player cannot see it
            out.append({"name": f"{d.id} ({tag})", "reveals": s.fill(d.explain)})
        for a in s.scenario.actions:
            tag = "harmful" if a.harmful else "action"
            out.append({"name": f"{a.id} ({tag})", "reveals": s.fill(a.explain)})
        return out

    def _injection_menu(self) -> list[dict[str, str]]:
        s = self.session
        menu = []
        for i in s.scenario.injections:
            when = f"scripted at +{i.at:g} min" if i.at is not None else "the scenario's"
            menu.append({"kind": i.id, "label": f"{when}: {i.kind}: {_cut(s.fill(i.text), 70)}"})
        for kind in OWN_EVENTS:
            text = _cut(self._own_text(kind), 60) or "(type it)"
            menu.append({"kind": kind, "label": f"your own {kind}: {text}"})
        return menu

    def summary(self) -> str:
        """One line: where the drill stands (for the console when the server stops)."""
        s = self.session
        moves = len(s.path)
        outcome = s.outcome or "still playing"
        return f"{s.scenario.name} (seed {s.seed}) at +{s.now:.0f} min: {outcome}, {moves} move(s)"

    def to_dict(self) -> dict[str, Any]:
        """The session's save (:meth:`DrillSession.to_dict`) and the transcript as shown."""
        return {
            "session": self.session.to_dict(),
            "transcript": [
                {"minute": at, "kind": m.kind, "text": m.text} for at, m in self.transcript
            ],
            "score": self._score_lines(),
        }

    def __repr__(self) -> str:
        return f"DrillGame({self.session!r}, prompt={self.prompt_number})"
