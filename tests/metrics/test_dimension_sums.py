"""Window sums from running totals equal the same sums over the raw orders, for any window."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine

from execdash.db.changes import record_data_change
from execdash.metrics.breakdowns import orders_by_dimension
from execdash.metrics.dimension_sums import window_sums
from tests.metrics.conftest import Put, d

WINDOWS = [
    (d("2025-01-01"), d("2025-03-31")),  # before the first order and into it
    (d("2025-02-01"), d("2025-02-28")),  # one month
    (d("2025-03-01"), d("2025-03-31")),  # a month with no order at all
    (d("2025-02-01"), d("2025-06-30")),  # across the gap
    (d("2025-05-01"), d("2025-12-31")),  # past the latest data month
    (d("2026-01-01"), d("2026-03-31")),  # entirely after the data
    (d("2024-01-01"), d("2024-12-31")),  # entirely before the data
]
KINDS: list[dict[str, object]] = [
    {},
    {"types": ("recognized",)},
    {"types": ("booked",)},
    {"types": ("recurring", "subscription")},
]


def _company(put: Put) -> None:
    put(
        "customers",
        [
            {"id": 1, "name": "Acme", "industry": "Retail", "source": "Inbound"},
            {"id": 2, "name": "Bolt", "industry": "Retail", "source": None},
            {"id": 3, "name": "Acme", "industry": "Food", "source": "Partner"},
        ],
    )
    put(
        "orders",
        [
            {"customer_id": 1, "amount": 100, "profit": 40, "order_date": d("2025-02-01"),
             "type": "recognized"},
            {"customer_id": 1, "amount": 70, "profit": 5, "order_date": d("2025-02-28"),
             "type": "booked"},
            {"customer_id": 2, "amount": 30, "profit": 3, "order_date": d("2025-04-15"),
             "type": None},
            {"customer_id": None, "amount": 9, "profit": 1, "order_date": d("2025-04-02"),
             "type": "subscription"},
            {"customer_id": 3, "amount": 12.5, "profit": 2, "order_date": d("2025-06-30"),
             "type": "recurring"},
            {"customer_id": 2, "amount": 500, "profit": 50, "order_date": d("2025-06-01"),
             "type": "recognized"},
        ],
    )  # fmt: skip


def _merged(
    rows: list[tuple[str | None, float, float, int]],
) -> dict[str | None, tuple[float, ...]]:
    """Rows by name (the running totals give one row per customer, names may repeat)."""
    out: dict[str | None, tuple[float, ...]] = {}
    for name, amount, profit, orders in rows:
        a, p, n = out.get(name, (0.0, 0.0, 0))
        out[name] = (a + amount, p + profit, n + orders)
    return out


def test_every_window_and_type_set_matches_the_raw_orders(any_engine: Engine, put: Put) -> None:
    _company(put)
    cases = [
        (w, dim, kw) for w in WINDOWS for dim in ("customer", "industry", "source") for kw in KINDS
    ]
    with any_engine.connect() as conn:
        assert window_sums(conn, "customer", *WINDOWS[0]) is None  # not ready: nothing answered
        raw = [_merged(orders_by_dimension(conn, dim, *w, **kw)) for w, dim, kw in cases]  # type: ignore[arg-type]
    with any_engine.begin() as conn:
        record_data_change(conn, ["orders"])  # rebuilds the rollups and marks them ready
    with any_engine.connect() as conn:
        for (w, dim, kw), expected in zip(cases, raw, strict=True):
            found = window_sums(conn, dim, *w, **kw)  # type: ignore[arg-type]
            assert found is not None
            got = _merged(found)
            assert got.keys() == expected.keys(), (w, dim, kw)
            for name, sums in expected.items():
                assert got[name] == pytest.approx(sums), (w, dim, kw, name)


def test_two_customers_of_one_name_come_as_two_rows_with_their_order_counts(
    any_engine: Engine, put: Put
) -> None:
    _company(put)
    with any_engine.begin() as conn:
        record_data_change(conn, ["orders"])
        found = window_sums(conn, "customer", d("2025-01-01"), d("2025-06-30"))
    assert found is not None
    assert sorted(found, key=str) == [
        ("Acme", 12.5, 2.0, 1),
        ("Acme", 170.0, 45.0, 2),
        ("Bolt", 530.0, 53.0, 2),
        (None, 9.0, 1.0, 1),
    ]


def test_a_type_set_not_kept_is_left_to_the_rollup(any_engine: Engine, put: Put) -> None:
    _company(put)
    with any_engine.begin() as conn:
        record_data_change(conn, ["orders"])
        assert window_sums(conn, "industry", d("2025-01-01"), d("2025-06-30"), types=("x",)) is None
        span = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
        assert window_sums(conn, "source", *span, types=("booked", "recognized")) is None
