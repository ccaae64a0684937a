"""Driver analysis of an executive KPI: which customers, industries, sources or products moved it.

The tile's own formula (`metrics.formulas`) is applied to both windows so the change explained is
exactly the tile's; the slices come from the same per-dimension fetch as the KPI's breakdown, and
whatever the slices do not cover is the "unattributed" driver.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Literal

import sqlalchemy as sa

from execdash.insights import decompose as d
from execdash.insights.models import Concentration, Driver, KpiDrivers, SliceSet
from execdash.metrics.drilldown import (
    DIMENSIONS,
    NON_REVENUE_TYPES,
    DrilldownError,
    orders_by_dimension,
)
from execdash.metrics.formulas import KPI_DEFS, KPI_KEYS, Facts
from execdash.metrics.models import Timeframe, Unit
from execdash.metrics.products import top_products
from execdash.metrics.queries import RECURRING_TYPES, by_month, orders_by_month, period_column
from execdash.metrics.windows import Window, month_end

TOP = 8
"""Slices shown as bars of their own; the rest are summed into 'other'."""

EXPLAINED = tuple(k for k in KPI_KEYS if DIMENSIONS.get(k))
"""The KPIs whose change can be split into slices."""

EXPLANATIONS = {
    "sum": "Each slice contributes its own change; 'unattributed' is the part of the tile's "
    "change that no slice's data explain (e.g. recognized revenue not in the orders).",
    "mix_rate": "Each slice contributes (its profit ÷ total amount, now − before) − mean margin × "
    "(its share of the amount, now − before): a rate part (its own margin moved) and a mix part "
    "(its weight moved, above or below the average margin). The parts add up to the change in "
    "percentage points.",
    "quotient": "Each slice contributes its change in booked orders ÷ this window's recognized "
    "revenue; the change of recognized revenue (the denominator) is a driver of its own.",
}


def _missing(dimension: str) -> str:
    return "(no customer)" if dimension == "customer" else "(unknown)"


def _named(
    rows: list[tuple[str | None, float, float]], missing: str
) -> dict[str, tuple[float, float]]:
    out: dict[str, tuple[float, float]] = {}
    for name, amount, profit in rows:
        label = name if name not in (None, "") else missing
        a, p = out.get(label, (0.0, 0.0))
        out[label] = (a + amount, p + profit)
    return out


def slices(
    conn: sa.Connection, window: Window, key: str, dimension: str
) -> dict[str, tuple[float, float]]:
    """Each slice's (measure, profit) on `window`: what the KPI's breakdown splits, uncapped."""
    if dimension == "product":
        items = top_products(conn, window, top=sys.maxsize).items
        return {i.name: (i.value, 0.0) for i in items}
    start, end = window.start_date, window.end_date
    if key == "arr":
        start, end = window.end_month, month_end(window.end_month)
        rows = orders_by_dimension(conn, dimension, start, end, types=RECURRING_TYPES)
        return {n: (12 * a, 0.0) for n, (a, _) in _named(rows, _missing(dimension)).items()}
    if key == "book_to_bill":
        rows = orders_by_dimension(conn, dimension, start, end, types=("booked",))
    else:
        rows = orders_by_dimension(conn, dimension, start, end, exclude=NON_REVENUE_TYPES)
    return _named(rows, _missing(dimension))


def tile_facts(conn: sa.Connection, window: Window, key: str) -> Facts:
    """The monthly facts the tile's formula reads for `key`, over the window and the one before."""
    first, last = window.previous().start_month, window.end_month
    f = Facts()
    if key in ("revenue", "book_to_bill"):
        f.recognized = by_month(period_column(conn, "revenue_trend", "recognized", first, last))
        f.booked = by_month(period_column(conn, "revenue_trend", "booked", first, last))
    elif key == "gm":
        orders = orders_by_month(conn, first, month_end(last))
        f.order_amount = {m: a for m, (a, _) in orders.items()}
        f.order_profit = {m: p for m, (_, p) in orders.items()}
    elif key == "arr":
        recurring = orders_by_month(conn, first, month_end(last), RECURRING_TYPES)
        f.recurring_amount = {m: a for m, (a, _) in recurring.items()}
    return f


def _inputs(result_inputs: list[tuple[str, float | None]], name: str) -> float | None:
    return next((v for n, v in result_inputs if n == name), None)


def drivers(
    conn: sa.Connection, window: Window, key: str, dimension: str, top: int = TOP
) -> KpiDrivers:
    """KPI `key`'s change on `window` against its previous window, split by `dimension`."""
    if key not in KPI_KEYS:
        raise DrilldownError("key", key, KPI_KEYS)
    valid = DIMENSIONS.get(key, ())
    if dimension not in valid:
        raise DrilldownError("by", dimension, valid)
    _, label, unit, _, formula = next(k for k in KPI_DEFS if k[0] == key)
    facts = tile_facts(conn, window, key)
    prev = window.previous()
    now, before = formula(window, facts), formula(prev, facts)
    cur = slices(conn, window, key, dimension)
    old = slices(conn, prev, key, dimension)
    return explain(
        key, label, unit, dimension, window,
        (before.value, now.value),
        ([(i.name, i.value) for i in before.inputs], [(i.name, i.value) for i in now.inputs]),
        old, cur, top,
    )  # fmt: skip


def explain(
    key: str,
    label: str,
    unit: Unit,
    dimension: str,
    window: Window,
    values: tuple[float | None, float | None],
    inputs: tuple[list[tuple[str, float | None]], list[tuple[str, float | None]]],
    previous: Mapping[str, tuple[float, float]],
    current: Mapping[str, tuple[float, float]],
    top: int = TOP,
) -> KpiDrivers:
    """Decompose the tile's change (pure): the method follows the KPI's formula."""
    before, now = values
    note = None
    decomposition: d.Decomposition | None = None
    measure = "order amount"
    measure_unit_: Unit = "currency"
    if key == "gm":
        measure = "order amount (margin = profit ÷ amount)"
        totals = [(_inputs(i, "Σ profit") or 0.0, _inputs(i, "Σ amount") or 0.0) for i in inputs]
        if any(den == 0 for _, den in totals):
            note = "Gross margin is not computable in both windows (no order amount in one)."
        else:
            decomposition = d.ratio_drivers(
                {n: (p, a) for n, (a, p) in previous.items()},
                {n: (p, a) for n, (a, p) in current.items()},
                totals[0],
                totals[1],
            )
    elif key == "book_to_bill":
        measure = "booked orders (amount)"
        booked = [_inputs(i, "Σ booked") for i in inputs]
        billed = [_inputs(i, "Σ recognized") for i in inputs]
        if any(v is None for v in booked) or any(not v for v in billed):
            note = "Book-to-bill is not computable in both windows (no bookings or revenue)."
        else:
            decomposition = d.quotient_drivers(
                {n: a for n, (a, _) in previous.items()},
                {n: a for n, (a, _) in current.items()},
                (booked[0] or 0.0, booked[1] or 0.0),
                (billed[0] or 0.0, billed[1] or 0.0),
                "recognized revenue (denominator)",
            )
    else:
        if key == "arr":
            measure = "ARR (12 × end-month MRR)"
        elif dimension == "product":
            measure = "product revenue (top_products_daily)"
        if now is None and before is None:
            note = f"No {label.lower()} data in either window."
        else:
            if before is None:
                note = "No data in the previous window: its value is taken as 0."
            decomposition = d.sum_drivers(
                {n: a for n, (a, _) in previous.items()},
                {n: a for n, (a, _) in current.items()},
                before or 0.0,
                now or 0.0,
            )
    method: Literal["sum", "mix_rate", "quotient", "none"] = "none" if decomposition is None else (
        "mix_rate" if key == "gm" else "quotient" if key == "book_to_bill" else "sum"
    )  # fmt: skip
    return _assemble(
        key, label, unit, dimension, window, values, decomposition, method, note,
        measure, measure_unit_, previous, current, top,
    )  # fmt: skip


def _driver(c: d.Contribution) -> Driver:
    return Driver(
        name=c.name,
        kind=c.kind,
        previous=c.previous,
        current=c.current,
        contribution=c.contribution,
        status=c.status,
        mix=c.mix,
        rate=c.rate,
        previous_rate=c.previous_rate,
        current_rate=c.current_rate,
        members=c.members,
    )


def _slice_set(items: list[d.Contribution], lost: bool) -> SliceSet:
    ranked = sorted(items, key=lambda c: (-abs(c.previous if lost else c.current), c.name))
    return SliceSet(
        count=len(items),
        value=sum(c.previous if lost else c.current for c in items),
        contribution=sum(c.contribution for c in items),
        names=[c.name for c in ranked[:5]],
    )


def _concentration(
    previous: Mapping[str, tuple[float, float]], current: Mapping[str, tuple[float, float]]
) -> Concentration:
    now = {n: v for n, (v, _) in current.items()}
    largest = max(now.items(), key=lambda kv: (kv[1], kv[0]))[0] if now else None
    return Concentration(
        top1=d.concentration(now.values(), 1),
        top5=d.concentration(now.values(), 5),
        previous_top1=d.concentration((v for v, _ in previous.values()), 1),
        previous_top5=d.concentration((v for v, _ in previous.values()), 5),
        largest=largest if largest is not None and now[largest] > 0 else None,
    )


def _assemble(
    key: str,
    label: str,
    unit: Unit,
    dimension: str,
    window: Window,
    values: tuple[float | None, float | None],
    decomposition: d.Decomposition | None,
    method: Literal["sum", "mix_rate", "quotient", "none"],
    note: str | None,
    measure: str,
    measure_unit: Unit,
    previous: Mapping[str, tuple[float, float]],
    current: Mapping[str, tuple[float, float]],
    top: int,
) -> KpiDrivers:
    contributions = list(decomposition.contributions) if decomposition else []
    real = [c for c in contributions if c.kind == "slice" and c.status != "absent"]
    ups = sorted((c for c in real if c.contribution > 0), key=lambda c: (-c.contribution, c.name))
    downs = sorted((c for c in real if c.contribution < 0), key=lambda c: (c.contribution, c.name))
    before, now = values
    return KpiDrivers(
        key=key,
        label=label,
        unit=unit,
        dimension=dimension,
        dimensions=list(DIMENSIONS[key]),
        timeframe=Timeframe.of(window),
        method=method,
        explanation=EXPLANATIONS.get(method, note or ""),
        measure=measure,
        measure_unit=measure_unit,
        previous=decomposition.previous if decomposition else before,
        current=decomposition.current if decomposition else now,
        change=decomposition.change if decomposition else None,
        drivers=[_driver(c) for c in d.condense(contributions, top)],
        top_up=[_driver(c) for c in ups[:3]],
        top_down=[_driver(c) for c in downs[:3]],
        new=_slice_set([c for c in real if c.status == "new"], lost=False),
        lost=_slice_set([c for c in real if c.status == "lost"], lost=True),
        concentration=_concentration(previous, current),
        slices=len(real),
        note=note,
    )
