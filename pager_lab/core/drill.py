"""The step-wise pager drill: the seed's ``pager.py`` as an engine with two drivers.

The drill holds the current :class:`Prompt` and its allowed answers;
:meth:`Drill.answer` advances it and returns the :class:`Message` lines to
show. The terminal (``pager-lab drill``) and the notebook pager console are
both thin drivers of this class, so the drill's logic lives only here.
"""

from __future__ import annotations

from dataclasses import dataclass

from pager_lab.core.clock import Clock, ManualClock, to_datetime
from pager_lab.core.errors import InvalidAnswer, PagerLabError
from pager_lab.core.escalation import EscalationPolicy, EscalationRun, PageBatch
from pager_lab.core.incident import Incident, Severity
from pager_lab.core.runbook import Runbook

__all__ = ["Drill", "Message", "Prompt", "StaleAnswer"]

SEED_ALERT = "Database Connection Failed"
SEED_ALERT_NAME = "database-connection-failed"
"""The seed alert's definition in the bundled ``data/alerts.toml``."""
SEED_ROOT_CAUSE = "Database CPU 100%."
SEED_ESCALATION = ("Alice", "Bob", "Charlie")


@dataclass(frozen=True)
class Message:
    """One line the drill shows; ``kind`` lets a driver style it (alert, page, ok, ...)."""

    kind: str
    text: str


@dataclass(frozen=True)
class Prompt:
    """A question waiting for an answer."""

    key: str
    """``page``, ``severity``, ``help`` or ``action``."""
    text: str
    answers: tuple[str, ...]
    """The canonical answers, e.g. ``("ack", "ignore")``."""
    aliases: dict[str, str]
    """Every accepted spelling (lower case) to its canonical answer."""
    default: str | None = None
    """Used for an empty answer, if any."""
    number: int = 0
    """The prompt's place in its drill (1, 2, ...): the identity an answer is given for."""

    def parse(self, text: str) -> str:
        """The canonical answer for *text*, or :class:`InvalidAnswer`."""
        word = text.strip().lower()
        if not word and self.default is not None:
            return self.default
        if word in self.aliases:
            return self.aliases[word]
        raise InvalidAnswer(text.strip(), tuple(sorted(self.aliases, key=len, reverse=True)))


class StaleAnswer(InvalidAnswer):
    """An answer given for a question that is no longer current: it is never applied.

    A fast double-click sends the second click to a button whose question was
    already answered; applying it to the next question (Bob's page) would skip a
    responder, so the drill refuses it and changes nothing.
    """

    def __init__(self, answer: str, reason: str) -> None:
        self.answer = answer
        self.allowed = ()
        PagerLabError.__init__(self, f"{answer!r} was not applied: {reason}")


def _choice(
    key: str,
    text: str,
    answers: tuple[str, ...],
    default: str | None = None,
    extra: dict[str, str] | None = None,
    number: int = 0,
) -> Prompt:
    initials = [a[0] for a in answers]
    # A first letter is a short form only when it names one answer: "s" could be any
    # severity, so it is asked again rather than taken as the last one (SEV4).
    short = {a[0]: a for a in answers if initials.count(a[0]) == 1}
    aliases = {a: a for a in answers} | short | (extra or {})
    return Prompt(key, text, answers, aliases, default, number)


class Drill:
    """One incident, answered step by step: page, ack/ignore, triage, investigate, act."""

    def __init__(
        self,
        policy: EscalationPolicy | None = None,
        *,
        alert: str = SEED_ALERT,
        runbook: Runbook | None = None,
        root_cause: str = SEED_ROOT_CAUSE,
        clock: Clock | None = None,
        default_severity: Severity = Severity.SEV2,
        incident_id: str = "INC-1",
        service: str = "",
        step_minutes: float = 0.0,
        paged_after: float = 0.0,
    ) -> None:
        self.policy = policy or EscalationPolicy.chain(SEED_ESCALATION, name="seed")
        self.clock = clock or ManualClock()
        self.runbook = runbook
        self.root_cause = root_cause
        self.default_severity = default_severity
        self.step_minutes = step_minutes
        """Simulated minutes each answer takes (0 when the clock measures real answers)."""
        self.incident = Incident(incident_id, alert, self.clock, service=service)
        self.escalation = EscalationRun(self.policy, self.incident, self.clock)
        self.prompt: Prompt | None = None
        """What the drill is waiting for; ``None`` once it has finished."""
        self.outcome = ""
        """``resolved``, ``still active``, ``no one answered`` or ``nobody on call`` (every
        level's schedule had a gap) when finished."""
        self._batch: PageBatch | None = None
        self._prompts_shown = 0
        """How many prompts the drill has shown: the next prompt's number minus one."""
        self._asked = 0
        self._owner = ""
        self._severity = default_severity
        held = self._hold(paged_after)
        self.opening = [Message("alert", f"🚨 ALERT: {alert}"), *held, *self._page_next()]
        """The lines shown before the first prompt."""

    def _hold(self, minutes: float) -> list[Message]:
        """A router held the first page back *minutes* after the alert fired (Alertmanager's
        ``group_wait``): the clock moves on before level 1 is paged, so it counts in the
        time to acknowledge. Needs a clock that can be moved (``ManualClock``)."""
        if minutes == 0:
            return []
        advance = getattr(self.clock, "advance", None)
        if minutes < 0 or advance is None:
            raise ValueError(
                f"paged_after ({minutes:g}) must be >= 0 minutes, on a clock that can be moved "
                f"(a ManualClock, not {type(self.clock).__name__})"
            )
        advance(minutes)
        return [Message("info", f"First page {minutes:.1f} min after the alert fired.")]

    @property
    def finished(self) -> bool:
        """Whether the drill is over (no prompt waits for an answer)."""
        return self.prompt is None

    @property
    def paged(self) -> str | None:
        """Who the current page prompt is asking, if any."""
        if self._batch is None or self.prompt is None or self.prompt.key != "page":
            return None
        return self._batch.responders[self._asked]

    def answer(self, text: str, prompt: Prompt | int | None = None) -> list[Message]:
        """Give the current prompt an answer; returns the lines to show next.

        *prompt* is the question the answer was given for (the :class:`Prompt` or
        its ``number``): when it is no longer the current one, :class:`StaleAnswer`
        is raised and nothing changes. Without it the answer goes to the current
        prompt (a terminal reads one line per prompt, so it cannot be stale).
        """
        current = self._current(text, prompt)
        choice = current.parse(text)
        if choice != "ignore" or current.key != "page":
            self.clock.advance(self.step_minutes)
        handler = {
            "page": self._on_page,
            "severity": self._on_severity,
            "help": self._on_help,
            "action": self._on_action,
        }[current.key]
        return handler(choice)

    def time_out(self, prompt: Prompt | int | None = None) -> list[Message]:
        """Nobody answered the current page in time (the widget's escalation timer).

        *prompt*, as for :meth:`answer`: a timer started for a page that was since
        answered raises :class:`StaleAnswer` instead of escalating the next page.
        """
        current = self._current("timeout", prompt)
        if current.key != "page":
            raise StaleAnswer("timeout", f"the current question is not a page ({current.key})")
        self._asked = len(self._batch.responders) - 1 if self._batch else 0
        return self._on_page("ignore")

    def _current(self, text: str, prompt: Prompt | int | None) -> Prompt:
        """The current prompt, if *prompt* (when given) is still it; else StaleAnswer."""
        if self.prompt is None:
            raise StaleAnswer(text.strip(), f"the drill has finished ({self.outcome})")
        if isinstance(prompt, Prompt):  # the very object it was shown: another drill's is stale
            stale, asked = prompt is not self.prompt, repr(prompt.text.rstrip(": "))
        else:
            stale, asked = prompt is not None and prompt != self.prompt.number, f"{prompt}"
        if stale:
            raise StaleAnswer(
                text.strip(),
                f"it answers question {asked}, but the drill has moved on to question "
                f"{self.prompt.number} ({self.prompt.text.rstrip(': ')!r})",
            )
        return self.prompt

    def _ask(
        self,
        key: str,
        text: str,
        answers: tuple[str, ...],
        default: str | None = None,
        extra: dict[str, str] | None = None,
    ) -> Prompt:
        """Make the next prompt current, numbered after the previous one."""
        self._prompts_shown += 1
        self.prompt = _choice(key, text, answers, default, extra, self._prompts_shown)
        return self.prompt

    # -- steps -------------------------------------------------------------------------
    def _page_next(self) -> list[Message]:
        self._batch = self.escalation.page_next()
        self._asked = 0
        if self._batch is None:
            self.prompt = None
            if self.incident.pages_sent == 0:
                return self._nobody_on_call()
            self.outcome = "no one answered"
            return [Message("outage", "💀 Major Outage! No one answered.")]
        return self._ask_current()

    def _nobody_on_call(self) -> list[Message]:
        """Every level's schedule had a gap: nobody was paged, so nobody failed to answer."""
        self.outcome = "nobody on call"
        when = to_datetime(self.clock.start, self.clock.now())
        names = sorted(
            {
                t.name
                for level in self.policy.levels
                for t in level.targets
                if not isinstance(t, str)
            }
        )
        which = f"the schedule {', '.join(names)} has" if names else "the schedules have"
        return [
            Message(
                "outage",
                f"🕳️  Nobody was paged: {which} a coverage gap at {when.isoformat()} "
                "(nobody on call).",
            )
        ]

    def _ask_current(self) -> list[Message]:
        assert self._batch is not None
        person = self._batch.responders[self._asked]
        self._ask("page", f"Are you {person}? (ack/ignore): ", ("ack", "ignore"))
        return [Message("page", f"📟 Paging {person}...")] if self._asked == 0 else []

    def _on_page(self, choice: str) -> list[Message]:
        assert self._batch is not None
        person = self._batch.responders[self._asked]
        if choice == "ack":
            self.incident.acknowledge(person)
            self._owner = person
            self.escalation.current = None
            sev = self.default_severity.value.lower()
            self._ask(
                "severity",
                f"Severity? (sev1/sev2/sev3/sev4) [{sev}]: ",
                tuple(s.value.lower() for s in Severity),
                sev,
                {str(n): f"sev{n}" for n in range(1, 5)},
            )
            return [Message("ok", f"✅ Incident Acknowledged by {person}.")]
        self._asked += 1
        if self._asked < len(self._batch.responders):
            return [Message("miss", f"❌ {person} did not answer."), *self._ask_current()]
        self.clock.advance(max(0.0, self._batch.deadline - self.clock.now()))
        self.escalation.time_out()
        following = self._page_next()
        if self._batch is None:  # no level left: nothing to escalate to
            return [Message("miss", f"❌ {person} did not answer."), *following]
        return [Message("miss", f"❌ {person} did not answer. Escalating..."), *following]

    def _on_severity(self, choice: str) -> list[Message]:
        self._severity = Severity.parse(choice)
        self._ask("help", "Do you need help? (yes/no) [no]: ", ("yes", "no"), "no")
        return []

    def _on_help(self, choice: str) -> list[Message]:
        need_help = choice == "yes"
        self.incident.triage(self._owner, self._severity, need_help)
        lines: list[Message] = []
        if need_help:
            level, helpers = self.escalation.help_responders(self._owner)
            for person in helpers:
                self.incident.page_for_help(person, level, self._owner)
                lines.append(Message("page", f"📟 Paging {person} to help..."))
            if not helpers:
                lines.append(Message("miss", "❌ Nobody else to page for help."))
        lines.append(Message("info", "🛠️  Investigating... (Check Logs, Metrics)"))
        if self.runbook is not None:
            lines.append(Message("runbook", f"📖 Runbook: {self.runbook.title}"))
            lines.extend(Message("runbook", "   " + line) for line in self.runbook.lines())
        if self.root_cause:
            lines.append(Message("info", f"💡 Found root cause: {self.root_cause}"))
        else:  # an alert with no known cause: nothing is made up
            lines.append(Message("info", "💡 Root cause unknown: nothing names one; investigate."))
        self._ask("action", "Action (restart/ignore): ", ("restart", "ignore"))
        return lines

    def _on_action(self, choice: str) -> list[Message]:
        self.incident.act(self._owner, choice)
        self.prompt = None
        if choice == "restart":
            self.incident.resolve(self._owner, action="restart")
            self.outcome = "resolved"
            return [Message("ok", "✅ Service Restarted. Incident Resolved.")]
        self.outcome = "still active"
        return [Message("warn", "⚠️  Incident still active.")]

    def __repr__(self) -> str:
        state = self.incident.state.value
        return f"Drill(policy={self.policy.name!r}, incident={self.incident.id!r}, state={state})"
