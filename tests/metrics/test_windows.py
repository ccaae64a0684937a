"""Windows are whole calendar months ending at as_of; periods, partial quarters and bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from execdash.metrics.windows import (
    RANGES,
    Window,
    WindowError,
    add_months,
    days_in_month,
    parse_month,
    resolve_window,
)


def test_12m_window_ending_august_runs_september_to_august_31() -> None:
    w = resolve_window("12m", "month", "2025-08")
    assert (w.start_date, w.end_date) == (dt.date(2024, 9, 1), dt.date(2025, 8, 31))
    assert w.length == 12
    assert w.month_keys[0] == "2024-09"
    assert w.month_keys[-1] == "2025-08"


def test_previous_window_is_the_same_length_immediately_before() -> None:
    prev = resolve_window("6m", "month", "2025-08").previous()
    assert (prev.start_date, prev.end_date) == (dt.date(2024, 9, 1), dt.date(2025, 2, 28))


def test_ytd_runs_from_january_and_its_previous_window_has_as_many_months() -> None:
    w = resolve_window("ytd", "month", "2025-03")
    assert (w.start_date, w.end_date) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    prev = w.previous()
    assert (prev.start_date, prev.end_date) == (dt.date(2024, 10, 1), dt.date(2024, 12, 31))


def test_latest_month_is_the_default_end_and_as_of_wins_over_it() -> None:
    assert resolve_window("3m", "month", None, dt.date(2025, 5, 17)).as_of == "2025-05"
    assert resolve_window("3m", "month", "2024-01", dt.date(2025, 5, 1)).as_of == "2024-01"


def test_empty_database_falls_back_to_the_current_month() -> None:
    w = resolve_window("6m", "month", None, None, today=dt.date(2026, 2, 14))
    assert w.as_of == "2026-02"


def test_quarters_partly_covered_are_flagged_partial_with_their_months() -> None:
    w = resolve_window("12m", "quarter", "2025-08")
    periods = [(p.key, p.partial, p.months_held) for p in w.periods]
    assert periods == [
        ("2024-Q3", True, 1),
        ("2024-Q4", False, 3),
        ("2025-Q1", False, 3),
        ("2025-Q2", False, 3),
        ("2025-Q3", True, 2),
    ]
    assert w.periods[-1].end_date == dt.date(2025, 8, 31)


def test_month_periods_are_yyyy_mm() -> None:
    w = resolve_window("3m", "month", "2025-01")
    assert [p.key for p in w.periods] == ["2024-11", "2024-12", "2025-01"]
    assert not any(p.partial for p in w.periods)


def test_february_of_a_leap_year_has_29_days() -> None:
    assert days_in_month(dt.date(2024, 2, 1)) == 29
    assert days_in_month(dt.date(2025, 2, 1)) == 28
    assert resolve_window("3m", "month", "2024-02").end_date == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("kwargs", "field", "value"),
    [
        ({"range_key": "9m"}, "range", "9m"),
        ({"range_key": "12M"}, "range", "12M"),
        ({"granularity": "week"}, "granularity", "week"),
        ({"as_of": "2025-13"}, "as_of", "2025-13"),
        ({"as_of": "2025/08"}, "as_of", "2025/08"),
        ({"as_of": "Aug 2025"}, "as_of", "Aug 2025"),
    ],
)
def test_bad_values_raise_one_error_type_naming_field_and_value(
    kwargs: dict[str, str], field: str, value: str
) -> None:
    with pytest.raises(WindowError) as info:
        resolve_window(**kwargs)  # type: ignore[arg-type]
    assert (info.value.field, info.value.value) == (field, value)
    assert info.value.expected.startswith(("one of ", "a month written YYYY-MM"))
    assert str(info.value) == f"{field}={value!r} is not valid; expected {info.value.expected}"
    assert isinstance(info.value, ValueError)


@given(
    st.sampled_from(RANGES),
    st.sampled_from(["month", "quarter"]),
    st.integers(min_value=2000 * 12, max_value=2100 * 12),
)
def test_previous_window_never_overlaps_and_touches_the_window(
    range_key: str, granularity: str, index: int
) -> None:
    end = dt.date(index // 12, index % 12 + 1, 1)
    w = resolve_window(range_key, granularity, f"{end.year:04d}-{end.month:02d}")
    prev = w.previous()
    assert prev.end_date < w.start_date
    assert prev.end_date + dt.timedelta(days=1) == w.start_date
    assert prev.length == w.length
    assert not set(prev.months) & set(w.months)


@given(st.sampled_from(RANGES), st.integers(min_value=2000 * 12, max_value=2100 * 12))
def test_quarter_periods_hold_every_window_month_once(range_key: str, index: int) -> None:
    end = dt.date(index // 12, index % 12 + 1, 1)
    w = resolve_window(range_key, "quarter", f"{end.year:04d}-{end.month:02d}")
    held = [m for p in w.periods for m in p.months]
    assert tuple(held) == w.months
    assert all(p.partial == (p.months_held < 3) for p in w.periods)


def test_add_months_crosses_years_both_ways() -> None:
    assert add_months(dt.date(2024, 11, 1), 3) == dt.date(2025, 2, 1)
    assert add_months(dt.date(2024, 1, 1), -1) == dt.date(2023, 12, 1)
    assert Window("3m", "month", dt.date(2024, 1, 1), dt.date(2024, 3, 1)).length == 3


@pytest.mark.parametrize(
    ("start", "as_of", "first", "previous", "last_year"),
    [
        # January: YTD from January; Jan 2026 alone is a one-month YTD
        (1, "2026-01", "2026-01", ("2025-12", "2025-12"), ("2025-01", "2025-01")),
        (1, "2025-12", "2025-01", ("2024-01", "2024-12"), ("2024-01", "2024-12")),
        # UK, April: Mar 2026 closes FY2026 (Apr 2025 .. Mar 2026); Apr 2026 opens FY2027
        (4, "2026-03", "2025-04", ("2024-04", "2025-03"), ("2024-04", "2025-03")),
        (4, "2026-04", "2026-04", ("2026-03", "2026-03"), ("2025-04", "2025-04")),
        (4, "2026-01", "2025-04", ("2024-06", "2025-03"), ("2024-04", "2025-01")),  # 10 months
        # July: Dec 2025 is six months into FY2026 (Jul 2025 .. Jun 2026)
        (7, "2025-12", "2025-07", ("2025-01", "2025-06"), ("2024-07", "2024-12")),
        (7, "2026-06", "2025-07", ("2024-07", "2025-06"), ("2024-07", "2025-06")),
        (7, "2026-07", "2026-07", ("2026-06", "2026-06"), ("2025-07", "2025-07")),
    ],
)
def test_ytd_starts_at_the_fiscal_year_start_and_compares_with_either_baseline(
    start: int, as_of: str, first: str, previous: tuple[str, str], last_year: tuple[str, str]
) -> None:
    w = resolve_window("ytd", "month", as_of, fiscal_start=start)
    assert (w.month_keys[0], w.as_of) == (first, as_of)
    prev = w.previous()
    assert (prev.month_keys[0], prev.as_of) == previous
    ly = resolve_window("ytd", "month", as_of, fiscal_start=start, compare="last_year").previous()
    assert (ly.month_keys[0], ly.as_of) == last_year


def test_uk_quarters_of_a_year_ending_february_are_fiscal_and_flag_the_partial_one() -> None:
    w = resolve_window("12m", "quarter", "2026-02", fiscal_start=4)
    periods = [(p.key, p.partial, p.months_held, p.start_month) for p in w.periods]
    assert periods == [
        ("FY2025-Q4", True, 1, dt.date(2025, 1, 1)),  # Mar 2025 of Jan..Mar 2025
        ("FY2026-Q1", False, 3, dt.date(2025, 4, 1)),
        ("FY2026-Q2", False, 3, dt.date(2025, 7, 1)),
        ("FY2026-Q3", False, 3, dt.date(2025, 10, 1)),
        ("FY2026-Q4", True, 2, dt.date(2026, 1, 1)),  # Jan, Feb 2026
    ]


def test_july_quarters_of_a_fiscal_ytd_start_in_july() -> None:
    w = resolve_window("ytd", "quarter", "2026-01", fiscal_start=7)
    assert [(p.key, p.months_held) for p in w.periods] == [
        ("FY2026-Q1", 3),
        ("FY2026-Q2", 3),
        ("FY2026-Q3", 1),
    ]


def test_last_year_of_a_fiscal_quarter_is_the_same_quarter_a_year_before() -> None:
    w = resolve_window("3m", "quarter", "2025-06", fiscal_start=4, compare="last_year")
    assert [p.key for p in w.periods] == ["FY2026-Q1"]
    assert [p.key for p in w.previous().periods] == ["FY2025-Q1"]


def test_a_bad_fiscal_start_names_it() -> None:
    with pytest.raises(WindowError) as info:
        resolve_window("ytd", fiscal_start=13)
    assert info.value.field == "fiscal_start"


@given(
    st.sampled_from(RANGES),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=2000 * 12, max_value=2100 * 12),
)
def test_fiscal_quarters_hold_every_window_month_once_and_never_span_fiscal_years(
    range_key: str, start: int, index: int
) -> None:
    end = dt.date(index // 12, index % 12 + 1, 1)
    w = resolve_window(range_key, "quarter", f"{end:%Y-%m}", fiscal_start=start)
    assert tuple(m for p in w.periods for m in p.months) == w.months
    for p in w.periods:
        assert add_months(p.start_month, 2) == p.end_month
        assert (p.start_month.month - start) % 3 == 0
        assert all(p.start_month <= m <= p.end_month for m in p.months)
    if range_key == "ytd":
        assert w.start_month.month == start
        assert w.length <= 12
        assert w.previous().end_month == add_months(w.start_month, -1)


@pytest.mark.parametrize("value", [None, 202508, dt.date(2025, 8, 1)])
def test_a_month_that_is_not_text_is_refused_naming_the_field(value: object) -> None:
    """A period read back as a number or date by another tool's driver is a WindowError naming
    the field, not an AttributeError."""
    with pytest.raises(WindowError) as info:
        parse_month(value, "period")  # type: ignore[arg-type]
    assert (info.value.field, info.value.value) == ("period", value)
