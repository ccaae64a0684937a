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


def test_a_ratio_carries_its_change_in_points_and_a_money_kpi_its_relative_change() -> None:
    gm = make_kpi("gm", "Gross margin", "ratio", 0.331, 0.364, EMPTY)
    assert gm.change == pytest.approx(-0.033)
    assert gm.change_unit == "points"
    assert (gm.previous, gm.delta) == (0.364, pytest.approx(-0.033 / 0.364))
    revenue = make_kpi("revenue", "Revenue", "currency", 110.0, 100.0, EMPTY)
    assert (revenue.change, revenue.change_unit) == (10.0, "relative")
    nps = make_kpi("nps", "NPS", "score", 0.3, 0.25, EMPTY)
    assert nps.change_unit == "points"


def test_an_incomplete_window_makes_the_change_not_comparable_and_not_favourable() -> None:
    from execdash.metrics.series import coverage_of
    from execdash.metrics.windows import resolve_window

    window = resolve_window("12m", "month", "2026-11")
    held = set(window.months[:5]) | set(window.previous().months)
    kpi = make_kpi("revenue", "Revenue", "currency", 50.0, 100.0, EMPTY,
                   coverage=coverage_of(window, held))  # fmt: skip
    assert kpi.coverage is not None
    assert (kpi.coverage.current, kpi.coverage.months) == (5, 12)
    assert (kpi.comparable, kpi.direction, kpi.favourable) == (False, "down", None)
    assert kpi.delta == -0.5  # still reported, never presented as a trend
    full = make_kpi("revenue", "Revenue", "currency", 50.0, 100.0, EMPTY,
                    coverage=coverage_of(window, set(window.months) | held))  # fmt: skip
    assert (full.comparable, full.favourable) == (True, False)


def test_a_tile_carries_everything_it_was_given_beside_its_change() -> None:
    from execdash.metrics.models import DataQualityWarning, ForecastDetail

    warning = DataQualityWarning(
        table="ops_uptime", column="uptime", period="2025-08", value=99.0, message="read as 0.99"
    )
    forecast = ForecastDetail(
        method="trailing_3m_mean", month="2025-09", value=102.0, lower=None, upper=None,
        interval=None, history_months=3, pipeline_estimate=None,
    )  # fmt: skip
    provenance = Provenance(formula="Σ recognized", inputs=[], months=["2025-08"])
    kpi = make_kpi(
        "revenue", "Revenue", "currency", 110.0, 100.0, provenance,
        good="down", warnings=[warning], forecast=forecast, basis="booked",
    )  # fmt: skip
    assert (kpi.key, kpi.label, kpi.unit, kpi.value, kpi.previous) == (
        "revenue", "Revenue", "currency", 110.0, 100.0,
    )  # fmt: skip
    assert (kpi.delta, kpi.direction, kpi.favourable, kpi.good_direction) == (
        pytest.approx(0.1), "up", False, "down",
    )  # fmt: skip
    assert (kpi.change, kpi.change_unit, kpi.coverage, kpi.comparable) == (
        10.0, "relative", None, True,
    )  # fmt: skip
    assert kpi.provenance == provenance
    assert kpi.warnings == [warning]
    assert kpi.forecast == forecast
    assert kpi.basis == "booked"
    bare = make_kpi("revenue", "Revenue", "currency", None, 100.0, EMPTY)
    assert (bare.warnings, bare.forecast, bare.basis, bare.change) == ([], None, None, None)
    assert make_kpi("revenue", "Revenue", "currency", 1.0, None, EMPTY).change is None
