"""A drill session: one scenario played step by step in simulated minutes.

The session is the only place the drill library's logic lives; the terminal, the
notebook console, the Voilà app and the game master are drivers. A driver shows
:meth:`DrillSession.choices`, passes what the player picked to
:meth:`DrillSession.choose` and shows the :class:`Message` lines it returns. Time
advances by each choice's cost; :meth:`DrillSession.tick` advances it between answers
(a real-time pace), :meth:`DrillSession.inject` fires an injection at any moment.
:meth:`DrillSession.to_dict` saves the whole session as JSON-able data (its seed and
the events so far); :meth:`DrillSession.from_dict` restores it by replaying them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pager_lab.core.drill import Message, StaleAnswer
from pager_lab.core.drill_base import ACK_TIMEOUT, COSTS, Choice, Step, StepResult
from pager_lab.core.drill_parts import Action
from pager_lab.core.drill_scenario import DrillScenario
from pager_lab.core.drill_steps import StepsMixin
from pager_lab.core.errors import ConfigError, InvalidAnswer, PagerLabError

__all__ = ["SAVE_FORMAT", "Choice", "DrillSession", "Step", "StepResult"]

SAVE_FORMAT = "pager-lab-drill/1"


class DrillSession(StepsMixin):
    """One played drill: the scenario, a seed, the clock, the state model, the incident."""

    def prompt_text(self) -> str:
        """The question the player answers now."""
        if self.finished:
            return ""
        if not self.acked:
            if self.scenario.responder == "you":  # the default: the player is on call
                return "You are on call. Acknowledge? (ack/ignore): "
            return f"You are on call as {self.scenario.responder}. Acknowledge? (ack/ignore): "
        return f"[+{self.now:.0f} min] Your move (number or name): "

    def choices(self) -> list[Choice]:
        """What can be chosen now, in a stable order (numbered from 1 by drivers)."""
        if self.finished:
            return []
        if not self.acked:
            return [
                Choice("ack", "Acknowledge the page", "page", COSTS["ack"]),
                Choice("ignore", "Ignore the page", "page", ACK_TIMEOUT),
            ]
        sc, out = self.scenario, []
        if sc.runbook is not None:
            out.append(
                Choice(
                    "runbook", f"Open the runbook: {sc.runbook.title}", "runbook", COSTS["runbook"]
                )
            )
        out += [
            Choice(d.id, self.fill(d.label), "diagnostic", d.cost)
            for d in sc.diagnostics
            if not d.red_herring or d.id in self.herrings
        ]
        out += [Choice(a.id, self._action_label(a), "action", a.cost) for a in sc.actions]
        out += [
            Choice(f"declare-sev{n}", f"Declare SEV{n}", "comm", COSTS["declare"])
            for n in range(1, 5)
        ]
        out += [
            Choice("status", "Post a status update", "comm", COSTS["status"]),
            Choice("page-ic", f"Page {sc.commander}", "comm", COSTS["page-ic"]),
            Choice("page-sme", f"Page {sc.sme}", "comm", COSTS["page-sme"]),
            Choice("wait", "Wait and watch the signals", "time", COSTS["wait"]),
            Choice("resolve", "Resolve the incident", "end", COSTS["resolve"]),
        ]
        return out

    def _action_label(self, action: Action) -> str:
        """The action's label, with ``(needs: ...)`` while a clue it requires is missing."""
        missing = [r for r in action.requires if r not in self._done]
        return self.fill(action.label) + (f" (needs: {', '.join(missing)})" if missing else "")

    # -- playing -----------------------------------------------------------------------
    @property
    def prompt_number(self) -> int:
        """The number of the question waiting now (1, 2, ...: the moves so far + 1). A driver
        hands it back with the answer it was drawn for, so a double-click or a click from a
        second screen is refused (:class:`StaleAnswer`), never played twice."""
        return len(self.path) + 1

    def check_prompt(self, answer: str, prompt: int | None) -> None:
        """Raise :class:`StaleAnswer` if the drill has finished, or if *prompt* (when given)
        is not the question waiting now."""
        if self.finished:
            raise StaleAnswer(answer.strip(), f"the drill has finished ({self.outcome})")
        if prompt is not None and prompt != self.prompt_number:
            raise StaleAnswer(
                answer.strip(),
                f"it answers prompt {prompt!r}, but the drill is at prompt {self.prompt_number}",
            )

    def choose(self, answer: str, prompt: int | None = None) -> list[Message]:
        """Play *answer* (a choice's id, its number, or for a page ``a``/``i``); returns the
        lines to show in the order things happened: what the choice's minutes brought (a
        recurrence, an injection), then its result. An unknown answer raises
        :class:`InvalidAnswer` and changes nothing; after the end, or for another *prompt*
        than the one waiting (:attr:`prompt_number`), :class:`StaleAnswer`."""
        self.check_prompt(answer, prompt)
        ident = self._parse(answer)
        self._events.append(["choose", ident])
        return self._play(ident)

    def tick(self, minutes: float) -> list[Message]:
        """Let *minutes* of simulated time pass between answers (a real-time pace)."""
        if minutes < 0:
            raise ValueError(f"cannot tick a drill back in time ({minutes} min)")
        if self.finished or minutes == 0:
            return []
        self._events.append(["tick", float(minutes)])
        return self._pass(float(minutes))

    def inject(self, ident: str) -> list[Message]:
        """Fire the scenario's injection *ident* now (a game master's move)."""
        if self.finished:
            raise StaleAnswer(ident, f"the drill has finished ({self.outcome})")
        known = [i.id for i in self.scenario.injections]
        if ident not in known:
            raise ConfigError(
                self.scenario.name, "injection", ident, f"one of {', '.join(known) or '(none)'}"
            )
        self._events.append(["inject", ident])
        return self._fire(next(i for i in self.scenario.injections if i.id == ident))

    def inject_event(
        self,
        kind: str,
        text: str,
        *,
        starts: tuple[str, ...] = (),
        fixes: tuple[str, ...] = (),
        expects: str = "",
        within: float = 10.0,
    ) -> list[Message]:
        """Fire an injection made up on the spot (kinds as in ``[[injections]]``)."""
        from pager_lab.core.drill_toml import parse_injections

        if self.finished:
            raise StaleAnswer(text, f"the drill has finished ({self.outcome})")
        table = {
            "id": f"gm-{len(self._events)}",
            "kind": kind,
            "text": text,
            "starts": list(starts),
            "fixes": list(fixes),
            "expects": expects,
            "within": within,
        }
        injection = parse_injections([table], "game master")[0]
        for name in (*starts, *fixes):
            if self.scenario.fault(name) is None:
                names = ", ".join(f.name for f in self.scenario.faults)
                raise ConfigError("game master", "fault", name, f"one of {names}")
        self._events.append(["event", table])
        return self._fire(injection)

    # -- saving ------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The whole session as JSON-able data: restore it with :meth:`from_dict`."""
        return {
            "format": SAVE_FORMAT,
            "scenario": self.scenario.name,
            "seed": self.seed,
            "start": self.clock.start.isoformat(),
            "events": [list(e) for e in self._events],
            "minute": self.now,
            "outcome": self.outcome,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], scenario: DrillScenario) -> DrillSession:
        """Rebuild a saved session by replaying its events on *scenario*."""
        where = "saved drill"
        if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
            raise ConfigError(
                where, "format", data.get("format") if isinstance(data, dict) else data, SAVE_FORMAT
            )
        if data.get("scenario") != scenario.name:
            raise ConfigError(
                where, "scenario", data.get("scenario"), f"{scenario.name!r} (the scenario given)"
            )
        missing = [key for key in ("seed", "start", "events") if key not in data]
        if missing:  # a hand-edited save
            raise PagerLabError(f"{where}: the field {missing[0]!r} is missing (every save has it)")
        seed = data["seed"]
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:  # e.g. 1e400
            raise ConfigError(where, "seed", seed, "a whole number >= 0")
        try:
            session = cls(scenario, seed, start=datetime.fromisoformat(data["start"]))
            for verb, arg in data["events"]:
                session._replay(verb, arg)
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(
                where, "events", str(exc), "events saved by DrillSession.to_dict"
            ) from None
        return session

    def _replay(self, verb: str, arg: Any) -> None:
        """Apply one saved event."""
        if verb == "choose":
            self.choose(arg)
        elif verb == "tick":
            self.tick(float(arg))
        elif verb == "inject":
            self.inject(arg)
        elif verb == "event":
            self.inject_event(**{k: v for k, v in arg.items() if k != "id"})
        else:
            raise ValueError(f"unknown event {verb!r}")

    def copy(self) -> DrillSession:
        """An independent session in the same state."""
        return DrillSession.from_dict(self.to_dict(), self.scenario)

    # -- internals ---------------------------------------------------------------------
    def _parse(self, answer: str) -> str:
        if self.finished:
            raise StaleAnswer(answer.strip(), f"the drill has finished ({self.outcome})")
        word = answer.strip().lower()
        choices = self.choices()
        ids = [c.id for c in choices]
        if word.isdigit() and 1 <= int(word) <= len(choices):
            return choices[int(word) - 1].id
        if not self.acked and word in ("a", "i"):
            return {"a": "ack", "i": "ignore"}[word]
        if word in ids:
            return word
        raise InvalidAnswer(answer.strip(), (*ids, f"1-{len(ids)}"))

    def __repr__(self) -> str:
        return (
            f"DrillSession({self.scenario.name!r}, seed={self.seed}, minute={self.now:g}, "
            f"outcome={self.outcome or 'playing'!r})"
        )
