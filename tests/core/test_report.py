"""Text views of an incident: the timeline reads to the minute, seconds only when they exist."""

from __future__ import annotations

from pager_lab.core.clock import ManualClock
from pager_lab.core.incident import Incident
from pager_lab.core.report import timeline_lines


def test_timeline_times_are_to_the_minute_unless_an_entry_has_seconds():
    clock = ManualClock()
    incident = Incident("INC-1", "Disk full", clock)
    clock.advance(5)
    incident.acknowledge("Alice")
    clock.advance(0.5)
    incident.resolve("Alice", action="restart")
    first, acked, resolved = timeline_lines(incident)
    assert "03:00 UTC" in first and "03:00:00" not in first
    assert "03:05 UTC" in acked
    assert "03:05:30 UTC" in resolved
