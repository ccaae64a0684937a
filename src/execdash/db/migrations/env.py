"""Alembic environment: runs migrations on the connection execdash hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from execdash.db import legacy_names, preflight
from execdash.db.engine import create_engine

config = context.config


def run_migrations() -> None:
    """Migrate over a caller-supplied connection, or open one from the configured URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


def _run(connection: Connection) -> None:
    preflight.check_seed_tables(connection)
    legacy_names.adopt_version_table(connection)
    context.configure(
        connection=connection,
        target_metadata=None,
        render_as_batch=True,  # SQLite can only ALTER by copying tables
        compare_type=True,
        version_table=legacy_names.VERSION_TABLE,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
