"""Rename the tables of execdash installations made before every own table got the `execdash_`
prefix, so upgrading them keeps every account, session, token and import-log row.

A table is renamed only when it is provably ours: it has the old name, exactly the columns
execdash gave it, and no table of the new name holds rows. Anything else (say, another system's
`users` with name/email/role/department) is left untouched. The Alembic version table moves from
`alembic_version` to `execdash_alembic_version` the same way, before migrations run.
"""

from __future__ import annotations

import sqlalchemy as sa

from execdash.db.preflight import SchemaConflict
from execdash.db.tables import PREFIX

__all__ = ["SchemaConflict", "adopt_version_table", "legacy_revision", "rename_tables"]

VERSION_TABLE = PREFIX + "alembic_version"
LEGACY_VERSION_TABLE = "alembic_version"
LEGACY_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006")
"""Revisions shipped while the tables had no prefix."""

LEGACY_COLUMNS: dict[str, frozenset[str]] = {
    name: frozenset(columns.split())
    for name, columns in {
        "app_meta": "key value",
        "import_log": "id table_name rows mode source checksum username imported_at report",
        "users": "id username password_hash role disabled created_at",
        "api_tokens": ("id user_id name token_hash created_at expires_at revoked last_used_at"),
        "web_sessions": "session_hash user_id csrf_token created_at expires_at",
        "alert_status": "alert_id status updated_by updated_at",
        "rollup_orders_month": "month type amount profit orders",
        "rollup_mrr_month_customer": "month customer_id amount orders",
        "rollup_expenses_month": "month cost lines",
        "rollup_user_events_day": "day event_type events",
        "rollup_page_visits_day": "day page_name visits",
        "rollup_orders_month_customer": "month customer_id type amount profit orders",
        "rollup_recurring_first_month": "customer_id month",
        "rollup_pipeline_month": "month stage_name value days",
        "rollup_product_revenue_month": "month name revenue days",
    }.items()
}
"""Each old table name (parents before the tables referring to them) and its exact columns."""

READY_KEY = "rollup_ready:"


def _quote(conn: sa.Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _columns(inspector: sa.Inspector, table: str) -> frozenset[str]:
    return frozenset(c["name"] for c in inspector.get_columns(table))


def _count(conn: sa.Connection, table: str) -> int:
    return int(conn.execute(sa.text(f"SELECT count(*) FROM {_quote(conn, table)}")).scalar_one())


def is_ours(conn: sa.Connection, old: str) -> bool:
    """Whether the table `old` exists and has exactly the columns execdash gave it."""
    inspector = sa.inspect(conn)
    return inspector.has_table(old) and _columns(inspector, old) == LEGACY_COLUMNS[old]


def rename_tables(conn: sa.Connection) -> list[str]:
    """Rename every old-name table of ours to its prefixed name; return the old names renamed."""
    renamed = []
    for old in LEGACY_COLUMNS:
        if not is_ours(conn, old):
            continue
        new = PREFIX + old
        if sa.inspect(conn).has_table(new):
            if _count(conn, new):
                raise SchemaConflict(
                    f"tables {old!r} and {new!r} both hold execdash data: keep one (move or drop "
                    f"the other, after a backup) and run `execdash db upgrade` again"
                )
            conn.execute(sa.text(f"DROP TABLE {_quote(conn, new)}"))
        conn.execute(sa.text(f"ALTER TABLE {_quote(conn, old)} RENAME TO {_quote(conn, new)}"))
        if conn.dialect.name == "postgresql":
            _rename_postgres_objects(conn, old, new)
        else:
            _rename_sqlite_indexes(conn, old, new)
        renamed.append(old)
    if renamed:
        _rename_ready_keys(conn)
    return renamed


def _rename_postgres_objects(conn: sa.Connection, old: str, new: str) -> None:
    """Give constraints, their indexes, plain indexes and the id sequence the names a fresh
    database has (PostgreSQL keeps them on a rename, and index names share one namespace)."""
    constraints = conn.execute(
        sa.text(
            "SELECT conname FROM pg_constraint WHERE conrelid = CAST(:t AS regclass) "
            "AND conname LIKE :p"
        ),
        {"t": new, "p": old.replace("_", r"\_") + r"\_%"},
    ).scalars()
    for name in list(constraints):
        conn.execute(
            sa.text(
                f"ALTER TABLE {_quote(conn, new)} RENAME CONSTRAINT {_quote(conn, name)} "
                f"TO {_quote(conn, new + name[len(old) :])}"
            )
        )
    indexes = conn.execute(
        sa.text("SELECT indexname FROM pg_indexes WHERE tablename = :t AND indexname LIKE :p"),
        {"t": new, "p": "ix" + r"\_" + old.replace("_", r"\_") + r"\_%"},
    ).scalars()
    for name in list(indexes):
        renamed = "ix_" + new + name[len("ix_" + old) :]
        conn.execute(sa.text(f"ALTER INDEX {_quote(conn, name)} RENAME TO {_quote(conn, renamed)}"))
    for column in LEGACY_COLUMNS[old]:
        sequence = conn.execute(
            sa.text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": new, "c": column}
        ).scalar_one_or_none()
        if sequence and sequence.split(".")[-1].strip('"') == f"{old}_{column}_seq":
            conn.execute(
                sa.text(
                    f"ALTER SEQUENCE {sequence} RENAME TO {_quote(conn, f'{new}_{column}_seq')}"
                )
            )


def _rename_sqlite_indexes(conn: sa.Connection, old: str, new: str) -> None:
    """Recreate `ix_<old>_*` indexes as `ix_<new>_*` (SQLite has no ALTER INDEX)."""
    rows = conn.execute(
        sa.text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t "
            "AND sql IS NOT NULL"
        ),
        {"t": new},
    ).all()
    for name, sql in rows:
        if not name.startswith(f"ix_{old}_"):
            continue
        renamed = "ix_" + new + name[len("ix_" + old) :]
        conn.execute(sa.text(f"DROP INDEX {_quote(conn, name)}"))
        conn.execute(sa.text(sql.replace(name, renamed, 1)))


def _rename_ready_keys(conn: sa.Connection) -> None:
    """Rollups are flagged ready under their table's name: follow the rename."""
    meta = PREFIX + "app_meta"
    if not sa.inspect(conn).has_table(meta):
        return
    keys = conn.execute(
        sa.text(f"SELECT key FROM {meta} WHERE key LIKE :p"), {"p": READY_KEY + "rollup%"}
    ).scalars()
    for key in list(keys):
        conn.execute(
            sa.text(f"UPDATE {meta} SET key = :new WHERE key = :old"),
            {"new": READY_KEY + PREFIX + key[len(READY_KEY) :], "old": key},
        )


def legacy_revision(conn: sa.Connection) -> str | None:
    """The revision of a pre-prefix installation (its `alembic_version`), or None if not one."""
    inspector = sa.inspect(conn)
    if inspector.has_table(VERSION_TABLE) or not inspector.has_table(LEGACY_VERSION_TABLE):
        return None
    if _columns(inspector, LEGACY_VERSION_TABLE) != {"version_num"}:
        return None
    versions = (
        conn.execute(sa.text(f"SELECT version_num FROM {LEGACY_VERSION_TABLE}")).scalars().all()
    )
    if len(versions) != 1 or versions[0] not in LEGACY_REVISIONS:
        return None
    if versions[0] != "0001" and not is_ours(conn, "app_meta"):
        return None  # another program's Alembic history that happens to use the same ids
    return str(versions[0])


def adopt_version_table(conn: sa.Connection) -> None:
    """Move a pre-prefix installation's revision into `execdash_alembic_version`."""
    revision = legacy_revision(conn)
    if revision is None:
        return
    table = sa.Table(
        VERSION_TABLE,
        sa.MetaData(),
        sa.Column("version_num", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("version_num", name=VERSION_TABLE + "_pkc"),
    )
    table.create(conn)
    conn.execute(table.insert().values(version_num=revision))
    conn.execute(sa.text(f"DROP TABLE {LEGACY_VERSION_TABLE}"))
