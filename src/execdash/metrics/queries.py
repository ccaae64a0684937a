"""Small SQL fetches shared by several domains; each returns monthly aggregates, never raw rows.

Order and expense sums over whole months read the rollup tables (`execdash.db.rollups`) once
those are marked ready, and the raw tables otherwise; both give the same numbers. Month keys come
from `substr(CAST(col AS TEXT), 1, 7)`, which gives `YYYY-MM` on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from execdash.db import rollups
from execdash.db import schema as s
from execdash.db import tables as t
from execdash.memo import kept
from execdash.metrics.windows import month_key, parse_month

RECURRING_TYPES = t.RECURRING_TYPES

# The `period` tables a domain may read, with the columns it may read: the identifier allow-list.
PERIOD_COLUMNS: dict[str, tuple[str, ...]] = {
    "revenue_trend": ("recognized", "booked", "backlog"),
    "pipeline_winrate": ("win_rate_pct", "sales_cycle_days"),
    "retention_nrr": ("nrr", "gross_churn", "expansion"),
    "ops_uptime": ("uptime",),
    "ops_reliability": ("mtbf_hours", "mttr_hours"),
    "ops_quality": ("doa_pct", "defect_pct", "warranty_pct"),
    "ops_service_cost": ("cost_per_device",),
    "supply_cogs_variance": ("variance_pct",),
    "supply_lead_time": ("lead_time_days",),
    "supply_inventory_turns": ("turns_per_year",),
    "telemetry_utilization": ("avg_hours_per_device",),
    "telemetry_consumption": ("grams_per_cycle",),
    "telemetry_active_devices": ("active_devices",),
}


def month_of(column: sa.ColumnElement[object]) -> sa.ColumnElement[str]:
    """`YYYY-MM` of a DATE, DATETIME or TEXT period column, on both backends."""
    return sa.func.substr(sa.cast(column, sa.Text), 1, 7)


def _month(key: str) -> dt.date | None:
    try:
        return parse_month(key, "period")
    except ValueError:
        return None


def period_column(
    conn: sa.Connection,
    table: str,
    column: str,
    first: dt.date | None = None,
    last: dt.date | None = None,
) -> list[tuple[str, float]]:
    """`(YYYY-MM, value)` rows of a monthly period table between two months (inclusive)."""
    if column not in PERIOD_COLUMNS.get(table, ()):
        raise ValueError(f"{table}.{column} is not a monthly period column")
    query = _period_query(table, column, first is not None, last is not None)
    params = {
        "first": None if first is None else month_key(first),
        "last": None if last is None else month_key(last),
    }
    return [(str(m), float(v)) for m, v in conn.execute(query, params) if v is not None]


def _make_period_query(
    table: str, column: str, first: bool, last: bool
) -> sa.Select[*tuple[Any, ...]]:
    """The select of `period_column`, built once per shape: building a select costs SQLAlchemy
    more than SQLite spends running this one, so the months are bound at execution."""
    tbl = s.metadata.tables[table]
    month = month_of(tbl.c.period)
    query = sa.select(month, tbl.c[column]).order_by(month)
    if first:
        query = query.where(month >= sa.bindparam("first", type_=sa.Text))
    if last:
        query = query.where(month <= sa.bindparam("last", type_=sa.Text))
    return query


_period_query = kept(64)(_make_period_query)
"""`_make_period_query`, built once per shape (`execdash.memo`)."""


def by_month(rows: Sequence[tuple[str, float]]) -> dict[dt.date, float]:
    """Rows keyed `YYYY-MM` → values keyed by first-of-month date (bad keys are skipped)."""
    out: dict[dt.date, float] = {}
    for key, value in rows:
        month = _month(key)
        if month is not None:
            out[month] = value
    return out


def latest_month(conn: sa.Connection) -> dt.date | None:
    """The latest month with data in `revenue_trend` (the default `as_of`), or None if empty."""
    value = conn.execute(sa.select(sa.func.max(month_of(s.revenue_trend.c.period)))).scalar()
    return _month(str(value)) if value else None


def dated_in(
    column: sa.ColumnElement[Any], start: dt.date, end: dt.date
) -> list[sa.ColumnElement[bool]]:
    """`column` between two days inclusive, compared as dates: a row another tool wrote as
    `2025-06-30 18:00:00` is on 2025-06-30, so it is inside a window ending that day."""
    return [column >= start, column < end + dt.timedelta(days=1)]


def data_months(conn: sa.Connection) -> tuple[dt.date | None, dt.date | None]:
    """The first and the latest month with data in `revenue_trend` (None, None when empty)."""
    first, last = conn.execute(_data_months_query()).one()
    return (_month(str(first)) if first else None), (_month(str(last)) if last else None)


def _make_data_months_query() -> sa.Select[*tuple[Any, ...]]:
    """The select of `data_months`: both ends of `revenue_trend`'s months in one statement."""
    month = month_of(s.revenue_trend.c.period)
    return sa.select(sa.func.min(month), sa.func.max(month))


_data_months_query = kept(1)(_make_data_months_query)
"""`_make_data_months_query`, built once per shape (`execdash.memo`)."""


def span_params(start: dt.date, end: dt.date) -> dict[str, Any]:
    """The values `spanned` binds for the days `[start, end]`: as days and as month keys."""
    return {
        "day_from": start,
        "day_after": end + dt.timedelta(days=1),
        "month_from": month_key(start),
        "month_to": month_key(end),
    }


def spanned(column: sa.ColumnElement[Any], *, months: bool) -> list[sa.ColumnElement[bool]]:
    """`column` inside the span `span_params` binds, for a statement built once: a `YYYY-MM`
    column between the two month keys, or a date column as `dated_in` compares it."""
    if months:
        return [column >= sa.bindparam("month_from"), column <= sa.bindparam("month_to")]
    return [column >= sa.bindparam("day_from"), column < sa.bindparam("day_after")]


def whole_months(start: dt.date, end: dt.date) -> bool:
    """True when `[start, end]` runs from a first to a last day of a month (rollups fit)."""
    return start.day == 1 and (end + dt.timedelta(days=1)).day == 1


def use_rollup(conn: sa.Connection, table: sa.Table, start: dt.date, end: dt.date) -> bool:
    """True when `[start, end]` is whole months and `table` (a rollup) is ready to be read."""
    return whole_months(start, end) and rollups.is_ready(conn, rollups.by_target(table.name))


def orders_by_month(
    conn: sa.Connection, start: dt.date, end: dt.date, types: Sequence[str] | None = None
) -> dict[dt.date, tuple[float, float]]:
    """Σ amount and Σ profit of orders dated in `[start, end]` (optionally of `types`), by month."""
    rollup = use_rollup(conn, t.rollup_orders_month, start, end)
    query = _orders_query(rollup, None if types is None else tuple(types))
    out: dict[dt.date, tuple[float, float]] = {}
    for key, summed_amount, summed_profit in conn.execute(query, span_params(start, end)):
        m = _month(str(key))
        if m is not None:
            out[m] = (float(summed_amount or 0), float(summed_profit or 0))
    return out


def _make_orders_query(rollup: bool, types: tuple[str, ...] | None) -> sa.Select[*tuple[Any, ...]]:
    """The select of `orders_by_month` from the rollup or the raw orders, built once."""
    r = t.rollup_orders_month
    month: sa.ColumnElement[Any]
    if rollup:
        month, amount, profit, kind = r.c.month, r.c.amount, r.c.profit, r.c.type
    else:
        o = s.orders
        month, amount, profit, kind = month_of(o.c.order_date), o.c.amount, o.c.profit, o.c.type
    dated = spanned(month if rollup else s.orders.c.order_date, months=rollup)
    query = sa.select(month, sa.func.sum(amount), sa.func.sum(profit)).where(*dated).group_by(month)
    if types is not None:  # the rollup's '' (no type) is in no list of types, as NULL is not
        query = query.where(kind.in_(list(types)))
    return query


_orders_query = kept(16)(_make_orders_query)
"""`_make_orders_query`, built once per shape (`execdash.memo`)."""


def expenses_by_month(conn: sa.Connection, start: dt.date, end: dt.date) -> dict[dt.date, float]:
    """Σ expenses.cost dated in `[start, end]`, by month."""
    query = _expenses_query(use_rollup(conn, t.rollup_expenses_month, start, end))
    rows = conn.execute(query, span_params(start, end))
    return by_month([(str(k), float(v or 0)) for k, v in rows])


def _make_expenses_query(rollup: bool) -> sa.Select[*tuple[Any, ...]]:
    """The select of `expenses_by_month` from the rollup or the raw expenses, built once."""
    r, e = t.rollup_expenses_month, s.expenses
    month: sa.ColumnElement[Any]
    if rollup:
        month, cost, dated = r.c.month, r.c.cost, spanned(r.c.month, months=True)
    else:
        month, cost, dated = month_of(e.c.date), e.c.cost, spanned(e.c.date, months=False)
    return sa.select(month, sa.func.sum(cost)).where(*dated).group_by(month)


_expenses_query = kept(2)(_make_expenses_query)
"""`_make_expenses_query`, built once per shape (`execdash.memo`)."""


def new_recurring_mrr(
    conn: sa.Connection, month: dt.date, first_from: dt.date, first_to: dt.date
) -> tuple[float | None, int]:
    """Subscription/recurring amount in `month` from customers whose first such order is in range.

    Returns the amount (None when no such customer has an order that month) and the customers.
    """
    if month.day == 1 and use_rollup(conn, t.rollup_mrr_month_customer, first_from, first_to):
        key = (month, first_from, first_to)
        return _new_mrr_from_rollup(conn, [key])[key]
    o = s.orders
    first = (
        sa.select(o.c.customer_id, sa.func.min(o.c.order_date).label("first_date"))
        .where(o.c.type.in_(RECURRING_TYPES), o.c.customer_id.is_not(None))
        .group_by(o.c.customer_id)
        .subquery()
    )
    month_end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(1)
    query = (
        sa.select(sa.func.sum(o.c.amount), sa.func.count(sa.distinct(o.c.customer_id)))
        .select_from(o.join(first, first.c.customer_id == o.c.customer_id))
        .where(
            o.c.type.in_(RECURRING_TYPES),
            *dated_in(o.c.order_date, month, month_end),
            *dated_in(first.c.first_date, first_from, first_to),
        )
    )
    amount, customers = conn.execute(query).one()
    return (float(amount) if amount is not None else None), int(customers or 0)


NewMrrKey = tuple[dt.date, dt.date, dt.date]
"""Month, first day and last day of the range a new customer's first recurring order is in."""


def new_recurring_mrr_many(
    conn: sa.Connection, keys: Sequence[NewMrrKey]
) -> dict[NewMrrKey, tuple[float | None, int]]:
    """`new_recurring_mrr` of each key; whole-month keys read the rollups in one statement."""
    out: dict[NewMrrKey, tuple[float | None, int]] = {}
    fits = list(dict.fromkeys(k for k in keys if k[0].day == 1 and whole_months(k[1], k[2])))
    if fits and use_rollup(conn, t.rollup_mrr_month_customer, fits[0][1], fits[0][2]):
        out = _new_mrr_from_rollup(conn, fits)
    for key in keys:
        if key not in out:
            out[key] = new_recurring_mrr(conn, *key)
    return out


def _new_mrr_from_rollup(
    conn: sa.Connection, keys: Sequence[NewMrrKey]
) -> dict[NewMrrKey, tuple[float | None, int]]:
    """Per key: the month's recurring amount of the customers whose first month is in range,
    looked up by primary key from the few customers the first-month index names (one UNION)."""
    r, first = t.rollup_mrr_month_customer, t.rollup_recurring_first_month
    parts = [
        sa.select(
            sa.literal(i, sa.Integer).label("key"),
            sa.func.sum(r.c.amount).label("amount"),
            sa.func.count(r.c.customer_id).label("customers"),
        ).where(
            r.c.month == month_key(month),
            r.c.customer_id.in_(
                sa.select(first.c.customer_id).where(
                    first.c.month >= month_key(first_from), first.c.month <= month_key(first_to)
                )
            ),
        )
        for i, (month, first_from, first_to) in enumerate(keys)
    ]
    query = parts[0] if len(parts) == 1 else sa.union_all(*parts)
    out: dict[NewMrrKey, tuple[float | None, int]] = {}
    for i, amount, customers in conn.execute(query):
        out[keys[int(i)]] = (float(amount) if amount is not None else None), int(customers or 0)
    return out
