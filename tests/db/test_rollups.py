"""Rollups follow every recorded change and always equal a full recompute from the raw tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from execdash.db import cohorts, cumulative, label_totals, mrr_moves, rollups
from execdash.db import schema as s
from execdash.db import tables as t
from execdash.db.changes import record_data_change
from execdash.ingest import run_import

TYPES = (None, "booked", "recognized", "subscription", "recurring")
CUSTOMERS = (1, 2, 3)
DAYS = st.dates(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
MONEY = st.integers(-5_000, 50_000).map(lambda cents: cents / 100)


def _customers(conn: sa.Connection) -> None:
    conn.execute(
        s.customers.insert(),
        [
            {"id": i, "name": f"c{i}", "industry": industry, "source": source}
            for i, industry, source in zip(
                CUSTOMERS, ("Food", "Food", ""), ("Inbound", None, "Partner"), strict=True
            )
        ],
    )


def _assert_consistent(conn: sa.Connection) -> None:
    for rollup in rollups.ROLLUPS:
        kept = rollups.snapshot(conn, rollup)
        fresh = rollups.recompute(conn, rollup)
        name = rollup.target.name
        assert len(kept) == len(fresh), name
        for mine, theirs in zip(kept, fresh, strict=True):
            for a, b in zip(mine, theirs, strict=True):
                assert a == (pytest.approx(b) if isinstance(b, float) else b), (name, mine, theirs)
    assert cohorts.snapshot(conn) == cohorts.recompute(conn)
    kept, fresh = cumulative.snapshot(conn), cumulative.recompute(conn)
    assert [r[:2] for r in kept] == [r[:2] for r in fresh]
    for mine, theirs in zip(kept, fresh, strict=True):
        assert mine == pytest.approx(theirs, abs=1e-6), (cumulative.CUM.name, mine, theirs)
    kept, fresh = label_totals.snapshot(conn), label_totals.recompute(conn)
    assert [r[:3] for r in kept] == [r[:3] for r in fresh]
    for mine, theirs in zip(kept, fresh, strict=True):
        assert mine[3:] == pytest.approx(theirs[3:], abs=1e-6), (label_totals.LABEL.name, mine)
    _assert_movements_equal_a_rebuild(conn)


def _assert_movements_equal_a_rebuild(conn: sa.Connection) -> None:
    """The MRR movements kept through every change equal those rebuilt from the rollup now."""
    kept = mrr_moves.snapshot(conn)
    savepoint = conn.begin_nested()
    mrr_moves.rebuild(conn, mark=False)
    fresh = mrr_moves.snapshot(conn)
    savepoint.rollback()
    for mine, theirs, keys in zip(kept, fresh, (1, 3), strict=True):
        assert [r[:keys] for r in mine] == [r[:keys] for r in theirs]
        for a, b in zip(mine, theirs, strict=True):
            assert a == pytest.approx(b, abs=1e-6), (a, b)


def test_appended_orders_are_summed_by_month_and_type(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        _customers(conn)
        conn.execute(
            s.orders.insert(),
            [
                {
                    "customer_id": 1,
                    "amount": 100.0,
                    "profit": 30.0,
                    "order_date": dt.date(2025, 1, 5),
                    "type": "booked",
                },
                {
                    "customer_id": 2,
                    "amount": 50.0,
                    "profit": 10.0,
                    "order_date": dt.date(2025, 1, 31),
                    "type": "booked",
                },
                {
                    "customer_id": 1,
                    "amount": 900.0,
                    "profit": 700.0,
                    "order_date": dt.date(2025, 2, 1),
                    "type": "subscription",
                },
                {
                    "customer_id": None,
                    "amount": 20.0,
                    "profit": 5.0,
                    "order_date": dt.date(2025, 2, 9),
                    "type": None,
                },
            ],
        )
        record_data_change(conn, ["orders"])
        orders = conn.execute(sa.select(t.rollup_orders_month).order_by("month", "type")).all()
        mrr = conn.execute(sa.select(t.rollup_mrr_month_customer)).all()
    assert [tuple(r) for r in orders] == [
        ("2025-01", "booked", 150.0, 40.0, 2),
        ("2025-02", "", 20.0, 5.0, 1),
        ("2025-02", "subscription", 900.0, 700.0, 1),
    ]
    assert [tuple(r) for r in mrr] == [("2025-02", 1, 900.0, 1)]


def test_events_and_visits_are_counted_by_day(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        conn.execute(
            s.user_events.insert(),
            [
                {"event_type": "login", "event_time": dt.datetime(2025, 3, 1, 23, 59)},
                {"event_type": "login", "event_time": dt.datetime(2025, 3, 1, 0, 0)},
                {"event_type": "login", "event_time": dt.datetime(2025, 3, 2, 0, 0)},
            ],
        )
        conn.execute(
            s.page_visits.insert(),
            [{"visit_date": dt.date(2025, 3, 1), "page_name": "/pricing"}] * 2,
        )
        record_data_change(conn, ["user_events", "page_visits"])
        events = conn.execute(sa.select(t.rollup_user_events_day).order_by("day")).all()
        visits = conn.execute(sa.select(t.rollup_page_visits_day)).all()
    assert [tuple(r) for r in events] == [("2025-03-01", "login", 2), ("2025-03-02", "login", 1)]
    assert [tuple(r) for r in visits] == [("2025-03-01", "/pricing", 2)]


def test_a_date_range_refresh_leaves_other_months_alone(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            s.expenses.insert(),
            [
                {"cost": 10.0, "date": dt.date(2025, 1, 9)},
                {"cost": 7.0, "date": dt.date(2025, 2, 9)},
            ],
        )
        record_data_change(conn, ["expenses"])
        # Changed behind the rollup's back in January, then a recorded change in February only.
        conn.execute(s.expenses.update().where(s.expenses.c.cost == 10.0).values(cost=11.0))
        conn.execute(s.expenses.insert().values(cost=1.0, date=dt.date(2025, 2, 28)))
        feb = (dt.date(2025, 2, 28), dt.date(2025, 2, 28))
        rollups.refresh(conn, ["expenses"], {"expenses": feb})
        rows = conn.execute(sa.select(t.rollup_expenses_month).order_by("month")).all()
    assert [tuple(r) for r in rows] == [("2025-01", 10.0, 1), ("2025-02", 8.0, 2)]


def test_full_rebuild_catches_up_with_unrecorded_writes(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        conn.execute(s.expenses.insert().values(cost=3.5, date=dt.date(2024, 12, 31)))
        written = rollups.rebuild_all(conn)
        rows = conn.execute(sa.select(t.rollup_expenses_month)).all()
    assert written["execdash_rollup_expenses_month"] == 1
    assert [tuple(r) for r in rows] == [("2024-12", 3.5, 1)]


def test_an_import_refreshes_the_rollups_in_its_transaction(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "expenses.csv"
    path.write_text("id,cost,date\n1,5,2025-04-01\n2,6,2025-04-30\n")
    assert run_import(engine, [path]).ok
    path.write_text("id,cost,date\n2,1,2025-05-01\n")
    assert run_import(engine, [path], mode="upsert").ok
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t.rollup_expenses_month).order_by("month")).all()
        _assert_consistent(conn)
    assert [tuple(r) for r in rows] == [("2025-04", 5.0, 1), ("2025-05", 1.0, 1)]


def test_daily_funnel_and_product_imports_keep_their_monthly_rollups(
    engine: Engine, tmp_path: Path
) -> None:
    funnel = tmp_path / "pipeline_stages_daily.csv"
    funnel.write_text(
        "period,stage_name,value\n2025-04-01,Leads,10\n2025-04-30,Leads,5\n2025-05-02,SQL,3\n"
    )
    products = tmp_path / "top_products_daily.csv"
    products.write_text("period,name,revenue\n2025-04-03,Kit,100\n2025-04-04,Kit,50.5\n")
    assert run_import(engine, [funnel, products]).ok  # tables without an id: no appended hint
    funnel.write_text("period,stage_name,value\n2025-05-03,SQL,4\n")
    assert run_import(engine, [funnel]).ok
    with engine.connect() as conn:
        pipeline = conn.execute(sa.select(t.rollup_pipeline_month).order_by("month")).all()
        revenue = conn.execute(sa.select(t.rollup_product_revenue_month)).all()
        _assert_consistent(conn)
    assert [tuple(r) for r in pipeline] == [
        ("2025-04", "Leads", 15.0, 2),
        ("2025-05", "SQL", 7.0, 2),
    ]
    assert [tuple(r) for r in revenue] == [("2025-04", "Kit", 150.5, 2)]


def test_funnel_and_product_queries_read_the_same_from_rollups_as_from_raw_rows(
    any_engine: Engine,
) -> None:
    from execdash.metrics.executive import pipeline_stage_by_month
    from execdash.metrics.products import product_revenue_by_month, top_products
    from execdash.metrics.windows import resolve_window

    with any_engine.begin() as conn:
        conn.execute(
            s.pipeline_stages_daily.insert(),
            [
                {"period": dt.date(2025, m, d), "stage_name": stage, "value": m * d}
                for m in (1, 2, 3)
                for d in (1, 15, 28)
                for stage in ("Leads", "Won")
            ],
        )
        conn.execute(
            s.top_products_daily.insert(),
            [
                {"period": dt.date(2025, m, d), "name": name, "revenue": m * d * 1.5}
                for m in (1, 2, 3)
                for d in (2, 20)
                for name in ("Kit", "Pod", "Cap")
            ],
        )
        window = resolve_window("3m", "month", "2025-03")
        jan, mar_end = dt.date(2025, 1, 1), dt.date(2025, 3, 31)

        def answers() -> tuple[object, ...]:
            return (
                pipeline_stage_by_month(conn, "Leads", jan, mar_end),
                pipeline_stage_by_month(conn, "Won", dt.date(2025, 2, 1), mar_end),
                product_revenue_by_month(conn, jan, mar_end),
                top_products(conn, window),
            )

        raw = answers()
        record_data_change(conn, ["pipeline_stages_daily", "top_products_daily"])
        assert rollups.is_ready(conn, rollups.by_target("execdash_rollup_pipeline_month"))
        assert answers() == raw
    assert raw[0][dt.date(2025, 2, 1)] == 2 * (1 + 15 + 28)
    assert raw[2][dt.date(2025, 3, 1)] == pytest.approx(3 * (2 + 20) * 1.5 * 3)


order_rows = st.fixed_dictionaries(
    {
        "customer_id": st.sampled_from((None, *CUSTOMERS)),
        "amount": MONEY,
        "profit": MONEY,
        "order_date": DAYS,
        "type": st.sampled_from(TYPES),
    }
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("append"), st.lists(order_rows, min_size=1, max_size=5)),
        st.tuples(st.just("upsert"), st.integers(1, 12), order_rows),
        st.tuples(st.just("delete"), st.integers(1, 12), st.just(None)),
        st.tuples(st.just("expense"), MONEY, DAYS),
        st.tuples(st.just("event"), st.sampled_from(("login", "alarm")), DAYS),
    ),
    min_size=1,
    max_size=12,
)


def _dates_of(conn: sa.Connection, order_id: int) -> list[dt.date]:
    found = conn.execute(sa.select(s.orders.c.order_date).where(s.orders.c.id == order_id))
    return [d for (d,) in found]


def _apply(conn: sa.Connection, step: tuple[object, ...], ranged: bool) -> None:
    kind = step[0]
    touched: list[dt.date] = []
    table = "orders"
    if kind == "append":
        marks = rollups.append_marks(conn, ["orders"])
        # Explicit ids after the largest: PostgreSQL's sequence does not see upserted ids.
        new = [{**row, "id": marks["orders"] + i} for i, row in enumerate(step[1], start=1)]  # type: ignore[call-overload]
        conn.execute(s.orders.insert(), new)
        if ranged:  # the import path: only the appended rows are added to the sums
            record_data_change(
                conn, ["orders"], rollups.appended(conn, marks, {"orders": len(new)})
            )
            return
        touched = [r["order_date"] for r in new]
    elif kind == "upsert":
        order_id, row = step[1], dict(step[2])  # type: ignore[call-overload]
        touched = [*_dates_of(conn, order_id), row["order_date"]]  # type: ignore[arg-type]
        updated = conn.execute(s.orders.update().where(s.orders.c.id == order_id).values(row))
        if not updated.rowcount:
            conn.execute(s.orders.insert().values(id=order_id, **row))
    elif kind == "delete":
        touched = _dates_of(conn, step[1])  # type: ignore[arg-type]
        conn.execute(s.orders.delete().where(s.orders.c.id == step[1]))
    elif kind == "expense":
        table, touched = "expenses", [step[2]]  # type: ignore[list-item]
        conn.execute(s.expenses.insert().values(cost=step[1], date=step[2]))
    else:
        table = "user_events"
        day: dt.date = step[2]  # type: ignore[assignment]
        touched = [day]
        conn.execute(
            s.user_events.insert().values(
                event_type=step[1], event_time=dt.datetime.combine(day, dt.time(12))
            )
        )
    dates = {table: (min(touched), max(touched))} if ranged and touched else None
    record_data_change(conn, [table], dates)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=steps, ranged=st.booleans())
def test_random_writes_keep_every_rollup_equal_to_a_recompute(
    any_engine: Engine, sequence: list[tuple[object, ...]], ranged: bool
) -> None:
    with any_engine.connect() as conn:
        trans = conn.begin()
        try:
            _customers(conn)
            for step in sequence:
                _apply(conn, step, ranged)
            _assert_consistent(conn)
        finally:
            trans.rollback()


def test_monthly_queries_read_the_same_numbers_from_rollups_as_from_raw_rows(
    any_engine: Engine,
) -> None:
    from execdash.metrics import queries

    with any_engine.begin() as conn:
        _customers(conn)
        conn.execute(
            s.orders.insert(),
            [
                {
                    "customer_id": 1,
                    "amount": 900.0,
                    "profit": 700.0,
                    "order_date": dt.date(2025, 1, 3),
                    "type": "subscription",
                },
                {
                    "customer_id": 1,
                    "amount": 950.0,
                    "profit": 700.0,
                    "order_date": dt.date(2025, 2, 3),
                    "type": "subscription",
                },
                {
                    "customer_id": 2,
                    "amount": 300.0,
                    "profit": 100.0,
                    "order_date": dt.date(2025, 2, 28),
                    "type": "recurring",
                },
                {
                    "customer_id": 3,
                    "amount": 80.0,
                    "profit": 10.0,
                    "order_date": dt.date(2025, 2, 14),
                    "type": "booked",
                },
            ],
        )
        conn.execute(s.expenses.insert().values(cost=40.0, date=dt.date(2025, 2, 1)))
        jan, feb_end = dt.date(2025, 1, 1), dt.date(2025, 2, 28)
        feb = dt.date(2025, 2, 1)

        def answers() -> tuple[object, ...]:
            return (
                queries.orders_by_month(conn, jan, feb_end),
                queries.orders_by_month(conn, jan, feb_end, ["subscription", "recurring"]),
                queries.expenses_by_month(conn, jan, feb_end),
                queries.new_recurring_mrr(conn, feb, feb, feb_end),
            )

        raw = answers()
        assert not rollups.is_ready(conn, rollups.ROLLUPS[0])
        record_data_change(conn, ["orders", "expenses"])
        assert rollups.is_ready(conn, rollups.ROLLUPS[0])
        assert answers() == raw
    assert raw[3] == (300.0, 1)  # only customer 2's first recurring order is in February
    assert raw[0] == {jan: (900.0, 700.0), feb: (1330.0, 810.0)}


def test_appended_rows_are_added_to_the_existing_sums(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        conn.execute(s.expenses.insert().values(id=1, cost=10.0, date=dt.date(2025, 1, 9)))
        record_data_change(conn, ["expenses"])
        marks = rollups.append_marks(conn, ["expenses", "risks"])
        conn.execute(
            s.expenses.insert(),
            [
                {"id": 2, "cost": 2.5, "date": dt.date(2025, 1, 20)},
                {"id": 3, "cost": 4.0, "date": dt.date(2025, 3, 1)},
            ],
        )
        hints = rollups.appended(conn, marks, {"expenses": 2})
        assert hints == {"expenses": rollups.Appended(1)}
        record_data_change(conn, ["expenses"], hints)
        rows = conn.execute(sa.select(t.rollup_expenses_month).order_by("month")).all()
    assert [tuple(r) for r in rows] == [("2025-01", 12.5, 2), ("2025-03", 4.0, 1)]


def test_an_append_below_the_largest_id_is_not_taken_for_a_pure_append(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(s.expenses.insert().values(id=5, cost=1.0, date=dt.date(2025, 1, 1)))
        marks = rollups.append_marks(conn, ["expenses"])
        conn.execute(s.expenses.insert().values(id=2, cost=1.0, date=dt.date(2025, 2, 1)))
        assert rollups.appended(conn, marks, {"expenses": 1}) == {}


def test_an_append_import_with_ids_in_a_gap_still_matches_a_recompute(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "id,amount,profit,order_date,type\n1,10,1,2025-01-01,booked\n9,20,2,2025-02-01,booked\n"
    )
    assert run_import(engine, [path]).ok
    path.write_text("id,amount,profit,order_date,type\n4,5,1,2025-01-15,booked\n")
    assert run_import(engine, [path]).ok
    path.write_text("amount,profit,order_date,type\n7,1,2025-03-03,subscription\n")
    assert run_import(engine, [path]).ok
    with engine.connect() as conn:
        _assert_consistent(conn)
        rows = conn.execute(sa.select(t.rollup_orders_month).order_by("month")).all()
    assert [tuple(r) for r in rows] == [
        ("2025-01", "booked", 15.0, 2.0, 2),
        ("2025-02", "booked", 20.0, 2.0, 1),
        ("2025-03", "subscription", 7.0, 1.0, 1),
    ]


def test_refresh_full_rebuilds_and_marks_the_rollups_ready(sqlite_url: str, engine: Engine) -> None:
    from typer.testing import CliRunner

    from execdash.cli import app

    with engine.begin() as conn:
        conn.execute(s.expenses.insert().values(cost=2.0, date=dt.date(2025, 5, 5)))
    result = CliRunner().invoke(
        app, ["refresh", "--full"], env={"EXECDASH_DATABASE_URL": sqlite_url}
    )
    assert result.exit_code == 0, result.output
    assert "rebuilt execdash_rollup_expenses_month: 1 rows" in result.output
    with engine.connect() as conn:
        assert rollups.is_ready(conn, rollups.by_target("execdash_rollup_expenses_month"))
        assert [tuple(r) for r in conn.execute(sa.select(t.rollup_expenses_month))] == [
            ("2025-05", 2.0, 1)
        ]
