"""Finance overview: revenue, bookings, backlog, margin, recurring revenue and spend."""

from __future__ import annotations

import sqlalchemy as sa

from execdash.metrics import executive
from execdash.metrics.domain import read_period
from execdash.metrics.models import FinanceOverview, Series, Timeframe
from execdash.metrics.queries import RECURRING_TYPES, expenses_by_month, orders_by_month
from execdash.metrics.series import build_series, ratio_series
from execdash.metrics.windows import Window

FINANCE_KPIS = ("revenue", "backlog", "gm", "book_to_bill", "coverage_months", "arr", "payback")


def revenue_trend(conn: sa.Connection, window: Window) -> list[Series]:
    """Recognized and booked (flows) and backlog (period-end stock) at the window's granularity."""
    recognized, _ = read_period(conn, "revenue_trend", "recognized", window)
    booked, _ = read_period(conn, "revenue_trend", "booked", window)
    backlog, _ = read_period(conn, "revenue_trend", "backlog", window)
    return [
        build_series(window, "recognized", "Recognized revenue", "currency", recognized),
        build_series(window, "booked", "Bookings", "currency", booked),
        build_series(window, "backlog", "Backlog", "currency", backlog),
    ]


def overview(conn: sa.Connection, window: Window) -> FinanceOverview:
    """Finance KPI tiles and series for `window`."""
    tiles = [k for k in executive.kpis(conn, window) if k.key in FINANCE_KPIS]
    orders = orders_by_month(conn, window.start_date, window.end_date)
    amount = {m: a for m, (a, _) in orders.items()}
    profit = {m: p for m, (_, p) in orders.items()}
    recurring = orders_by_month(conn, window.start_date, window.end_date, RECURRING_TYPES)
    mrr = {m: a for m, (a, _) in recurring.items()}
    arr = {m: 12 * a for m, a in mrr.items()}
    rec_m, _ = read_period(conn, "revenue_trend", "recognized", window)
    book_m, _ = read_period(conn, "revenue_trend", "booked", window)
    series = [
        *revenue_trend(conn, window),
        ratio_series(window, "book_to_bill", "Book-to-bill", book_m, rec_m),
        ratio_series(window, "gm", "Gross margin", profit, amount),
        build_series(window, "mrr", "MRR", "currency", mrr),
        build_series(window, "arr", "ARR", "currency", arr),
        build_series(
            window,
            "expenses",
            "Expenses",
            "currency",
            expenses_by_month(conn, window.start_date, window.end_date),
        ),
    ]
    return FinanceOverview(
        domain="finance",
        timeframe=Timeframe.of(window),
        kpis=tiles,
        series=series,
        warnings=[w for k in tiles for w in k.warnings],
    )
