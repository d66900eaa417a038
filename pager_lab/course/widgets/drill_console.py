"""The drill console: a scenario of the drill library investigated and acted on with buttons.

A driver of :class:`~pager_lab.core.drill_session.DrillSession`, beside the terminal's: it
shows the alert, what the session says (logs, tables, diagnostics), a dashboard of the signals
that advances with the session's simulated time, the runbook once opened, a row of buttons per
kind of choice (page, look, act, communicate, time), and at the end the score card and the
debrief. It decides nothing: every button is one of
``session.choices()`` and a click is one ``session.choose``.

Each button remembers the moment it was drawn for (the session's steps and minute). The first
click of a double-click disables every button, and a click drawn for an earlier moment, or
after the end, is refused with a notice and never played: no step is skipped or played twice.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from pager_lab.analysis.drill_plot import plot_drill_signals
from pager_lab.analysis.style import png_bytes
from pager_lab.classroom.recorder import DrillRecorder
from pager_lab.core.drill import Message
from pager_lab.core.drill_debrief import debrief_drill
from pager_lab.core.drill_score import score_drill
from pager_lab.core.drill_session import Choice, DrillSession
from pager_lab.core.errors import InvalidAnswer
from pager_lab.course.widgets.clock import call_later
from pager_lab.course.widgets.drill_link import ClassroomParts

__all__ = ["PACE_MINUTES", "ROWS", "DrillConsole", "close_tree"]

ROWS = (
    ("page", "Page", ("page",)),
    ("look", "Look", ("runbook", "diagnostic")),
    ("act", "Act", ("action",)),
    ("talk", "Communicate", ("comm",)),
    ("time", "Time", ("time", "end")),
)
"""The button rows: (row, heading, the kinds of :class:`Choice` it holds)."""
_STYLES = {"page": "warning", "runbook": "info", "action": "danger", "end": "success"}
_COLOURS = {
    "alert": "#b00020",
    "outage": "#b00020",
    "page": "#1f4e9e",
    "ok": "#1b7f3b",
    "miss": "#a15c00",
    "warn": "#a15c00",
    "runbook": "#444",
    "act": "#6a1b9a",
    "comm": "#1f4e9e",
    "inject": "#b00020",
}
PACE_MINUTES = 1.0
"""Simulated minutes each tick of the real-time pace lets pass."""
PLOT_DPI = 80
"""The dashboard sits above the buttons: a little smaller than a notebook figure."""


class DrillConsole(ClassroomParts, widgets.VBox):
    """One drill of the library on buttons: look, act, communicate, then the score card."""

    def __init__(
        self,
        session: DrillSession,
        *,
        plot: bool = True,
        pace_seconds: float | None = None,
        schedule: Callable[[float, Callable[[], None]], Any] | None = None,
        recorder: DrillRecorder | None = None,
    ) -> None:
        if pace_seconds is not None and not pace_seconds > 0:
            raise ValueError(
                f"pace_seconds must be a positive number of seconds, not {pace_seconds!r}"
            )
        self.session = session
        self.plot = plot
        """Whether to draw the dashboard (tests of the buttons alone may switch it off)."""
        self.pace_seconds = pace_seconds
        """Real seconds per simulated minute between answers (``None``: time passes only
        with choices). The kernel's event loop runs the timer; *schedule* lets tests drive it."""
        self._schedule = schedule or call_later
        self._timer: Any = None
        self._drawn_at: tuple[int, float] | None = None
        """The moment the buttons shown were drawn for."""
        classroom = self._classroom_parts(recorder)  # the GM button, where it was recorded
        self.banner = widgets.HTML()
        self.status = widgets.HTML()
        # Rows wrap, so every button keeps its whole label ("Declare SEV1", not "Declare S...").
        self.rows = {key: widgets.HBox(layout={"flex_flow": "row wrap"}) for key, _, _ in ROWS}
        self.headings = {key: widgets.HTML(f"<b>{title}</b>") for key, title, _ in ROWS}
        self.notice = widgets.HTML()
        """Why the last click changed nothing (a double-click, a click after the end)."""
        self.result = widgets.HTML()
        """What the last choice showed: a log excerpt, a table, a dashboard's numbers."""
        self.dashboard = widgets.Image(format="png")
        self.runbook = widgets.HTML()
        self.transcript = widgets.HTML()
        self.scorecard = widgets.HTML()
        self._lines: list[Message] = []
        buttons = [
            widgets.HBox([self.headings[key], self.rows[key]], layout={"flex_flow": "row wrap"})
            for key, _, _ in ROWS
        ]
        self.dashboard.layout.max_width = "900px"
        left = widgets.VBox([*buttons, self.notice, self.result, self.runbook])
        left.layout.width = "60%"
        right = widgets.VBox([self.transcript], layout={"width": "40%"})
        columns = widgets.HBox([left, right])
        parts = [self.banner, self.status, self.dashboard, columns, self.scorecard, *classroom]
        super().__init__(parts)
        self.add_class("drill-console")
        restored = [
            Message("info", f"↩️ restored: +{step.at:.0f} min {step.choice} ({step.verdict})")
            for step in session.path
        ]  # a session saved elsewhere (to_dict/from_dict) shows the steps it already played
        self._show([*session.opening, *restored])
        self._start_timer()

    def close(self) -> None:
        """Close the console and every widget in it (their models leave the kernel too)."""
        for name in ("_timer", "_poll"):  # None too when __init__ refused its arguments
            timer = getattr(self, name, None)
            if timer is not None and hasattr(timer, "cancel"):
                timer.cancel()
            setattr(self, name, None)
        self._stop_link()
        self.pace_seconds = None
        for child in self.children:
            close_tree(child)
        super().close()

    def __repr__(self) -> str:
        s = self.session
        state = s.outcome if s.finished else f"+{s.now:g} min"
        return f"DrillConsole({s.scenario.name!r}, seed={s.seed}, {state})"

    # -- clicks ------------------------------------------------------------------------
    def click(self, choice: str) -> None:
        """Press the button of *choice* (a :class:`Choice` id), as a browser click does."""
        for button in self.buttons():
            if button.choice == choice:
                button.click()
                return
        shown = [b.choice for b in self.buttons()]
        raise ValueError(f"no {choice!r} button now; the buttons are {shown}")

    def buttons(self) -> list[Any]:
        """Every choice button shown now, row by row."""
        return [b for key, _, _ in ROWS for b in self.rows[key].children]

    def moment(self) -> tuple[int, float]:
        """Where the session is: the prompt waiting (the engine's number) and its minute —
        what a button is drawn for; a button drawn before a tick of the pace is stale too,
        so the student sees the new signals before acting.

        Read from the session, so a click on another console of the same session (or a
        game master's move) makes this console's buttons stale too."""
        return self.session.prompt_number, self.session.now

    def _press(self, choice: str, moment: tuple[int, float]) -> None:
        """A button drawn at *moment* was pressed: play it, or nothing at all."""
        if moment != self.moment() or self.session.finished:
            self._refuse()
            return
        for button in self.buttons():  # the first click of a double-click disables the rest
            button.disabled = True
        with self._lock:  # a game master's server on this session waits for the move
            if moment != self.moment():  # the GM's pace or injection moved first
                self._refuse()
                return
            try:
                lines = self.session.choose(choice, moment[0])
            except InvalidAnswer:  # the engine refused it (StaleAnswer: another prompt, the end)
                self._refuse()
                return
            self.notice.value = ""
            self._show(lines)

    def _start_timer(self) -> None:
        if self.pace_seconds and self._timer is None and not self.session.finished:
            self._timer = self._schedule(self.pace_seconds, self._tick)

    def _tick(self) -> None:
        """The real-time pace: one simulated minute passes between answers."""
        self._timer = None
        if self.pace_seconds is None or self.session.finished:
            return
        with self._lock:
            if not self.session.finished:
                self._show(self.session.tick(PACE_MINUTES), result=False)
        self._start_timer()

    def _refuse(self) -> None:
        if self.session.finished:
            text = f"The drill has finished ({self.session.outcome}): that click changed nothing."
        else:
            text = "That click was for an earlier moment of the drill, so it was not played."
            if self._drawn_at != self.moment():  # moved on elsewhere: draw this moment's buttons
                self._render_buttons()
        self.notice.value = f"<span class='drill-notice'>ℹ️ {html.escape(text)}</span>"

    # -- rendering ---------------------------------------------------------------------
    def _show(self, lines: list[Message], *, result: bool = True) -> None:
        self._lines += lines
        s = self.session
        alert = s.opening[0].text if s.opening else s.incident.summary
        self.banner.value = (
            "<div style='background:#b00020;color:white;padding:6px;font-weight:bold'>"
            f"{html.escape(alert)} — {html.escape(s.scenario.service)}</div>"
        )
        self.status.value = _status_html(s)
        if result:  # a tick of the pace keeps the last choice's result in view
            self.result.value = _result_html(s, lines)
        self.transcript.value = _transcript_html(self._lines)
        if s.runbook_opened and s.scenario.runbook is not None:
            rb = s.scenario.runbook
            body = "<br>".join(html.escape(line) for line in rb.lines())
            self.runbook.value = (
                f"<details open class='drill-runbook'><summary><b>📖 {html.escape(rb.title)}"
                f"</b></summary><div style='font-size:90%'>{body}</div></details>"
            )
        if self.plot:
            now = [(s.now, s.signals())]  # a choice may change the signals within its minute
            figure = plot_drill_signals([*s.history(), *now], s.scenario.signals, s.now)
            self.dashboard.value = png_bytes(figure, dpi=PLOT_DPI)
        self._render_buttons()
        if s.finished:
            self.scorecard.value = scorecard_html(s)
            self._record()

    def _render_buttons(self) -> None:
        choices, moment = self.session.choices(), self.moment()
        self._drawn_at = moment
        for key, _, kinds in ROWS:
            row = [self._button(c, moment) for c in choices if c.kind in kinds]
            old, self.rows[key].children = self.rows[key].children, tuple(row)
            for button in old:  # a redrawn row's buttons are gone for good: free their models
                close_tree(button)
            self.headings[key].layout.display = None if row else "none"

    def _button(self, choice: Choice, moment: tuple[int, float]) -> widgets.Button:
        cost = f"{choice.cost:g} min"
        button = widgets.Button(
            description=choice.label if cost in choice.label else f"{choice.label} ({cost})",
            button_style=_STYLES.get(choice.kind, ""),
            tooltip=f"{choice.label}: takes {choice.cost:g} simulated minutes",
            layout=widgets.Layout(width="auto"),
        )
        button.choice = choice.id
        button.on_click(_pressed(self._press, choice.id, moment))
        return button


def close_tree(widget: Any) -> None:
    """Close *widget*, its children, and their layout and style models."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    for part in (getattr(widget, "layout", None), getattr(widget, "style", None)):
        if isinstance(part, widgets.Widget):
            part.close()
    widget.close()


def _pressed(
    press: Callable[[str, tuple[int, float]], None], choice: str, moment: tuple[int, float]
) -> Callable[[Any], None]:
    return lambda _button: press(choice, moment)


def _status_html(s: DrillSession) -> str:
    values = s.signals()
    cells = []
    for signal in s.scenario.signals:
        value = values[signal.name]
        bad = signal.alarm is not None and value > signal.alarm
        colour = "#b00020" if bad else "#1b7f3b"
        cells.append(
            f"<span style='color:{colour}'>{html.escape(signal.label)} "
            f"<b>{value:.4g}{html.escape(signal.unit)}</b></span>"
        )
    when = "finished: " + s.outcome if s.finished else "playing"
    return (
        f"<div class='drill-status'>⏱ <b>+{s.now:.0f} min</b> ({when}) · "
        + " · ".join(cells)
        + "</div>"
    )


def _result_html(s: DrillSession, lines: list[Message]) -> str:
    last = s.last
    parts = [_message_html(m) for m in lines if m.kind not in ("table", "runbook")]
    if last is not None and last.columns and any(m.kind == "table" for m in lines):
        head = "".join(f"<th>{html.escape(c)}</th>" for c in last.columns)
        body = (
            "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                for row in last.rows
            )
            or f"<tr><td colspan={len(last.columns)}>(no rows)</td></tr>"
        )
        parts.append(f"<table class='drill-table'><tr>{head}</tr>{body}</table>")
    return "<div class='drill-result'>" + "<br>".join(parts) + "</div>"


def _message_html(m: Message) -> str:
    style = f"color:{_COLOURS.get(m.kind, '#222')}"
    if m.kind in ("diag", "series"):
        style += ";font-family:monospace;white-space:pre-wrap"
    return f"<span style='{style}'>{html.escape(m.text)}</span>"


def _transcript_html(lines: list[Message]) -> str:
    rows = "<br>".join(_message_html(m) for m in lines if m.kind != "runbook")
    return (
        "<div class='drill-transcript' style='max-height:420px;overflow-y:auto;font-size:85%;"
        f"border:1px solid #ddd;padding:4px'>{rows}</div>"
    )


def scorecard_html(s: DrillSession) -> str:
    """The score card and the debrief of a finished session, as HTML."""
    score, debrief = score_drill(s), debrief_drill(s)
    head, items = score.lines()[:3], score.items
    rows = "".join(
        f"<tr><td>{html.escape(i.name)}</td><td>{i.points:.1f} / {i.max_points:g}</td>"
        f"<td>{html.escape(i.why)}</td></tr>"
        for i in items
    )
    debrief_text = html.escape("\n".join(debrief.lines()))
    return (
        "<div class='drill-scorecard' style='border:2px solid #1f4e9e;padding:6px'>"
        + "<br>".join(f"<b>{html.escape(line)}</b>" for line in head)
        + f"<table class='drill-score'>{rows}</table>"
        + "<pre class='drill-debrief' style='white-space:pre-wrap;font-family:monospace'>"
        + f"{debrief_text}</pre></div>"
    )
