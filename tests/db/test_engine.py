"""Engines: write transactions that wait (BEGIN IMMEDIATE), timeouts, and what counts as busy."""

from __future__ import annotations

import sqlite3
import threading
import time

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db.changes import record_data_change
from execdash.db.engine import begin_write, create_engine, is_contention


def test_a_write_that_reads_first_waits_for_another_writer(engine: Engine) -> None:
    """A deferred transaction that reads, then writes after another commit, fails at once."""
    assert engine.url.database
    other = sqlite3.connect(engine.url.database, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO user_events (event_type, event_time) VALUES ('a', '2025-01-01')")
    threading.Timer(0.3, lambda: other.execute("COMMIT")).start()
    with begin_write(engine) as conn:
        seen = conn.exec_driver_sql("SELECT count(*) FROM user_events").scalar_one()
        conn.exec_driver_sql(
            "INSERT INTO user_events (event_type, event_time) VALUES ('b', '2025-01-01')"
        )
    other.close()
    assert seen == 1  # it began after the other write committed, so it saw it


def test_reads_do_not_wait_for_a_writer(engine: Engine) -> None:
    with begin_write(engine) as writing:
        writing.exec_driver_sql(
            "INSERT INTO user_events (event_type, event_time) VALUES ('b', '2025-01-01')"
        )
        started = time.monotonic()
        with engine.connect() as reading:
            assert reading.exec_driver_sql("SELECT count(*) FROM user_events").scalar_one() == 0
        assert time.monotonic() - started < 0.5


def test_busy_and_timeout_errors_count_as_contention() -> None:
    locked = sa.exc.OperationalError("UPDATE x", {}, sqlite3.OperationalError("database is locked"))
    assert is_contention(locked)
    assert is_contention(sa.exc.TimeoutError("QueuePool limit reached"))
    lock_timeout = psycopg.errors.LockNotAvailable("canceling statement due to lock timeout")
    assert is_contention(sa.exc.OperationalError("SELECT", {}, lock_timeout))
    unique = sa.exc.IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE failed"))
    assert not is_contention(unique)
    assert not is_contention(RuntimeError("database is locked"))


@pytest.mark.postgres
def test_server_connections_have_statement_lock_and_idle_timeouts(any_url: str) -> None:
    if not any_url.startswith("postgresql"):
        pytest.skip("SQLite has no such settings")
    engine = create_engine(any_url, server=True)
    with engine.connect() as conn:
        shown = {
            name: conn.exec_driver_sql(f"SHOW {name}").scalar_one()
            for name in ("statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout")
        }
    engine.dispose()
    assert shown == {
        "statement_timeout": "30s",
        "lock_timeout": "20s",
        "idle_in_transaction_session_timeout": "1min",
    }


@pytest.mark.postgres
def test_writers_of_derived_tables_take_turns_on_postgres(any_engine: Engine) -> None:
    """Two data changes never interleave: the second waits for the first's commit."""
    if any_engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers with BEGIN IMMEDIATE")
    order: list[str] = []
    first_has_lock = threading.Event()

    def first() -> None:
        with begin_write(any_engine) as conn:
            record_data_change(conn, ["alerts"])
            first_has_lock.set()
            time.sleep(0.5)
            order.append("first commits")

    thread = threading.Thread(target=first)
    thread.start()
    first_has_lock.wait(10)
    with begin_write(any_engine) as conn:
        record_data_change(conn, ["alerts"])
        order.append("second changes")
    thread.join()
    assert order == ["first commits", "second changes"]
