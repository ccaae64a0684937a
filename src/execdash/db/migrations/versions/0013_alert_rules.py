"""Alert rules and the episodes they fired (each linked to the seed `alerts` row it wrote).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

NOW = sa.text("CURRENT_TIMESTAMP")


def upgrade() -> None:
    op.create_table(
        "execdash_alert_rules",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("metric", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("direction", sa.Text, nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("compare", sa.Text),
        sa.Column("min_volume", sa.Float),
        sa.Column("sensitivity", sa.Float),
        sa.Column("hysteresis", sa.Float, nullable=False, server_default=sa.text("0.05")),
        sa.Column("severity", sa.Text, nullable=False, server_default=sa.text("'medium'")),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_by", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("updated_by", sa.Text),
        sa.Column("updated_at", sa.DateTime, nullable=False, server_default=NOW),
        sa.CheckConstraint(
            "kind IN ('threshold','change','off_plan','anomaly')", name="ck_alert_rules_kind"
        ),
        sa.CheckConstraint(
            "direction IN ('above','below','either')", name="ck_alert_rules_direction"
        ),
        sa.CheckConstraint(
            "compare IS NULL OR compare IN ('previous','year_ago')", name="ck_alert_rules_compare"
        ),
        sa.CheckConstraint("severity IN ('low','medium','high')", name="ck_alert_rules_severity"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "execdash_alert_firings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "rule_id",
            sa.Integer,
            sa.ForeignKey("execdash_alert_rules.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("alert_id", sa.Integer, nullable=False, unique=True),
        sa.Column("period", sa.Text, nullable=False),
        sa.Column("last_period", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False, server_default=sa.text("'firing'")),
        sa.Column("value", sa.Float),
        sa.Column("fired_at", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("updated_at", sa.DateTime, nullable=False, server_default=NOW),
        sa.Column("resolved_at", sa.DateTime),
        sa.UniqueConstraint("rule_id", "period", name="uq_alert_firings_rule_period"),
        sa.CheckConstraint("state IN ('firing','resolved')", name="ck_alert_firings_state"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("execdash_alert_firings")
    op.drop_table("execdash_alert_rules")
