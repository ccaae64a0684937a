"""Add the rollup tables: orders, MRR, expenses by month; user events and page visits by day.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "execdash_rollup_orders_month",
        sa.Column("month", sa.Text, primary_key=True),
        sa.Column("type", sa.Text, primary_key=True),
        sa.Column("amount", sa.Float, nullable=False),
        sa.Column("profit", sa.Float, nullable=False),
        sa.Column("orders", sa.Integer, nullable=False),
    )
    op.create_table(
        "execdash_rollup_mrr_month_customer",
        sa.Column("month", sa.Text, primary_key=True),
        sa.Column("customer_id", sa.Integer, primary_key=True),
        sa.Column("amount", sa.Float, nullable=False),
        sa.Column("orders", sa.Integer, nullable=False),
    )
    op.create_table(
        "execdash_rollup_expenses_month",
        sa.Column("month", sa.Text, primary_key=True),
        sa.Column("cost", sa.Float, nullable=False),
        sa.Column("lines", sa.Integer, nullable=False),
    )
    op.create_table(
        "execdash_rollup_user_events_day",
        sa.Column("day", sa.Text, primary_key=True),
        sa.Column("event_type", sa.Text, primary_key=True),
        sa.Column("events", sa.Integer, nullable=False),
    )
    op.create_table(
        "execdash_rollup_page_visits_day",
        sa.Column("day", sa.Text, primary_key=True),
        sa.Column("page_name", sa.Text, primary_key=True),
        sa.Column("visits", sa.Integer, nullable=False),
    )
    # Existing data is summed once so an upgraded database starts consistent; readers use the
    # rollups only after the first recorded change or `execdash refresh --full` marks them ready.
    from execdash.db import rollups

    for name in (
        "execdash_rollup_orders_month",
        "execdash_rollup_mrr_month_customer",
        "execdash_rollup_expenses_month",
        "execdash_rollup_user_events_day",
        "execdash_rollup_page_visits_day",
    ):
        rollups.fill(op.get_bind(), rollups.by_target(name))


def downgrade() -> None:
    op.drop_table("execdash_rollup_page_visits_day")
    op.drop_table("execdash_rollup_user_events_day")
    op.drop_table("execdash_rollup_expenses_month")
    op.drop_table("execdash_rollup_mrr_month_customer")
    op.drop_table("execdash_rollup_orders_month")
