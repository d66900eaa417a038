"""Hypothesis properties of the routing stage, for any alert stream and configuration."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pager_lab.core.routing import RoutedAlert, route
from pager_lab.core.routing_config import InhibitRule, RoutingConfig, Silence, parse_matcher

EPS = 1e-9
MATCHERS = st.sampled_from(
    ['service="db"', 'service="api"', 'severity="critical"', 'severity="warning"', "alertname=~A"]
)


@st.composite
def alert_streams(draw: st.DrawFn) -> list[RoutedAlert]:
    alerts = []
    for i in range(draw(st.integers(0, 12))):
        start = draw(st.integers(0, 600)) / 10
        length = draw(st.one_of(st.none(), st.integers(1, 900).map(lambda n: n / 10)))
        labels = {
            "alertname": draw(st.sampled_from(["A", "B"])),
            "service": draw(st.sampled_from(["db", "api"])),
            "severity": draw(st.sampled_from(["critical", "warning"])),
            "instance": str(i),  # unique label sets: alerts never overlap themselves
        }
        alerts.append(RoutedAlert.of(labels, start, None if length is None else start + length))
    return alerts


@st.composite
def configs(draw: st.DrawFn) -> RoutingConfig:
    silences = tuple(
        Silence((parse_matcher(draw(MATCHERS)),), start, start + draw(st.integers(1, 60)))
        for start in draw(st.lists(st.integers(0, 60), max_size=2))
    )
    rules = tuple(
        InhibitRule((parse_matcher(s),), (parse_matcher(t),), ("service",))
        for s, t in draw(st.lists(st.tuples(MATCHERS, MATCHERS), max_size=1))
    )
    return RoutingConfig(
        group_by=draw(st.sampled_from([("alertname",), ("...",), (), ("alertname", "service")])),
        group_wait_minutes=draw(st.sampled_from([0.5, 1.0, 3.0])),
        group_interval_minutes=draw(st.sampled_from([1.0, 5.0])),
        repeat_interval_minutes=draw(st.sampled_from([10.0, 30.0])),
        group_cleanup_minutes=draw(st.sampled_from([0.0, 0.5, 30.0])),
        inhibit_rules=rules,
        silences=silences,
    )


@settings(max_examples=300, deadline=None)
@given(alert_streams(), configs())
def test_every_alert_firing_through_a_flush_and_never_muted_is_notified(alerts, config) -> None:
    result = route(alerts, config, until=200)
    longest_wait = max(config.group_wait_minutes, config.group_interval_minutes)
    for position, alert in enumerate(alerts):
        lasts = alert.ends_at is None or alert.ends_at - alert.starts_at > longest_wait
        muted = position in result.inhibited or position in result.silenced
        if lasts and not muted:
            assert position in result.notified, (position, alert, result.notifications)


@settings(max_examples=300, deadline=None)
@given(alert_streams(), configs())
def test_no_group_is_notified_sooner_than_group_interval_after_its_last(alerts, config) -> None:
    result = route(alerts, config, until=200)
    last = {}
    for note in result.notifications:
        before = last.get(note.group_key)
        if before is not None:
            gap = note.minute - before.minute
            if before.status == "firing":
                assert gap >= config.group_interval_minutes - EPS, (before, note)
            else:  # all resolved: the emptied group was kept (its rhythm), or a new one waited
                shortest = min(config.group_interval_minutes, config.group_wait_minutes)
                assert gap >= shortest - EPS, (before, note)
        last[note.group_key] = note


@settings(max_examples=300, deadline=None)
@given(alert_streams(), configs())
def test_an_unchanged_group_is_repeated_only_after_repeat_interval(alerts, config) -> None:
    result = route(alerts, config, until=200)
    labels = [a.labels for a in alerts]
    last = {}
    for note in result.notifications:
        before = last.get(note.group_key)
        if before is not None and note.firing:
            same_firing = {labels[p] for p in note.firing} <= {labels[p] for p in before.firing}
            no_new_resolved = {labels[p] for p in note.resolved} <= {
                labels[p] for p in before.resolved
            }
            if same_firing and no_new_resolved:
                assert note.minute - before.minute > config.repeat_interval_minutes, (before, note)
        last[note.group_key] = note


@settings(max_examples=100, deadline=None)
@given(alert_streams(), configs())
def test_notifications_carry_only_alerts_that_fire_or_resolved_by_then(alerts, config) -> None:
    result = route(alerts, config, until=200)
    assert result == route(alerts, config, until=200)  # deterministic
    for note in result.notifications:
        assert all(alerts[p].firing_at(note.minute) for p in note.firing)
        assert all(not alerts[p].firing_at(note.minute) for p in note.resolved)
        assert set(note.new) <= set(note.firing)
        assert note.firing or note.resolved
