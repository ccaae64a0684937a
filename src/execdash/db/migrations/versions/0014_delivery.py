"""Delivery: channels, digest recipients, the outbox, its log, and the alerts already queued.

The tables are spelled out here as they were at this revision (never imported from the
application, whose definitions may move on): a migration describes its schema for good.

Revision ID: 0014
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0008"
branch_labels = None
depends_on = None

NOW = sa.text("CURRENT_TIMESTAMP")


def upgrade() -> None:
    op.create_table(
        "execdash_delivery_channels",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("secret", sa.Text),
        sa.Column("min_severity", sa.Text, nullable=False, server_default=sa.text("'low'")),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime, nullable=False, server_default=NOW),
        sa.CheckConstraint("kind IN ('email','slack','webhook')", name="ck_delivery_channels_kind"),
        sa.CheckConstraint(
            "min_severity IN ('low','medium','high')", name="ck_delivery_channels_min_severity"
        ),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "execdash_digest_recipients",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("email", sa.Text, nullable=False, unique=True),
        sa.Column("role", sa.Text, nullable=False, server_default=sa.text("'ceo'")),
        sa.Column("frequency", sa.Text, nullable=False, server_default=sa.text("'weekly'")),
        sa.Column("range", sa.Text, nullable=False, server_default=sa.text("'12m'")),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime, nullable=False, server_default=NOW),
        sa.CheckConstraint(
            "role IN ('ceo','cfo','coo','cro','board')", name="ck_digest_recipients_role"
        ),
        sa.CheckConstraint(
            "frequency IN ('weekly','monthly')", name="ck_digest_recipients_frequency"
        ),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "execdash_delivery_outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("dedup_key", sa.Text, nullable=False, unique=True),
        sa.Column(
            "channel_id",
            sa.Integer,
            sa.ForeignKey("execdash_delivery_channels.id", ondelete="CASCADE"),
        ),
        sa.Column(
            "recipient_id",
            sa.Integer,
            sa.ForeignKey("execdash_digest_recipients.id", ondelete="CASCADE"),
        ),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default=sa.text("'pending'")),
        sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("next_attempt_at", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("claimed_until", sa.DateTime),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("sent_at", sa.DateTime),
        sa.CheckConstraint("kind IN ('alert','digest','test')", name="ck_delivery_outbox_kind"),
        sa.CheckConstraint(
            "status IN ('pending','sending','sent','failed')", name="ck_delivery_outbox_status"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_execdash_delivery_outbox_due", "execdash_delivery_outbox", ["status", "next_attempt_at"]
    )
    op.create_table(
        "execdash_delivery_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "outbox_id",
            sa.Integer,
            sa.ForeignKey("execdash_delivery_outbox.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("duration_ms", sa.Integer, nullable=False),
        sa.CheckConstraint("outcome IN ('sent','retry','failed')", name="ck_delivery_log_outcome"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_execdash_delivery_log_outbox_id", "execdash_delivery_log", ["outbox_id"])
    op.create_table(
        "execdash_delivery_alerts_seen",
        sa.Column("alert_id", sa.Integer, primary_key=True),
        sa.Column("fingerprint", sa.Text, nullable=False),
        sa.Column("seen_at", sa.DateTime, nullable=False, server_default=NOW),
    )


def downgrade() -> None:
    op.drop_table("execdash_delivery_alerts_seen")
    op.drop_index("ix_execdash_delivery_log_outbox_id", "execdash_delivery_log")
    op.drop_table("execdash_delivery_log")
    op.drop_index("ix_execdash_delivery_outbox_due", "execdash_delivery_outbox")
    op.drop_table("execdash_delivery_outbox")
    op.drop_table("execdash_digest_recipients")
    op.drop_table("execdash_delivery_channels")
