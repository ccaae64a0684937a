"""Helpers for metrics tests: hand-built rows inserted through the schema's tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db import schema as s

Put = Callable[[str, Sequence[Mapping[str, Any]]], None]


def d(text: str) -> dt.date:
    """A date from `YYYY-MM-DD` or the first of a `YYYY-MM` month."""
    return dt.date.fromisoformat(text if len(text) == 10 else text + "-01")


def months(first: str, count: int) -> list[str]:
    """`count` consecutive `YYYY-MM` keys starting at `first`."""
    start = d(first)
    out = []
    for i in range(count):
        index = start.year * 12 + start.month - 1 + i
        out.append(f"{index // 12:04d}-{index % 12 + 1:02d}")
    return out


@pytest.fixture
def put(any_engine: Engine) -> Put:
    """Insert rows into a seed table of the test database (both backends), committed."""

    def insert(table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        with any_engine.begin() as conn:
            conn.execute(sa.insert(s.metadata.tables[table]), list(rows))

    return insert


W12 = months("2024-09", 12)
"""The 12 months of the `12m` window ending 2025-08."""


@pytest.fixture
def small_company(any_engine: Engine, put: Put) -> Engine:
    """A hand-built company whose KPIs for 12m ending 2025-08 are computed by hand in the tests.

    recognized 100/month, booked 120/month over the window, 50 in 2024-08; backlog 1000 at the
    end; three subscription customers (c1 before the window, c2 and c3 new inside it); an order
    and an expense dated on the window's last day and one each the day after.
    """
    put(
        "revenue_trend",
        [{"period": "2024-08", "recognized": 50, "booked": 40, "backlog": 800}]
        + [
            {
                "period": m,
                "recognized": 100,
                "booked": 120,
                "backlog": 1000 if m == W12[-1] else 900,
            }
            for m in W12
        ],
    )
    put(
        "ops_uptime", [{"period": "2025-07", "uptime": 0.98}, {"period": "2025-08", "uptime": 99.0}]
    )
    put(
        "retention_nrr", [{"period": "2025-06", "nrr": 1.08, "gross_churn": 0.02, "expansion": 0.1}]
    )
    customers = [
        (1, "Acme", "Food", "Inbound", "2023-06"),
        (2, "Bolt", "Health", "Partner", "2025-03"),
        (3, "Crux", "Food", "Inbound", "2025-08-31"),
    ]
    put(
        "customers",
        [
            {"id": i, "name": n, "industry": ind, "source": src, "created_at": d(c)}
            for i, n, ind, src, c in customers
        ],
    )
    orders = [
        (1, 100, 50, "2024-01-15", "subscription"),
        (1, 100, 50, "2025-08-31", "subscription"),
        (2, 50, 20, "2025-03-10", "subscription"),
        (2, 50, 20, "2025-08-01", "recurring"),
        (3, 30, 10, "2025-08-15", "subscription"),
        (1, 1000, 1000, "2025-09-01", "recognized"),
    ]
    put(
        "orders",
        [
            {"customer_id": c, "amount": a, "profit": p, "order_date": d(day), "type": kind}
            for c, a, p, day, kind in orders
        ],
    )
    put(
        "expenses",
        [{"cost": 400, "date": d("2025-08-31")}, {"cost": 9999, "date": d("2025-09-01")}],
    )
    return any_engine
