"""Pure fiscal-calendar math: which fiscal year and quarter a month is in, for a start month.

A fiscal year is named by the calendar year in which it **ends** (the usual convention): with a
start month of 4 (UK), FY2026 runs April 2025 to March 2026; with 7, FY2026 runs July 2025 to
June 2026; with 1 it is the calendar year. Quarters are the fiscal year's three-month blocks
from its start month. With start month 1 a quarter is written `YYYY-Qn` (the calendar quarter,
as the metric specification writes it); with any other start it is `FY2026-Q1`, shown `FY2026 Q1`.
"""

from __future__ import annotations

import datetime as dt

DEFAULT_FISCAL_START = 1
"""January: the fiscal year is the calendar year unless configured otherwise."""


def check_fiscal_start(value: int) -> int:
    """Return `value` if it is a month number 1–12, else raise ValueError saying so."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
        raise ValueError(f"fiscal year start month {value!r} is not a month number 1-12")
    return value


def _index(month: dt.date) -> int:
    return month.year * 12 + month.month - 1


def _month(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def fiscal_year_start(month: dt.date, start: int) -> dt.date:
    """The first month of the fiscal year holding `month` (e.g. 2025-04 for Feb 2026, start 4)."""
    year = month.year if month.month >= start else month.year - 1
    return dt.date(year, start, 1)


def fiscal_year(month: dt.date, start: int) -> int:
    """The fiscal year holding `month`, named by the calendar year it ends in."""
    return _month(_index(fiscal_year_start(month, start)) + 11).year


def fiscal_year_label(month: dt.date, start: int) -> str:
    """`FY2026` for any month of fiscal year 2026."""
    return f"FY{fiscal_year(month, start)}"


def fiscal_year_months(year: int, start: int) -> tuple[dt.date, ...]:
    """The twelve months (first days) of fiscal year `year`, oldest first."""
    first = _index(dt.date(year, start, 1)) - (12 if start != 1 else 0)
    return tuple(_month(first + i) for i in range(12))


def fiscal_quarter(month: dt.date, start: int) -> int:
    """1–4: the fiscal quarter holding `month` (May is Q1 with start 4, Q4 with start 7)."""
    return (month.month - start) % 12 // 3 + 1


def quarter_start(month: dt.date, start: int) -> dt.date:
    """The first month of the fiscal quarter holding `month`."""
    offset = (month.month - start) % 12 % 3
    return _month(_index(month) - offset)


def quarter_key(month: dt.date, start: int = DEFAULT_FISCAL_START) -> str:
    """`2025-Q3` (start 1, the calendar quarter) or `FY2026-Q1` for the quarter holding `month`."""
    if start == 1:
        return f"{month.year:04d}-Q{fiscal_quarter(month, 1)}"
    return f"{fiscal_year_label(month, start)}-Q{fiscal_quarter(month, start)}"
