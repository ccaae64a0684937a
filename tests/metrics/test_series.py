"""Quarters and window values follow each series' declared kind: flow, stock or rate."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from execdash.metrics.series import (
    SERIES_KINDS,
    aggregate,
    build_series,
    divide,
    kind_of,
    ratio_series,
)
from execdash.metrics.windows import resolve_window

JAN, FEB, MAR = dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 3, 1)


def test_flow_sums_the_months_with_data() -> None:
    assert aggregate("flow", {JAN: 10.0, FEB: 5.5}, [JAN, FEB, MAR]) == 15.5


def test_stock_is_the_value_of_the_periods_last_month() -> None:
    assert aggregate("stock", {JAN: 10.0, FEB: 30.0, MAR: 20.0}, [JAN, FEB, MAR]) == 20.0


def test_stock_whose_last_month_has_no_data_is_none_not_an_earlier_month() -> None:
    assert aggregate("stock", {JAN: 10.0, FEB: 30.0}, [JAN, FEB, MAR]) is None


def test_carried_stock_takes_the_latest_month_at_or_before_the_periods_end() -> None:
    before = dt.date(2023, 12, 1)
    assert aggregate("stock", {FEB: 30.0}, [JAN, FEB, MAR], carry=True) == 30.0
    assert aggregate("stock", {before: 1.1}, [JAN, FEB, MAR], carry=True) == 1.1
    assert aggregate("stock", {dt.date(2024, 4, 1): 9.0}, [JAN, FEB, MAR], carry=True) is None


def test_nrr_series_and_window_follow_the_same_carried_rule_as_the_kpi() -> None:
    window = resolve_window("6m", "quarter", "2024-06")
    series = build_series(window, "nrr", "NRR", "ratio", {dt.date(2023, 11, 1): 1.1, FEB: 1.2})
    assert [p.value for p in series.points] == [1.2, 1.2]
    assert series.total == 1.2


def test_series_report_months_with_data_for_the_window_and_the_previous_window() -> None:
    window = resolve_window("3m", "month", "2024-03")
    series = build_series(
        window,
        "recognized",
        "R",
        "currency",
        {JAN: 1.0, MAR: 2.0, FEB: 0.0, dt.date(2023, 12, 1): 5.0},
    )
    assert series.coverage is not None
    assert (series.coverage.current, series.coverage.previous, series.coverage.months) == (3, 1, 3)
    assert series.coverage.complete
    assert not series.coverage.previous_complete
    assert (series.coverage.previous_start_month, series.coverage.previous_end_month) == (
        "2023-10", "2023-12",
    )  # fmt: skip


def test_rate_weights_february_2024_by_29_days() -> None:
    # (0.9 × 31 + 1.0 × 29) / 60
    assert aggregate("rate", {JAN: 0.9, FEB: 1.0}, [JAN, FEB]) == pytest.approx(56.9 / 60)


def test_rate_weights_february_2025_by_28_days() -> None:
    jan, feb = dt.date(2025, 1, 1), dt.date(2025, 2, 1)
    assert aggregate("rate", {jan: 0.9, feb: 1.0}, [jan, feb]) == pytest.approx(55.9 / 59)


@pytest.mark.parametrize("kind", ["flow", "stock", "rate"])
def test_no_data_in_the_months_gives_none_not_zero(kind: str) -> None:
    assert aggregate(kind, {JAN: 1.0}, [FEB, MAR]) is None  # type: ignore[arg-type]


def test_ratio_kind_cannot_be_aggregated_from_one_series() -> None:
    with pytest.raises(ValueError, match="ratio"):
        aggregate("ratio", {JAN: 1.0}, [JAN])


def test_divide_by_zero_or_missing_is_none() -> None:
    assert divide(1.0, 0.0) is None
    assert divide(None, 2.0) is None
    assert divide(1.0, None) is None
    assert divide(3.0, 4.0) == 0.75


def test_backlog_quarter_uses_the_quarter_end_value() -> None:
    window = resolve_window("6m", "quarter", "2025-09")
    backlog = {dt.date(2025, m, 1): float(m * 10) for m in range(4, 10)}
    series = build_series(window, "backlog", "Backlog", "currency", backlog)
    assert [(p.period, p.value) for p in series.points] == [("2025-Q2", 60.0), ("2025-Q3", 90.0)]
    assert series.total == 90.0
    assert series.kind == "stock"


def test_partial_quarter_stock_takes_the_last_month_inside_the_window() -> None:
    window = resolve_window("3m", "quarter", "2025-08")  # Jun, Jul, Aug
    backlog = {dt.date(2025, m, 1): float(m) for m in range(1, 13)}
    series = build_series(window, "backlog", "Backlog", "currency", backlog)
    assert [(p.period, p.value, p.partial, p.months) for p in series.points] == [
        ("2025-Q2", 6.0, True, 1),
        ("2025-Q3", 8.0, True, 2),
    ]


def test_quarter_flow_and_rate_roll_ups() -> None:
    window = resolve_window("3m", "quarter", "2024-03")
    monthly = {JAN: 0.9, FEB: 1.0, MAR: 0.8}
    flow = build_series(window, "recognized", "Recognized", "currency", monthly)
    rate = build_series(window, "uptime", "Uptime", "ratio", monthly)
    assert flow.points[0].value == pytest.approx(2.7)
    # (0.9×31 + 1.0×29 + 0.8×31) / 91
    assert rate.points[0].value == pytest.approx((27.9 + 29 + 24.8) / 91)


def test_ratio_series_divides_the_period_sums() -> None:
    window = resolve_window("3m", "quarter", "2024-03")
    series = ratio_series(
        window, "gm", "Gross margin", {JAN: 10.0, FEB: 30.0}, {JAN: 100.0, FEB: 100.0, MAR: 0.0}
    )
    assert series.points[0].value == pytest.approx(0.2)
    assert series.total == pytest.approx(0.2)
    empty = ratio_series(window, "gm", "Gross margin", {JAN: 1.0}, {JAN: 0.0})
    assert empty.total is None


def test_every_spec_series_has_its_declared_kind() -> None:
    assert kind_of("backlog") == "stock"
    assert kind_of("nrr") == "stock"
    assert kind_of("active_devices") == "stock"
    assert kind_of("recognized") == "flow"
    assert kind_of("uptime") == "rate"
    assert kind_of("sales_cycle") == "rate"
    assert set(SERIES_KINDS.values()) == {"flow", "stock", "rate"}


@given(
    st.lists(
        st.integers(min_value=0, max_value=10**9).map(lambda c: c / 100),
        min_size=24,
        max_size=24,
    ),
    st.sampled_from(["3m", "6m", "12m", "24m", "ytd"]),
    st.integers(min_value=1, max_value=12),
)
def test_monthly_flows_sum_to_the_quarter_and_window_flow(
    values: list[float], range_key: str, end_month: int
) -> None:
    window = resolve_window(range_key, "quarter", f"2025-{end_month:02d}")
    monthly = {m: values[i] for i, m in enumerate(window.months)}
    series = build_series(window, "recognized", "Recognized", "currency", monthly)
    for point, period in zip(series.points, window.periods, strict=True):
        assert point.value == pytest.approx(sum(monthly[m] for m in period.months))
    assert sum(p.value or 0 for p in series.points) == pytest.approx(series.total or 0)


def test_a_stock_over_no_months_is_null() -> None:
    assert aggregate("stock", {JAN: 10.0}, []) is None


def test_ratio_series_coverage_counts_months_holding_both_sums_against_the_chosen_comparison() -> (
    None
):
    window = resolve_window("3m", "month", "2024-03", compare="last_year")
    series = ratio_series(
        window, "conv", "Conversion", {JAN: 1.0, FEB: 2.0, MAR: 3.0}, {JAN: 2.0, MAR: 4.0}
    )
    assert series.total == 1.0  # (1 + 2 + 3) / (2 + 4)
    cov = series.coverage
    assert cov is not None
    assert (cov.months, cov.current, cov.complete, cov.compare) == (3, 2, False, "last_year")
    assert (cov.previous_start_month, cov.previous_end_month) == ("2023-01", "2023-03")
