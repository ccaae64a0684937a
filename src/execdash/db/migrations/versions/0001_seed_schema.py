"""Create the seed schema of ../shared/seed/DB_SCHEMA.md: 34 tables and 8 indexes.

The seed is fixed by specification, so this migration builds it from `execdash.db.schema`,
naming the tables explicitly; tables of execdash's own arrive in later migrations.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

from execdash.db import schema

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = (
    "timeframe_window", "executive_kpis", "revenue_trend", "pipeline_stages",
    "pipeline_stages_daily", "pipeline_winrate", "retention_nrr", "retention_at_risk", "alerts",
    "risks", "ops_uptime", "ops_reliability", "ops_quality", "ops_service_cost",
    "supply_cogs_breakdown", "supply_cogs_variance", "supply_lead_time", "supply_inventory_turns",
    "telemetry_utilization", "telemetry_consumption", "telemetry_active_devices",
    "top_products_daily", "top_products", "customers", "deals", "orders", "expenses", "devices",
    "repurchases", "user_events", "page_visits", "product_feedback", "feedback_scores", "feedback",
)  # fmt: skip


def upgrade() -> None:
    tables = [schema.metadata.tables[name] for name in TABLES]
    schema.metadata.create_all(op.get_bind(), tables=tables, checkfirst=True)


def downgrade() -> None:
    tables = [schema.metadata.tables[name] for name in TABLES]
    schema.metadata.drop_all(op.get_bind(), tables=tables, checkfirst=True)
