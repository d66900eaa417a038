"""The drill console and the drill app without a browser: Button.click() runs the handler."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pager_lab.core.drill_scenario import load_drill_library
from pager_lab.core.drill_score import score_drill
from pager_lab.core.drill_session import DrillSession
from pager_lab.course.widgets import DrillApp, DrillConsole
from tests.helpers import DATA

LIBRARY = load_drill_library(DATA / "drills")
SCENARIO = LIBRARY["db-runaway-query"]
BEST = SCENARIO.best_paths[0].steps
PNG = b"\x89PNG\r\n\x1a\n"


def console(seed: int = 3, *, plot: bool = False) -> DrillConsole:
    return DrillConsole(DrillSession(SCENARIO, seed), plot=plot)


def button(c: DrillConsole, choice: str):
    return next(b for b in c.buttons() if b.choice == choice)


def test_the_page_comes_first_then_every_kind_of_choice_on_its_row():
    c = console()
    assert "🚨 ALERT: Database Connection Failed" in c.banner.value
    assert [b.choice for b in c.buttons()] == ["ack", "ignore"]
    c.click("ack")
    rows = {key: [b.choice for b in row.children] for key, row in c.rows.items()}
    assert rows["page"] == [] and c.headings["page"].layout.display == "none"
    assert rows["look"][0] == "runbook" and "pg-activity" in rows["look"]
    assert "terminate-query" in rows["act"] and "restart-db" in rows["act"]
    assert rows["talk"][:4] == [f"declare-sev{n}" for n in range(1, 5)]
    assert rows["time"] == ["wait", "resolve"]
    assert [b.choice for b in c.buttons()] == [ch.id for ch in c.session.choices()]
    assert button(c, "pg-activity").description.endswith("(2 min)")
    assert button(c, "wait").description == "Wait and watch the signals (5 min)"


def test_the_best_path_through_the_console_ends_with_full_marks_on_the_score_card():
    c = console()
    for choice in BEST:
        c.click(choice)
    assert c.session.outcome == "resolved" and c.buttons() == []
    card = c.scorecard.value
    assert "Score: 100/100 (resolved)" in card
    assert "Best path: " + " → ".join(BEST) in card
    assert card.count("<tr>") == len(score_drill(c.session).items)
    assert repr(c) == "DrillConsole('db-runaway-query', seed=3, resolved)"


def test_the_runbook_and_a_table_diagnostic_are_shown_as_such():
    c = console()
    for choice in ("ack", "runbook", "pg-activity"):
        c.click(choice)
    assert "📖" in c.runbook.value and SCENARIO.runbook is not None
    assert html_escape(SCENARIO.runbook.title) in c.runbook.value
    last = c.session.last
    assert last is not None and last.columns
    assert "<table class='drill-table'>" in c.result.value
    assert c.result.value.count("<tr>") == 1 + len(last.rows)
    for column in last.columns:
        assert f"<th>{html_escape(column)}</th>" in c.result.value


def html_escape(text: str) -> str:
    import html

    return html.escape(text)


def test_restarting_without_terminating_the_query_brings_it_back_and_scores_lower():
    best, poor = console(), console()
    for choice in BEST:
        best.click(choice)
    poor.click("ack")
    poor.click("restart-db")
    while not poor.session.finished:
        poor.click("wait")
    assert "it is back" in poor.transcript.value
    assert poor.session.outcome != "resolved"
    assert score_drill(poor.session).total < score_drill(best.session).total
    assert "Score: " in poor.scorecard.value and "Your path:" in poor.scorecard.value


def test_a_double_click_plays_the_choice_once():
    c = console()
    c.click("ack")
    pressed = button(c, "dashboard")
    before = c.session.now
    pressed.click()
    pressed.click()  # the second click of a double-click reaches the old button
    assert [s.choice for s in c.session.path] == ["ack", "dashboard"]
    assert c.session.now == before + 1
    assert "not played" in c.notice.value
    c.click("logs")  # a valid click clears the notice
    assert c.notice.value == ""


def test_every_old_button_is_stale_after_a_choice():
    c = console()
    c.click("ack")
    old = list(c.buttons())
    c.click("dashboard")
    for b in old:
        b.click()
    assert [s.choice for s in c.session.path] == ["ack", "dashboard"]
    assert all(not b.disabled for b in c.buttons())  # the current buttons still work


def test_clicks_after_the_end_change_nothing_and_say_so():
    c = console()
    for choice in BEST[:-1]:
        c.click(choice)
    resolve = button(c, "resolve")
    resolve.click()
    saved = c.session.to_dict()
    resolve.click()
    assert c.session.to_dict() == saved
    assert "The drill has finished (resolved): that click changed nothing." in c.notice.value


def test_running_the_cell_twice_gives_independent_drills():
    first, second = console(), console()
    first.click("ack")
    assert [b.choice for b in second.buttons()] == ["ack", "ignore"]
    assert second.session.path == []


def test_two_consoles_of_one_session_never_play_one_moment_twice():
    session = DrillSession(SCENARIO, 3)
    a, b = DrillConsole(session, plot=False), DrillConsole(session, plot=False)
    a.click("ack")
    button(b, "ack").click()  # drawn before Alice's ack: stale
    assert [s.choice for s in session.path] == ["ack"]
    assert "not played" in b.notice.value
    b.click("dashboard")  # its buttons were redrawn for the moment the drill is at
    assert [s.choice for s in session.path] == ["ack", "dashboard"]


def test_a_missing_button_is_a_clear_error():
    with pytest.raises(ValueError, match=r"no 'resolve' button now; the buttons are \['ack'"):
        console().click("resolve")


def test_the_dashboard_is_a_png_redrawn_as_time_passes():
    c = console(plot=True)
    first = bytes(c.dashboard.value)
    assert first.startswith(PNG)
    c.click("ack")
    c.click("wait")
    now = bytes(c.dashboard.value)
    assert now.startswith(PNG) and now != first
    assert "+6 min" in c.status.value


def test_the_status_line_colours_signals_above_their_alarm():
    c = console()
    c.click("ack")
    c.click("wait")
    values = c.session.signals()
    for signal in SCENARIO.signals:
        assert signal.label in c.status.value
    alarmed = [s for s in SCENARIO.signals if s.alarm is not None and values[s.name] > s.alarm]
    assert alarmed, "a runaway query pushes at least one signal over its alarm"
    assert c.status.value.count("#b00020") == len(alarmed)


def test_the_app_lists_the_library_and_start_makes_a_fresh_drill_each_time():
    app = DrillApp(LIBRARY, scenario="db-runaway-query", seed=7)
    assert [v for _, v in app.picker.options] == list(LIBRARY)
    assert repr(app) == f"DrillApp({len(LIBRARY)} scenarios, not started)"
    app.start.click()
    first = app.console
    assert first is not None and app.stage.children == (first,)
    first.click("ack")
    app.start.click()  # Start again (or a double-click on Start): a fresh drill replaces it
    assert app.console is not first and app.console.session.path == []
    assert app.console.session.seed == 7


def test_the_seed_picks_the_incident_and_the_same_seed_replays_it():
    app = DrillApp(LIBRARY)
    picks = {}
    for seed in (1, 1, 2, 3, 4):
        app.seed.value = seed
        picks.setdefault(seed, []).append(app.play().session.variables)
    assert picks[1][0] == picks[1][1]
    assert len({tuple(sorted(p[0].items())) for p in picks.values()}) > 1


def test_the_app_names_an_unknown_scenario_and_refuses_an_empty_library():
    with pytest.raises(ValueError, match=r"no scenario 'disk-ful' in the drill library"):
        DrillApp(LIBRARY, scenario="disk-ful")
    with pytest.raises(ValueError, match="the library is empty"):
        DrillApp({})


class FakeLoop:
    """Stands in for the kernel's event loop: timers fire when the test says."""

    def __init__(self) -> None:
        self.timers: list[tuple[float, object, FakeLoop.Handle]] = []

    class Handle:
        cancelled = False

        def cancel(self) -> None:
            self.cancelled = True

    def schedule(self, seconds, callback):
        handle = FakeLoop.Handle()
        self.timers.append((seconds, callback, handle))
        return handle

    def fire(self) -> None:
        _, callback, handle = self.timers[-1]
        assert not handle.cancelled
        callback()


def test_the_real_time_pace_lets_a_minute_pass_between_answers():
    loop = FakeLoop()
    c = DrillConsole(DrillSession(SCENARIO, 3), plot=False, pace_seconds=10, schedule=loop.schedule)
    assert [s for s, _, _ in loop.timers] == [10]
    loop.fire()  # nobody answered for 10 real seconds: a simulated minute passed
    assert c.session.now == 1 and "+1 min" in c.status.value
    assert len(loop.timers) == 2  # and the next minute is on its way
    c.click("ack")
    assert c.session.now == 2 and [s.choice for s in c.session.path] == ["ack"]
    c.click("dashboard")
    result = c.result.value
    loop.fire()
    assert c.session.now == 4 and c.result.value == result  # a tick keeps the last result


def test_a_click_drawn_before_a_tick_is_refused_and_the_buttons_redrawn():
    loop = FakeLoop()
    c = DrillConsole(DrillSession(SCENARIO, 3), plot=False, pace_seconds=5, schedule=loop.schedule)
    old = button(c, "ack")
    loop.fire()
    old.click()
    assert c.session.path == [] and "not played" in c.notice.value
    c.click("ack")
    assert [s.choice for s in c.session.path] == ["ack"]


def test_the_pace_stops_at_the_end_and_when_the_console_is_closed():
    loop = FakeLoop()
    c = DrillConsole(DrillSession(SCENARIO, 3), plot=False, pace_seconds=5, schedule=loop.schedule)
    for choice in BEST:
        c.click(choice)
    loop.fire()  # the timer set before the end fires once more: nothing happens
    assert c.session.outcome == "resolved" and len(loop.timers) == 1
    other = DrillConsole(
        DrillSession(SCENARIO, 3), plot=False, pace_seconds=5, schedule=loop.schedule
    )
    other.close()
    assert loop.timers[-1][2].cancelled


def test_a_pace_that_is_not_positive_is_named():
    with pytest.raises(
        ValueError, match=r"pace_seconds must be a positive number of seconds, not 0"
    ):
        DrillConsole(DrillSession(SCENARIO, 3), pace_seconds=0)


def test_the_app_starts_a_paced_drill_when_asked():
    app = DrillApp(LIBRARY, scenario="db-runaway-query")
    app.pace.value = True
    console = app.play()
    assert console.pace_seconds == 10.0
    app.pace.value = False
    second = app.play()
    assert second.pace_seconds is None and console.pace_seconds is None  # the old one stopped


def test_the_play_notebook_shows_only_the_app_and_runs_without_error():
    import nbformat
    from nbclient import NotebookClient

    from tests.helpers import ROOT

    notebook = nbformat.read(ROOT / "pager_lab" / "course" / "play.ipynb", as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert len(code) == 1 and code[0].source.rstrip().endswith("DrillApp()")
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    (output,) = code[0].outputs
    assert output["output_type"] == "execute_result"
    assert output["data"]["text/plain"] == f"DrillApp({len(LIBRARY)} scenarios, not started)"
    assert "application/vnd.jupyter.widget-view+json" in output["data"]


@settings(max_examples=25, deadline=None)
@given(
    scenario=st.sampled_from(sorted(LIBRARY)),
    seed=st.integers(0, 50),
    clicks=st.lists(st.tuples(st.booleans(), st.integers(0, 10_000)), max_size=14),
)
def test_random_clicks_on_current_and_old_buttons_play_each_fresh_click_exactly_once(
    scenario: str, seed: int, clicks: list[tuple[bool, int]]
):
    c = DrillConsole(DrillSession(LIBRARY[scenario], seed), plot=False)
    seen: list = []
    played = 0
    for stale, pick in clicks:
        current = c.buttons()
        seen += current
        pool = seen if stale else current
        if not pool:
            break
        chosen = pool[pick % len(pool)]
        fresh = chosen in current and not c.session.finished
        before = c.session.to_dict()
        chosen.click()
        if fresh:
            played += 1
            assert c.session.path[-1].choice == chosen.choice
        else:  # an old button or a click after the end: nothing changes, and it says so
            assert c.session.to_dict() == before and c.notice.value
        assert len(c.session.to_dict()["events"]) == played


def test_a_console_attaches_to_a_session_saved_and_restored_elsewhere():
    played = DrillSession(SCENARIO, 5)
    for choice in BEST[:4]:
        played.choose(choice)
    restored = DrillSession.from_dict(played.to_dict(), SCENARIO)
    c = DrillConsole(restored, plot=False)
    assert f"+{played.now:.0f} min" in c.status.value
    for choice in BEST[:4]:
        assert "restored: " in c.transcript.value and f" {choice} (" in c.transcript.value
    for choice in BEST[4:]:
        c.click(choice)
    assert "Score: 100/100 (resolved)" in c.scorecard.value
