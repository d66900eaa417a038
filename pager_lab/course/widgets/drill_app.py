"""The drill app: pick a scenario of the library and a seed, press Start, play the console.

It is the whole page of ``make play`` (Voilà runs ``pager_lab/course/play.ipynb``, which shows
only this widget), so a student plays without seeing Python. Each Start makes a fresh
:class:`~pager_lab.core.drill_session.DrillSession` and a new console; the previous one is
dropped, so a double-click on Start gives one fresh drill, never two drills mixed.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path

import ipywidgets as widgets

from pager_lab.classroom.recorder import DrillRecorder
from pager_lab.core.drill_scenario import DrillScenario, load_drill_library
from pager_lab.core.drill_session import DrillSession
from pager_lab.core.errors import PagerLabError
from pager_lab.course.catalog import DATA_DIR
from pager_lab.course.widgets.drill_console import DrillConsole

__all__ = ["DrillApp"]

MAX_SEED = 2**31 - 1
PACE_SECONDS = 10.0
"""Real seconds per simulated minute when the pace is on (a teaching choice: a 60-minute
drill then lasts at most ten real minutes of thinking)."""


class DrillApp(widgets.VBox):
    """Scenario picker, seed, an optional real-time pace and Start above a :class:`DrillConsole`."""

    def __init__(
        self,
        library: Mapping[str, DrillScenario] | None = None,
        *,
        scenario: str | None = None,
        seed: int = 1,
        handle: str = "",
        store: str | Path | None = None,
    ) -> None:
        if library is None:
            library = load_drill_library(Path(DATA_DIR) / "drills")
        self.library = dict(library)
        if not self.library:
            raise ValueError("the drill app needs at least one scenario; the library is empty")
        first = scenario or next(iter(self.library))
        if first not in self.library:
            raise ValueError(
                f"no scenario {first!r} in the drill library; the scenarios are "
                f"{', '.join(self.library)}"
            )
        self.picker = widgets.Dropdown(
            options=[(_label(sc), name) for name, sc in self.library.items()],
            value=first,
            description="Scenario",
            layout=widgets.Layout(width="520px"),
        )
        self.seed = widgets.BoundedIntText(
            value=seed,
            min=0,
            max=MAX_SEED,
            description="Seed",
            layout=widgets.Layout(width="180px"),
        )
        self.pace = widgets.Checkbox(
            value=False,
            description=f"Real time: 1 simulated minute every {PACE_SECONDS:g} s",
            indent=False,
            layout=widgets.Layout(width="330px"),
        )
        """Let simulated time pass between answers, as on a real call."""
        self.handle = widgets.Text(
            value=handle,
            description="Handle",
            placeholder="e.g. student-07 (to record)",
            layout=widgets.Layout(width="260px"),
        )
        """The student's handle: with one, the finished drill is recorded in the class store."""
        self.store = store
        """The class results store (a file or a URL); ``None``: ``$PAGER_LAB_CLASS_STORE``,
        else ``.pager-lab-class.db`` in the working folder."""
        self.start = widgets.Button(description="Start", button_style="primary")
        self.start.add_class("drill-start")
        self.about = widgets.HTML()
        self.console: DrillConsole | None = None
        """The drill being played, once Start was pressed."""
        self.stage = widgets.VBox()
        self.start.on_click(lambda _b: self.play())
        self.picker.observe(lambda _c: self._describe(), names="value")
        self._describe()
        super().__init__(
            [
                widgets.HBox([self.picker, self.seed, self.handle, self.pace, self.start]),
                self.about,
                self.stage,
            ]
        )
        self.add_class("drill-app")

    def __repr__(self) -> str:
        playing = repr(self.console) if self.console else "not started"
        return f"DrillApp({len(self.library)} scenarios, {playing})"

    def play(self) -> DrillConsole | None:
        """Start the picked scenario with the seed shown: a fresh console replaces the last.
        A handle that is no handle is one line above the picker, and nothing starts."""
        try:
            recorder = self._recorder()
        except PagerLabError as exc:
            self.about.value = (
                f"<span class='drill-error' style='color:#b00020'>{html.escape(str(exc))}</span>"
            )
            return None
        self._describe()
        session = DrillSession(self.library[self.picker.value], int(self.seed.value))
        if self.console is not None:
            self.console.close()  # the last drill's widgets leave the page and the kernel
        pace = PACE_SECONDS if self.pace.value else None
        self.console = DrillConsole(session, pace_seconds=pace, recorder=recorder)
        self.stage.children = (self.console,)
        return self.console

    def _recorder(self) -> DrillRecorder | None:
        handle = self.handle.value.strip()
        return DrillRecorder(handle, self.store, field="Handle") if handle else None

    def _describe(self) -> None:
        sc = self.library[self.picker.value]
        self.about.value = (
            f"<i>{html.escape(sc.difficulty)}</i> · {html.escape(sc.service)} · "
            "Another seed changes the host, the red herring and the timings; "
            "the same seed replays the same incident."
        )


def _label(sc: DrillScenario) -> str:
    return f"{sc.title} ({sc.difficulty})"
