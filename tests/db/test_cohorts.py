"""Each customer's first recurring month follows the MRR rollup through every kind of change."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db import cohorts, rollups
from execdash.db import schema as s
from execdash.db.changes import record_data_change


def _order(customer: int | None, day: str, kind: str | None = "subscription") -> dict[str, object]:
    return {
        "customer_id": customer,
        "amount": 100.0,
        "profit": 10.0,
        "order_date": dt.date.fromisoformat(day),
        "type": kind,
    }


def test_first_months_come_from_recurring_orders_only(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        conn.execute(s.customers.insert(), [{"id": i, "name": f"c{i}"} for i in (1, 2, 3)])
        conn.execute(
            s.orders.insert(),
            [
                _order(1, "2025-01-15", "booked"),  # not recurring: does not start a cohort
                _order(1, "2025-03-02"),
                _order(2, "2025-02-20", "recurring"),
                _order(None, "2025-01-01"),  # no customer: no cohort
                _order(3, "2025-04-01", None),
            ],
        )
        record_data_change(conn, ["orders"])
        assert cohorts.snapshot(conn) == [(1, "2025-03"), (2, "2025-02")]


def test_an_appended_earlier_order_moves_the_cohort_and_a_later_one_does_not(
    any_engine: Engine,
) -> None:
    with any_engine.begin() as conn:
        conn.execute(s.customers.insert(), [{"id": i, "name": f"c{i}"} for i in (1, 2, 3)])
        conn.execute(s.orders.insert(), [_order(1, "2025-03-02"), _order(2, "2025-02-20")])
        record_data_change(conn, ["orders"])
        mark = rollups.append_marks(conn, ["orders"])["orders"]
        conn.execute(
            s.orders.insert(),
            [_order(1, "2025-01-09"), _order(2, "2025-06-01"), _order(3, "2025-05-05")],
        )
        record_data_change(conn, ["orders"], {"orders": rollups.Appended(mark)})
        assert cohorts.snapshot(conn) == [(1, "2025-01"), (2, "2025-02"), (3, "2025-05")]
        assert cohorts.snapshot(conn) == cohorts.recompute(conn)


def test_deleting_a_first_order_moves_the_cohort_later(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        conn.execute(s.customers.insert(), [{"id": 1, "name": "c1"}])
        conn.execute(s.orders.insert(), [_order(1, "2025-01-09"), _order(1, "2025-04-01")])
        record_data_change(conn, ["orders"])
        assert cohorts.snapshot(conn) == [(1, "2025-01")]
        conn.execute(s.orders.delete().where(s.orders.c.order_date == dt.date(2025, 1, 9)))
        hint = (dt.date(2025, 1, 9), dt.date(2025, 1, 9))
        record_data_change(conn, ["orders"], {"orders": hint})
        assert cohorts.snapshot(conn) == [(1, "2025-04")]
        conn.execute(sa.delete(s.orders))
        record_data_change(conn, ["orders"])
        assert cohorts.snapshot(conn) == []
