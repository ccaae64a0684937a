"""Building blocks shared by the domain overviews: monthly reads, tiles and top-N breakdowns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

import sqlalchemy as sa

from execdash.metrics.models import (
    Breakdown,
    BreakdownItem,
    DataQualityWarning,
    Kpi,
    Provenance,
    ProvenanceInput,
    Unit,
)
from execdash.metrics.queries import by_month, dated_in, month_of, period_column
from execdash.metrics.rates import normalise_rows
from execdash.metrics.series import CARRIED_STOCKS, aggregate, coverage_of, divide, kind_of
from execdash.metrics.tiles import make_kpi
from execdash.metrics.windows import Window, month_key

TOP_N = 20
OTHER = "other"

Monthly = dict[dt.date, float]


def read_period(
    conn: sa.Connection,
    table: str,
    column: str,
    window: Window,
    *,
    rate: bool = False,
    nrr: bool = False,
    history: bool = False,
) -> tuple[Monthly, list[DataQualityWarning]]:
    """One period column over the window and its previous window (with `history`, every month up
    to the window's end); 0–1 rates normalised."""
    first = None if history else window.previous().start_month
    rows = period_column(conn, table, column, first, window.end_month)
    if not (rate or nrr):
        return by_month(rows), []
    values, warnings = normalise_rows(rows, table, column, nrr=nrr)
    return by_month(list(values.items())), warnings


def count_by_month(
    conn: sa.Connection,
    column: sa.ColumnElement[object],
    window: Window,
    *conditions: sa.ColumnElement[bool],
) -> Monthly:
    """Rows per month whose date/datetime `column` falls in the window or the previous window.

    A DATE column is filtered by date range (index-friendly); a DATETIME by its month key, which
    is right whatever time-of-day format the rows were written in.
    """
    month = month_of(column)
    if isinstance(column.type, sa.Date) and not isinstance(column.type, sa.DateTime):
        within = dated_in(column, window.previous().start_date, window.end_date)
    else:
        within = [month >= month_key(window.previous().start_month), month <= window.as_of]
    query = sa.select(month, sa.func.count()).where(*within, *conditions).group_by(month)
    return by_month([(str(k), float(v)) for k, v in conn.execute(query)])


def tile(
    window: Window,
    key: str,
    label: str,
    unit: Unit,
    monthly: Monthly,
    formula: str,
    *,
    good: Literal["up", "down"] = "up",
    warnings: Sequence[DataQualityWarning] = (),
    basis: str | None = None,
) -> Kpi:
    """A KPI tile of one monthly series: window value vs previous window, by the series' kind."""
    kind = kind_of(key)  # declared once in series.SERIES_KINDS, as the series' quarters are
    carry = key in CARRIED_STOCKS
    value = aggregate(kind, monthly, window.months, carry=carry)
    previous = aggregate(kind, monthly, window.previous().months, carry=carry)
    held = [month_key(m) for m in window.months if m in monthly]
    return make_kpi(
        key,
        label,
        unit,
        value,
        previous,
        Provenance(
            formula=formula,
            inputs=[ProvenanceInput(name=label, value=value, detail=f"{len(held)} months")],
            months=held,
        ),
        good=good,
        warnings=list(warnings),
        coverage=coverage_of(window, monthly),
        basis=basis,
    )


def ratio_tile(
    window: Window,
    key: str,
    label: str,
    numerator: Monthly,
    denominator: Monthly,
    formula: str,
    *,
    unit: Unit = "ratio",
    good: Literal["up", "down"] = "up",
) -> Kpi:
    """A KPI tile that is Σ numerator / Σ denominator over the window (vs the previous window)."""
    prev = window.previous()
    num = aggregate("flow", numerator, window.months)
    den = aggregate("flow", denominator, window.months)
    previous = divide(
        aggregate("flow", numerator, prev.months), aggregate("flow", denominator, prev.months)
    )
    return make_kpi(
        key,
        label,
        unit,
        divide(num, den),
        previous,
        Provenance(
            formula=formula,
            inputs=[
                ProvenanceInput(name="numerator", value=num),
                ProvenanceInput(name="denominator", value=den),
            ],
            months=list(window.month_keys),
        ),
        good=good,
        coverage=coverage_of(window, {m for m in numerator if m in denominator}),
    )


def breakdown(
    dimension: str,
    measure: str,
    unit: Unit,
    rows: Sequence[tuple[str | None, float]],
    *,
    top: int = TOP_N,
    rates: dict[str, float | None] | None = None,
    missing: str = "(unknown)",
) -> Breakdown:
    """Largest `top` items plus 'other', each with its share of the total (shares sum to 1)."""
    merged: dict[str, float] = {}
    for name, value in rows:
        label = name if name not in (None, "") else missing
        merged[label] = merged.get(label, 0.0) + float(value)
    ranked = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))
    head, tail = ranked[:top], ranked[top:]
    if tail:
        head.append((OTHER, sum(v for _, v in tail)))
    total = sum(merged.values())
    items = [
        BreakdownItem(
            name=name,
            value=value,
            share=divide(value, total),
            rate=(rates or {}).get(name),
        )
        for name, value in head
    ]
    return Breakdown(dimension=dimension, measure=measure, unit=unit, total=total, items=items)
