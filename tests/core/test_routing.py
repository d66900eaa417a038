"""The routing stage's Alertmanager semantics, one rule at a time (times in minutes)."""

from __future__ import annotations

import pytest

from pager_lab.core.routing import RoutedAlert, group_key, labels_of, route
from pager_lab.core.routing_config import (
    InhibitRule,
    RoutingConfig,
    Silence,
    parse_matcher,
)

CONFIG = RoutingConfig(
    group_by=("alertname",),
    group_wait_minutes=0.5,
    group_interval_minutes=5.0,
    repeat_interval_minutes=60.0,
)


def alert(name: str, start: float, end: float | None, **labels: str) -> RoutedAlert:
    return RoutedAlert.of({"alertname": name, **labels}, start, end)


def times(result) -> list[float]:
    return [n.minute for n in result.notifications]


def test_group_wait_collects_alerts_into_one_first_notification() -> None:
    alerts = [alert("Down", 0, 20, instance="a"), alert("Down", 0.3, 20, instance="b")]
    result = route(alerts, CONFIG)
    first = result.notifications[0]
    assert first.minute == 0.5
    assert first.firing == (0, 1) and first.new == (0, 1)
    assert first.group_key == '{}:{alertname="Down"}'
    assert result.grouped == 1


def test_an_alert_after_group_wait_waits_for_the_next_group_interval() -> None:
    alerts = [alert("Down", 0, 30, instance="a"), alert("Down", 1, 30, instance="b")]
    result = route(alerts, CONFIG)
    assert times(result)[:2] == [0.5, 5.5]
    assert result.notifications[1].new == (1,)
    assert result.notifications[1].firing == (0, 1)


def test_an_unchanged_group_is_not_notified_again_before_repeat_interval() -> None:
    result = route([alert("Down", 0, 200, instance="a")], CONFIG)
    firing = [n.minute for n in result.notifications if n.status == "firing"]
    # ticks at 0.5 + 5k; a repeat needs strictly more than 60 minutes since the last one
    assert firing == [0.5, 65.5, 130.5, 195.5]
    assert result.notifications[-1].status == "resolved"
    assert result.notifications[-1].minute == 200.5


def test_all_resolved_sends_one_resolved_notification_then_the_group_ends() -> None:
    result = route([alert("Down", 0, 7, instance="a")], CONFIG)
    assert [(n.minute, n.status) for n in result.notifications] == [
        (0.5, "firing"),
        (10.5, "resolved"),
    ]
    # a later alert starts a new group: it waits group_wait again, not group_interval
    later = route([alert("Down", 0, 7, instance="a"), alert("Down", 11, 20, instance="b")], CONFIG)
    assert times(later)[:3] == [0.5, 10.5, 11.5]


def test_a_short_alert_between_flushes_is_only_ever_sent_as_resolved() -> None:
    # Alertmanager (send_resolved): b is new in the resolved set, so the group is sent again
    alerts = [alert("Down", 0, 30, instance="a"), alert("Down", 1, 2, instance="b")]
    result = route(alerts, CONFIG)
    assert 1 not in result.notified
    assert [(n.minute, n.firing, n.resolved) for n in result.notifications[:2]] == [
        (0.5, (0,), ()),
        (5.5, (0,), (1,)),
    ]


def test_a_group_whose_alerts_all_resolved_before_its_first_flush_sends_nothing() -> None:
    assert route([alert("Down", 0, 0.2)], CONFIG).notifications == ()
    # ... and after an all-resolved notification the log holds no firing alert either
    result = route([alert("Down", 0, 3, instance="a"), alert("Down", 11, 11.2)], CONFIG)
    assert times(result) == [0.5, 5.5]


def test_no_grouping_with_the_ellipsis_and_one_group_with_an_empty_list() -> None:
    alerts = [alert("Down", 0, 10, instance="a"), alert("Down", 0, 10, instance="b")]
    alone = route(alerts, RoutingConfig(group_by=("...",)))
    assert alone.groups == 2 and alone.grouped == 0
    keys = {n.group_key for n in alone.notifications}
    assert '{}:{alertname="Down", instance="a"}' in keys
    together = route([*alerts, alert("Slow", 0, 10)], RoutingConfig(group_by=()))
    assert together.groups == 1 and together.notifications[0].group_key == "{}:{}"
    assert together.notifications[0].firing == (0, 1, 2)


def test_missing_group_by_labels_are_left_out_of_the_key() -> None:
    assert group_key(labels_of({"alertname": "X"}), ["alertname", "service"]) == (
        '{}:{alertname="X"}'
    )


def test_inhibition_mutes_targets_sharing_the_equal_labels_while_the_source_fires() -> None:
    rule = InhibitRule(
        (parse_matcher('severity="critical"'),), (parse_matcher("severity=warning"),), ("service",)
    )
    config = RoutingConfig(group_by=("...",), inhibit_rules=(rule,))
    alerts = [
        alert("Down", 0, 20, severity="critical", service="db"),
        alert("Slow", 0, 40, severity="warning", service="db"),
        alert("Slow", 0, 40, severity="warning", service="api"),
    ]
    result = route(alerts, config)
    assert result.inhibited == {1}
    slow_db = [n for n in result.notifications if 1 in n.firing]
    # notified only once the critical source has resolved (flush at 20.5)
    assert [n.minute for n in slow_db] == [20.5]
    assert 2 in result.notifications[0].firing or 2 in result.notifications[1].firing


def test_a_silence_mutes_only_while_it_is_active() -> None:
    silence = Silence((parse_matcher('service="db"'),), start=0.0, end=12.0)
    config = RoutingConfig(group_by=("alertname",), silences=(silence,))
    alerts = [alert("Down", 0, 30, service="db"), alert("Down", 0, 30, service="api")]
    result = route(alerts, config)
    assert result.silenced == {0}
    assert result.notifications[0].firing == (1,)
    assert [n.minute for n in result.notifications if 0 in n.new] == [15.5]


def test_all_alerts_muted_sends_nothing() -> None:
    silence = Silence((parse_matcher("alertname=~D.*"),), start=0.0, end=100.0)
    result = route([alert("Down", 0, 30)], RoutingConfig(silences=(silence,)))
    assert result.notifications == () and result.silenced == {0}
    assert "1 silenced, 1 never notified" in result.summary()


def test_bad_alerts_are_refused_with_their_positions() -> None:
    with pytest.raises(ValueError, match="alerts 0 and 1 have the same labels"):
        route([alert("Down", 0, 10), alert("Down", 5, 20)], CONFIG)
    with pytest.raises(ValueError, match=r"alert 0 .*must be after starts_at"):
        route([alert("Down", 5, 5)], CONFIG)


def test_an_endless_alert_is_repeated_until_the_cutoff() -> None:
    result = route([alert("Down", 0, None)], CONFIG, until=200)
    assert times(result) == [0.5, 65.5, 130.5, 195.5]


def test_an_empty_group_lives_until_the_clean_up_and_an_alert_joins_its_rhythm() -> None:
    alerts = [alert("Down", 0, 3, instance="a"), alert("Down", 7, 17, instance="b")]

    def timing(cleanup: float) -> list[tuple[float, str]]:
        config = RoutingConfig(
            group_wait_minutes=1, group_interval_minutes=5, group_cleanup_minutes=cleanup
        )
        return [(n.minute, n.status) for n in route(alerts, config).notifications]

    # b joins the empty group before its clean-up: flushed at 6 + 5, not 7 + group_wait
    assert timing(30.0) == [(1, "firing"), (6, "resolved"), (11, "firing"), (21, "resolved")]
    assert timing(0.0) == [(1, "firing"), (6, "resolved"), (8, "firing"), (18, "resolved")]


@pytest.mark.parametrize(
    ("plan", "timings", "expected"),
    [
        # (instance, start, end) in seconds; Alertmanager 0.25 webhook arrivals seen here,
        # rounded to the second (tests/core: the real binary is am-real's test)
        ([("a", 0, 30), ("b", 1, 2)], (1, 5, 3600), [1, 6, 31]),
        ([("a", 0, 13.5)], (1, 2, 4), [1, 7, 13, 15]),
        ([("a", 0, 3), ("b", 7, 17)], (1, 5, 3600), [1, 6, 11, 21]),
    ],
)
def test_what_a_real_alertmanager_did_with_seconds_as_minutes(plan, timings, expected) -> None:
    wait, interval, repeat = timings
    config = RoutingConfig(
        group_wait_minutes=wait,
        group_interval_minutes=interval,
        repeat_interval_minutes=repeat,
        group_cleanup_minutes=30.0,  # the dispatcher's 30 s clean-up, in these units
    )
    alerts = [alert("Down", start, end, instance=name) for name, start, end in plan]
    assert times(route(alerts, config)) == expected


def test_the_inhibition_timeline_a_real_alertmanager_showed() -> None:
    # group_by ["..."], 1 s / 5 s, critical db 0-20 s inhibits warning db (equal: service);
    # Alertmanager 0.25 sent: 1 s Down + Slow api, 21 s Slow db + Down resolved, 41 s the rest
    rule = InhibitRule(
        (parse_matcher('severity="critical"'),),
        (parse_matcher('severity="warning"'),),
        ("service",),
    )
    config = RoutingConfig(
        group_by=("...",),
        group_wait_minutes=1,
        group_interval_minutes=5,
        group_cleanup_minutes=30,
        inhibit_rules=(rule,),
    )
    alerts = [
        alert("Down", 0, 20, severity="critical", service="db"),
        alert("Slow", 0, 40, severity="warning", service="db"),
        alert("Slow", 0, 40, severity="warning", service="api"),
    ]
    seen = [(n.minute, n.firing, n.resolved) for n in route(alerts, config).notifications]
    assert seen == [
        (1, (0,), ()),
        (1, (2,), ()),
        (21, (), (0,)),
        (21, (1,), ()),
        (41, (), (1,)),
        (41, (), (2,)),
    ]
