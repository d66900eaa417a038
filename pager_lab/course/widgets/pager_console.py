"""The pager console: the seed's Parts 1 and 2 as buttons, a second driver of the drill engine.

Each prompt of :class:`~pager_lab.core.drill.Drill` becomes a row of buttons, one per
allowed answer; a click calls ``drill.answer`` for the prompt its button was made for,
and disables the row, so a double-click can never answer the next question. The console
shows the alert
banner, what the drill says, the runbook, the live timeline and the student's
own time to acknowledge and resolve.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from pager_lab.core.drill import Drill, Message, Prompt, StaleAnswer
from pager_lab.core.report import describe_entry
from pager_lab.course.widgets.clock import call_later

__all__ = ["PagerConsole"]

_LABELS = {
    "ack": "Ack",
    "ignore": "Ignore",
    "restart": "Restart",
    "yes": "Yes",
    "no": "No",
    "sev1": "SEV1",
    "sev2": "SEV2",
    "sev3": "SEV3",
    "sev4": "SEV4",
}
_STYLES = {
    "ack": "success",
    "restart": "success",
    "ignore": "warning",
    "yes": "info",
    "sev1": "danger",
}
_COLOURS = {
    "alert": "#b00020",
    "page": "#1f4e9e",
    "ok": "#1b7f3b",
    "miss": "#a15c00",
    "outage": "#b00020",
    "warn": "#a15c00",
    "runbook": "#444",
    "info": "#222",
}


class PagerConsole(widgets.VBox):
    """A live pager: press Ack / Ignore, triage, read the runbook, Restart / Ignore.

    *timer_seconds* escalates by itself when nobody clicks in time (the kernel's
    event loop runs the timer; *schedule* lets tests drive it).
    """

    def __init__(
        self,
        drill: Drill,
        *,
        timer_seconds: float | None = None,
        schedule: Callable[[float, Callable[[], None]], Any] | None = None,
        on_step: Callable[[], list[str]] | None = None,
    ) -> None:
        self.drill = drill
        self.timer_seconds = timer_seconds
        self.on_step = on_step
        """Called after each step (posting to a webhook); returns warning lines."""
        self._schedule = schedule or call_later
        self._timer: Any = None
        self.banner = widgets.HTML()
        self.transcript = widgets.HTML()
        self.prompt = widgets.HTML()
        self.buttons = widgets.HBox()
        self.timeline = widgets.HTML()
        self.times = widgets.HTML()
        self.notice = widgets.HTML()
        """Why the last click changed nothing (a double-click, a click after the end)."""
        self._lines: list[Message] = []
        super().__init__(
            [
                self.banner,
                self.transcript,
                self.prompt,
                self.buttons,
                self.notice,
                self.timeline,
                self.times,
            ]
        )
        self.add_class("pager-console")
        self._show(list(drill.opening))

    def __repr__(self) -> str:
        state = (
            "finished"
            if self.drill.finished
            else f"waiting: {self.drill.prompt.key}"
            if self.drill.prompt
            else ""
        )
        return f"PagerConsole({self.drill.incident.summary!r}, {state})"

    # -- actions -----------------------------------------------------------------------
    def click(self, answer: str) -> None:
        """Press the button for *answer* (what a browser click does)."""
        for button in self.buttons.children:
            if getattr(button, "answer", None) == answer:
                button.click()
                return
        allowed = [getattr(b, "answer", "") for b in self.buttons.children]
        raise ValueError(f"no {answer!r} button now; the buttons are {allowed}")

    def _answer(self, answer: str, prompt: Prompt) -> None:
        """A button made for *prompt* was pressed: answer that prompt, or nothing at all."""
        if prompt is self.drill.prompt:  # the first click of a double-click disables the row
            for button in self.buttons.children:
                button.disabled = True
        try:
            lines = self.drill.answer(answer, prompt)
        except StaleAnswer:
            self._refuse()
            return
        self._cancel_timer()
        self.notice.value = ""
        self._show(lines)

    def _refuse(self) -> None:
        """Say why a click on an old button changed nothing (the engine refused it)."""
        if self.drill.finished:
            text = f"The drill has finished ({self.drill.outcome}): that click changed nothing."
        else:
            text = (
                "That click was for a question already answered, so it was not applied: "
                "answer the question above."
            )
        self.notice.value = f"<span class='pager-notice'>ℹ️ {html.escape(text)}</span>"

    def _time_out(self, prompt: Prompt) -> None:
        self._timer = None
        if prompt is self.drill.prompt:  # a timer of a page answered since does nothing
            self._show(self.drill.time_out(prompt))

    # -- rendering ---------------------------------------------------------------------
    def _show(self, lines: list[Message]) -> None:
        self._lines += lines
        if self.on_step is not None:
            self._lines += [Message("warn", w) for w in self.on_step()]
        alert = self._lines[0].text if self._lines else ""
        self.banner.value = (
            f"<div style='background:#b00020;color:white;padding:6px;"
            f"font-weight:bold'>{html.escape(alert)}</div>"
        )
        self.transcript.value = "<br>".join(
            f"<span style='color:{_COLOURS.get(m.kind, '#222')}'>{html.escape(m.text)}</span>"
            for m in self._lines[1:]
        )
        self._render_prompt()
        self._render_timeline()

    def _render_prompt(self) -> None:
        prompt = self.drill.prompt
        if prompt is None:
            self.prompt.value = f"<b>Drill finished: {html.escape(self.drill.outcome)}.</b>"
            self.buttons.children = ()
            return
        self.prompt.value = f"<b>{html.escape(prompt.text.rstrip(': '))}</b>"
        buttons = []
        for answer in prompt.answers:
            button = widgets.Button(
                description=_LABELS.get(answer, answer.title()),
                button_style=_STYLES.get(answer, ""),
            )
            button.answer = answer
            button.on_click(lambda _b, a=answer, p=prompt: self._answer(a, p))
            buttons.append(button)
        self.buttons.children = tuple(buttons)
        if prompt.key == "page" and self.timer_seconds:
            self._timer = self._schedule(
                self.timer_seconds, functools.partial(self._time_out, prompt)
            )

    def _render_timeline(self) -> None:
        rows = "".join(
            f"<tr><td>+{e.at:.1f} min</td><td>{html.escape(describe_entry(e))}</td></tr>"
            for e in self.drill.incident.timeline
        )
        self.timeline.value = f"<table class='pager-timeline'>{rows}</table>"
        incident = self.drill.incident
        tta, ttr = incident.time_to_acknowledge, incident.time_to_resolve
        self.times.value = (
            f"Your time to acknowledge: <b>{'—' if tta is None else f'{tta:.1f} min'}</b>; "
            f"time to resolve: <b>{'—' if ttr is None else f'{ttr:.1f} min'}</b>"
        )

    def _cancel_timer(self) -> None:
        if self._timer is not None and hasattr(self._timer, "cancel"):
            self._timer.cancel()
        self._timer = None
