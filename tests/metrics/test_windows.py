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
