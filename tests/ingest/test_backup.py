"""`backup` copies a live SQLite database consistently, even while another connection writes."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db.engine import create_engine
from execdash.db.schema import expenses
from execdash.ingest.backup import BackupError, backup_sqlite


def test_backup_while_a_writer_commits_gives_a_consistent_copy(
    engine: Engine, tmp_path: Path
) -> None:
    with engine.begin() as conn:
        conn.execute(
            expenses.insert(),
            [{"cost": 1.0, "date": dt.date(2025, 1, 1)} for _ in range(20_000)],
        )
    stop = threading.Event()
    written = {"n": 0}

    def writer() -> None:
        other = create_engine(str(engine.url))
        while not stop.is_set():
            with other.begin() as conn:
                conn.execute(expenses.insert().values(cost=2.0, date=dt.date(2025, 1, 2)))
            written["n"] += 1
        other.dispose()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while written["n"] < 5:
            assert thread.is_alive(), "the writer thread died"
            assert time.monotonic() < deadline, "the writer wrote fewer than 5 rows in 30 s"
            stop.wait(0.01)
        size = backup_sqlite(engine, tmp_path / "copy.db", pages_per_step=5)
    finally:
        stop.set()
        thread.join(timeout=30)
        assert not thread.is_alive(), "the writer thread did not stop within 30 s"
    assert size > 0
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    ones, twos = copy.execute("SELECT SUM(cost = 1.0), SUM(cost = 2.0) FROM expenses").fetchone()
    copy.close()
    assert ones == 20_000
    assert 5 <= twos <= written["n"]


def test_backup_refuses_to_overwrite(engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "exists.db").write_text("x")
    with pytest.raises(BackupError, match="already exists"):
        backup_sqlite(engine, tmp_path / "exists.db")


def test_backup_of_postgres_points_to_pg_dump() -> None:
    engine = sa.create_engine("postgresql+psycopg://u@localhost/x")
    with pytest.raises(BackupError, match="pg_dump"):
        backup_sqlite(engine, Path("x.db"))
