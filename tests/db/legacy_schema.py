"""execdash's own tables as installations before revision 0007 have them: no `execdash_` prefix.

Written out as the released migrations 0002-0006 created them, so the rename can be tested on
a database that really looks like an old installation.
"""

from __future__ import annotations

import sqlalchemy as sa

NOW = sa.text("CURRENT_TIMESTAMP")

legacy = sa.MetaData()

sa.Table(
    "app_meta",
    legacy,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
sa.Table(
    "import_log",
    legacy,
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
sa.Table(
    "users",
    legacy,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.Text, nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False, server_default=sa.text("'viewer'")),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.CheckConstraint("role IN ('viewer','editor','admin')", name="ck_users_role"),
    sqlite_autoincrement=True,
)
sa.Table(
    "api_tokens",
    legacy,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.Text, nullable=False, server_default=sa.text("''")),
    sa.Column("token_hash", sa.Text, nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.Column("expires_at", sa.DateTime),
    sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("last_used_at", sa.DateTime),
    sqlite_autoincrement=True,
)
sa.Table(
    "web_sessions",
    legacy,
    sa.Column("session_hash", sa.Text, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("csrf_token", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.Column("expires_at", sa.DateTime, nullable=False),
)
sa.Table(
    "alert_status",
    legacy,
    sa.Column("alert_id", sa.Integer, primary_key=True),
    sa.Column("status", sa.Text, nullable=False, server_default=sa.text("'open'")),
    sa.Column("updated_by", sa.Text),
    sa.Column("updated_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.CheckConstraint("status IN ('open','acknowledged','closed')", name="ck_alert_status_status"),
)


def _rollup(name: str, *columns: sa.Column[object]) -> None:
    sa.Table(name, legacy, *columns)


def _key(name: str, kind: type[sa.types.TypeEngine[object]] = sa.Text) -> sa.Column[object]:
    return sa.Column(name, kind, primary_key=True)


def _value(name: str, kind: type[sa.types.TypeEngine[object]] = sa.Float) -> sa.Column[object]:
    return sa.Column(name, kind, nullable=False)


_rollup(
    "rollup_orders_month",
    _key("month"),
    _key("type"),
    _value("amount"),
    _value("profit"),
    _value("orders", sa.Integer),
)
_rollup(
    "rollup_mrr_month_customer",
    _key("month"),
    _key("customer_id", sa.Integer),
    _value("amount"),
    _value("orders", sa.Integer),
)
_rollup("rollup_expenses_month", _key("month"), _value("cost"), _value("lines", sa.Integer))
_rollup("rollup_user_events_day", _key("day"), _key("event_type"), _value("events", sa.Integer))
_rollup("rollup_page_visits_day", _key("day"), _key("page_name"), _value("visits", sa.Integer))
_rollup(
    "rollup_orders_month_customer",
    _key("month"),
    _key("customer_id", sa.Integer),
    _key("type"),
    _value("amount"),
    _value("profit"),
    _value("orders", sa.Integer),
)
sa.Table(
    "rollup_recurring_first_month",
    legacy,
    sa.Column("customer_id", sa.Integer, primary_key=True),
    sa.Column("month", sa.Text, nullable=False),
    sa.Index("ix_rollup_recurring_first_month_month", "month"),
)
_rollup(
    "rollup_pipeline_month",
    _key("month"),
    _key("stage_name"),
    _value("value"),
    _value("days", sa.Integer),
)
_rollup(
    "rollup_product_revenue_month",
    _key("month"),
    _key("name"),
    _value("revenue"),
    _value("days", sa.Integer),
)

REVISIONS = {
    "0002": ("app_meta", "import_log"),
    "0003": ("users", "api_tokens", "web_sessions", "alert_status"),
    "0004": (
        "rollup_orders_month",
        "rollup_mrr_month_customer",
        "rollup_expenses_month",
        "rollup_user_events_day",
        "rollup_page_visits_day",
    ),
    "0005": ("rollup_orders_month_customer", "rollup_recurring_first_month"),
    "0006": ("rollup_pipeline_month", "rollup_product_revenue_month"),
}
"""Which old tables each released revision had added."""


def build(engine: sa.Engine, revision: str) -> None:
    """Make `engine`'s empty database an old installation at `revision` (seed tables included)."""
    from execdash.db import schema

    names = [n for rev, tables in REVISIONS.items() if rev <= revision for n in tables]
    with engine.begin() as conn:
        schema.metadata.create_all(conn)
        legacy.create_all(conn, tables=[legacy.tables[n] for n in names])
        conn.execute(
            sa.text(
                "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
            )
        )
        conn.execute(sa.text("INSERT INTO alembic_version VALUES (:v)"), {"v": revision})
