"""What each kind of drill choice does: paging, the runbook, diagnostics, actions,
communication, waiting and resolving; mixed into
the session's :class:`StepsMixin`."""

from __future__ import annotations

import re

from pager_lab.core.drill import Message
from pager_lab.core.drill_base import (
    ACK_TIMEOUT,
    COSTS,
    MAX_IGNORES,
    REFUSAL_COST,
    SessionBase,
    Step,
    StepResult,
)
from pager_lab.core.drill_parts import Action, Diagnostic, Effect
from pager_lab.core.drill_state import FaultStatus

__all__ = ["StepsMixin"]

_ICON = re.compile(r"^[^\w(\[]+\s*")


class StepsMixin(SessionBase):
    """The handlers of :meth:`DrillSession.choose`, one per kind of choice."""

    def _play(self, ident: str) -> list[Message]:
        if ident in ("ack", "ignore"):
            lines = self._on_page(ident)
        elif ident == "runbook":
            lines = self._on_runbook()
        elif (diag := self.scenario.diagnostic(ident)) is not None:
            lines = self._on_diagnostic(diag)
        elif (action := self.scenario.action(ident)) is not None:
            lines = self._on_action(action)
        elif ident == "wait":
            before = self.now
            lines = self._pass(COSTS["wait"])  # what happened meanwhile, then how it looks now
            waited = self.now - before  # less when the time limit ends the wait
            lines.append(Message("info", f"⏳ You waited {waited:g} minutes: {self._glance()}"))
            self._note(ident, "time", "wait", lines[-1].text)
        elif ident == "resolve":
            lines = self._on_resolve()
        else:
            lines = self._on_comm(ident)
        if self.last is None or self.last.choice != ident or self.last.messages != tuple(lines):
            self.last = StepResult(ident, tuple(lines))
        return lines

    def _note(self, choice: str, kind: str, verdict: str, text: str) -> None:
        """Add a judged step to the path; a refused action does not count as done."""
        text = _ICON.sub("", text)  # the path reads as words (plain terminals, JSON)
        self.path.append(Step(self.now, choice, kind, verdict, text))
        if verdict != "refused":
            self._done.add(choice)

    def _spend(self, choice: str, kind: str, minutes: float) -> tuple[list[Message], bool]:
        """Let the choice's minutes pass: the lines that brought, and whether the choice
        still takes effect (not when the drill's time ran out meanwhile: a 'too late' step)."""
        lines = self._pass(minutes)
        if not self.finished:
            return lines, True
        self._note(choice, kind, "too late", f"time ran out during {choice}")
        return lines, False

    def _glance(self) -> str:
        sig = self.state.values()
        return ", ".join(f"{s.label} {sig[s.name]:g}{s.unit}" for s in self.scenario.signals)

    def _on_page(self, ident: str) -> list[Message]:
        who = self.scenario.responder
        if ident == "ack":
            lines = self._pass(COSTS["ack"])
            self.incident.acknowledge(who)
            self.acked = True
            self._track_mitigation()
            self._note("ack", "page", "ack", f"acknowledged at +{self.now:.0f} min")
            return [*lines, Message("ok", f"✅ Acknowledged by {who}. Signals: {self._glance()}")]
        self._ignores += 1
        self._note("ignore", "page", "ignore", "ignored the page")
        lines = self._pass(ACK_TIMEOUT)
        if not self.finished:  # the timeout ran out: recorded, and the page goes out again
            self.incident.no_answer(who, 1, self._ignores - 1)
        if self._ignores >= MAX_IGNORES and not self.finished:
            self.incident.no_one_answered()
            self.outcome = "no one answered"
            return [*lines, Message("outage", "💀 Major Outage! No one answered.")]
        if not self.finished:
            self.incident.page(who, 1, self._ignores)
        return [
            Message("miss", f"❌ {who} did not answer."),
            *lines,
            *([] if self.finished else [Message("page", f"📟 Paging {who} again...")]),
        ]

    def _on_runbook(self) -> list[Message]:
        rb = self.scenario.runbook
        assert rb is not None
        lines, in_time = self._spend("runbook", "runbook", COSTS["runbook"])
        if not in_time:
            return lines
        self.incident.act(self.scenario.responder, "opened the runbook")
        self.runbook_opened = True
        self._note("runbook", "runbook", "runbook", rb.title)
        return [
            *lines,
            Message("runbook", f"📖 Runbook: {rb.title}"),
            *(Message("runbook", "   " + self.fill(line)) for line in rb.lines()),
        ]

    def _on_diagnostic(self, diag: Diagnostic) -> list[Message]:
        repeat = diag.id in self._done
        lines, in_time = self._spend(diag.id, "diagnostic", diag.cost)
        if not in_time:
            return lines
        self.incident.act(self.scenario.responder, f"looked: {diag.id}")
        visible = not diag.shows or self.state.faults[diag.shows].status is FaultStatus.ACTIVE
        text = self.fill(diag.text if visible or not diag.text_if_clear else diag.text_if_clear)
        shown = [Message("diag", f"🔎 {self.fill(diag.label)}")]
        shown += [Message("diag", "   " + line) for line in text.splitlines() if line.strip()]
        rows = (
            tuple(tuple(self._fill_row(diag, c) for c in r) for r in diag.rows) if visible else ()
        )
        series: tuple[tuple[str, tuple[tuple[float, float], ...]], ...] = ()
        if diag.kind == "table":
            shown += _table_lines(diag.columns, rows)
        elif diag.kind == "series":
            series = self._series(diag.signals)
            shown += [_series_line(self, name, points) for name, points in series]
        verdict = "repeat" if repeat else ("red herring" if diag.red_herring else "clue")
        self._note(
            diag.id, "diagnostic", verdict, shown[-1].text.strip() if len(shown) > 1 else diag.label
        )
        result = [*lines, *shown]
        self.last = StepResult(diag.id, tuple(result), diag.columns, rows, series)
        return result

    def _fill_row(self, diag: Diagnostic, cell: str) -> str:
        """A table cell with the live ``{running_for}`` (how long the shown fault has been
        active, ``hh:mm:ss``; plus ``[vary] started_before`` minutes before the alert until
        it first comes back) and, once it has come back, each ``requeued_X`` variable in
        place of ``X`` (a re-issued query is a new backend: a new pid, a fresh runtime)."""
        if diag.shows:
            back = any(c.fault == diag.shows and c.change == "returned" for c in self.changes)
            if back:
                for name, value in self.variables.items():
                    if name.startswith("requeued_"):
                        cell = cell.replace("{" + name.removeprefix("requeued_") + "}", value)
            since = self.state.faults[diag.shows].since
            lead = 0.0 if back else float(self.variables.get("started_before", 0))
            seconds = round((self.now - since + lead) * 60)
            age = f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
            cell = cell.replace("{running_for}", age)
        return self.fill(cell)

    def _series(
        self, names: tuple[str, ...]
    ) -> tuple[tuple[str, tuple[tuple[float, float], ...]], ...]:
        recent = [(m, v) for m, v in self.state.history if m >= self.now - 15]
        return tuple((n, tuple((m, v[n]) for m, v in recent)) for n in names)

    def _on_action(self, action: Action) -> list[Message]:
        who = self.scenario.responder
        missing = [r for r in action.requires if r not in self._done]
        # a refusal is a quick "not yet": it costs a minute, not the action's whole time
        cost = min(action.cost, REFUSAL_COST) if missing else action.cost
        lines, in_time = self._spend(action.id, "action", cost)
        if not in_time:
            return lines
        self.incident.act(who, action.id)
        if missing:
            self._note(action.id, "action", "refused", self.fill(action.refusal))
            return [*lines, Message("warn", f"⛔ {self.fill(action.refusal)}")]
        applied = [e for e in action.effects if self._applies(e)]
        for effect in applied:
            {
                "fixes": lambda e: self.state.fix(e.fault),
                "relief": lambda e: self.state.relieve(e.fault, e.recur_after * self.recur_factor),
                "starts": lambda e: self.state.start(e.fault),
            }[effect.kind](effect)
        self._track_mitigation()
        kinds = {e.kind for e in applied}
        verdict = "no effect"
        for kind, name in (("fixes", "fixes"), ("relief", "relief"), ("starts", "worse")):
            if kind in kinds:
                verdict = name
                break
        texts = [self.fill(e.text) for e in applied if e.text] or [
            self.fill(action.text) or "Nothing changes."
        ]
        icon = {"worse": "🔥", "fixes": "✅", "relief": "🩹", "no effect": "➖"}[verdict]
        shown = [Message("act", f"{icon} {self.fill(action.label)}: {t}") for t in texts]
        if self.state.fixed:
            shown.append(Message("ok", f"✅ Signals back to normal: {self._glance()}"))
        self._note(action.id, "action", verdict, " ".join(texts))
        return [*lines, *shown]

    def _applies(self, effect: Effect) -> bool:
        if effect.if_active:
            status = self.state.faults[effect.if_active].status
            ok = {FaultStatus.ACTIVE} | (
                {FaultStatus.SUSPENDED} if effect.kind == "fixes" else set()
            )
            if status not in ok:
                return False
        if effect.kind == "starts":
            return self.state.faults[effect.fault].status is not FaultStatus.ACTIVE
        return True

    def _on_comm(self, ident: str) -> list[Message]:
        sc, who = self.scenario, self.scenario.responder
        kind = "declare" if ident.startswith("declare-") else ident
        lines, in_time = self._spend(ident, "comm", COSTS[kind])
        if not in_time:
            return lines
        self.incident.act(who, ident)
        if kind == "declare":
            sev = ident.split("-")[1].upper()
            if not self.declared:
                self.incident.triage(who, sev, need_help=False)
            self.declared.append((self.now, sev))
            text = f"📣 Declared {sev}."
        elif kind == "status":
            self.statuses.append(self.now)
            text = f"📣 Status update posted at +{self.now:.0f} min: {self._glance()}"
        else:
            person = sc.commander if kind == "page-ic" else sc.sme
            answered = kind == "page-ic" or self.sme_available
            self.paged.append((self.now, kind, answered))
            text = f"📟 {person} joins the call." if answered else f"📵 {person} does not answer."
        verdict = "harmful" if kind in sc.comms_harmful else "comm"
        self._note(ident, "comm", verdict, text)
        return [*lines, Message("comm", text)]

    def _on_resolve(self) -> list[Message]:
        who = self.scenario.responder
        # resolving takes its minute (checking, closing, the all-clear), then is judged
        lines, in_time = self._spend("resolve", "end", COSTS["resolve"])
        if not in_time:
            return lines
        if self.state.active():
            text = f"The signals are still bad ({self._glance()}): resolving now would be a lie."
            self._note("resolve", "end", "too soon", text)
            return [*lines, Message("warn", f"⛔ {text}")]
        self.incident.resolve(who, action="resolve")
        if self.state.pending():
            self.outcome = "resolved too early"
            text = (
                "Resolved — but your fix was temporary: the fault is still there and will return."
            )
            self._note("resolve", "end", "resolved too early", text)
            return [*lines, Message("warn", f"⚠️  {text}")]
        self.outcome = "resolved"
        self._note("resolve", "end", "resolved", "resolved")
        return [*lines, Message("ok", f"✅ Incident resolved at +{self.now:.0f} min.")]


def _table_lines(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> list[Message]:
    widths = [
        max(len(c), *(len(r[i]) for r in rows)) if rows else len(c) for i, c in enumerate(columns)
    ]

    def line(cells: tuple[str, ...]) -> str:
        return "   " + "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [Message("table", line(columns))]
    out += [Message("table", line(r)) for r in rows] or [Message("table", "   (no rows)")]
    return out


def _series_line(
    session: SessionBase, name: str, points: tuple[tuple[float, float], ...]
) -> Message:
    signal = next(s for s in session.scenario.signals if s.name == name)
    values = " ".join(f"{v:g}" for _, v in points[-8:])
    alarm = f" (alarm above {signal.alarm:g})" if signal.alarm is not None else ""
    unit = f" [{signal.unit}]" if signal.unit else ""
    return Message("series", f"   {signal.label}{unit}{alarm}: {values}")
