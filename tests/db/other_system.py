"""A database as the seed's own backend leaves it: the seed tables, its side tables and rows.

The side tables' DDL is written here from the contract (`users`, `user_settings`, `meetings`,
`messages`, `user_event_meta`), the way that backend declares them on SQLite, with the few
spellings PostgreSQL needs.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db import schema

SIDE_TABLES = ("users", "user_settings", "meetings", "messages", "user_event_meta")

DDL = [
    """CREATE TABLE users (
        id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE,
        avatar_url TEXT, role TEXT, department TEXT, phone TEXT, timezone TEXT,
        created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
        updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP)""",
    """CREATE TABLE user_settings (
        user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        theme TEXT DEFAULT 'light', notifications_enabled BOOLEAN DEFAULT TRUE,
        email_notifications BOOLEAN DEFAULT TRUE, language TEXT DEFAULT 'en',
        date_format TEXT DEFAULT 'YYYY-MM-DD', time_format TEXT DEFAULT '24h')""",
    """CREATE TABLE meetings (
        id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, description TEXT,
        start_time DATETIME NOT NULL, end_time DATETIME NOT NULL, location TEXT, attendees TEXT,
        category TEXT DEFAULT 'meeting',
        created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
        updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
        CHECK (end_time > start_time))""",
    """CREATE TABLE messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, content TEXT NOT NULL,
        sender TEXT, recipient_id INTEGER, priority TEXT NOT NULL DEFAULT 'normal',
        read BOOLEAN NOT NULL DEFAULT FALSE, archived BOOLEAN NOT NULL DEFAULT FALSE,
        created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
        updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
        CHECK (priority IN ('low', 'normal', 'high', 'urgent')))""",
    "CREATE INDEX idx_messages_recipient ON messages(recipient_id)",
    """CREATE TABLE user_event_meta (
        event_id INTEGER NOT NULL REFERENCES user_events(id) ON DELETE CASCADE,
        metric TEXT NOT NULL, v REAL, raw TEXT, PRIMARY KEY (event_id, metric))""",
    "CREATE INDEX idx_eventmeta_metric ON user_event_meta(metric)",
]


def _dialect(sql: str, engine: Engine) -> str:
    if engine.dialect.name != "postgresql":
        return sql
    return sql.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "SERIAL PRIMARY KEY").replace(
        "DATETIME", "TIMESTAMP"
    )


MONTHS = [f"2025-{m:02d}" for m in range(11, 13)] + [f"2026-{m:02d}" for m in range(1, 11)]
RECOGNIZED = {month: 1000.0 + 10 * i for i, month in enumerate(MONTHS)}
NPS_SCORES = [10, 9, 9, 7, 3, 10]  # 'nps' as that system writes it: 4 promoters, 1 detractor
NPS_UPPER = [9, 2]  # 'NPS' as execdash's demo writes it: 1 promoter, 1 detractor


def build(engine: Engine) -> None:
    """Create the tables and fill them as that system would."""
    with engine.begin() as conn:
        schema.metadata.create_all(conn)
        for sql in DDL:
            conn.execute(sa.text(_dialect(sql, engine)))
        conn.execute(
            schema.revenue_trend.insert(),
            [{"period": m, "recognized": v, "booked": v * 1.1, "backlog": 500.0}
             for m, v in RECOGNIZED.items()],
        )  # fmt: skip
        q = sa.text
        for i, score in enumerate(NPS_SCORES):
            conn.execute(
                q("INSERT INTO feedback_scores (aspect, score, created_at) VALUES ('nps', :s, :t)"),
                {"s": score, "t": f"2026-10-{i + 1:02d} 10:00:00"},
            )
        for score in NPS_UPPER:
            conn.execute(
                q("INSERT INTO feedback_scores (aspect, score, created_at) VALUES ('NPS', :s, :t)"),
                {"s": score, "t": "2026-10-20 10:00:00"},
            )
        conn.execute(
            q(
                "INSERT INTO users (name, email, role, department) "
                "VALUES ('Demo User', 'demo@example.com', 'Admin', 'Executive')"
            )
        )
        conn.execute(
            q(
                "INSERT INTO user_settings (user_id, theme, language, time_format) "
                "VALUES (1, 'dark', 'fr', '12h')"
            )
        )
        conn.execute(
            q(
                "INSERT INTO meetings (title, start_time, end_time, location, category) VALUES "
                "('Daily Standup', '2026-11-30 09:00:00', '2026-11-30 09:30:00', 'Room A', "
                "'meeting'),"
                "('Board prep', '2026-11-29 14:00:00', '2026-11-29 15:00:00', NULL, 'personal')"
            )
        )
        conn.execute(
            q(
                "INSERT INTO messages (title, content, sender, priority, read, archived) VALUES "
                "('Welcome', 'Hello', 'System', 'normal', FALSE, FALSE),"
                "('Audit', 'Due Friday', 'System', 'urgent', TRUE, FALSE),"
                "('Old', 'Gone', 'System', 'low', FALSE, TRUE)"
            )
        )
        conn.execute(
            q(
                "INSERT INTO user_events (event_type, event_time) VALUES "
                "('drilldown', '2026-11-28 10:00:00')"
            )
        )
        conn.execute(q(
            "INSERT INTO user_event_meta (event_id, metric, v, raw) VALUES "
            "(1, 'ai_latency_ms', 60, '60')"))  # fmt: skip


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table that system made, in a stable order."""
    names = [t.name for t in schema.metadata.sorted_tables] + list(SIDE_TABLES)
    with engine.connect() as conn:
        return {
            name: [tuple(r) for r in conn.execute(sa.text(f"SELECT * FROM {name} ORDER BY 1, 2"))]
            for name in names
        }
