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
