"""The comparison registry: previous period, same period last year, and room for more."""

from __future__ import annotations

import datetime as dt

import pytest

from execdash.metrics import comparisons
from execdash.metrics.comparisons import COMPARISONS, Comparison, comparison, register
from execdash.metrics.windows import Window, WindowError, resolve_window

D = dt.date


def test_the_built_in_options_are_previous_then_last_year() -> None:
    assert list(COMPARISONS)[:2] == ["previous", "last_year"]
    assert comparison("last_year").against == "same period last year"


def test_previous_is_the_same_number_of_months_just_before() -> None:
    prev = resolve_window("6m", "month", "2025-08", compare="previous").previous()
    assert (prev.start_month, prev.end_month) == (D(2024, 9, 1), D(2025, 2, 1))


def test_last_year_is_the_same_months_twelve_months_earlier() -> None:
    base = resolve_window("3m", "month", "2025-08", compare="last_year").previous()
    assert (base.start_month, base.end_month) == (D(2024, 6, 1), D(2024, 8, 1))
    assert base.comparison == "last_year"


def test_last_year_of_a_24_month_window_overlaps_it_by_twelve_months() -> None:
    w = resolve_window("24m", "month", "2025-08", compare="last_year")
    base = w.previous()
    assert (base.start_month, base.end_month) == (D(2022, 9, 1), D(2024, 8, 1))
    assert len(set(base.months) & set(w.months)) == 12


def test_unknown_comparison_names_the_parameter_and_the_options() -> None:
    with pytest.raises(WindowError) as info:
        resolve_window("12m", compare="budget")
    assert info.value.field == "compare"
    assert "'budget'" in str(info.value)
    assert "previous, last_year" in str(info.value)
    with pytest.raises(KeyError, match="previous, last_year"):
        comparison("budget")


def test_a_registered_option_is_accepted_and_used_by_previous() -> None:
    def same(window: Window) -> Window:
        return window

    register(Comparison("same_window", "Itself", "itself", same))
    try:
        w = resolve_window("6m", "month", "2025-08", compare="same_window")
        assert w.previous() == w
    finally:
        del comparisons.COMPARISONS["same_window"]
