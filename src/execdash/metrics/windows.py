"""Pure date math for reporting windows: whole calendar months ending at `as_of`, and their periods.

A window never touches the database; `resolve_window` is given the latest month with data so the
API, the CLI and the materialiser all agree on the same months. A window also carries the fiscal
year's start month (YTD and quarters follow it, see `fiscal`) and the comparison its changes are
measured against (`previous()`, see `comparisons`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

from execdash.memo import kept
from execdash.metrics import comparisons, fiscal
from execdash.metrics.comparisons import DEFAULT_COMPARISON
from execdash.metrics.fiscal import DEFAULT_FISCAL_START

RangeKey = Literal["3m", "6m", "12m", "24m", "ytd"]
Granularity = Literal["month", "quarter"]

RANGES: tuple[RangeKey, ...] = ("3m", "6m", "12m", "24m", "ytd")
GRANULARITIES: tuple[Granularity, ...] = ("month", "quarter")
RANGE_MONTHS: dict[str, int] = {"3m": 3, "6m": 6, "12m": 12, "24m": 24}

_AS_OF = re.compile(r"^(\d{4})-(\d{2})$")


class WindowError(ValueError):
    """A range, granularity or as_of value that is not one execdash understands."""

    def __init__(self, field: str, value: object, expected: str) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{field}={value!r} is not valid; expected {expected}")


def add_months(month: dt.date, count: int) -> dt.date:
    """The first day of the month `count` months after (or before) `month`."""
    index = month.year * 12 + (month.month - 1) + count
    return dt.date(index // 12, index % 12 + 1, 1)


def month_key(month: dt.date) -> str:
    """`YYYY-MM` for the month holding `month`."""
    return f"{month.year:04d}-{month.month:02d}"


def quarter_key(month: dt.date, fiscal_start: int = DEFAULT_FISCAL_START) -> str:
    """`YYYY-Qn` (calendar quarters) or `FY2026-Q1` (fiscal start ≠ 1): the quarter of `month`."""
    return fiscal.quarter_key(month, fiscal_start)


def month_end(month: dt.date) -> dt.date:
    """The last day of the month holding `month`."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def days_in_month(month: dt.date) -> int:
    """Number of days in the month holding `month` (29 for February 2024)."""
    return calendar.monthrange(month.year, month.month)[1]


def parse_month(value: str, field: str = "as_of") -> dt.date:
    """Parse `YYYY-MM` into the first day of that month, or raise WindowError naming `field`."""
    match = _AS_OF.match(value.strip()) if isinstance(value, str) else None
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
        raise WindowError(field, value, "a month written YYYY-MM, e.g. 2025-08")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def months_between(start_month: dt.date, end_month: dt.date) -> tuple[dt.date, ...]:
    """Every month (first days) from `start_month` to `end_month`, both included."""
    count = (end_month.year - start_month.year) * 12 + end_month.month - start_month.month + 1
    return tuple(add_months(start_month, i) for i in range(max(count, 0)))


_kept_months = kept(4096)(months_between)
"""`months_between`, remembered: a drill-down asks for the same windows' months a hundred times."""


@dataclass(frozen=True, slots=True)
class Period:
    """One month or quarter of a window; a quarter the window only partly covers is `partial`."""

    key: str
    start_month: dt.date
    end_month: dt.date
    months: tuple[dt.date, ...]
    """The months of this period that lie inside the window (first days)."""
    partial: bool

    @property
    def months_held(self) -> int:
        """How many of the period's months lie inside the window."""
        return len(self.months)

    @property
    def start_date(self) -> dt.date:
        """First day of the period's first month inside the window."""
        return self.months[0]

    @property
    def end_date(self) -> dt.date:
        """Last day of the period's last month inside the window."""
        return month_end(self.months[-1])


@dataclass(frozen=True, slots=True)
class Window:
    """A whole number of calendar months `[start_month, end_month]`, inclusive, at a granularity."""

    range_key: RangeKey
    granularity: Granularity
    start_month: dt.date
    end_month: dt.date
    data_first: dt.date | None = field(default=None, compare=False)
    """First month with data in `revenue_trend`, when known (not part of equality)."""
    data_last: dt.date | None = field(default=None, compare=False)
    """Latest month with data in `revenue_trend`, when the resolver knew it."""
    fiscal_start: int = DEFAULT_FISCAL_START
    """The fiscal year's first month (1–12): YTD starts there and quarters are counted from it."""
    comparison: str = DEFAULT_COMPARISON
    """The key of the comparison `previous()` returns (`comparisons.COMPARISONS`)."""

    @property
    def start_date(self) -> dt.date:
        """First day of the first month."""
        return self.start_month

    @property
    def end_date(self) -> dt.date:
        """Last day of the last month: an order dated that day is inside the window."""
        return month_end(self.end_month)

    @property
    def months(self) -> tuple[dt.date, ...]:
        """Every month of the window (first days), oldest first."""
        return _kept_months(self.start_month, self.end_month)

    @property
    def month_keys(self) -> tuple[str, ...]:
        """Every month of the window as `YYYY-MM`, oldest first."""
        return tuple(month_key(m) for m in self.months)

    @property
    def length(self) -> int:
        """Number of months in the window."""
        return len(self.months)

    @property
    def as_of(self) -> str:
        """The end month as `YYYY-MM`."""
        return month_key(self.end_month)

    def previous(self) -> Window:
        """The window every change is measured against: the chosen comparison's baseline (by
        default the same number of months immediately before `start_month`)."""
        return comparisons.comparison(self.comparison).baseline(self)

    def shifted(self, months: int) -> Window:
        """This window moved by `months` (negative: earlier), same length, granularity and
        settings, without the data bounds."""
        return Window(
            self.range_key,
            self.granularity,
            add_months(self.start_month, months),
            add_months(self.end_month, months),
            fiscal_start=self.fiscal_start,
            comparison=self.comparison,
        )

    def trailing(self, months: int) -> tuple[dt.date, ...]:
        """The `months` months ending at `end_month` (e.g. the 6 of the coverage denominator)."""
        return months_between(add_months(self.end_month, 1 - months), self.end_month)

    @property
    def periods(self) -> tuple[Period, ...]:
        """The window's months or (fiscal) quarters, oldest first, partial quarters flagged."""
        if self.granularity == "month":
            return tuple(Period(month_key(m), m, m, (m,), partial=False) for m in self.months)
        groups: dict[str, list[dt.date]] = {}
        for m in self.months:
            groups.setdefault(quarter_key(m, self.fiscal_start), []).append(m)
        periods = []
        for key, months in groups.items():
            first = fiscal.quarter_start(months[0], self.fiscal_start)
            periods.append(Period(key, first, add_months(first, 2), tuple(months), len(months) < 3))
        return tuple(periods)


def check_range(range_key: str) -> RangeKey:
    """Return `range_key` if it is a supported range, else raise WindowError naming it."""
    for known in RANGES:
        if range_key == known:
            return known
    raise WindowError("range", range_key, "one of " + ", ".join(RANGES))


def check_granularity(granularity: str) -> Granularity:
    """Return `granularity` if it is supported, else raise WindowError naming it."""
    for known in GRANULARITIES:
        if granularity == known:
            return known
    raise WindowError("granularity", granularity, "one of " + ", ".join(GRANULARITIES))


def check_comparison(compare: str) -> str:
    """Return `compare` if it is a registered comparison, else raise WindowError naming it."""
    if compare in comparisons.COMPARISONS:
        return compare
    raise WindowError("compare", compare, "one of " + ", ".join(comparisons.COMPARISONS))


def check_fiscal_start(value: int) -> int:
    """Return `value` if it is a month number 1–12, else raise WindowError naming it."""
    try:
        return fiscal.check_fiscal_start(value)
    except ValueError:
        raise WindowError("fiscal_start", value, "a month number 1-12") from None


def resolve_window(
    range_key: str = "12m",
    granularity: str = "month",
    as_of: str | None = None,
    latest_month: dt.date | None = None,
    today: dt.date | None = None,
    first_month: dt.date | None = None,
    *,
    fiscal_start: int = DEFAULT_FISCAL_START,
    compare: str = DEFAULT_COMPARISON,
) -> Window:
    """The window of `range_key` ending at `as_of`, else at `latest_month` with data, else today.

    `ytd` starts at the first month of the fiscal year holding the end month. Falling back to
    the current month only happens on an empty database, where every KPI is null.
    """
    key = check_range(range_key)
    gran = check_granularity(granularity)
    start_month = check_fiscal_start(fiscal_start)
    compare = check_comparison(compare)
    if as_of is not None and as_of != "":
        end = parse_month(as_of)
    elif latest_month is not None:
        end = latest_month.replace(day=1)
    else:
        end = (today or dt.date.today()).replace(day=1)
    if key == "ytd":
        start = fiscal.fiscal_year_start(end, start_month)
    else:
        start = add_months(end, 1 - RANGE_MONTHS[key])
    return Window(key, gran, start, end, first_month, latest_month, start_month, compare)
