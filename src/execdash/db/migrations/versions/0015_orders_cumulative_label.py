"""Add the running totals summed by industry and by source (a breakdown by industry in two reads
per industry), and whether customer names tell customers apart.

Revision ID: 0015
Revises: 0013
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None

VALUES = [
    f"{kind}_{measure}"
    for kind in ("all", "recognized", "booked", "recurring")
    for measure in ("amount", "profit", "orders")
]


def upgrade() -> None:
    from execdash.db import cumulative, label_totals

    op.create_table(
        "execdash_orders_cumulative_label",
        sa.Column("dimension", sa.Text, primary_key=True),
        sa.Column("month", sa.Text, primary_key=True),
        sa.Column("label", sa.Text, primary_key=True),
        *(sa.Column(v, sa.Integer if v.endswith("_orders") else sa.Float, nullable=False)
          for v in VALUES),
        sqlite_with_rowid=False,
    )  # fmt: skip
    # Derived from the running totals: ready for readers when they are.
    conn = op.get_bind()
    label_totals.rebuild(conn, mark=cumulative.is_ready(conn))


def downgrade() -> None:
    keys = ["rollup_ready:execdash_orders_cumulative_label", "customer_labels_distinct"]
    op.execute(sa.text("DELETE FROM execdash_app_meta WHERE key IN (:a, :b)").bindparams(
        a=keys[0], b=keys[1]))  # fmt: skip
    op.drop_table("execdash_orders_cumulative_label")
