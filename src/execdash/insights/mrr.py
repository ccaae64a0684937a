"""MRR/ARR movements for a window, read from the month × customer recurring-revenue rollup.

One query fetches every (month, customer, MRR) row from 12 months before the window's opening
month to its end, each with the customer's first recurring month; `movements` does the math.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from execdash.db import schema as s
from execdash.db import tables as t
from execdash.db.cumulative import month_keys
from execdash.insights import movements as mv
from execdash.insights import mrr_kept
from execdash.insights.models import (
    MovementCounts,
    MrrBridge,
    MrrMovements,
    RetentionCheck,
)
from execdash.metrics.domain import read_period
from execdash.metrics.models import Timeframe
from execdash.metrics.queries import RECURRING_TYPES, dated_in, month_of, use_rollup
from execdash.metrics.windows import Window, add_months, month_end, month_key

COHORT_MONTHS = 12

History = dict[str, dict[int, float]]


def fetch_history(
    conn: sa.Connection, first: dt.date, last: dt.date
) -> tuple[History, dict[int, str], str]:
    """MRR by month and customer for months `first`..`last`, first recurring months, the source."""
    r = t.rollup_mrr_month_customer
    if use_rollup(conn, r, first, month_end(last)):
        history, first_month = _from_rollup(conn, month_key(first), month_key(last))
        return (
            history,
            first_month,
            f"{r.name} (subscription/recurring orders by month and customer)",
        )
    history, first_month = _from_orders(conn, first, month_end(last))
    return history, first_month, "orders of type subscription/recurring"


def _from_rollup(conn: sa.Connection, first: str, last: str) -> tuple[History, dict[int, str]]:
    """The history from the month × customer rollup: one exact-month read per month straight
    into a dict (no month text per row), and every customer's first month read once."""
    r, f = t.rollup_mrr_month_customer, t.rollup_recurring_first_month
    per_month = sa.select(r.c.customer_id, r.c.amount).where(
        r.c.month == sa.bindparam("month", type_=sa.Text)
    )
    history: History = {}
    for key in month_keys(first, last):
        rows = _driver_rows(conn, per_month, {"month": key})
        if rows:  # (integer id, float amount) as both drivers return them
            history[key] = dict(rows)
    return history, dict(_driver_rows(conn, sa.select(f.c.customer_id, f.c.month), {}))


def _driver_rows(
    conn: sa.Connection, statement: sa.Select[Any], params: dict[str, str]
) -> list[tuple[Any, ...]]:
    """Every row of `statement` as the database driver returns it: plain tuples, without a
    SQLAlchemy Row each (half the cost of reading 230,000 rows at 10M orders)."""
    result = conn.execute(statement, params)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def _from_orders(
    conn: sa.Connection, start: dt.date, end: dt.date
) -> tuple[History, dict[int, str]]:
    """The history summed from the orders dated `start`..`end` (no rollup kept)."""
    o = s.orders
    customer = sa.func.coalesce(o.c.customer_id, mv.NO_CUSTOMER)
    month = month_of(o.c.order_date)
    firsts = (
        sa.select(o.c.customer_id, sa.func.min(month_of(o.c.order_date)).label("first"))
        .where(o.c.type.in_(RECURRING_TYPES), o.c.customer_id.is_not(None))
        .group_by(o.c.customer_id)
        .subquery()
    )
    per = (
        sa.select(
            month.label("month"), customer.label("customer_id"),
            sa.func.sum(o.c.amount).label("amount"),
        )
        .where(o.c.type.in_(RECURRING_TYPES), *dated_in(o.c.order_date, start, end))
        .group_by(month, customer)
        .subquery()
    )  # fmt: skip
    query = sa.select(per.c.month, per.c.customer_id, per.c.amount, firsts.c.first).select_from(
        per.outerjoin(firsts, firsts.c.customer_id == per.c.customer_id)
    )
    history: History = {}
    first_month: dict[int, str] = {}
    for row in conn.execute(query):
        customer_id = int(row[1])
        history.setdefault(str(row[0]), {})[customer_id] = float(row[2] or 0)
        if row[3] is not None:
            first_month[customer_id] = str(row[3])
    return history, first_month


def _bridge(period: str, opening_month: str, b: mv.Bridge) -> MrrBridge:
    months = b.months
    return MrrBridge(
        period=period,
        opening_month=opening_month,
        opening=b.opening,
        new=b.amounts["new"],
        reactivation=b.amounts["reactivation"],
        expansion=b.amounts["expansion"],
        contraction=b.amounts["contraction"],
        churn=b.amounts["churn"],
        unattributed=b.amounts["unattributed"],
        closing=b.closing,
        net_change=b.closing - b.opening,
        customers=MovementCounts(
            opening=b.opening_customers, closing=b.closing_customers, **b.customers
        ),
        arpa=mv.rate(b.closing, b.closing_customers),
        logo_churn_rate=mv.logo_churn_rate(months),
        revenue_churn_rate=mv.revenue_churn_rate(months),
        expansion_rate=mv.expansion_rate(months),
    )


def _diff(a: float | None, b: float | None) -> float | None:
    return a - b if a is not None and b is not None else None


def checks(
    history: Mapping[str, Mapping[int, float]],
    months: Sequence[dt.date],
    stored: Sequence[Mapping[dt.date, float]],
) -> list[RetentionCheck]:
    """Trailing-12-month retention from the orders next to the stored NRR, churn and expansion."""
    return _checks(_cohorts(history, months), months, stored)


def _cohorts(
    history: Mapping[str, Mapping[int, float]], months: Sequence[dt.date]
) -> list[mv.Cohort]:
    """Each month's trailing-12-month cohort retention, classified from the history."""
    return [
        mv.cohort_retention(history, month_key(add_months(m, -COHORT_MONTHS)), month_key(m))
        for m in months
    ]


def _checks(
    cohorts: Sequence[mv.Cohort],
    months: Sequence[dt.date],
    stored: Sequence[Mapping[dt.date, float]],
) -> list[RetentionCheck]:
    """Each month's cohort retention next to the stored NRR, churn and expansion."""
    nrr, churn, expansion = stored
    return [
        RetentionCheck(
            month=month_key(m),
            cohort_customers=c.customers,
            nrr=c.nrr,
            stored_nrr=nrr.get(m),
            nrr_difference=_diff(c.nrr, nrr.get(m)),
            gross_churn=c.gross_churn,
            stored_gross_churn=churn.get(m),
            gross_churn_difference=_diff(c.gross_churn, churn.get(m)),
            expansion=c.expansion,
            stored_expansion=expansion.get(m),
            expansion_difference=_diff(c.expansion, expansion.get(m)),
        )
        for m, c in zip(months, cohorts, strict=True)
    ]


def movements(conn: sa.Connection, window: Window) -> MrrMovements:
    """MRR movements per month of `window` and for the window, with the retention cross-check:
    from the movements kept at write time when they cover the window, else classified here."""
    opening = month_key(add_months(window.start_month, -1))
    keys = list(window.month_keys)
    found = mrr_kept.read(conn, keys) if mrr_kept.usable(conn) else None
    if found is not None:
        whole = mrr_kept.bridge(found.months, found.customers)
        cohorts, source = found.cohorts, mrr_kept.SOURCE
    else:
        history, first_month, source = fetch_history(
            conn, add_months(window.start_month, -COHORT_MONTHS), window.end_month
        )
        whole = mv.bridge(keys, history, first_month, opening)
        cohorts = _cohorts(history, window.months)
    per_month = [
        _bridge(m.month, keys[i - 1] if i else opening, _single(m))
        for i, m in enumerate(whole.months)
    ]
    stored = [
        read_period(conn, "retention_nrr", column, window, nrr=column == "nrr",
                    rate=column != "nrr")[0]
        for column in ("nrr", "gross_churn", "expansion")
    ]  # fmt: skip
    return MrrMovements(
        timeframe=Timeframe.of(window),
        window=_bridge(f"{keys[0]}..{keys[-1]}", opening, whole),
        months=per_month,
        arr_opening=12 * whole.opening,
        arr_closing=12 * whole.closing,
        checks=_checks(cohorts, window.months, stored),
        source=source,
    )


def _single(month: mv.Figures) -> mv.Bridge:
    """One month as a bridge of its own."""
    return mv.Bridge(
        opening=month.opening,
        closing=month.closing,
        amounts=month.amounts,
        customers=month.counts,
        opening_customers=month.opening_customers,
        closing_customers=month.closing_customers,
        months=[month],
    )
