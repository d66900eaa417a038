"""The widgets without a browser: Button.click() runs the same handlers a browser click does."""

from __future__ import annotations

import pytest

from pager_lab.core.clock import ManualClock
from pager_lab.core.drill import Drill
from pager_lab.course.widgets import PagerConsole, WallClock, WhatIfPanel
from pager_lab.sim.scenario_io import load_scenario
from tests.helpers import DATA


def labels(console: PagerConsole) -> list[str]:
    return [b.description for b in console.buttons.children]


def test_scenario_a_through_the_pager_console():
    console = PagerConsole(Drill(clock=ManualClock(), step_minutes=1.0))
    assert "🚨 ALERT: Database Connection Failed" in console.banner.value
    assert labels(console) == ["Ack", "Ignore"]
    assert "Are you Alice? (ack/ignore)" in console.prompt.value
    console.buttons.children[0].click()  # Ack, as a browser would
    assert labels(console) == ["SEV1", "SEV2", "SEV3", "SEV4"]
    console.click("sev2")
    assert labels(console) == ["Yes", "No"]
    console.click("no")
    assert "Found root cause: Database CPU 100%." in console.transcript.value
    console.click("restart")
    assert console.drill.outcome == "resolved" and labels(console) == []
    assert "Service Restarted. Incident Resolved." in console.transcript.value
    assert "Resolved by Alice" in console.timeline.value
    assert "time to resolve: <b>4.0 min</b>" in console.times.value
    assert repr(console) == "PagerConsole('Database Connection Failed', finished)"


def test_scenario_b_through_the_pager_console():
    console = PagerConsole(Drill(clock=ManualClock()))
    console.click("ignore")
    assert "Alice did not answer. Escalating..." in console.transcript.value
    assert "Are you Bob?" in console.prompt.value
    for answer in ("ack", "sev3", "no", "restart"):
        console.click(answer)
    incident = console.drill.incident
    assert incident.acknowledged_by == "Bob" and incident.time_to_acknowledge == 5
    assert "Your time to acknowledge: <b>5.0 min</b>" in console.times.value


def test_a_wrong_button_is_a_clear_error():
    console = PagerConsole(Drill(clock=ManualClock()))
    with pytest.raises(ValueError, match=r"no 'restart' button now; the buttons are \['ack'"):
        console.click("restart")


def test_the_escalation_timer_escalates_when_nobody_clicks():
    scheduled = []

    class Handle:
        cancelled = False

        def cancel(self) -> None:
            self.cancelled = True

    def schedule(seconds, callback):
        handle = Handle()
        scheduled.append((seconds, callback, handle))
        return handle

    console = PagerConsole(Drill(clock=ManualClock()), timer_seconds=20, schedule=schedule)
    seconds, fire, _ = scheduled[0]
    assert seconds == 20
    fire()  # nobody clicked within 20 s
    assert "Are you Bob?" in console.prompt.value
    console.click("ack")  # Bob answers: his timer is cancelled
    assert scheduled[-1][2].cancelled


def test_the_wall_clock_measures_clicks_and_jumps_timeouts():
    ticks = iter([100.0, 160.0, 220.0])
    clock = WallClock(source=lambda: next(ticks))
    assert clock.now() == 1.0
    clock.advance(5)
    assert clock.now() == 7.0
    with pytest.raises(ValueError, match="negative"):
        clock.advance(-1)


def test_the_what_if_panel_runs_and_compares_with_the_baseline():
    panel = WhatIfPanel(load_scenario(DATA / "scenarios" / "baseline.toml"), weeks=3)
    assert bytes(panel.interruptions.value) == b"" and panel.summary.value == ""
    panel.team_size.value = 3
    panel.noise.value = 0.6
    panel.run_button.click()
    assert panel.progress.value == 2
    baseline, what_if = panel.result["baseline"], panel.result["what-if"]
    assert baseline["alerts"] == what_if["alerts"]  # same alert times (noise changes types only)
    assert what_if["pages_per_person_week"] > baseline["pages_per_person_week"]
    assert bytes(panel.interruptions.value).startswith(b"\x89PNG")
    assert bytes(panel.team.value).startswith(b"\x89PNG")
    assert "a teaching heuristic, not a clinical measure" in panel.summary.value
    first = bytes(panel.interruptions.value)
    panel.team_size.value = 8
    panel.run_button.click()
    assert bytes(panel.interruptions.value) != first
    assert panel.changes()["team_size"] == 8
