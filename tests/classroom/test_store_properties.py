"""Any valid result survives the store unchanged, on both backends (Hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pager_lab.classroom import DrillResult, PathStep, ResultsStore

minutes = st.floats(min_value=0, max_value=10_000, allow_nan=False, allow_infinity=False)
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz -", min_size=0, max_size=23)
steps = st.builds(
    PathStep,
    minute=minutes,
    kind=st.sampled_from(["page", "runbook", "diagnostic", "action", "comm", "time", "end"]),
    name=st.text(min_size=1, max_size=64).filter(lambda s: "\x00" not in s),
    verdict=st.builds(lambda first, rest: first + rest, st.sampled_from("abcxyz"), words),
)
results = st.builds(
    DrillResult,
    handle=st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}", fullmatch=True),
    scenario=st.from_regex(r"[a-z0-9][a-z0-9_-]{0,63}", fullmatch=True),
    seed=st.integers(min_value=0, max_value=2**63 - 1),
    path=st.lists(steps, max_size=6).map(tuple),
    time_to_acknowledge=st.none() | minutes,
    time_to_mitigate=st.none() | minutes,
    time_to_resolve=st.none() | minutes,
    impact_minutes=minutes,
    score=st.floats(min_value=0, max_value=100),
    finished_at=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)
    ).flatmap(
        lambda moment: st.sampled_from(
            [UTC, timezone(timedelta(hours=-7)), timezone(timedelta(hours=5, minutes=30))]
        ).map(lambda zone: moment.replace(tzinfo=zone))
    ),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(result=results)
def test_a_result_comes_back_exactly_as_it_went_in(store_target, result):
    with ResultsStore(store_target) as store:
        store.add(result)
        again = {r.key: r for r in store.results()}
        assert again.get(result.key) == result
        assert store.add(result) is False
        store.forget(result.handle)
