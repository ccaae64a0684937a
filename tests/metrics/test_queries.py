"""Shared monthly fetches: latest month, the column allow-list, month keys on both backends."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine

from execdash.db.changes import record_data_change
from execdash.metrics.queries import (
    by_month,
    data_months,
    expenses_by_month,
    latest_month,
    new_recurring_mrr,
    new_recurring_mrr_many,
    orders_by_month,
    period_column,
)
from tests.metrics.conftest import Put, d


def test_latest_month_is_the_newest_revenue_trend_period(any_engine: Engine, put: Put) -> None:
    put("revenue_trend", [{"period": "2025-02"}, {"period": "2024-12"}])
    put("ops_uptime", [{"period": "2026-01", "uptime": 0.9}])
    with any_engine.connect() as conn:
        assert latest_month(conn) == dt.date(2025, 2, 1)


def test_data_months_are_the_first_and_latest_revenue_trend_periods(
    any_engine: Engine, put: Put
) -> None:
    with any_engine.connect() as conn:
        assert data_months(conn) == (None, None)  # no data yet
    put("revenue_trend", [{"period": "2025-02"}, {"period": "2023-11"}, {"period": "2024-06"}])
    with any_engine.connect() as conn:
        assert data_months(conn) == (dt.date(2023, 11, 1), dt.date(2025, 2, 1))


def test_new_mrr_from_raw_orders_dates_a_customer_by_its_first_recurring_order_and_sums_only_those(
    any_engine: Engine, put: Put
) -> None:
    """A one-off order years before does not make a new subscriber old, and its other orders
    in the month are not MRR (raw orders: no rollup is marked ready here)."""
    put("customers", [{"id": 1, "name": "Acme"}])
    put(
        "orders",
        [
            {"customer_id": 1, "amount": a, "profit": 0, "order_date": d(day), "type": kind}
            for a, day, kind in [
                (100.0, "2024-01-10", "recognized"),
                (50.0, "2025-06-05", "subscription"),
                (999.0, "2025-08-10", "recognized"),
                (80.0, "2025-08-20", "recurring"),
            ]
        ],
    )
    with any_engine.connect() as conn:
        assert new_recurring_mrr(conn, d("2025-08"), d("2025-06"), d("2025-08-31")) == (80.0, 1)


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
            {"customer_id": 1, "amount": 900, "profit": 9, "order_date": d("2025-09-01"),
             "type": "recurring"},  # September's: never in August's MRR
        ],
    )  # fmt: skip
    with any_engine.connect() as conn:
        amount, customers = new_recurring_mrr(conn, d("2025-08"), d("2025-06"), d("2025-08-31"))
    august_from_acme = 40 + (70 if first_order.startswith("2025-08") else 0)
    assert (amount, customers) == ((august_from_acme, 1) if is_new else (None, 0))


@pytest.mark.parametrize("rollups", [False, True], ids=["raw orders", "rollups"])
def test_new_mrr_of_many_windows_equals_one_window_at_a_time(
    small_company: Engine, rollups: bool
) -> None:
    if rollups:
        with small_company.begin() as conn:
            record_data_change(conn, ["orders"])
    keys = [
        (d("2025-08"), d("2024-09"), d("2025-08-31")),
        (d("2024-08"), d("2023-09"), d("2024-08-31")),
        (d("2025-08"), d("2025-09"), d("2025-09-30")),
        *((d(m), d(m), d(m) + dt.timedelta(days=27)) for m in ("2025-02", "2025-03")),
        (d("2025-08"), d("2025-08-02"), d("2025-08-20")),  # not whole months: raw orders
        *((d(f"2025-{m:02d}"), d(f"2025-{m:02d}"), d(f"2025-{m + 1:02d}") - dt.timedelta(1))
          for m in range(1, 9)),
    ]  # fmt: skip
    with small_company.connect() as conn:
        many = new_recurring_mrr_many(conn, keys)
        assert many == {k: new_recurring_mrr(conn, *k) for k in keys}
    assert many[keys[0]] == (80.0, 2)


def test_bad_period_keys_are_skipped() -> None:
    assert by_month([("2025-01", 1.0), ("junk", 2.0)]) == {d("2025-01"): 1.0}


def test_datetimes_written_by_other_tools_on_the_windows_last_day_are_inside_on_every_path(
    any_engine: Engine,
) -> None:
    """Rows another tool wrote with a time of day (`2025-08-31 18:00:00`) count in August on the
    raw tables and, once the rollups are built, on the rollups too; a row at midnight on the next
    day stays out."""
    import sqlalchemy as sa

    from execdash.db.changes import record_data_change
    from execdash.db.rollups import SOURCES
    from execdash.metrics import executive, feedback, products, sales
    from execdash.metrics.breakdowns import kpi_breakdown
    from execdash.metrics.windows import resolve_window

    last, after = "2025-08-31 18:00:00", "2025-09-01 00:00:00"
    statements = [
        "INSERT INTO customers (id, name, industry, source, created_at) VALUES "
        f"(1, 'Acme', 'Food', 'Web', '{last}'), (2, 'Bolt', 'Food', 'Web', '{after}')",
        "INSERT INTO revenue_trend (period, recognized, booked, backlog) VALUES "
        "('2025-08', 100, 100, 100)",
        "INSERT INTO orders (customer_id, amount, profit, order_date, type) VALUES "
        f"(1, 100, 40, '{last}', 'recognized'), (1, 50, 5, '{last}', 'subscription'),"
        f"(1, 999, 999, '{after}', 'recognized'), (1, 999, 999, '{after}', 'subscription')",
        f"INSERT INTO expenses (cost, date) VALUES (30, '{last}'), (999, '{after}')",
        "INSERT INTO pipeline_stages_daily (period, stage_name, value) VALUES "
        f"('{last}', 'Leads', 7), ('{after}', 'Leads', 999)",
        "INSERT INTO top_products_daily (period, name, revenue) VALUES "
        f"('{last}', 'Press', 60), ('{after}', 'Press', 999)",
        f"INSERT INTO page_visits (visit_date, page_name) VALUES ('{last}', 'home'), "
        f"('{after}', 'home')",
    ]
    with any_engine.begin() as conn:  # plain SQL, as sqlite3 or psql would write it
        for statement in statements:
            conn.execute(sa.text(statement))
    window = resolve_window("3m", "month", "2025-08")

    def answers() -> dict[str, object]:
        with any_engine.connect() as conn:
            kpis = {k.key: k.value for k in executive.kpis(conn, window, fresh=True)}
            sold = sales.overview(conn, window)
            marketing = feedback.overview(conn, window)
            return {
                "gm": kpis["gm"],
                "arr": kpis["arr"],
                "payback_expenses": executive.kpi(conn, window, "payback")
                .provenance.inputs[0]
                .value,
                "revenue_by_customer": [
                    (i.name, i.value)
                    for i in kpi_breakdown(conn, window, "revenue", "customer").items
                ],
                "leads": next(s.total for s in sold.series if s.key == "leads"),
                "new_customers": next(k.value for k in sold.kpis if k.key == "new_customers"),
                "product_revenue": products.overview(conn, window).kpis[0].value,
                "visits": next(s.total for s in marketing.series if s.key == "page_visits"),
            }

    raw = answers()
    assert raw == {
        "gm": 45 / 150,
        "arr": 600.0,
        "payback_expenses": 30.0,
        "revenue_by_customer": [("Acme", 100.0)],
        "leads": 7.0,
        "new_customers": 1.0,
        "product_revenue": 60.0,
        "visits": 1.0,
    }
    with any_engine.begin() as conn:
        record_data_change(conn, sorted(SOURCES))  # builds every rollup and marks them ready
    assert answers() == raw


def test_statements_built_once_read_each_calls_own_span(any_engine: Engine, put: Put) -> None:
    """`period_column` and `orders_by_month` keep one statement per shape and bind each call's
    months: a second span never reads the first one's (nor does an open-ended span)."""
    put(
        "revenue_trend",
        [
            {"period": f"2025-0{m}", "recognized": float(m), "booked": 0.0, "backlog": 0.0}
            for m in (1, 2, 3)
        ],
    )
    put(
        "orders",
        [
            {"amount": 10 * m, "profit": m, "order_date": d(f"2025-0{m}-15"), "type": "booked"}
            for m in (1, 2, 3)
        ],
    )
    with any_engine.connect() as conn:
        first = period_column(conn, "revenue_trend", "recognized", d("2025-01"), d("2025-02"))
        second = period_column(conn, "revenue_trend", "recognized", d("2025-02"), d("2025-03"))
        until = period_column(conn, "revenue_trend", "recognized", None, d("2025-01"))
        since = period_column(conn, "revenue_trend", "recognized", d("2025-03"))
        january = orders_by_month(conn, d("2025-01-01"), d("2025-01-31"))
        spring = orders_by_month(conn, d("2025-02-01"), d("2025-03-31"), ["booked"])
        mid = orders_by_month(conn, d("2025-01-16"), d("2025-02-15"))  # raw orders, by day
    assert first == [("2025-01", 1.0), ("2025-02", 2.0)]
    assert second == [("2025-02", 2.0), ("2025-03", 3.0)]
    assert until == [("2025-01", 1.0)]
    assert since == [("2025-03", 3.0)]
    assert january == {d("2025-01"): (10.0, 1.0)}
    assert spring == {d("2025-02"): (20.0, 2.0), d("2025-03"): (30.0, 3.0)}
    assert mid == {d("2025-02"): (20.0, 2.0)}
