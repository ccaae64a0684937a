"""Digest periods: keys, due times, and who is owed which period."""

from __future__ import annotations

import datetime as dt

import pytest

from execdash.delivery import periods


def test_weekly_period_is_the_iso_week_due_monday_at_the_hour() -> None:
    p = periods.current("weekly", dt.datetime(2026, 12, 3, 15, 0), 7)  # a Thursday
    assert p.key == "2026-W49"
    assert p.due == dt.datetime(2026, 11, 30, 7, 0)
    assert p.since == dt.datetime(2026, 11, 23, 7, 0)


def test_monthly_period_is_due_on_the_first_and_reports_on_the_month_before() -> None:
    p = periods.current("monthly", dt.datetime(2026, 1, 20), 7)
    assert (p.key, p.due, p.since) == (
        "2026-01",
        dt.datetime(2026, 1, 1, 7),
        dt.datetime(2025, 12, 1, 7),
    )


def test_due_only_after_the_hour_and_only_for_recipients_who_existed_then() -> None:
    p = periods.current("weekly", dt.datetime(2026, 11, 30, 6, 59), 7)
    assert not periods.is_due(p, dt.datetime(2026, 11, 30, 6, 59), None)
    assert periods.is_due(p, dt.datetime(2026, 11, 30, 7, 0), None)
    assert not periods.is_due(p, dt.datetime(2026, 12, 1), dt.datetime(2026, 11, 30, 9))
    assert periods.is_due(p, dt.datetime(2026, 12, 1), dt.datetime(2026, 11, 2))


def test_an_unknown_frequency_is_named() -> None:
    with pytest.raises(ValueError, match="'daily'"):
        periods.current("daily", dt.datetime(2026, 1, 1), 7)
