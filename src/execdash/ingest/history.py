"""The import log: one row per file loaded by a successful import."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db.tables import import_log


def recent_imports(engine: Engine, limit: int = 50) -> list[dict[str, Any]]:
    """The newest `limit` entries of the import log, newest first."""
    query = (
        sa.select(
            import_log.c.id,
            import_log.c.imported_at,
            import_log.c.table_name,
            import_log.c.rows,
            import_log.c.mode,
            import_log.c.source,
            import_log.c.username,
            import_log.c.checksum,
        )
        .order_by(import_log.c.id.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]
