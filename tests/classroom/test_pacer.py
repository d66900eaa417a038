"""The real-time pace, driven with explicit times (no sleeping)."""

from __future__ import annotations

import threading

import pytest

from pager_lab.classroom.pacer import Pacer


def _pacer(pace: float | None) -> tuple[Pacer, list[float]]:
    ticks: list[float] = []
    return Pacer(ticks.append, threading.Lock(), pace, clock=lambda: 0.0), ticks


def test_minutes_are_real_seconds_over_the_pace() -> None:
    pacer, ticks = _pacer(10.0)
    assert pacer.advance(30.0) == pytest.approx(3.0)
    assert pacer.advance(35.0) == pytest.approx(0.5)
    assert ticks == pytest.approx([3.0, 0.5])


def test_paused_time_is_never_ticked() -> None:
    pacer, ticks = _pacer(10.0)
    pacer.advance(10.0)
    pacer.pause(now=20.0)  # the 10 s before the pause still count
    assert pacer.paused and pacer.advance(500.0) == 0.0
    pacer.resume(now=600.0)
    assert pacer.advance(610.0) == pytest.approx(1.0)
    assert ticks == pytest.approx([1.0, 1.0, 1.0])


def test_no_pace_never_ticks_and_is_never_paused() -> None:
    pacer, ticks = _pacer(None)
    pacer.pause(now=5.0)
    assert pacer.advance(100.0) == 0.0 and ticks == [] and not pacer.paused


@pytest.mark.parametrize("pace", [0.0, -1.0, float("nan"), float("inf"), 5000.0])
def test_a_bad_pace_is_refused_with_its_value(pace: float) -> None:
    with pytest.raises(ValueError, match="seconds per simulated minute"):
        _pacer(pace)
