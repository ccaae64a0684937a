"""Cell parsing: numbers, amounts, dates, date-times and months."""

from __future__ import annotations

import pytest

from execdash.ingest.values import (
    parse_date,
    parse_datetime,
    parse_integer,
    parse_month,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("£1,234.50", 1234.5), ("$1,234", 1234.0), ("-£12,000", -12000.0), ("€ 7", 7.0), ("12", 12.0)],
)
def test_amounts_with_symbols_and_thousands_are_read(text: str, expected: float) -> None:
    assert parse_number(text, money=True) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("1.234,50", "European"),
        ("1,23", "decimal comma"),
        ("12,5", "decimal comma"),
        ("1,2345", "decimal comma"),
        ("abc", "not a number"),
        ("nan", "finite"),
        ("1_000", "finite"),
    ],
)
def test_ambiguous_or_bad_amounts_are_rejected_with_reason(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_number(text, money=True)


def test_currency_symbol_is_rejected_outside_amount_columns() -> None:
    with pytest.raises(ValueError, match="only allowed in amounts"):
        parse_number("£5")


def test_integers_accept_integral_floats_and_separators_but_not_fractions() -> None:
    assert parse_integer("12") == 12
    assert parse_integer("12.0") == 12
    assert parse_integer("1,200") == 1200
    with pytest.raises(ValueError, match="whole number"):
        parse_integer("12.5")


def test_dates_are_iso_days_and_midnight_datetimes_only() -> None:
    assert parse_date("2025-08-31") == "2025-08-31"
    assert parse_date("2025-08-31T00:00:00") == "2025-08-31"
    for bad, why in [
        ("2025-02-30", "not a valid date"),
        ("31/08/2025", "YYYY-MM-DD"),
        ("2025-08", "is a month"),
        ("2025-08-31 10:30", "date and time"),
        ("20250831", "YYYY-MM-DD"),
    ]:
        with pytest.raises(ValueError, match=why):
            parse_date(bad)


def test_datetimes_accept_iso_forms_and_convert_zones_to_utc() -> None:
    assert parse_datetime("2025-08-31 10:30") == "2025-08-31T10:30:00"
    assert parse_datetime("2025-08-31T10:30:05Z") == "2025-08-31T10:30:05"
    assert parse_datetime("2025-08-31T10:30:00+02:00") == "2025-08-31T08:30:00"
    assert parse_datetime("2025-08-31") == "2025-08-31T00:00:00"
    with pytest.raises(ValueError, match="ISO date-time"):
        parse_datetime("31 Aug 2025")


def test_months_are_yyyy_mm_or_a_first_of_month() -> None:
    assert parse_month("2025-08") == "2025-08"
    assert parse_month("2025-08-01T00:00:00") == "2025-08"
    for bad in ["2025-8", "2025-13", "2025-08-15", "Aug 2025"]:
        with pytest.raises(ValueError, match="YYYY-MM"):
            parse_month(bad)
