"""Tables of execdash's own, beside the seed: metadata about data changes and imports."""

from __future__ import annotations

import sqlalchemy as sa

from execdash.db.schema import NOW

PREFIX = "execdash_"
"""Every table of execdash's own starts with this, so none collides with a company's tables."""

app_metadata = sa.MetaData()

app_meta = sa.Table(
    PREFIX + "app_meta",
    app_metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
"""Key/value facts about the installation: `data_version`, `last_data_update`."""

import_log = sa.Table(
    PREFIX + "import_log",
    app_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("table_name", sa.Text, nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("mode", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("checksum", sa.Text, nullable=False),
    sa.Column("username", sa.Text),
    sa.Column("imported_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.Column("report", sa.Text),
    sa.CheckConstraint("mode IN ('append','upsert','replace')", name="ck_import_log_mode"),
    sqlite_autoincrement=True,
)
"""One row per table loaded by a successful import (file checksum is SHA-256 hex)."""

# --- Authentication and alert workflow (migration 0003) ------------------------------------------

ROLES = ("viewer", "editor", "admin")

users = sa.Table(
    PREFIX + "users",
    app_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.Text, nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False, server_default=sa.text("'viewer'")),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.CheckConstraint("role IN ('viewer','editor','admin')", name="ck_users_role"),
    sqlite_autoincrement=True,
)
"""People who may log in; `password_hash` is an argon2id PHC string, never the password."""

api_tokens = sa.Table(
    PREFIX + "api_tokens",
    app_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "user_id",
        sa.Integer,
        sa.ForeignKey(PREFIX + "users.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("name", sa.Text, nullable=False, server_default=sa.text("''")),
    sa.Column("token_hash", sa.Text, nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.Column("expires_at", sa.DateTime),
    sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("last_used_at", sa.DateTime),
    sqlite_autoincrement=True,
)
"""Bearer tokens for scripts; only the SHA-256 hex of the token is stored."""

web_sessions = sa.Table(
    PREFIX + "web_sessions",
    app_metadata,
    sa.Column("session_hash", sa.Text, primary_key=True),
    sa.Column(
        "user_id",
        sa.Integer,
        sa.ForeignKey(PREFIX + "users.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("csrf_token", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.Column("expires_at", sa.DateTime, nullable=False),
)
"""Server-side web sessions keyed by the SHA-256 of the cookie value, with their CSRF token."""

alert_status = sa.Table(
    PREFIX + "alert_status",
    app_metadata,
    sa.Column("alert_id", sa.Integer, primary_key=True),
    sa.Column("status", sa.Text, nullable=False, server_default=sa.text("'open'")),
    sa.Column("updated_by", sa.Text),
    sa.Column("updated_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.CheckConstraint("status IN ('open','acknowledged','closed')", name="ck_alert_status_status"),
)
"""Workflow state of a seed `alerts` row (no row = open), kept beside the seed table."""

# --- Rollups (migration 0004): aggregates of the large raw tables, kept by record_data_change ---

rollup_orders_month = sa.Table(
    PREFIX + "rollup_orders_month",
    app_metadata,
    sa.Column("month", sa.Text, primary_key=True),
    sa.Column("type", sa.Text, primary_key=True),
    sa.Column("amount", sa.Float, nullable=False),
    sa.Column("profit", sa.Float, nullable=False),
    sa.Column("orders", sa.Integer, nullable=False),
)
"""Σ amount, Σ profit and count of orders by `YYYY-MM` and type (`''` stands for no type)."""

RECURRING_TYPES = ("subscription", "recurring")
"""Order types that are recurring revenue (MRR/ARR, new MRR), per metrics.md."""

rollup_mrr_month_customer = sa.Table(
    PREFIX + "rollup_mrr_month_customer",
    app_metadata,
    sa.Column("month", sa.Text, primary_key=True),
    sa.Column("customer_id", sa.Integer, primary_key=True),
    sa.Column("amount", sa.Float, nullable=False),
    sa.Column("orders", sa.Integer, nullable=False),
)
"""Subscription/recurring order amount by `YYYY-MM` and customer (0 stands for no customer)."""

rollup_expenses_month = sa.Table(
    PREFIX + "rollup_expenses_month",
    app_metadata,
    sa.Column("month", sa.Text, primary_key=True),
    sa.Column("cost", sa.Float, nullable=False),
    sa.Column("lines", sa.Integer, nullable=False),
)
"""Σ cost and count of expense lines by `YYYY-MM`."""

rollup_user_events_day = sa.Table(
    PREFIX + "rollup_user_events_day",
    app_metadata,
    sa.Column("day", sa.Text, primary_key=True),
    sa.Column("event_type", sa.Text, primary_key=True),
    sa.Column("events", sa.Integer, nullable=False),
)
"""Count of user events by `YYYY-MM-DD` and event type."""

rollup_page_visits_day = sa.Table(
    PREFIX + "rollup_page_visits_day",
    app_metadata,
    sa.Column("day", sa.Text, primary_key=True),
    sa.Column("page_name", sa.Text, primary_key=True),
    sa.Column("visits", sa.Integer, nullable=False),
)
"""Count of page visits by `YYYY-MM-DD` and page."""

# --- Rollups added by migration 0005: drill-downs by customer, and recurring-revenue cohorts ---

rollup_orders_month_customer = sa.Table(
    PREFIX + "rollup_orders_month_customer",
    app_metadata,
    sa.Column("month", sa.Text, primary_key=True),
    sa.Column("customer_id", sa.Integer, primary_key=True),
    sa.Column("type", sa.Text, primary_key=True),
    sa.Column("amount", sa.Float, nullable=False),
    sa.Column("profit", sa.Float, nullable=False),
    sa.Column("orders", sa.Integer, nullable=False),
)
"""Σ amount, Σ profit and count of orders by `YYYY-MM`, customer (0 = none) and type (`''`)."""

rollup_recurring_first_month = sa.Table(
    PREFIX + "rollup_recurring_first_month",
    app_metadata,
    sa.Column("customer_id", sa.Integer, primary_key=True),
    sa.Column("month", sa.Text, nullable=False, index=True),
)
"""Each customer's first month with a subscription/recurring order (its new-MRR cohort)."""

# --- Rollups added by migration 0006: the daily funnel and product revenue, by month ---

rollup_pipeline_month = sa.Table(
    PREFIX + "rollup_pipeline_month",
    app_metadata,
    sa.Column("month", sa.Text, primary_key=True),
    sa.Column("stage_name", sa.Text, primary_key=True),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("days", sa.Integer, nullable=False),
)
"""Σ pipeline_stages_daily.value and the days counted, by `YYYY-MM` and stage."""

rollup_product_revenue_month = sa.Table(
    PREFIX + "rollup_product_revenue_month",
    app_metadata,
    sa.Column("month", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("revenue", sa.Float, nullable=False),
    sa.Column("days", sa.Integer, nullable=False),
)
"""Σ top_products_daily.revenue and the days counted, by `YYYY-MM` and product."""

# --- Added by migration 0009: running totals per customer, so any window is two reads each ---

CUMULATIVE_CLASSES: dict[str, tuple[str, ...] | None] = {
    "all": None,
    "recognized": ("recognized",),
    "booked": ("booked",),
    "recurring": RECURRING_TYPES,
}
"""The order-type sets kept as running totals (None = every type, including none)."""

CUMULATIVE_MEASURES = ("amount", "profit", "orders")


def _running_totals() -> list[sa.Column[float]]:
    """The value columns of a running-totals table: Σ amount, Σ profit and orders per type set."""
    return [
        sa.Column(f"{kind}_{measure}", sa.Integer if measure == "orders" else sa.Float,
                  nullable=False)
        for kind in CUMULATIVE_CLASSES
        for measure in CUMULATIVE_MEASURES
    ]  # fmt: skip


orders_cumulative = sa.Table(
    "execdash_orders_cumulative",
    app_metadata,
    sa.Column("month", sa.Text, primary_key=True),
    sa.Column("customer_id", sa.Integer, primary_key=True),
    *_running_totals(),
    sqlite_with_rowid=False,
)  # fmt: skip
"""Σ amount, Σ profit and count of a customer's orders (0 = none) dated up to the end of `month`,
per type set, one row per customer and month from its first order to the latest data month."""

# --- Added by migration 0015: the running totals summed by industry and by source ---

orders_cumulative_label = sa.Table(
    "execdash_orders_cumulative_label",
    app_metadata,
    sa.Column("dimension", sa.Text, primary_key=True),
    sa.Column("month", sa.Text, primary_key=True),
    sa.Column("label", sa.Text, primary_key=True),
    *_running_totals(),
    sqlite_with_rowid=False,
)  # fmt: skip
"""`orders_cumulative` summed per month over the customers of one industry or source (`label`,
"(unknown)" when missing or empty): a breakdown by industry reads two rows per industry."""

# --- Added by migration 0016: MRR movements kept at write time (db.mrr_moves) ---

MRR_MOVES = ("new", "reactivation", "expansion", "contraction", "churn")
"""How a customer's MRR can move from one month to the next (insights.movements)."""

mrr_movements_month = sa.Table(
    "execdash_mrr_movements_month",
    app_metadata,
    sa.Column("month", sa.Text, primary_key=True),
    sa.Column("opening", sa.Float, nullable=False),
    sa.Column("closing", sa.Float, nullable=False),
    *(sa.Column(m, sa.Float, nullable=False) for m in (*MRR_MOVES, "unattributed")),
    sa.Column("opening_customers", sa.Integer, nullable=False),
    sa.Column("closing_customers", sa.Integer, nullable=False),
    *(sa.Column(f"{m}_customers", sa.Integer, nullable=False) for m in MRR_MOVES),
    sa.Column("cohort_customers", sa.Integer, nullable=False),
    sa.Column("cohort_base", sa.Float, nullable=False),
    sa.Column("cohort_gained", sa.Float, nullable=False),
    sa.Column("cohort_lost", sa.Float, nullable=False),
)  # fmt: skip
"""One month's MRR bridge (opening = the month before's MRR, each movement's Σ and customers,
closing) and the trailing-12-month cohort's terms (customers paying 12 months before, their MRR
then, Σ of their gains and of their losses since), for every month from the first with MRR to
the month after the last."""

mrr_movements_customer = sa.Table(
    "execdash_mrr_movements_customer",
    app_metadata,
    sa.Column("customer_id", sa.Integer, primary_key=True),
    sa.Column("movement", sa.Text, primary_key=True),
    sa.Column("month", sa.Text, primary_key=True),
    sa.Column("amount", sa.Float, nullable=False),
    sa.Column("previous", sa.Text, nullable=True),
    sa.Index("ix_execdash_mrr_movements_customer_month", "month", "movement", "previous"),
    sqlite_with_rowid=False,
)  # fmt: skip
"""Each customer's movement in each month (its signed MRR change) and the month it last made
the same movement before (`previous`, NULL if never): the distinct customers making a movement
over months a…b are the rows of a…b whose `previous` is NULL or before a."""

# --- Added by migration 0007: which profile (the seed backend's `users` row) is whose ---

profile_links = sa.Table(
    PREFIX + "profile_links",
    app_metadata,
    sa.Column(
        "user_id",
        sa.Integer,
        sa.ForeignKey(PREFIX + "users.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("profile_id", sa.Integer, nullable=False, unique=True),
)
"""A login's profile row in `users` (that table belongs to the seed backend, so no foreign key)."""

# --- Change detection (migration 0008): per-table data versions and stale rollup periods ---------

data_versions = sa.Table(
    "execdash_data_versions",
    app_metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("version", sa.BigInteger, nullable=False, server_default=sa.text("0")),
    sa.Column("changed_at", sa.DateTime),
)
"""One counter per data table, bumped by every write (execdash's or, through triggers, anyone's)."""

stale = sa.Table(
    "execdash_stale",
    app_metadata,
    sa.Column("target", sa.Text, primary_key=True),
    sa.Column("period", sa.Text, primary_key=True),
)
"""What another program's writes left to redo: a rollup's period (`YYYY-MM`, `YYYY-MM-DD`, `*` =
all of it), or a seed table's name with `*` (that table changed outside execdash)."""
