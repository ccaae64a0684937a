"""Fiscal years are named by the year they end in; quarters count from the start month."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from execdash.metrics.fiscal import (
    check_fiscal_start,
    fiscal_quarter,
    fiscal_year,
    fiscal_year_label,
    fiscal_year_months,
    fiscal_year_start,
    quarter_key,
    quarter_start,
)

D = dt.date


@pytest.mark.parametrize(
    ("month", "start", "year", "first"),
    [
        # January start: the calendar year
        (D(2025, 12, 1), 1, 2025, D(2025, 1, 1)),
        (D(2026, 1, 1), 1, 2026, D(2026, 1, 1)),
        # UK (April): FY2026 = April 2025 .. March 2026
        (D(2025, 3, 1), 4, 2025, D(2024, 4, 1)),
        (D(2025, 4, 1), 4, 2026, D(2025, 4, 1)),
        (D(2025, 12, 1), 4, 2026, D(2025, 4, 1)),
        (D(2026, 3, 1), 4, 2026, D(2025, 4, 1)),
        (D(2026, 4, 1), 4, 2027, D(2026, 4, 1)),
        # July: FY2026 = July 2025 .. June 2026
        (D(2025, 6, 1), 7, 2025, D(2024, 7, 1)),
        (D(2025, 7, 1), 7, 2026, D(2025, 7, 1)),
        (D(2026, 1, 1), 7, 2026, D(2025, 7, 1)),
        (D(2026, 6, 1), 7, 2026, D(2025, 7, 1)),
    ],
)
def test_fiscal_year_is_named_by_the_calendar_year_it_ends_in(
    month: dt.date, start: int, year: int, first: dt.date
) -> None:
    assert fiscal_year(month, start) == year
    assert fiscal_year_label(month, start) == f"FY{year}"
    assert fiscal_year_start(month, start) == first


@pytest.mark.parametrize(
    ("month", "start", "quarter", "key", "first"),
    [
        (D(2025, 3, 1), 1, 1, "2025-Q1", D(2025, 1, 1)),
        (D(2025, 12, 1), 1, 4, "2025-Q4", D(2025, 10, 1)),
        (D(2025, 4, 1), 4, 1, "FY2026-Q1", D(2025, 4, 1)),
        (D(2025, 6, 1), 4, 1, "FY2026-Q1", D(2025, 4, 1)),
        (D(2025, 12, 1), 4, 3, "FY2026-Q3", D(2025, 10, 1)),
        (D(2026, 1, 1), 4, 4, "FY2026-Q4", D(2026, 1, 1)),
        (D(2026, 3, 1), 4, 4, "FY2026-Q4", D(2026, 1, 1)),
        (D(2025, 7, 1), 7, 1, "FY2026-Q1", D(2025, 7, 1)),
        (D(2025, 12, 1), 7, 2, "FY2026-Q2", D(2025, 10, 1)),
        (D(2026, 2, 1), 7, 3, "FY2026-Q3", D(2026, 1, 1)),
        (D(2026, 6, 1), 7, 4, "FY2026-Q4", D(2026, 4, 1)),
        # A start month off the calendar quarters: November
        (D(2025, 11, 1), 11, 1, "FY2026-Q1", D(2025, 11, 1)),
        (D(2026, 1, 1), 11, 1, "FY2026-Q1", D(2025, 11, 1)),
        (D(2026, 2, 1), 11, 2, "FY2026-Q2", D(2026, 2, 1)),
    ],
)
def test_quarters_count_from_the_start_month(
    month: dt.date, start: int, quarter: int, key: str, first: dt.date
) -> None:
    assert fiscal_quarter(month, start) == quarter
    assert quarter_key(month, start) == key
    assert quarter_start(month, start) == first


def test_fiscal_year_months_run_from_the_start_month_of_the_year_before() -> None:
    uk = fiscal_year_months(2026, 4)
    assert (uk[0], uk[-1], len(uk)) == (D(2025, 4, 1), D(2026, 3, 1), 12)
    assert fiscal_year_months(2026, 1)[0] == D(2026, 1, 1)
    assert fiscal_year_months(2026, 7)[-1] == D(2026, 6, 1)


@given(st.integers(1, 12), st.integers(2000 * 12, 2100 * 12))
def test_every_month_is_in_the_fiscal_year_it_names(start: int, index: int) -> None:
    month = D(index // 12, index % 12 + 1, 1)
    months = fiscal_year_months(fiscal_year(month, start), start)
    assert month in months
    assert months[0] == fiscal_year_start(month, start)
    assert fiscal_quarter(month, start) == months.index(month) // 3 + 1


@pytest.mark.parametrize("bad", [0, 13, -1, True])
def test_a_start_month_outside_1_to_12_is_refused(bad: int) -> None:
    with pytest.raises(ValueError, match="1-12"):
        check_fiscal_start(bad)
