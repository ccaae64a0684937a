"""The expected band against values worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from execdash.alerts.anomaly import band, median_abs_deviation

RATIOS = [1.10, 1.12, 1.08, 1.10, 1.11, 1.09, 1.10, 1.30, 1.10, 1.05, 1.10, 1.10]
DIFFS = [0.001, 0.002, 0, 0.001, 0.001, -0.001, 0.001, 0.001, 0.002, 0.001, -0.02, 0.001]


def months(year: int) -> list[dt.date]:
    return [dt.date(year, m, 1) for m in range(1, 13)]


def money_history() -> dict[dt.date, float]:
    """2023 flat at 100, 2024 at 100 × RATIOS: growth of about 10% a year, one odd August."""
    history = dict.fromkeys(months(2023), 100.0)
    history.update({m: 100.0 * r for m, r in zip(months(2024), RATIOS, strict=True)})
    return history


def test_band_of_a_quantity_is_last_year_times_the_median_growth() -> None:
    b = band(money_history(), dt.date(2025, 1, 1), "currency", 3)
    assert b is not None
    # median of the 12 ratios = 1.10; |r − 1.10| sorted: six 0s, 0.01, 0.01, ... → MAD 0.005
    assert b.method == "ratio"
    assert b.base == pytest.approx(110.0)  # January 2024
    assert b.typical == pytest.approx(1.10)
    assert b.spread == pytest.approx(1.4826 * 0.005)
    assert b.expected == pytest.approx(121.0)
    assert b.lower == pytest.approx(110 * (1.10 - 3 * 0.007413))
    assert b.upper == pytest.approx(110 * (1.10 + 3 * 0.007413))
    assert b.pairs == 12
    assert b.score(130.0) == pytest.approx((130 / 110 - 1.10) / 0.007413)


def test_sensitivity_widens_the_band_in_proportion() -> None:
    narrow = band(money_history(), dt.date(2025, 1, 1), "currency", 2)
    wide = band(money_history(), dt.date(2025, 1, 1), "currency", 4)
    assert narrow is not None
    assert wide is not None
    assert wide.upper - wide.expected == pytest.approx(2 * (narrow.upper - narrow.expected))


def test_band_of_a_rate_adds_the_median_change_and_floors_a_zero_spread() -> None:
    history = dict.fromkeys(months(2023), 0.99)
    history.update({m: 0.99 + d for m, d in zip(months(2024), DIFFS, strict=True)})
    b = band(history, dt.date(2025, 1, 1), "ratio", 2)
    assert b is not None
    # median change 0.001; seven changes equal it, so the MAD is 0 and the floor applies:
    # 0.5% of the median size of the 24 months (0.99) = 0.00495
    assert b.method == "difference"
    assert b.expected == pytest.approx(0.991 + 0.001)
    assert b.spread == pytest.approx(0.00495)
    assert b.lower == pytest.approx(0.992 - 2 * 0.00495)
    assert b.upper == pytest.approx(0.992 + 2 * 0.00495)


def test_no_band_without_the_month_a_year_earlier() -> None:
    history = money_history()
    del history[dt.date(2024, 1, 1)]
    assert band(history, dt.date(2025, 1, 1), "currency") is None


def test_no_band_with_fewer_than_six_year_over_year_changes() -> None:
    history = {m: v for m, v in money_history().items() if m >= dt.date(2023, 8, 1)}
    # changes exist for 2024-08 … 2024-12 only: five
    assert band(history, dt.date(2025, 1, 1), "currency") is None
    history[dt.date(2023, 7, 1)] = 100.0
    assert band(history, dt.date(2025, 1, 1), "currency") is not None


def test_a_quantity_that_touches_zero_falls_back_to_differences() -> None:
    history = money_history()
    history[dt.date(2023, 5, 1)] = 0.0
    b = band(history, dt.date(2025, 1, 1), "count")
    assert b is not None
    assert b.method == "difference"


def test_lower_edge_of_a_quantity_never_goes_below_zero() -> None:
    history = dict.fromkeys(months(2023), 100.0)
    history.update({m: 100.0 * r for m, r in zip(months(2024), [0.2, 1.8] * 6, strict=True)})
    b = band(history, dt.date(2025, 1, 1), "count", 3)
    assert b is not None
    assert b.lower == 0.0


def test_median_absolute_deviation() -> None:
    assert median_abs_deviation([1, 2, 3, 4, 100], 3) == 1
