"""The seed schema (../shared/seed/DB_SCHEMA.md) as SQLAlchemy Core tables, exactly as specified.

On PostgreSQL a seed `REAL` column becomes DOUBLE PRECISION: PostgreSQL's REAL is a 4-byte float
that would round money to about seven significant digits; SQLite's REAL is already 8 bytes.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

metadata = sa.MetaData()

Real: sa.types.TypeEngine[float] = sa.REAL().with_variant(
    postgresql.DOUBLE_PRECISION(), "postgresql"
)
NOW = sa.text("CURRENT_TIMESTAMP")
TODAY = sa.text("CURRENT_DATE")


def _pk_id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True)


def _period_pk() -> sa.Column[str]:
    return sa.Column("period", sa.Text, primary_key=True)


# --- Executive tables ---------------------------------------------------------------------------

timeframe_window = sa.Table(
    "timeframe_window",
    metadata,
    _pk_id(),
    sa.Column("range", sa.Text, unique=True),
    sa.Column("start_date", sa.Date),
    sa.Column("end_date", sa.Date),
    sa.Column("granularity", sa.Text),
)

executive_kpis = sa.Table(
    "executive_kpis",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("label", sa.Text),
    sa.Column("value", Real),
    sa.Column("unit", sa.Text),
    sa.Column("delta", Real),
    sa.Column("direction", sa.Text),
    sa.CheckConstraint("direction IN ('up','down','flat')", name="ck_executive_kpis_direction"),
)

revenue_trend = sa.Table(
    "revenue_trend",
    metadata,
    _period_pk(),
    sa.Column("recognized", Real, nullable=False, server_default=sa.text("0")),
    sa.Column("booked", Real, nullable=False, server_default=sa.text("0")),
    sa.Column("backlog", Real, nullable=False, server_default=sa.text("0")),
)

pipeline_stages = sa.Table(
    "pipeline_stages",
    metadata,
    sa.Column("stage_name", sa.Text, primary_key=True),
    sa.Column("value", sa.Integer, nullable=False, server_default=sa.text("0")),
)

pipeline_stages_daily = sa.Table(
    "pipeline_stages_daily",
    metadata,
    sa.Column("period", sa.Date, primary_key=True),
    sa.Column("stage_name", sa.Text, primary_key=True),
    sa.Column("value", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.CheckConstraint(
        "stage_name IN ('Leads','MQL','SQL','Won')", name="ck_pipeline_stages_daily_stage_name"
    ),
)

pipeline_winrate = sa.Table(
    "pipeline_winrate",
    metadata,
    _period_pk(),
    sa.Column("win_rate_pct", Real, nullable=False),
    sa.Column("sales_cycle_days", sa.Integer, nullable=False),
)

retention_nrr = sa.Table(
    "retention_nrr",
    metadata,
    _period_pk(),
    sa.Column("nrr", Real, nullable=False),
    sa.Column("gross_churn", Real, nullable=False),
    sa.Column("expansion", Real, nullable=False),
)

retention_at_risk = sa.Table(
    "retention_at_risk",
    metadata,
    _pk_id(),
    sa.Column("customer", sa.Text, nullable=False),
    sa.Column("mrr", Real, nullable=False),
    sa.Column("risk", Real, nullable=False),
    sa.Column("reason", sa.Text),
    sqlite_autoincrement=True,
)

alerts = sa.Table(
    "alerts",
    metadata,
    _pk_id(),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("severity", sa.Text),
    sa.Column("created_at", sa.DateTime, server_default=NOW),
    sa.CheckConstraint("severity IN ('low','medium','high')", name="ck_alerts_severity"),
    sqlite_autoincrement=True,
)

risks = sa.Table(
    "risks",
    metadata,
    _pk_id(),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("owner", sa.Text),
    sa.Column("due", sa.Date),
    sa.Column("mitigation", sa.Text),
    sa.Column("status", sa.Text, server_default=sa.text("'open'")),
    sqlite_autoincrement=True,
)

# --- Operations ---------------------------------------------------------------------------------

ops_uptime = sa.Table(
    "ops_uptime", metadata, _period_pk(), sa.Column("uptime", Real, nullable=False)
)

ops_reliability = sa.Table(
    "ops_reliability",
    metadata,
    _period_pk(),
    sa.Column("mtbf_hours", Real, nullable=False),
    sa.Column("mttr_hours", Real, nullable=False),
)

ops_quality = sa.Table(
    "ops_quality",
    metadata,
    _period_pk(),
    sa.Column("doa_pct", Real, nullable=False),
    sa.Column("defect_pct", Real, nullable=False),
    sa.Column("warranty_pct", Real, nullable=False),
)

ops_service_cost = sa.Table(
    "ops_service_cost",
    metadata,
    _period_pk(),
    sa.Column("cost_per_device", Real, nullable=False),
)

# --- Supply chain -------------------------------------------------------------------------------

supply_cogs_breakdown = sa.Table(
    "supply_cogs_breakdown",
    metadata,
    _pk_id(),
    sa.Column("component", sa.Text, nullable=False),
    sa.Column("cost", Real, nullable=False),
)

supply_cogs_variance = sa.Table(
    "supply_cogs_variance",
    metadata,
    _period_pk(),
    sa.Column("variance_pct", Real, nullable=False),
)

supply_lead_time = sa.Table(
    "supply_lead_time",
    metadata,
    _period_pk(),
    sa.Column("lead_time_days", Real, nullable=False),
)

supply_inventory_turns = sa.Table(
    "supply_inventory_turns",
    metadata,
    _period_pk(),
    sa.Column("turns_per_year", Real, nullable=False),
)

# --- Telemetry ----------------------------------------------------------------------------------

telemetry_utilization = sa.Table(
    "telemetry_utilization",
    metadata,
    _period_pk(),
    sa.Column("avg_hours_per_device", Real, nullable=False),
)

telemetry_consumption = sa.Table(
    "telemetry_consumption",
    metadata,
    _period_pk(),
    sa.Column("grams_per_cycle", Real, nullable=False),
)

telemetry_active_devices = sa.Table(
    "telemetry_active_devices",
    metadata,
    _period_pk(),
    sa.Column("active_devices", sa.Integer, nullable=False),
)

# --- Products -----------------------------------------------------------------------------------

top_products_daily = sa.Table(
    "top_products_daily",
    metadata,
    sa.Column("period", sa.Date, primary_key=True),
    sa.Column("name", sa.Text, primary_key=True, nullable=False),
    sa.Column("revenue", Real, nullable=False),
)

top_products = sa.Table(
    "top_products",
    metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("revenue", Real, nullable=False),
)

# --- Customers and feedback ---------------------------------------------------------------------

customers = sa.Table(
    "customers",
    metadata,
    _pk_id(),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("industry", sa.Text),
    sa.Column("source", sa.Text),
    sa.Column("created_at", sa.Date, server_default=TODAY),
)

deals = sa.Table("deals", metadata, _pk_id(), sa.Column("type", sa.Text, nullable=False))

orders = sa.Table(
    "orders",
    metadata,
    _pk_id(),
    sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id", ondelete="SET NULL")),
    sa.Column("amount", Real, nullable=False),
    sa.Column("profit", Real, nullable=False),
    sa.Column("order_date", sa.Date, nullable=False),
    sa.Column("type", sa.Text),
)

expenses = sa.Table(
    "expenses",
    metadata,
    _pk_id(),
    sa.Column("cost", Real, nullable=False),
    sa.Column("date", sa.Date, nullable=False),
)

devices = sa.Table(
    "devices",
    metadata,
    _pk_id(),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("fault_type", sa.Text),
)

repurchases = sa.Table(
    "repurchases",
    metadata,
    _pk_id(),
    sa.Column("device_type", sa.Text, nullable=False),
    sa.Column("repurchase_rate", Real, nullable=False),
)

user_events = sa.Table(
    "user_events",
    metadata,
    _pk_id(),
    sa.Column("event_type", sa.Text, nullable=False),
    sa.Column("event_time", sa.DateTime, nullable=False),
)

page_visits = sa.Table(
    "page_visits",
    metadata,
    _pk_id(),
    sa.Column("visit_date", sa.Date, nullable=False),
    sa.Column("page_name", sa.Text, nullable=False),
)

product_feedback = sa.Table(
    "product_feedback",
    metadata,
    _pk_id(),
    sa.Column("category", sa.Text, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, server_default=NOW),
)

feedback_scores = sa.Table(
    "feedback_scores",
    metadata,
    _pk_id(),
    sa.Column("aspect", sa.Text, nullable=False),
    sa.Column("score", Real, nullable=False),
    sa.Column("created_at", sa.DateTime, server_default=NOW),
)

feedback = sa.Table(
    "feedback",
    metadata,
    _pk_id(),
    sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id", ondelete="SET NULL")),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("message", sa.Text),
    sa.Column("created_at", sa.DateTime, server_default=NOW),
)

# --- Indexes (named exactly as in the seed) -----------------------------------------------------

sa.Index("idx_orders_order_date", orders.c.order_date)
sa.Index("idx_orders_customer_id", orders.c.customer_id)
sa.Index("idx_expenses_date", expenses.c.date)
sa.Index("idx_user_events_time", user_events.c.event_time)
sa.Index("idx_page_visits_date", page_visits.c.visit_date)
sa.Index("idx_product_feedback_created", product_feedback.c.created_at)
sa.Index("idx_top_products_daily_period", top_products_daily.c.period)
sa.Index("idx_pipeline_stages_daily_period", pipeline_stages_daily.c.period)

SEED_TABLES: tuple[str, ...] = tuple(metadata.tables)
"""Names of the 34 seed tables, in definition order (parents before children)."""
