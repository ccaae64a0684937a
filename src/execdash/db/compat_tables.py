"""Tables the seed's own backend keeps beside the seed schema, which execdash reads and writes.

That backend creates `users`, `user_settings`, `meetings`, `messages` and `user_event_meta`
on first use. execdash declares them with the same names and columns, so a database that
system ran on keeps working, and creates them only where they are missing (migration 0007).
They are not execdash's own tables (those are `execdash_*`); execdash never alters them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from execdash.db.schema import NOW, user_events

compat_metadata = sa.MetaData()

STORED_FORMAT = "YYYY-MM-DD HH:MM:SS"
"""How SQLite rows get written: UTC, the text `CURRENT_TIMESTAMP` produces."""


class _SqliteTimestamp(sa.types.UserDefinedType[Any]):
    """A DATETIME column read as its raw text, since that system wrote several formats."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        """The declared type, as that system declares it."""
        return "DATETIME"

    def bind_processor(self, dialect: sa.Dialect) -> Any:
        """Datetimes become UTC text in the stored format; text passes as is."""

        def process(value: Any) -> Any:
            if isinstance(value, dt.datetime):  # isoformat pads years below 1000, strftime not
                return value.replace(microsecond=0).isoformat(sep=" ")
            return value

        return process


def parse_timestamp(value: object) -> dt.datetime | None:
    """A stored date-time (datetime, or text with `T`/space, fraction, `Z` or offset) as naive
    UTC; None for NULL or text that is not a date-time."""
    if value is None or isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value and value.tzinfo else value
    text = str(value).strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.astimezone(dt.UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


class Timestamp(sa.types.TypeDecorator[dt.datetime]):
    """Naive-UTC date-times on PostgreSQL; leniently parsed text on SQLite."""

    impl = sa.DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        """Raw text on SQLite (parsed in `process_result_value`), TIMESTAMP elsewhere."""
        if dialect.name == "sqlite":
            return dialect.type_descriptor(_SqliteTimestamp())
        return dialect.type_descriptor(sa.DateTime())

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> Any:
        """Aware datetimes are stored as naive UTC."""
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.astimezone(dt.UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> dt.datetime | None:
        """Whatever was stored, as naive UTC (None when unreadable)."""
        return parse_timestamp(value)


def _created() -> sa.Column[dt.datetime]:
    return sa.Column("created_at", Timestamp, nullable=False, server_default=NOW)


def _updated() -> sa.Column[dt.datetime]:
    return sa.Column("updated_at", Timestamp, nullable=False, server_default=NOW)


profiles = sa.Table(
    "users",
    compat_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("email", sa.Text, nullable=False, unique=True),
    sa.Column("avatar_url", sa.Text),
    sa.Column("role", sa.Text),
    sa.Column("department", sa.Text),
    sa.Column("phone", sa.Text),
    sa.Column("timezone", sa.Text),
    _created(),
    _updated(),
    sqlite_autoincrement=True,
)
"""People's profiles (name, e-mail, role as a job title…), not logins: those are execdash_users."""

PROFILE_FIELDS = ("name", "email", "avatar_url", "role", "department", "phone", "timezone")

user_settings = sa.Table(
    "user_settings",
    compat_metadata,
    sa.Column(
        "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("theme", sa.Text, server_default=sa.text("'light'")),
    sa.Column("notifications_enabled", sa.Boolean, server_default=sa.true()),
    sa.Column("email_notifications", sa.Boolean, server_default=sa.true()),
    sa.Column("language", sa.Text, server_default=sa.text("'en'")),
    sa.Column("date_format", sa.Text, server_default=sa.text("'YYYY-MM-DD'")),
    sa.Column("time_format", sa.Text, server_default=sa.text("'24h'")),
)
"""One row of display preferences per profile."""

meetings = sa.Table(
    "meetings",
    compat_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("start_time", Timestamp, nullable=False, index=True),
    sa.Column("end_time", Timestamp, nullable=False),
    sa.Column("location", sa.Text),
    sa.Column("attendees", sa.Text),
    sa.Column("category", sa.Text, server_default=sa.text("'meeting'")),
    _created(),
    _updated(),
    sa.CheckConstraint("end_time > start_time", name="ck_meetings_end_after_start"),
    sqlite_autoincrement=True,
)
"""Calendar entries; `attendees` is free text."""

PRIORITIES = ("low", "normal", "high", "urgent")

messages = sa.Table(
    "messages",
    compat_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("sender", sa.Text),
    sa.Column("recipient_id", sa.Integer, index=True),
    sa.Column("priority", sa.Text, nullable=False, server_default=sa.text("'normal'")),
    sa.Column("read", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("archived", sa.Boolean, nullable=False, server_default=sa.false()),
    _created(),
    _updated(),
    sa.CheckConstraint(
        "priority IN ('low', 'normal', 'high', 'urgent')", name="ck_messages_priority"
    ),
    sa.Index("ix_messages_created_at", "created_at"),
    sqlite_autoincrement=True,
)
"""The in-app inbox: newest first, unread = not read and not archived."""

user_event_meta = sa.Table(
    "user_event_meta",
    compat_metadata,
    sa.Column(
        "event_id",
        sa.Integer,
        sa.ForeignKey(user_events.c.id, ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("metric", sa.Text, primary_key=True, index=True),
    sa.Column("v", sa.Float),
    sa.Column("raw", sa.Text),
)
"""The `meta` entries of a usage event: the number in `v` when there is one, the text in `raw`."""

COMPAT_TABLES = ("users", "user_settings", "meetings", "messages", "user_event_meta")

LATE_COLUMNS = {"meetings": ("category", "TEXT DEFAULT 'meeting'")}
"""Columns that system added to its own tables later (on start-up, when missing)."""


def add_late_columns(conn: sa.Connection) -> list[str]:
    """Add those columns to an older database of that system, as it does itself; return them."""
    added = []
    inspector = sa.inspect(conn)
    for table, (column, spec) in LATE_COLUMNS.items():
        if not inspector.has_table(table):
            continue
        if column in {c["name"] for c in inspector.get_columns(table)}:
            continue
        conn.execute(sa.text(f"ALTER TABLE {table} ADD COLUMN {column} {spec}"))
        added.append(f"{table}.{column}")
    return added


def shape_gaps(conn: sa.Connection, name: str) -> tuple[list[str], list[str]]:
    """For the side table `name` as it exists: the columns execdash needs that it lacks, and its
    own required columns (NOT NULL, no default) that execdash's writes would leave empty."""
    table = compat_metadata.tables[name]
    inspector = sa.inspect(conn)
    if not inspector.has_table(name):
        return [], []
    have = inspector.get_columns(name)
    names = {c["name"] for c in have}
    missing = [c.name for c in table.columns if c.name not in names]
    required = [
        str(c["name"])
        for c in have
        if c["name"] not in table.columns
        and not c["nullable"]
        and c.get("default") is None
        and c.get("autoincrement") is not True
    ]
    return missing, required
