"""Add users, API tokens, web sessions and the alert workflow side table.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NOW = sa.text("CURRENT_TIMESTAMP")


def upgrade() -> None:
    op.create_table(
        "execdash_users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.Text, nullable=False, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False, server_default=sa.text("'viewer'")),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime, nullable=False, server_default=NOW),
        sa.CheckConstraint("role IN ('viewer','editor','admin')", name="ck_users_role"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "execdash_api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("execdash_users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.Text, nullable=False, server_default=sa.text("''")),
        sa.Column("token_hash", sa.Text, nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("expires_at", sa.DateTime),
        sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("last_used_at", sa.DateTime),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "execdash_web_sessions",
        sa.Column("session_hash", sa.Text, primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("execdash_users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("csrf_token", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("expires_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "execdash_alert_status",
        sa.Column("alert_id", sa.Integer, primary_key=True),
        sa.Column("status", sa.Text, nullable=False, server_default=sa.text("'open'")),
        sa.Column("updated_by", sa.Text),
        sa.Column("updated_at", sa.DateTime, nullable=False, server_default=NOW),
        sa.CheckConstraint(
            "status IN ('open','acknowledged','closed')", name="ck_alert_status_status"
        ),
    )


def downgrade() -> None:
    op.drop_table("execdash_alert_status")
    op.drop_table("execdash_web_sessions")
    op.drop_table("execdash_api_tokens")
    op.drop_table("execdash_users")
