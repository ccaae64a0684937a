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
from execdash.db.schema import alerts, expenses
from execdash.ingest.backup import BackupError, backup_sqlite
from tests.waiting import wait_until


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
        wait_until(lambda: written["n"] >= 5 or not thread.is_alive(), 30, "five rows written")
        assert thread.is_alive(), "the writer thread died"
        size = backup_sqlite(engine, tmp_path / "copy.db")
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


def _writer(engine: Engine, stop: threading.Event, written: dict[str, int], pause: float) -> None:
    other = create_engine(str(engine.url))
    while not stop.is_set():
        with other.begin() as conn:
            conn.execute(expenses.insert().values(cost=2.0, date=dt.date(2025, 1, 2)))
        written["n"] += 1
        stop.wait(pause)
    other.dispose()


def test_backup_of_100_mb_finishes_under_fifty_commits_a_second(
    engine: Engine, tmp_path: Path
) -> None:
    with engine.begin() as conn:
        conn.execute(
            expenses.insert(),
            [{"cost": 1.0, "date": dt.date(2025, 1, 1)} for _ in range(400_000)],
        )
        conn.exec_driver_sql("CREATE TABLE bulk (b BLOB)")
        conn.exec_driver_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 90) "
            "INSERT INTO bulk SELECT randomblob(1048576) FROM n"
        )
    stop = threading.Event()
    written = {"n": 0}
    writer = threading.Thread(target=_writer, args=(engine, stop, written, 0.02))
    writer.start()
    result: dict[str, object] = {}

    def backup() -> None:
        try:
            result["size"] = backup_sqlite(engine, tmp_path / "copy.db")
        except BackupError as exc:
            result["error"] = exc

    try:
        wait_until(lambda: written["n"] >= 5 or not writer.is_alive(), 30, "five rows written")
        assert writer.is_alive(), "the writer thread died"
        started = time.monotonic()
        backing_up = threading.Thread(target=backup, daemon=True)
        backing_up.start()
        backing_up.join(timeout=30)
        took = time.monotonic() - started
        at_end = written["n"]
    finally:
        stop.set()
        writer.join(timeout=30)
    assert not backing_up.is_alive(), "the backup did not finish within 30 s of steady writes"
    assert "error" not in result
    assert at_end / took > 10 or took < 0.5  # the writes really went on meanwhile
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("SELECT COUNT(*) FROM expenses WHERE cost = 1.0").fetchone() == (400_000,)
    copy.close()
    assert not (tmp_path / "copy.db.partial").exists()


def test_restore_drill_serves_the_kpis_of_the_backup_moment(
    demo_engine: Engine, tmp_path: Path
) -> None:
    """Back up while an editor PATCHes 10+ times a second, restore, and read the same KPIs."""
    import shutil

    from fastapi.testclient import TestClient

    from execdash.api import create_app
    from execdash.api.accounts import add_user, create_token
    from execdash.config import Settings

    with demo_engine.begin() as conn:
        add_user(conn, "eddie", "correct horse battery", "editor")
        token = create_token(conn, "eddie")
        alert_id = conn.execute(sa.select(sa.func.min(alerts.c.id))).scalar_one()
    source = TestClient(create_app(Settings(database_url=str(demo_engine.url))))
    before = source.get("/api/v1/dashboard").json()
    stop = threading.Event()
    acked: list[int] = []

    def editor() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            answer = source.patch(
                f"/api/v1/alerts/{alert_id}",
                json={"title": f"edit {n}"},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert answer.status_code == 200, answer.text
            acked.append(n)
            stop.wait(0.05)

    thread = threading.Thread(target=editor)
    with source:
        thread.start()
        try:
            wait_until(lambda: len(acked) >= 3, 30, "three acknowledged edits")
            acked_before = acked[-1]
            backup_sqlite(demo_engine, tmp_path / "backup.db")
            acked_after = acked[-1]
            # writes go on after the backup too
            wait_until(lambda: len(acked) >= acked_after + 3, 30, "three more edits")
        finally:
            stop.set()
            thread.join(timeout=30)

    # The drill of docs/reliability.md: stop the server, copy the backup into place, start it.
    restored_file = tmp_path / "restored" / "execdash.db"
    restored_file.parent.mkdir()
    shutil.copyfile(tmp_path / "backup.db", restored_file)
    with TestClient(create_app(Settings(database_url=f"sqlite:///{restored_file}"))) as restored:
        after = restored.get("/api/v1/dashboard").json()
        title = restored.get(f"/api/v1/alerts/{alert_id}").json()["title"]
    assert after["kpis"] == before["kpis"]
    assert after["revenue_trend"] == before["revenue_trend"]
    assert acked_before <= int(title.removeprefix("edit ")) <= acked_after + 1
