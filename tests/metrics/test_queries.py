"""Shared monthly fetches: latest month, the column allow-list, month keys on both backends."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine

from execdash.metrics.queries import (
    by_month,
    expenses_by_month,
    latest_month,
    new_recurring_mrr,
    orders_by_month,
    period_column,
)
from tests.metrics.conftest import Put, d


def test_latest_month_is_the_newest_revenue_trend_period(any_engine: Engine, put: Put) -> None:
    put("revenue_trend", [{"period": "2025-02"}, {"period": "2024-12"}])
    put("ops_uptime", [{"period": "2026-01", "uptime": 0.9}])
    with any_engine.connect() as conn:
        assert latest_month(conn) == dt.date(2025, 2, 1)


def test_only_allow_listed_period_columns_can_be_read(any_engine: Engine) -> None:
    with any_engine.connect() as conn, pytest.raises(ValueError, match="not a monthly"):
        period_column(conn, "orders", "amount")


def test_orders_are_grouped_by_month_including_the_last_day(any_engine: Engine, put: Put) -> None:
    put(
        "orders",
        [
            {"amount": 10, "profit": 1, "order_date": d("2025-01-31"), "type": "subscription"},
            {"amount": 20, "profit": 2, "order_date": d("2025-02-28"), "type": "booked"},
            {"amount": 40, "profit": 4, "order_date": d("2025-03-01"), "type": "booked"},
        ],
    )
    with any_engine.connect() as conn:
        everything = orders_by_month(conn, d("2025-01-01"), d("2025-02-28"))
        recurring = orders_by_month(conn, d("2025-01-01"), d("2025-02-28"), ["subscription"])
    assert everything == {d("2025-01"): (10.0, 1.0), d("2025-02"): (20.0, 2.0)}
    assert recurring == {d("2025-01"): (10.0, 1.0)}


def test_expenses_by_month(any_engine: Engine, put: Put) -> None:
    put("expenses", [{"cost": 5, "date": d("2024-02-29")}, {"cost": 7, "date": d("2024-02-01")}])
    with any_engine.connect() as conn:
        assert expenses_by_month(conn, d("2024-02-01"), d("2024-02-29")) == {d("2024-02"): 12.0}


def test_new_mrr_counts_only_customers_whose_first_recurring_order_is_in_range(
    small_company: Engine,
) -> None:
    with small_company.connect() as conn:
        assert new_recurring_mrr(conn, d("2025-08"), d("2024-09"), d("2025-08-31")) == (80.0, 2)
        assert new_recurring_mrr(conn, d("2025-08"), d("2025-09"), d("2025-09-30")) == (None, 0)


@pytest.mark.parametrize(
    ("first_order", "is_new"),
    [("2025-06-01", True), ("2025-08-31", True), ("2025-05-31", False)],
    ids=["window's first day", "window's last day", "day before the window"],
)
def test_new_mrr_window_boundaries(
    any_engine: Engine, put: Put, first_order: str, is_new: bool
) -> None:
    # Window Jun-Aug 2025: new MRR is August's recurring amount from customers whose first
    # subscription/recurring order falls in the window, boundaries included.
    put("customers", [{"id": 1, "name": "Acme"}, {"id": 2, "name": "Bolt"}])
    put(
        "orders",
        [
            {"customer_id": 1, "amount": 70, "profit": 7, "order_date": d(first_order),
             "type": "subscription"},
            {"customer_id": 1, "amount": 40, "profit": 4, "order_date": d("2025-08-15"),
             "type": "recurring"},
            {"customer_id": 2, "amount": 5, "profit": 1, "order_date": d("2024-01-10"),
             "type": "subscription"},
            {"customer_id": 2, "amount": 5, "profit": 1, "order_date": d("2025-08-10"),
             "type": "subscription"},
        ],
    )  # fmt: skip
    with any_engine.connect() as conn:
        amount, customers = new_recurring_mrr(conn, d("2025-08"), d("2025-06"), d("2025-08-31"))
    august_from_acme = 40 + (70 if first_order.startswith("2025-08") else 0)
    assert (amount, customers) == ((august_from_acme, 1) if is_new else (None, 0))


def test_bad_period_keys_are_skipped() -> None:
    assert by_month([("2025-01", 1.0), ("junk", 2.0)]) == {d("2025-01"): 1.0}
