"""Keep the MRR movements at write time: a window's MRR bridge in one row per month and one
count per movement, instead of every customer's MRR of every month.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

MOVES = ("new", "reactivation", "expansion", "contraction", "churn")


def upgrade() -> None:
    from execdash.db import mrr_moves, rollups

    op.create_table(
        "execdash_mrr_movements_month",
        sa.Column("month", sa.Text, primary_key=True),
        sa.Column("opening", sa.Float, nullable=False),
        sa.Column("closing", sa.Float, nullable=False),
        *(sa.Column(m, sa.Float, nullable=False) for m in (*MOVES, "unattributed")),
        sa.Column("opening_customers", sa.Integer, nullable=False),
        sa.Column("closing_customers", sa.Integer, nullable=False),
        *(sa.Column(f"{m}_customers", sa.Integer, nullable=False) for m in MOVES),
        sa.Column("cohort_customers", sa.Integer, nullable=False),
        sa.Column("cohort_base", sa.Float, nullable=False),
        sa.Column("cohort_gained", sa.Float, nullable=False),
        sa.Column("cohort_lost", sa.Float, nullable=False),
    )  # fmt: skip
    op.create_table(
        "execdash_mrr_movements_customer",
        sa.Column("customer_id", sa.Integer, primary_key=True),
        sa.Column("movement", sa.Text, primary_key=True),
        sa.Column("month", sa.Text, primary_key=True),
        sa.Column("amount", sa.Float, nullable=False),
        sa.Column("previous", sa.Text, nullable=True),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_execdash_mrr_movements_customer_month",
        "execdash_mrr_movements_customer",
        ["month", "movement", "previous"],
    )
    # Derived from the MRR rollup (and its first months): ready for readers when it is.
    conn = op.get_bind()
    mrr = rollups.by_target("execdash_rollup_mrr_month_customer")
    mrr_moves.rebuild(conn, mark=rollups.has_ready_mark(conn, mrr))


def downgrade() -> None:
    op.execute(
        sa.text("DELETE FROM execdash_app_meta WHERE key = :k").bindparams(
            k="rollup_ready:execdash_mrr_movements_month"
        )
    )
    op.drop_index("ix_execdash_mrr_movements_customer_month", "execdash_mrr_movements_customer")
    op.drop_table("execdash_mrr_movements_customer")
    op.drop_table("execdash_mrr_movements_month")
