"""Delivery: channels, digest recipients, the outbox, its log, and the alerts already queued.

Revision ID: 0014
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = (
    "execdash_delivery_channels",
    "execdash_digest_recipients",
    "execdash_delivery_outbox",
    "execdash_delivery_log",
    "execdash_delivery_alerts_seen",
)


def upgrade() -> None:
    from execdash.db import tables

    bind = op.get_bind()
    for name in TABLES:  # the definitions in db/tables.py, in dependency order
        tables.app_metadata.tables[name].create(bind)


def downgrade() -> None:
    from execdash.db import tables

    bind = op.get_bind()
    for name in reversed(TABLES):
        tables.app_metadata.tables[name].drop(bind)
