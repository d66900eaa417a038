"""A drill a driver already recorded, submitted again from its saved JSON (``gm``'s fallback
file ``drill-H-...json`` or ``drill --json``), stores nothing new: the same idempotency key."""

from __future__ import annotations

from pager_lab.classroom import ResultsStore
from pager_lab.classroom.recorder import DrillRecorder, drill_document, pending_name
from pager_lab.classroom.submit import submit_drill
from pager_lab.core.drill_scenario import load_drill_library
from pager_lab.core.drill_session import DrillSession
from tests.helpers import DATA

LIBRARY = load_drill_library(DATA / "drills")


def test_the_saved_drill_of_a_recorded_drill_is_already_recorded(tmp_path):
    scenario = LIBRARY["db-runaway-query"]
    session = DrillSession(scenario, 4)
    for choice in ("ack", "restart-db", *scenario.best_paths[0].steps[1:]):
        session.choose(choice)
    store = tmp_path / "class.db"
    outcome = DrillRecorder("ivy", store).record(session)
    assert outcome.added
    saved = tmp_path / pending_name("ivy", session)
    saved.write_text(drill_document(session), "utf-8")
    with ResultsStore(store) as opened:
        result, added = submit_drill(opened, "ivy", saved, LIBRARY)
        assert added is False
        assert result.key == outcome.result.key
        assert opened.count()[0] == 1
