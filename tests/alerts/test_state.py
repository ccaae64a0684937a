"""Hysteresis: fire at the line, clear only back past it by the margin."""

from __future__ import annotations

import datetime as dt

import pytest

from execdash.alerts.rules import Check
from execdash.alerts.state import clear_line, firing

OCT = dt.date(2026, 10, 1)


def below(value: float, line: float = 100.0, *, small: bool = False) -> Check:
    return Check(OCT, value, value, line, above=False, small=small)


def above(value: float, line: float = 100.0) -> Check:
    return Check(OCT, value, value, line, above=True)


def test_a_metric_hovering_at_the_line_does_not_flap() -> None:
    state = False
    seen = []
    for value in (101, 99, 101, 99.5, 104.9, 102, 105, 104, 99):
        state = firing(below(value), state, 0.05)
        seen.append(state)
    # fires at 99, stays through 101…104.9 (clears at 105 = 100 + 5%), fires again at 99
    assert seen == [False, True, True, True, True, True, False, False, True]


def test_clear_line_moves_by_the_margin_towards_the_safe_side() -> None:
    assert clear_line(below(0), 0.05) == 105
    assert clear_line(above(0), 0.05) == 95
    assert clear_line(above(0, line=-0.1), 0.5) == pytest.approx(-0.15)
    assert clear_line(below(0, line=-0.1), 0.5) == pytest.approx(-0.05)


def test_without_hysteresis_it_clears_at_the_line() -> None:
    assert firing(above(101), False, 0)
    assert firing(above(100.5), True, 0)
    assert not firing(above(100), True, 0)


def test_a_small_volume_never_starts_a_firing_but_does_not_stop_one() -> None:
    assert not firing(below(50, small=True), False, 0.05)
    assert firing(below(50, small=True), True, 0.05)
