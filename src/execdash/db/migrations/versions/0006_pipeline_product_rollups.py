"""Add the monthly rollups of the daily funnel and of product revenue.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "execdash_rollup_pipeline_month",
        sa.Column("month", sa.Text, primary_key=True),
        sa.Column("stage_name", sa.Text, primary_key=True),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("days", sa.Integer, nullable=False),
    )
    op.create_table(
        "execdash_rollup_product_revenue_month",
        sa.Column("month", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("revenue", sa.Float, nullable=False),
        sa.Column("days", sa.Integer, nullable=False),
    )
    # As in 0004: summed once, read only after a full rebuild marks them ready.
    from execdash.db import rollups

    for name in ("execdash_rollup_pipeline_month", "execdash_rollup_product_revenue_month"):
        rollups.fill(op.get_bind(), rollups.by_target(name))


def downgrade() -> None:
    op.drop_table("execdash_rollup_product_revenue_month")
    op.drop_table("execdash_rollup_pipeline_month")
