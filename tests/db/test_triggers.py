"""Triggers on the seed tables see every program's writes, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db import catchup, triggers, versions
from execdash.db import schema as s
from execdash.db import tables as t


def _marks(engine: Engine) -> dict[str, set[str]]:
    with engine.connect() as conn:
        return catchup.pending(conn)


def test_every_seed_table_gets_its_triggers_and_a_version(any_engine: Engine) -> None:
    with any_engine.connect() as conn:
        names = {table for _, table in triggers.installed(conn)}
        existing = set(sa.inspect(conn).get_table_names())
        assert names == {t.name for t in triggers.watched_tables()} & existing
        assert names >= {t.name for t in s.metadata.sorted_tables}
        assert set(versions.read_all(conn)) >= names


def test_reinstalling_follows_the_catalog_without_duplicates(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        before = triggers.installed(conn)
        triggers.install(conn)
        assert triggers.installed(conn) == before


def test_a_multi_row_write_marks_each_month_it_touches(any_engine: Engine) -> None:
    with any_engine.begin() as conn:  # as another program would: no record_data_change
        conn.execute(
            s.orders.insert(),
            [
                {"amount": 1.0, "profit": 0.0, "order_date": dt.date(2025, 1, 9)},
                {"amount": 2.0, "profit": 0.0, "order_date": dt.date(2025, 1, 30)},
                {"amount": 3.0, "profit": 0.0, "order_date": dt.date(2025, 3, 1)},
            ],
        )
    marks = _marks(any_engine)
    assert marks["orders"] == {"*"}
    assert marks[t.rollup_orders_month.name] == {"2025-01", "2025-03"}
    assert marks[t.rollup_orders_month_customer.name] == {"2025-01", "2025-03"}
    with any_engine.connect() as conn:
        assert versions.of(conn, ["orders", "expenses"])["expenses"] == 0
        assert versions.of(conn, ["orders"])["orders"] > 0
        assert versions.last_change(conn, ["orders"]) is not None


def test_an_update_marks_the_month_a_row_left_and_the_one_it_entered(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        conn.execute(s.expenses.insert().values(id=1, cost=5.0, date=dt.date(2025, 2, 3)))
        conn.execute(sa.text("DELETE FROM execdash_stale"))
        conn.execute(s.expenses.update().values(date=dt.date(2025, 7, 3)))
    assert _marks(any_engine)[t.rollup_expenses_month.name] == {"2025-02", "2025-07"}


def test_a_daily_rollup_is_marked_by_day_and_a_datetime_by_its_date(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        conn.execute(
            s.user_events.insert().values(event_type="x", event_time=dt.datetime(2025, 6, 30, 18))
        )
    assert _marks(any_engine)[t.rollup_user_events_day.name] == {"2025-06-30"}


def test_a_foreign_key_action_fires_the_triggers_without_failing(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        conn.execute(s.customers.insert().values(id=1, name="Acme"))
        conn.execute(
            s.orders.insert(),
            [
                {"customer_id": 1, "amount": 1.0, "profit": 0.0, "order_date": dt.date(2025, 1, 9)},
                {"customer_id": 1, "amount": 1.0, "profit": 0.0, "order_date": dt.date(2025, 1, 9)},
            ],
        )
        conn.execute(s.customers.delete())  # ON DELETE SET NULL updates both orders
    assert _marks(any_engine)[t.rollup_orders_month.name] == {"2025-01"}


def test_a_statement_changing_no_row_moves_nothing_on_postgres_or_sqlite(
    any_engine: Engine,
) -> None:
    with any_engine.begin() as conn:
        conn.execute(s.risks.update().values(status="closed"))  # no risks at all
        assert versions.of(conn, ["risks"]) == {"risks": 0}
    assert _marks(any_engine) == {}


def test_truncate_marks_the_whole_rollup_on_postgres(any_engine: Engine) -> None:
    if any_engine.dialect.name != "postgresql":
        return  # SQLite has no TRUNCATE (a DELETE without WHERE fires the row triggers)
    with any_engine.begin() as conn:
        conn.execute(s.expenses.insert().values(cost=5.0, date=dt.date(2025, 2, 3)))
        conn.execute(sa.text("DELETE FROM execdash_stale"))
        conn.execute(sa.text("TRUNCATE expenses"))
    assert _marks(any_engine)[t.rollup_expenses_month.name] == {"*"}


def test_dropping_removes_every_trigger(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        triggers.drop(conn)
        assert triggers.installed(conn) == []
        conn.execute(s.expenses.insert().values(cost=5.0, date=dt.date(2025, 2, 3)))
        assert catchup.pending(conn) == {}


def test_a_suspended_bulk_load_leaves_no_marks_and_the_triggers_back(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        before = triggers.installed(conn)
        with triggers.suspended(conn, ["expenses"]):
            conn.execute(s.expenses.insert().values(cost=5.0, date=dt.date(2025, 2, 3)))
        assert triggers.installed(conn) == before
        if conn.dialect.name == "sqlite":  # PostgreSQL keeps its statement triggers
            assert catchup.pending(conn) == {}


def test_a_failed_bulk_load_rolls_the_dropped_triggers_back(engine: Engine) -> None:
    with engine.connect() as conn:
        before = triggers.installed(conn)
    try:
        with engine.begin() as conn, triggers.suspended(conn, ["expenses"]):
            raise RuntimeError("the load failed")
    except RuntimeError:
        pass
    with engine.connect() as conn:
        assert triggers.installed(conn) == before


def test_an_edit_never_deadlocks_with_a_catch_up_consuming_its_tables_mark(
    any_engine: Engine,
) -> None:
    """A catch-up (here: an import's) deletes a table's committed mark, then bumps that table's
    version; an edit of the table in between must wait for it, not lock the version row first
    and then wait on the deleted mark (PostgreSQL detected a deadlock in the drill)."""
    import threading

    import pytest

    if any_engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: no transaction can wait on another's row")
    with any_engine.begin() as conn:
        conn.execute(s.risks.insert().values(id=1, title="Late resin", mitigation="none"))
    assert _marks(any_engine)["risks"] == {"*"}
    errors: list[BaseException] = []
    catch_up = any_engine.connect()
    catch_up.exec_driver_sql("SET LOCAL lock_timeout = '10s'")  # autobegins the transaction
    catch_up.execute(sa.text("DELETE FROM execdash_stale WHERE target = 'risks'"))

    def edit() -> None:
        try:
            with any_engine.begin() as conn:
                conn.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
                conn.execute(s.risks.update().values(mitigation="second supplier"))
        except BaseException as exc:
            errors.append(exc)

    editor = threading.Thread(target=edit)
    editor.start()
    editor.join(0.5)  # the edit is now waiting on the mark the catch-up deleted
    versions.bump(catch_up, {"risks"})
    catch_up.commit()
    catch_up.close()
    editor.join(15)
    assert not editor.is_alive()
    assert errors == []
    with any_engine.connect() as conn:
        mitigation = conn.execute(sa.select(s.risks.c.mitigation)).scalar_one()
    assert mitigation == "second supplier"
    assert _marks(any_engine)["risks"] == {"*"}
