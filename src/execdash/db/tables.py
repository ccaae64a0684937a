"""Tables of execdash's own, beside the seed: metadata about data changes and imports."""

from __future__ import annotations

import sqlalchemy as sa

from execdash.db.schema import NOW

app_metadata = sa.MetaData()

app_meta = sa.Table(
    "app_meta",
    app_metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
"""Key/value facts about the installation: `data_version`, `last_data_update`."""

import_log = sa.Table(
    "import_log",
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
ALERT_STATUSES = ("open", "acknowledged", "closed")

users = sa.Table(
    "users",
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
    "api_tokens",
    app_metadata,
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
"""Bearer tokens for scripts; only the SHA-256 hex of the token is stored."""

web_sessions = sa.Table(
    "web_sessions",
    app_metadata,
    sa.Column("session_hash", sa.Text, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("csrf_token", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.Column("expires_at", sa.DateTime, nullable=False),
)
"""Server-side web sessions keyed by the SHA-256 of the cookie value, with their CSRF token."""

alert_status = sa.Table(
    "alert_status",
    app_metadata,
    sa.Column("alert_id", sa.Integer, primary_key=True),
    sa.Column("status", sa.Text, nullable=False, server_default=sa.text("'open'")),
    sa.Column("updated_by", sa.Text),
    sa.Column("updated_at", sa.DateTime, nullable=False, server_default=NOW),
    sa.CheckConstraint("status IN ('open','acknowledged','closed')", name="ck_alert_status_status"),
)
"""Workflow state of a seed `alerts` row (no row = open), kept beside the seed table."""
