"""Add the orders-by-month-and-customer rollup and each customer's first recurring month.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An installation from before the `execdash_` prefix: the cohort rebuild below reads the MRR
    # rollup by its new name, so the rename of 0007 happens here already (it is idempotent).
    from execdash.db import legacy_names

    legacy_names.rename_tables(op.get_bind())
    op.create_table(
        "execdash_rollup_orders_month_customer",
        sa.Column("month", sa.Text, primary_key=True),
        sa.Column("customer_id", sa.Integer, primary_key=True),
        sa.Column("type", sa.Text, primary_key=True),
        sa.Column("amount", sa.Float, nullable=False),
        sa.Column("profit", sa.Float, nullable=False),
        sa.Column("orders", sa.Integer, nullable=False),
    )
    op.create_table(
        "execdash_rollup_recurring_first_month",
        sa.Column("customer_id", sa.Integer, primary_key=True),
        sa.Column("month", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_execdash_rollup_recurring_first_month_month",
        "execdash_rollup_recurring_first_month",
        ["month"],
    )
    # As in 0004: summed once so an upgraded database starts consistent; the new rollup is read
    # only after a full rebuild marks it ready, and the cohorts follow the MRR rollup.
    from execdash.db import cohorts, rollups

    rollups.fill(op.get_bind(), rollups.by_target("execdash_rollup_orders_month_customer"))
    cohorts.rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_index(
        "ix_execdash_rollup_recurring_first_month_month", "execdash_rollup_recurring_first_month"
    )
    op.drop_table("execdash_rollup_recurring_first_month")
    op.drop_table("execdash_rollup_orders_month_customer")
