"""Plans: named, versioned sets of monthly targets per KPI (and optionally per segment).

Revision ID: 0012
Revises: 0014
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0014"
branch_labels = None
depends_on = None

NOW = sa.text("CURRENT_TIMESTAMP")


def upgrade() -> None:
    op.create_table(
        "execdash_plans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("source", sa.Text),
        sa.Column("created_by", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False, server_default=NOW),
        sa.UniqueConstraint("name", "version", name="uq_plans_name_version"),
        sa.CheckConstraint("version >= 1", name="ck_plans_version"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "execdash_plan_targets",
        sa.Column(
            "plan_id",
            sa.Integer,
            sa.ForeignKey("execdash_plans.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("kpi", sa.Text, primary_key=True),
        sa.Column("month", sa.Text, primary_key=True),
        sa.Column("segment_kind", sa.Text, primary_key=True, server_default=sa.text("''")),
        sa.Column("segment", sa.Text, primary_key=True, server_default=sa.text("''")),
        sa.Column("target", sa.Float, nullable=False),
        sa.Column("updated_by", sa.Text),
        sa.Column("updated_at", sa.DateTime, nullable=False, server_default=NOW),
        sa.CheckConstraint(
            "segment_kind IN ('','industry','product')", name="ck_plan_targets_segment_kind"
        ),
    )


def downgrade() -> None:
    op.drop_table("execdash_plan_targets")
    op.drop_table("execdash_plans")
