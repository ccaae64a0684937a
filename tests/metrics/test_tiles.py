"""Deltas, directions and favourability of KPI tiles."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from execdash.metrics.models import Provenance
from execdash.metrics.tiles import delta, direction, favourable, make_kpi

EMPTY = Provenance(formula="f", inputs=[], months=[])


def test_delta_is_relative_to_the_absolute_previous_value() -> None:
    assert delta(120.0, 100.0) == pytest.approx(0.2)
    assert delta(-50.0, -100.0) == pytest.approx(0.5)


def test_direction_is_flat_under_half_a_permille() -> None:
    assert direction(0.0004) == "flat"
    assert direction(-0.0004) == "flat"
    assert direction(0.0005) == "up"
    assert direction(-0.01) == "down"
    assert direction(None) == "flat"


def test_payback_going_down_is_favourable() -> None:
    kpi = make_kpi("payback", "CAC payback", "months", 10.0, 12.0, EMPTY, good="down")
    assert (kpi.direction, kpi.favourable) == ("down", True)
    assert kpi.delta == pytest.approx(-1 / 6)


def test_revenue_going_down_is_unfavourable_and_flat_is_neither() -> None:
    assert make_kpi("revenue", "Revenue", "currency", 9.0, 10.0, EMPTY).favourable is False
    assert make_kpi("revenue", "Revenue", "currency", 10.0, 10.0, EMPTY).favourable is None
    assert favourable("up", "up") is True


@given(
    st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, width=32)),
    st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, width=32)),
)
def test_delta_is_null_exactly_when_previous_is_zero_or_missing(
    current: float | None, previous: float | None
) -> None:
    result = delta(current, previous)
    missing = current is None or previous is None or previous == 0
    assert (result is None) == missing
    if result is not None:
        assert current is not None
        assert previous is not None
        assert result == pytest.approx((current - previous) / abs(previous))
