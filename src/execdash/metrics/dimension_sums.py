"""Order sums of a window of whole months by customer, industry or source, from running totals.

Each customer's sums over the window are its running totals at the window's last month minus
those at the month before (`execdash.db.cumulative`): two exact-month index reads per customer,
the same cost for a quarter as for two years.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from execdash.db import cumulative, rollups
from execdash.db import schema as s

Types = tuple[str, ...] | None
"""An order-type set (None = every order, including those without a type)."""


@dataclass(frozen=True, slots=True)
class Part:
    """One additive order measure: Σ `measure` (amount or profit) of the orders of `types`."""

    types: Types
    measure: str = "amount"


@dataclass(frozen=True, slots=True)
class Measure:
    """What a slice adds up from orders: its value and, for a ratio KPI, its denominator."""

    value: Part
    denominator: Part | None = None
    scale: float = 1.0
    """Factor applied to the value (12 for an annualised run rate)."""

    @property
    def parts(self) -> tuple[Part, ...]:
        """The value part, then the denominator part if any."""
        return (self.value,) if self.denominator is None else (self.value, self.denominator)

    @property
    def counted(self) -> Types:
        """The order types whose orders a slice counts: every part's types (None = all)."""
        if any(p.types is None for p in self.parts):
            return None
        return tuple(sorted({kind for p in self.parts for kind in p.types or ()}))


Slices = sa.Select[*tuple[Any, ...]]
"""A select of one row per slice with the `LABELS` columns."""

LABELS = ("label", "value", "den", "orders")
"""Columns of every per-slice select: dimension value, Σ value, Σ denominator, orders."""


def dimension_column(dimension: str) -> sa.ColumnElement[str | None]:
    """The customers column a breakdown by `dimension` (customer, industry, source) names."""
    c = s.customers
    return {"customer": c.c.name, "industry": c.c.industry, "source": c.c.source}[dimension]


def usable(conn: sa.Connection) -> bool:
    """True when the running totals and the rollup they are derived from are both maintained."""
    base = rollups.by_target(cumulative.BASE.name)
    return cumulative.is_ready(conn) and rollups.is_ready(conn, base)


def _kinds(measure: Measure) -> list[str] | None:
    """The kept type sets of the measure's parts (disjoint unless equal), or None if not kept."""
    kinds = [cumulative.kind_of(p.types) for p in measure.parts]
    if any(k is None for k in kinds):
        return None
    distinct = list(dict.fromkeys(k for k in kinds if k is not None))
    if len(distinct) > 1 and any(cumulative.CLASSES[k] is None for k in distinct):
        return None  # 'all' overlaps every other set: its orders would be counted twice
    return [k for k in kinds if k is not None]


def window_slices(
    conn: sa.Connection, dimension: str, start: dt.date, end: dt.date, measure: Measure
) -> Slices | None:
    """One row per customer with orders of the measure's types in the whole months
    `start…end`: its `dimension` value and the `LABELS` sums (names may repeat). None when the
    running totals cannot answer (a type set not kept, or they are not ready)."""
    kinds = _kinds(measure)
    if kinds is None or not usable(conn):
        return None
    cum = cumulative.CUM
    lo, hi = cumulative.month_span(conn, cum)
    before, last = cumulative.window_month_keys(start, end)
    if lo is None or hi is None or last < lo:
        return no_slices()
    # Past the latest data month every total stays as it was in that month.
    before, last = min(before, hi), min(last, hi)
    e, p = cum.alias("e"), cum.alias("p")

    def delta(kind: str, name: str) -> sa.ColumnElement[float]:
        column = f"{kind}_{name}"
        return e.c[column] - sa.func.coalesce(p.c[column], 0)

    value = delta(kinds[0], measure.value.measure)
    if measure.scale != 1:
        value = value * measure.scale
    den: sa.ColumnElement[Any] = no_denominator()
    if measure.denominator is not None:
        den = delta(kinds[1], measure.denominator.measure)
    orders = sum((delta(k, "orders") for k in dict.fromkeys(kinds)), sa.literal(0))
    c = s.customers
    return (
        sa.select(
            dimension_column(dimension).label("label"),
            value.label("value"),
            den.label("den"),
            orders.label("orders"),
        )
        .select_from(
            e.outerjoin(
                p, sa.and_(p.c.month == before, p.c.customer_id == e.c.customer_id)
            ).outerjoin(c, c.c.id == e.c.customer_id)
        )
        .where(e.c.month == last, orders > 0)
    )


def no_denominator() -> sa.ColumnElement[float | None]:
    """The `den` of a slice that has none: a typed NULL (PostgreSQL cannot sum an untyped one)."""
    return sa.cast(sa.null(), sa.Float)


def no_slices() -> Slices:
    """A select of the `LABELS` columns with no row."""
    types: tuple[type[sa.types.TypeEngine[Any]], ...] = (sa.Text, sa.Float, sa.Float, sa.Integer)
    nulls = [sa.cast(sa.null(), k).label(n) for n, k in zip(LABELS, types, strict=True)]
    return sa.select(*nulls).where(sa.false())


def fetch(conn: sa.Connection, rows: Slices) -> list[Row]:
    """Every row of a per-slice select (tests and uncapped callers)."""
    found = conn.execute(rows).all()  # one fetchall: iterating fetches row by row
    return [
        (r[0], float(r[1] or 0), None if r[2] is None else float(r[2]), int(r[3] or 0))
        for r in found
    ]


Row = tuple[str | None, float, float | None, int]
"""Dimension value, Σ value, Σ denominator (None unless a ratio), number of orders."""
