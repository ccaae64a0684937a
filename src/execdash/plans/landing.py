"""Where a plan period will land: its actual months plus the revenue forecast's own method run
forward on the KPI's monthly parts, aggregated like the KPI. Pure functions of `Facts`.

Money flows (recognized, booked, order amounts and profit) continue the forecast's trailing
growth of 2% when history is short; rates and stocks (uptime, NRR, backlog, MRR) are held flat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from execdash.metrics import formulas
from execdash.metrics.forecast import TRAILING_GROWTH, project
from execdash.metrics.formulas import COVERAGE_MONTHS, Facts, Monthly
from execdash.metrics.planned import LandingMethod
from execdash.metrics.series import aggregate, divide
from execdash.metrics.windows import Window, add_months, months_between


@dataclass(frozen=True, slots=True)
class Landing:
    """A period's landing value and how much of it is actual."""

    value: float | None
    method: LandingMethod
    actual_months: int
    forecast_months: int


@dataclass(frozen=True, slots=True)
class Extended:
    """A monthly series: its actuals up to the window's end, then the forecast to `until`."""

    values: dict[dt.date, float]
    method: LandingMethod
    last_actual: dt.date | None


def extend(monthly: Monthly, end: dt.date, until: dt.date, growth: float = 1.0) -> Extended:
    """Actuals of `monthly` up to `end`, then after its latest actual the forecast to `until`."""
    history = {m: v for m, v in monthly.items() if m <= end}
    if not history:
        return Extended({}, "none", None)
    last = max(history)
    steps = len(months_between(add_months(last, 1), until))
    method, path = project([history[m] for m in sorted(history)], steps, growth)
    values = dict(history)
    for i, value in enumerate(path, start=1):
        values[add_months(last, i)] = value
    return Extended(values, "actuals" if steps == 0 else method, last)


def _counts(months: Sequence[dt.date], last: dt.date | None) -> tuple[int, int]:
    actual = sum(1 for m in months if last is not None and m <= last)
    return actual, len(months) - actual


def _make(value: float | None, months: Sequence[dt.date], *parts: Extended) -> Landing:
    main = parts[0]
    actual, ahead = _counts(months, main.last_actual)
    method: LandingMethod = main.method
    if value is None:
        method = "none"
    elif ahead and main.method == "actuals":
        method = next((p.method for p in parts if p.method != "actuals"), "none")
    return Landing(value, method, actual, ahead)


def landing(key: str, facts: Facts, end: dt.date, months: Sequence[dt.date]) -> Landing:
    """KPI `key` over the planned `months` of a period, actuals up to `end` and forecast after."""
    if not months:
        return Landing(None, "none", 0, 0)
    until = months[-1]

    def ext(monthly: Monthly, growth: float = 1.0) -> Extended:
        return extend(monthly, end, until, growth)

    def money(monthly: Monthly) -> Extended:
        return extend(monthly, end, until, TRAILING_GROWTH)

    if key == "revenue":
        rec = money(facts.recognized)
        return _make(aggregate("flow", rec.values, months), months, rec)
    if key == "uptime":
        up = ext(facts.uptime)
        return _make(aggregate("rate", up.values, months), months, up)
    if key == "backlog":
        bl = ext(facts.backlog)
        return _make(bl.values.get(until), months, bl)
    if key == "nrr":
        nr = ext(facts.nrr)
        return _make(aggregate("stock", nr.values, months, carry=True), months, nr)
    if key == "arr":
        mrr = ext(facts.recurring_amount)
        value = mrr.values.get(until)
        return _make(12 * value if value is not None else None, months, mrr)
    if key == "gm":
        amount, profit = money(facts.order_amount), money(facts.order_profit)
        value = divide(
            aggregate("flow", profit.values, months), aggregate("flow", amount.values, months)
        )
        return _make(value, months, amount, profit)
    if key == "book_to_bill":
        rec, booked = money(facts.recognized), money(facts.booked)
        value = divide(
            aggregate("flow", booked.values, months), aggregate("flow", rec.values, months)
        )
        return _make(value, months, rec, booked)
    if key == "coverage_months":
        bl, rec = ext(facts.backlog), money(facts.recognized)
        six = months_between(add_months(until, 1 - COVERAGE_MONTHS), until)
        total = aggregate("flow", rec.values, six)
        mean = total / COVERAGE_MONTHS if total is not None else None
        return _make(divide(bl.values.get(until), mean), months, bl, rec)
    if key == "payback":
        return payback_to_date(facts, end, months)
    raise KeyError(f"no landing for KPI {key!r}")


def to_date_window(end: dt.date, months: Sequence[dt.date]) -> Window | None:
    """The period's months up to `end`, as a window (None when the period starts after `end`)."""
    last = min(end, months[-1])
    if last < months[0]:
        return None
    return Window("12m", "month", months[0], last)


def payback_to_date(facts: Facts, end: dt.date, months: Sequence[dt.date]) -> Landing:
    """Payback has no monthly series to forecast: it lands at its value for the period to date."""
    window = to_date_window(end, months)
    if window is None:
        return Landing(None, "none", 0, len(months))
    value = formulas.payback(window, facts).value
    actual = window.length
    return Landing(value, "to_date" if value is not None else "none", actual, len(months) - actual)
