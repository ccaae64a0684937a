"""Add execdash's own bookkeeping: app_meta (data version) and import_log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "execdash_app_meta",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "execdash_import_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("table_name", sa.Text, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("mode", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("checksum", sa.Text, nullable=False),
        sa.Column("username", sa.Text),
        sa.Column(
            "imported_at", sa.DateTime, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
        ),
        sa.Column("report", sa.Text),
        sa.CheckConstraint("mode IN ('append','upsert','replace')", name="ck_import_log_mode"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("execdash_import_log")
    op.drop_table("execdash_app_meta")
