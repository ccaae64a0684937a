"""One catch-up of what other programs' writes left stale, run by the read layer in a worker
thread: it gives way at once to a busy writer rather than queue behind an import."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from execdash.db.changes import catch_up

CATCH_UP_BUSY_MS = 100
"""On SQLite, how long a catch-up waits for another writer before it is postponed."""


def catch_up_giving_way(engine: Engine) -> bool:
    """One catch-up transaction (in a worker thread), giving way at once to a busy writer;
    False when it gave way or found nothing to do."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            default = conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one()
            conn.exec_driver_sql(f"PRAGMA busy_timeout={CATCH_UP_BUSY_MS}")
        try:
            done = catch_up(conn)
            conn.commit()
            return done
        finally:
            if sqlite:
                conn.rollback()
                conn.exec_driver_sql(f"PRAGMA busy_timeout={int(default)}")
                conn.commit()
