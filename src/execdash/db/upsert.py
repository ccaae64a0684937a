"""INSERT … ON CONFLICT DO UPDATE for both backends: SQLite and PostgreSQL spell it the same way.

SQLAlchemy keeps the construct per dialect, so the caller asks for the one of its connection.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite


def insert(conn: sa.Connection, table: sa.Table) -> sqlite.Insert | postgresql.Insert:
    """An INSERT on `table` that accepts `.on_conflict_do_update(...)` on this connection."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
