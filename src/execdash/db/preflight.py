"""Check, before any migration runs, that tables already in the database are ones execdash can
use, so an unusable database fails with one sentence instead of half an upgrade.
"""

from __future__ import annotations

import sqlalchemy as sa

from execdash.db import schema


class SchemaConflict(Exception):
    """The database holds a table execdash needs in a state it cannot upgrade by itself."""


def check_seed_tables(conn: sa.Connection) -> None:
    """Raise `SchemaConflict` naming the first seed table that exists without a needed column."""
    inspector = sa.inspect(conn)
    present = set(inspector.get_table_names())
    for table in schema.metadata.sorted_tables:
        if table.name not in present:
            continue
        have = {c["name"] for c in inspector.get_columns(table.name)}
        missing = [c.name for c in table.columns if c.name not in have]
        if missing:
            columns = ", ".join(repr(m) for m in missing)
            raise SchemaConflict(
                f"table {table.name!r} already exists but has no column {columns}, which the "
                f"seed schema (docs: DB_SCHEMA.md) gives it and execdash reads; add the "
                f"column(s) to {table.name!r} or rename that table, then run "
                f"`execdash db upgrade` again"
            )
