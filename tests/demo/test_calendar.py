"""The calendar helpers: month arithmetic, exact allocation, DATETIME text format."""

from __future__ import annotations

import datetime as dt

import pytest

from execdash.demo.calendar import Calendar, add_months, allocate, iso_datetime


def test_add_months_crosses_year_boundaries_both_ways() -> None:
    assert add_months(dt.date(2025, 11, 1), 3) == dt.date(2026, 2, 1)
    assert add_months(dt.date(2025, 2, 1), -14) == dt.date(2023, 12, 1)


def test_calendar_holds_every_day_of_the_months_ending_with_end_month() -> None:
    cal = Calendar.ending(dt.date(2024, 3, 17), 3)
    assert cal.periods == ("2024-01", "2024-02", "2024-03")
    assert len(cal.days) == 31 + 29 + 31  # 2024 is a leap year
    assert cal.day_iso[cal.first_day[1]] == "2024-02-01"
    assert cal.days[-1] == dt.date(2024, 3, 31)


def test_calendar_rejects_zero_months() -> None:
    with pytest.raises(ValueError, match="months must be at least 1"):
        Calendar.ending(dt.date(2024, 1, 1), 0)


def test_allocate_splits_exactly_by_largest_remainder() -> None:
    assert allocate(10, [1.0, 1.0, 1.0]) == [4, 3, 3]
    assert allocate(7, [2.0, 1.0, 1.0]) == [3, 2, 2]  # 3.5, 1.75, 1.75: the .75s round up
    assert sum(allocate(1_000_003, [0.3, 1.7, 2.2, 0.9])) == 1_000_003


def test_iso_datetime_matches_sqlalchemy_sqlite_storage_format() -> None:
    assert iso_datetime(dt.date(2025, 8, 4), 3 * 3600 + 25 * 60 + 9) == "2025-08-04 03:25:09.000000"
