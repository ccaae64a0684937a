"""Per-table data versions, stale rollup periods, and triggers that see every program's writes.

Revision ID: 0008
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "execdash_data_versions",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("version", sa.BigInteger, nullable=False, server_default=sa.text("0")),
        sa.Column("changed_at", sa.DateTime),
    )
    op.create_table(
        "execdash_stale",
        sa.Column("target", sa.Text, primary_key=True),
        sa.Column("period", sa.Text, primary_key=True),
    )
    from execdash.db import triggers
    from execdash.db.tables import app_meta, data_versions

    bind = op.get_bind()
    triggers.install(bind)  # every seed table: its triggers and a version row at 0
    last = bind.execute(
        sa.select(app_meta.c.value).where(app_meta.c.key == "last_data_update")
    ).scalar_one_or_none()
    if last:  # what the API reported as the last update stays so until the next change
        when = dt.datetime.fromisoformat(last).astimezone(dt.UTC).replace(tzinfo=None)
        bind.execute(data_versions.update().values(changed_at=when))


def downgrade() -> None:
    from execdash.db import triggers

    triggers.drop(op.get_bind())
    op.drop_table("execdash_stale")
    op.drop_table("execdash_data_versions")
