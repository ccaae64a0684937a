"""Running totals by industry and source follow orders and customers; the distinct-names flag is
set exactly when every customer with orders is a slice of its own."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db import label_totals
from execdash.db import schema as s
from execdash.db.changes import catch_up, record_data_change


def _company(conn: sa.Connection) -> None:
    conn.execute(
        s.customers.insert(),
        [
            {"id": 1, "name": "Acme", "industry": "Food", "source": "Inbound"},
            {"id": 2, "name": "Bolt", "industry": "Food", "source": ""},
            {"id": 3, "name": "Crux", "industry": None, "source": "Partner"},
        ],
    )
    conn.execute(
        s.orders.insert(),
        [
            {"customer_id": 1, "amount": 100.0, "profit": 10.0,
             "order_date": dt.date(2025, 1, 5), "type": "recognized"},
            {"customer_id": 2, "amount": 40.0, "profit": 4.0,
             "order_date": dt.date(2025, 2, 7), "type": "booked"},
            {"customer_id": 3, "amount": 7.0, "profit": 1.0,
             "order_date": dt.date(2025, 2, 9), "type": "subscription"},
            {"customer_id": None, "amount": 5.0, "profit": 0.5,
             "order_date": dt.date(2025, 1, 20), "type": None},
        ],
    )  # fmt: skip
    record_data_change(conn, ["customers", "orders"])


def _sums(conn: sa.Connection, dimension: str, month: str) -> dict[str, tuple[float, int]]:
    """Σ amount and orders of every type per label at the end of `month`."""
    rows = label_totals.snapshot(conn)
    return {r[2]: (r[3], r[5]) for r in rows if r[0] == dimension and r[1] == month}  # type: ignore[misc]


def test_industries_and_sources_sum_their_customers_running_totals(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        _company(conn)
    with any_engine.connect() as conn:
        assert _sums(conn, "industry", "2025-01") == {"Food": (100.0, 1), "(unknown)": (5.0, 1)}
        assert _sums(conn, "industry", "2025-02") == {"Food": (140.0, 2), "(unknown)": (12.0, 2)}
        assert _sums(conn, "source", "2025-02") == {
            "Inbound": (100.0, 1),
            "(unknown)": (45.0, 2),  # Bolt's empty source and the order without a customer
            "Partner": (7.0, 1),
        }
        assert label_totals.readiness(conn) == (True, True)
        assert label_totals.snapshot(conn) == label_totals.recompute(conn)


def test_a_customer_moved_to_another_industry_moves_its_history(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        _company(conn)
    with any_engine.begin() as conn:
        conn.execute(s.customers.update().where(s.customers.c.id == 1).values(industry="Retail"))
        record_data_change(conn, ["customers"])
    with any_engine.connect() as conn:
        assert _sums(conn, "industry", "2025-02") == {
            "Food": (40.0, 1),
            "Retail": (100.0, 1),
            "(unknown)": (12.0, 2),
        }
        assert label_totals.snapshot(conn) == label_totals.recompute(conn)


def test_another_programs_change_of_customers_is_not_read_until_caught_up(
    any_engine: Engine,
) -> None:
    with any_engine.begin() as conn:
        _company(conn)
    with any_engine.begin() as conn:  # an ETL job's UPDATE: only the triggers see it
        conn.execute(sa.text("UPDATE customers SET name = 'Acme' WHERE id = 2"))
    with any_engine.connect() as conn:
        assert label_totals.readiness(conn) == (False, False)
    with any_engine.begin() as conn:
        assert catch_up(conn)
    with any_engine.connect() as conn:
        assert label_totals.readiness(conn) == (True, False)  # two customers named Acme now


@pytest.mark.parametrize(
    ("change", "distinct"),
    [
        ("UPDATE customers SET name = 'Zed' WHERE id = 2", True),
        ("UPDATE customers SET name = 'Acme' WHERE id = 2", False),  # a name repeated
        ("UPDATE customers SET name = '' WHERE id = 2", False),  # merged with no customer
        ("UPDATE customers SET name = '(no customer)' WHERE id = 2", False),
        ("DELETE FROM customers WHERE id = 9", True),
    ],
)
def test_names_are_distinct_only_when_no_two_customers_would_merge(
    any_engine: Engine, change: str, distinct: bool
) -> None:
    with any_engine.begin() as conn:
        _company(conn)
        conn.execute(sa.text(change))
        record_data_change(conn, ["customers"])
    with any_engine.connect() as conn:
        assert label_totals.readiness(conn) == (True, distinct)


def test_two_customer_ids_without_a_row_are_not_distinct(engine: Engine) -> None:
    with engine.begin() as conn:
        _company(conn)
    with engine.connect() as conn:
        # Customer 3's orders moved to an id without a row, as a tool writing with foreign keys
        # off leaves them: that id and the orders without a customer are both "(no customer)".
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        with conn.begin():
            conn.execute(
                s.orders.update().where(s.orders.c.customer_id == 3).values(customer_id=99)
            )
            record_data_change(conn, ["orders"])
        raw.execute("PRAGMA foreign_keys=ON")
        assert label_totals.readiness(conn) == (True, False)
