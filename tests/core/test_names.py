"""One rule for every 'did you mean ...?'."""

from __future__ import annotations

from pager_lab.core.names import closest_name


def test_the_closest_name_is_returned_as_written_and_nothing_when_far():
    assert closest_name("basline", ["baseline", "noisy"]) == "baseline"
    assert closest_name("DB-RUNAWAY-QURY", ["db-runaway-query"], key=str.casefold) == (
        "db-runaway-query"
    )
    assert closest_name("DB-RUNAWAY-QURY", ["db-runaway-query"]) is None  # case counts
    assert closest_name("zzz", ["baseline"]) is None
    assert closest_name("respons", ["response", "responders"], cutoff=0.7) == "response"
