"""Create SQLAlchemy engines with the connection settings execdash relies on."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    "PRAGMA journal_mode=WAL",
    "PRAGMA busy_timeout=5000",
    "PRAGMA synchronous=NORMAL",
)


def _apply_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Turn on FK enforcement and WAL for every pooled SQLite connection."""
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def normalise_url(url: str) -> str:
    """Map plain postgres URLs onto the psycopg 3 driver so users can paste what they have."""
    parsed = make_url(url)
    if parsed.drivername in {"postgres", "postgresql"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def create_engine(url: str, **kwargs: Any) -> Engine:
    """Return an engine for `url`; SQLite connections get foreign keys, WAL and a busy timeout."""
    url = normalise_url(url)
    is_sqlite = make_url(url).get_backend_name() == "sqlite"
    if is_sqlite:
        kwargs.setdefault("connect_args", {"check_same_thread": False})
    engine = sa.create_engine(url, **kwargs)
    if is_sqlite:
        sa.event.listen(engine, "connect", _apply_sqlite_pragmas)
        _begin_explicitly(engine)
    return engine


def _begin_explicitly(engine: Engine) -> None:
    """Let SQLAlchemy, not pysqlite, issue BEGIN so transactions (and savepoints) are real."""

    @sa.event.listens_for(engine, "connect")
    def _no_implicit_begin(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN")


def is_sqlite(engine: Engine) -> bool:
    """True when the engine talks to SQLite (some SQL differs by dialect)."""
    return engine.dialect.name == "sqlite"
