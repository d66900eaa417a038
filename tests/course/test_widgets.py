"""The widgets without a browser: Button.click() runs the same handlers a browser click does."""

from __future__ import annotations

import math

import pytest

from pager_lab.core.clock import ManualClock
from pager_lab.core.drill import Drill
from pager_lab.course.widgets import PagerConsole, WallClock, WhatIfPanel
from pager_lab.course.widgets.what_if import SHOWN
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


# Each prompt of a drill and how to reach it from the first page.
PROMPTS = {
    "Alice's page": [],
    "Bob's page": ["ignore"],
    "Charlie's page": ["ignore", "ignore"],
    "severity": ["ack"],
    "help": ["ack", "sev2"],
    "action": ["ack", "sev2", "no"],
}
EVERY_BUTTON = [
    (prompt, answer)
    for prompt, path, answers in [
        (name, path, ("ack", "ignore")) for name, path in list(PROMPTS.items())[:3]
    ]
    + [
        ("severity", PROMPTS["severity"], ("sev1", "sev2", "sev3", "sev4")),
        ("help", PROMPTS["help"], ("yes", "no")),
        ("action", PROMPTS["action"], ("restart", "ignore")),
    ]
    for answer in answers
]


def console_at(prompt: str) -> PagerConsole:
    console = PagerConsole(Drill(clock=ManualClock(), step_minutes=1.0))
    for answer in PROMPTS[prompt]:
        console.click(answer)
    return console


def seen(console: PagerConsole) -> tuple:
    """Everything a student sees and the drill's state, to compare two consoles."""
    drill = console.drill
    return (
        console.transcript.value,
        console.prompt.value,
        labels(console),
        console.timeline.value,
        drill.prompt.number if drill.prompt else None,
        list(drill.incident.timeline),
    )


@pytest.mark.parametrize(("prompt", "answer"), EVERY_BUTTON)
def test_a_double_click_on_any_button_counts_once(prompt, answer):
    once, twice = console_at(prompt), console_at(prompt)
    button_of = {b.answer: b for b in twice.buttons.children}
    row = list(twice.buttons.children)
    {b.answer: b for b in once.buttons.children}[answer].click()
    button_of[answer].click()
    assert all(b.disabled for b in row), "the first click disables the row it was offered in"
    button_of[answer].click()  # the second click of the double-click, on the same button
    assert seen(twice) == seen(once)
    assert "changed nothing" in twice.notice.value or "not applied" in twice.notice.value
    assert not any(b.disabled for b in twice.buttons.children), "the next row is live"


def test_a_double_click_on_alices_ignore_leaves_bob_paged_at_level_2():
    console = PagerConsole(Drill(clock=ManualClock()))
    ignore = console.buttons.children[1]
    ignore.click()
    ignore.click()
    drill = console.drill
    assert drill.paged == "Bob" and drill.incident.highest_level == 2
    paged = [e.detail["responder"] for e in drill.incident.timeline if e.kind.value == "paged"]
    assert paged == ["Alice", "Bob"]  # Charlie is not paged
    assert "Are you Bob?" in console.prompt.value
    assert "Charlie" not in console.transcript.value
    assert "question already answered" in console.notice.value


def test_clicks_after_the_end_change_nothing_and_say_so():
    console = console_at("action")
    last_row = list(console.buttons.children)
    console.click("restart")
    before = seen(console)
    for button in last_row:  # Restart again, and the Ignore next to it
        button.click()
        assert seen(console) == before
        assert "The drill has finished (resolved): that click changed nothing." in (
            console.notice.value
        )
    with pytest.raises(ValueError, match=r"no 'restart' button now; the buttons are \[\]"):
        console.click("restart")


def test_a_valid_click_clears_the_notice():
    console = PagerConsole(Drill(clock=ManualClock()))
    ignore = console.buttons.children[1]
    ignore.click()
    ignore.click()
    assert console.notice.value
    console.click("ack")
    assert console.notice.value == ""


def test_running_the_cell_twice_gives_an_independent_console():
    first = PagerConsole(Drill(clock=ManualClock()))
    old_ignore = first.buttons.children[1]
    second = PagerConsole(Drill(clock=ManualClock()))  # the cell run again
    second.click("ack")
    old_ignore.click()  # a click in the old output drives only the old drill
    assert first.drill.paged == "Bob"
    assert second.drill.incident.acknowledged_by == "Alice" and second.drill.paged is None


def test_two_consoles_on_one_drill_cannot_answer_the_same_question_twice():
    drill = Drill(clock=ManualClock())
    first, second = PagerConsole(drill), PagerConsole(drill)  # PagerConsole(drill) run twice
    stale_ignore = second.buttons.children[1]
    first.click("ignore")
    stale_ignore.click()
    assert drill.paged == "Bob" and drill.incident.highest_level == 2
    assert "not applied" in second.notice.value


def test_a_timer_firing_after_the_answer_does_nothing():
    fired = []
    console = PagerConsole(
        Drill(clock=ManualClock()),
        timer_seconds=20,
        schedule=lambda _s, callback: fired.append(callback),
    )
    console.click("ack")  # Alice answers; her timer's callback still runs (a race)
    before = seen(console)
    fired[0]()
    assert seen(console) == before and console.drill.incident.acknowledged_by == "Alice"


def test_the_wall_clock_measures_clicks_and_jumps_timeouts():
    ticks = iter([100.0, 160.0, 220.0])
    clock = WallClock(source=lambda: next(ticks))
    assert clock.now() == 1.0
    clock.advance(5)
    assert clock.now() == 7.0
    with pytest.raises(ValueError, match="negative"):
        clock.advance(-1)


def baseline_panel(**options) -> WhatIfPanel:
    return WhatIfPanel(load_scenario(DATA / "scenarios" / "baseline.toml"), **options)


def test_the_what_if_panel_runs_and_compares_with_the_baseline():
    panel = baseline_panel(weeks=3, replications=3)
    assert bytes(panel.interruptions.value) == b"" and panel.summary.value == ""
    panel.team_size.value = 3
    panel.noise.value = 0.6
    panel.run_button.click()
    assert panel.progress.value == panel.progress.max == 2 * 3 + 1
    baseline, what_if = panel.result["baseline"], panel.result["what-if"]
    assert baseline["alerts"] == what_if["alerts"]  # same alert times (noise changes types only)
    assert what_if["pages_per_person_week"] > baseline["pages_per_person_week"]
    assert bytes(panel.interruptions.value).startswith(b"\x89PNG")
    assert bytes(panel.team.value).startswith(b"\x89PNG")
    assert "a teaching heuristic, not a clinical measure" in panel.summary.value
    assert "Means of 3 replications each on common random numbers" in panel.summary.value
    first = bytes(panel.interruptions.value)
    panel.team_size.value = 8
    panel.run_button.click()
    assert bytes(panel.interruptions.value) != first
    assert panel.changes()["team_size"] == 8


def test_the_what_if_shows_the_difference_with_its_interval():
    panel = baseline_panel(weeks=3, replications=4)
    panel.team_size.value = 3
    panel.run()
    r, table = panel.result, panel.comparison
    assert table is not None and table.attrs["replications"] == 4
    key = "pages_per_person_week"
    assert r["difference"][key] == pytest.approx(r["what-if"][key] - r["baseline"][key])
    assert r["difference_low"][key] < r["difference"][key] < r["difference_high"][key]
    assert r["difference_low"][key] > 0  # three people take clearly more pages each
    low, high = r["difference_low"][key], r["difference_high"][key]
    assert f"[{low:+.2f}, {high:+.2f}]</td><td>a clear difference" in panel.summary.value


def test_the_panels_verdicts_are_compares_own_decisions():
    """The panel never decides 'clear' itself: it shows compare()'s gatekept verdict."""
    panel = baseline_panel(weeks=3, replications=4)
    panel.team_size.value = 3
    panel.primary.value = "people_left"  # nobody leaves without attrition: never clear
    panel.run()
    table = panel.comparison
    assert table is not None
    assert table.loc[table["primary"], "metric"].tolist() == ["people_left"]
    assert not table["clear"].any()  # the primary is not clear, so nothing is
    rows = panel.summary.value.split("<tr>")[2:]
    assert len(rows) == len(SHOWN)
    assert not any("a clear difference" in row for row in rows)
    tested = [row for row in rows if "not tested (primary not clear)" in row]
    assert len(tested) == len(SHOWN) - 1
    for (key, _label), row in zip(SHOWN, rows, strict=True):
        assert ("a clear difference" in row) == bool(panel.result["clear"][key])


def widths(panel: WhatIfPanel) -> dict[str, float]:
    r = panel.result
    return {k: r["difference_high"][k] - r["difference_low"][k] for k in r["difference"]}


def test_more_replications_give_narrower_intervals_of_the_difference():
    panel = baseline_panel(weeks=3, replications=4)
    panel.team_size.value = 3
    panel.run()
    few = widths(panel)
    panel.replications.value = 16
    panel.run()
    many = widths(panel)
    assert panel.progress.max == 2 * 16 + 1
    for key in ("pages_per_person_week", "sleep_pages_per_person_week", "mttr_median"):
        assert 0 < many[key] < few[key], key


def test_identical_settings_give_a_zero_difference():
    panel = baseline_panel(weeks=3, replications=3)
    assert panel.changes() == {"weeks": 3.0}  # the controls start at the baseline's values
    panel.run()
    r = panel.result
    assert r["baseline"]["incidents"] > 0
    for key in r["difference"]:
        assert r["difference"][key] == r["difference_low"][key] == r["difference_high"][key]
        assert r["difference"][key] == 0 or math.isnan(r["difference"][key]), key
    assert "a clear difference" not in panel.summary.value


def test_a_control_moved_back_changes_nothing():
    panel = baseline_panel()
    panel.noise.value = 0.8
    panel.fatigue.value = True
    changed = panel.changes()
    assert changed["sources[0].noise_share"] == 0.8 and changed["fatigue.enabled"] is True
    panel.noise.value = panel.baseline.sources[0].noise_share
    panel.fatigue.value = False
    assert panel.changes() == {"weeks": 8.0}


def test_clicks_while_running_are_ignored():
    panel = baseline_panel(weeks=2, replications=3)
    panel.team_size.value = 4
    seen_progress: list[int] = []
    disabled_while_running: list[bool] = []

    def click_again(change) -> None:  # a second click arriving in the middle of the run
        seen_progress.append(change["new"])
        disabled_while_running.append(panel.run_button.disabled)
        if change["new"] == 2:
            panel.team_size.value = 5  # and a slider moved while it runs
            panel.run_button.click()

    panel.progress.observe(click_again, names="value")
    panel.run_button.click()
    assert [v for v in seen_progress if v] == list(range(1, 2 * 3 + 2)), "one run, in order"
    assert all(disabled_while_running) and not panel.run_button.disabled
    assert "1 click(s) on Run during the run were ignored" in panel.status.value
    assert "The controls moved during the run: press Run" in panel.status.value
    assert panel.comparison is not None and panel.changes()["team_size"] == 5
    assert panel.result["what-if"]["pages_per_person_week"] > 0


def test_run_again_with_the_same_settings_reruns_nothing():
    panel = baseline_panel(weeks=2, replications=2)
    panel.team_size.value = 4
    panel.run_button.click()
    shown = panel.comparison
    panel.run_button.click()  # a double-click's second click, queued until the first ended
    assert panel.comparison is shown
    assert "Same settings as the result shown" in panel.status.value
    panel.replications.value = 3
    panel.run_button.click()
    assert panel.comparison is not shown and panel.comparison.attrs["replications"] == 3
    assert panel.status.value.endswith("Done: 3 replications each, on the same seeds.</small>")
