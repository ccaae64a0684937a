"""`migrate.upgrade` writes only when there is something to do, so it never waits on a writer."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db import migrate, triggers
from execdash.db.tables import app_meta


def test_upgrade_at_head_takes_no_write_lock(engine: Engine, sqlite_url: str) -> None:
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    writer = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    writer.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        migrate.upgrade(engine)  # already at head with current triggers: only reads
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_upgrade_reinstalls_triggers_that_are_out_of_date(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            app_meta.update().where(app_meta.c.key == triggers.SIGNATURE_KEY).values(value="old")
        )
        triggers.drop(conn)
    migrate.upgrade(engine)
    with engine.connect() as conn:
        assert triggers.is_current(conn)
        assert triggers.installed(conn)
        stored = conn.execute(
            sa.select(app_meta.c.value).where(app_meta.c.key == triggers.SIGNATURE_KEY)
        ).scalar()
        assert stored == triggers.signature(conn)
