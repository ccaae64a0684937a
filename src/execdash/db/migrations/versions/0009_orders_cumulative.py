"""Add running totals of orders per customer and month (any window's breakdown in two reads).

Revision ID: 0009
Revises: 0011
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from execdash.db import cumulative, rollups
    from execdash.db import tables as t

    op.create_table(
        t.orders_cumulative.name,
        *(sa.Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable)
          for c in t.orders_cumulative.columns),
        sqlite_with_rowid=False,
    )  # fmt: skip
    # Derived from the month × customer rollup: ready for readers when that rollup is.
    conn = op.get_bind()
    base_ready = rollups.has_ready_mark(conn, rollups.by_target(cumulative.BASE.name))
    cumulative.rebuild(conn, mark=base_ready)


def downgrade() -> None:
    from execdash.db import tables as t

    op.execute(
        sa.delete(t.app_meta).where(t.app_meta.c.key == f"rollup_ready:{t.orders_cumulative.name}")
    )
    op.drop_table(t.orders_cumulative.name)
