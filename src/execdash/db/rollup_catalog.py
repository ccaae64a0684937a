"""Which rollups exist: each one's table, raw source, period key and the GROUP BY that builds it.

The machinery that fills and maintains them is `execdash.db.rollups`; this module only declares
them, in the order a refresh must follow (a base rollup before those summed from it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from execdash.db import schema as s
from execdash.db import tables as t

RECURRING_TYPES = t.RECURRING_TYPES


@dataclass(frozen=True)
class Rollup:
    """One rollup: its target table, raw source table, date column and the grouped SELECT."""

    target: sa.Table
    source: sa.Table
    date_column: str
    key_length: int  # 7 for `YYYY-MM`, 10 for `YYYY-MM-DD`
    build: Callable[[sa.ColumnElement[str]], sa.Select[*tuple[Any, ...]]]
    # A coarser rollup may be summed from a finer one with the same period key: far fewer rows
    # to sort than the raw table (SQLite sorts every row of a GROUP BY, however few groups).
    base: sa.Table | None = None
    derive: Callable[[], sa.Select[*tuple[Any, ...]]] | None = None

    @property
    def period_column(self) -> str:
        """Name of the target's period column (`month` or `day`)."""
        return "month" if self.key_length == 7 else "day"

    def key(self) -> sa.ColumnElement[str]:
        """The period key of a raw row."""
        return sa.func.substr(sa.cast(self.source.c[self.date_column], sa.Text), 1, self.key_length)


def _orders(key: sa.ColumnElement[str]) -> sa.Select[*tuple[Any, ...]]:
    o = s.orders
    kind = sa.func.coalesce(o.c.type, "")
    return sa.select(
        key, kind, sa.func.sum(o.c.amount), sa.func.sum(o.c.profit), sa.func.count()
    ).group_by(key, kind)


def _orders_by_customer(key: sa.ColumnElement[str]) -> sa.Select[*tuple[Any, ...]]:
    o = s.orders
    customer = sa.func.coalesce(o.c.customer_id, 0)
    kind = sa.func.coalesce(o.c.type, "")
    return sa.select(
        key, customer, kind, sa.func.sum(o.c.amount), sa.func.sum(o.c.profit), sa.func.count()
    ).group_by(key, customer, kind)


def _mrr(key: sa.ColumnElement[str]) -> sa.Select[*tuple[Any, ...]]:
    o = s.orders
    customer = sa.func.coalesce(o.c.customer_id, 0)
    return (
        sa.select(key, customer, sa.func.sum(o.c.amount), sa.func.count())
        .where(o.c.type.in_(RECURRING_TYPES))
        .group_by(key, customer)
    )


def _orders_from_customers() -> sa.Select[*tuple[Any, ...]]:
    r = t.rollup_orders_month_customer
    return sa.select(
        r.c.month,
        r.c.type,
        sa.func.sum(r.c.amount),
        sa.func.sum(r.c.profit),
        sa.func.sum(r.c.orders),
    ).group_by(r.c.month, r.c.type)


def _mrr_from_customers() -> sa.Select[*tuple[Any, ...]]:
    r = t.rollup_orders_month_customer
    return (
        sa.select(r.c.month, r.c.customer_id, sa.func.sum(r.c.amount), sa.func.sum(r.c.orders))
        .where(r.c.type.in_(RECURRING_TYPES))
        .group_by(r.c.month, r.c.customer_id)
    )


def _expenses(key: sa.ColumnElement[str]) -> sa.Select[*tuple[Any, ...]]:
    e = s.expenses
    return sa.select(key, sa.func.sum(e.c.cost), sa.func.count()).group_by(key)


def _events(key: sa.ColumnElement[str]) -> sa.Select[*tuple[Any, ...]]:
    u = s.user_events
    return sa.select(key, u.c.event_type, sa.func.count()).group_by(key, u.c.event_type)


def _visits(key: sa.ColumnElement[str]) -> sa.Select[*tuple[Any, ...]]:
    p = s.page_visits
    return sa.select(key, p.c.page_name, sa.func.count()).group_by(key, p.c.page_name)


BY_CUSTOMER = t.rollup_orders_month_customer


def _pipeline(key: sa.ColumnElement[str]) -> sa.Select[*tuple[Any, ...]]:
    p = s.pipeline_stages_daily
    return sa.select(key, p.c.stage_name, sa.func.sum(p.c.value), sa.func.count()).group_by(
        key, p.c.stage_name
    )


def _products(key: sa.ColumnElement[str]) -> sa.Select[*tuple[Any, ...]]:
    p = s.top_products_daily
    return sa.select(key, p.c.name, sa.func.sum(p.c.revenue), sa.func.count()).group_by(
        key, p.c.name
    )


ROLLUPS: tuple[Rollup, ...] = (  # a base rollup comes before those summed from it
    Rollup(BY_CUSTOMER, s.orders, "order_date", 7, _orders_by_customer),
    Rollup(
        t.rollup_orders_month,
        s.orders,
        "order_date",
        7,
        _orders,
        BY_CUSTOMER,
        _orders_from_customers,
    ),
    Rollup(
        t.rollup_mrr_month_customer,
        s.orders,
        "order_date",
        7,
        _mrr,
        BY_CUSTOMER,
        _mrr_from_customers,
    ),
    Rollup(t.rollup_expenses_month, s.expenses, "date", 7, _expenses),
    Rollup(t.rollup_user_events_day, s.user_events, "event_time", 10, _events),
    Rollup(t.rollup_page_visits_day, s.page_visits, "visit_date", 10, _visits),
    Rollup(t.rollup_pipeline_month, s.pipeline_stages_daily, "period", 7, _pipeline),
    Rollup(t.rollup_product_revenue_month, s.top_products_daily, "period", 7, _products),
)
SOURCES = frozenset(r.source.name for r in ROLLUPS)


def by_target(name: str) -> Rollup:
    """The rollup whose table is `name`."""
    return next(r for r in ROLLUPS if r.target.name == name)
