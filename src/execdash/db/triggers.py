"""Triggers on the seed tables, so writes by any program (an ETL job, `sqlite3`, `psql`) are seen.

Every insert, update or delete on a seed table bumps that table's row in `data_versions` (the
cache keys and ETags follow it) and records in `stale` that the table changed outside execdash
and which periods of its rollups must be recomputed (`*` when the date is missing). Writes made
through execdash fire them too; `record_data_change` consumes the marks of its own transaction
(see `db.catchup`), so nothing is counted twice.

SQLite only has row triggers; PostgreSQL gets statement triggers reading transition tables (one
per event, as PostgreSQL requires), plus one for TRUNCATE. Names start with `execdash_changed_`;
`install` drops every such trigger first, so re-running it follows the current rollup catalog.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from execdash.db import schema as s
from execdash.db import tables as t
from execdash.db.compat_tables import compat_metadata
from execdash.db.rollup_catalog import ROLLUPS, Rollup

PREFIX = "execdash_changed_"
EVENTS = ("insert", "update", "delete")
_ROWS = {"insert": ("NEW",), "update": ("OLD", "NEW"), "delete": ("OLD",)}
_PG_RELATIONS = {"NEW": "new_rows", "OLD": "old_rows"}


def watched_tables() -> list[sa.Table]:
    """The tables whose writes are detected: every seed table, and the other system's own
    tables (profiles, settings, meetings, messages), which that system writes directly."""
    return [*s.metadata.sorted_tables, *compat_metadata.sorted_tables]


def _rollups_of(table: str) -> list[Rollup]:
    return [r for r in ROLLUPS if r.source.name == table]


def _period(rollup: Rollup, row: str) -> str:
    column = f'{row}."{rollup.date_column}"' if row else f'"{rollup.date_column}"'
    return f"COALESCE(substr(CAST({column} AS TEXT), 1, {rollup.key_length}), '*')"


def _sqlite_mark(target: str, period: str) -> str:
    # NOT EXISTS, not INSERT OR IGNORE nor ON CONFLICT: a foreign-key action (ON DELETE SET NULL)
    # firing the trigger imposes its own conflict algorithm, ABORT, on both.
    return (
        f"INSERT INTO {t.stale.name} (target, period) SELECT {target}, {period} "
        f"WHERE NOT EXISTS (SELECT 1 FROM {t.stale.name} "
        f"WHERE target = {target} AND period = {period});"
    )


def _sqlite_trigger(table: str, event: str) -> str:
    marks = [_sqlite_mark(f"'{table}'", "'*'")]
    for rollup in _rollups_of(table):
        for row in _ROWS[event]:
            marks.append(_sqlite_mark(f"'{rollup.target.name}'", _period(rollup, row)))
    body = "\n  ".join(  # marks first, then the version: the order PostgreSQL needs
        [
            *marks,
            f"UPDATE {t.data_versions.name} SET version = version + 1, "
            f"changed_at = CURRENT_TIMESTAMP WHERE name = '{table}';",
        ]
    )
    return (
        f'CREATE TRIGGER {PREFIX}{table}_{event} AFTER {event.upper()} ON "{table}"\n'
        f"BEGIN\n  {body}\nEND"
    )


def _pg_function(table: str, event: str) -> str:
    rows = [_PG_RELATIONS[r] for r in _ROWS.get(event, ())]
    guard = " UNION ALL ".join(f"SELECT 1 FROM {r}" for r in rows)
    lines = [f"IF NOT EXISTS ({guard}) THEN RETURN NULL; END IF;"] if rows else []
    lines.append(
        f"INSERT INTO {t.stale.name} (target, period) VALUES ('{table}', '*') "
        "ON CONFLICT DO NOTHING;"
    )
    for rollup in _rollups_of(table):
        if not rows:
            lines.append(
                f"INSERT INTO {t.stale.name} (target, period) "
                f"VALUES ('{rollup.target.name}', '*') ON CONFLICT DO NOTHING;"
            )
        for relation in rows:
            lines.append(
                f"INSERT INTO {t.stale.name} (target, period) "
                f"SELECT DISTINCT '{rollup.target.name}', {_period(rollup, '')} "
                f"FROM {relation} ON CONFLICT DO NOTHING;"
            )
    # The version row is locked last. Every writer takes the stale marks before the versions
    # (a catch-up deletes marks, then bumps versions), so two transactions can never wait for
    # each other in a cycle: with the bump first, an editor's trigger held its table's version
    # row while waiting on a mark an import had consumed, and the import waited on that row
    # (a deadlock the concurrency drill met on PostgreSQL).
    lines.append(
        f"UPDATE {t.data_versions.name} SET version = version + 1, "
        f"changed_at = (now() AT TIME ZONE 'UTC') WHERE name = '{table}';"
    )
    body = "\n  ".join([*lines, "RETURN NULL;"])
    return (
        f"CREATE OR REPLACE FUNCTION {PREFIX}{table}_{event}() RETURNS trigger "
        f"LANGUAGE plpgsql AS $fn$\nBEGIN\n  {body}\nEND\n$fn$"
    )


def _pg_trigger(table: str, event: str) -> str:
    referencing = {
        "insert": "REFERENCING NEW TABLE AS new_rows ",
        "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows ",
        "delete": "REFERENCING OLD TABLE AS old_rows ",
    }.get(event, "")
    return (
        f'CREATE TRIGGER {PREFIX}{table}_{event} AFTER {event.upper()} ON "{table}" '
        f"{referencing}FOR EACH STATEMENT EXECUTE FUNCTION {PREFIX}{table}_{event}()"
    )


def statements(dialect: str, tables: Iterable[str]) -> list[str]:
    """The DDL creating the triggers of `tables` on this dialect (`sqlite` or `postgresql`)."""
    out: list[str] = []
    for table in tables:
        if dialect == "postgresql":
            for event in (*EVENTS, "truncate"):
                out += [_pg_function(table, event), _pg_trigger(table, event)]
        else:
            out += [_sqlite_trigger(table, event) for event in EVENTS]
    return out


def installed(conn: sa.Connection) -> list[tuple[str, str]]:
    """(trigger, table) of every change trigger in the database."""
    if conn.dialect.name == "postgresql":
        sql = (
            "SELECT tgname, c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid "
            "WHERE NOT tgisinternal AND tgname LIKE :prefix ORDER BY tgname"
        )
    else:
        sql = (
            "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE :prefix ORDER BY name"
        )
    rows = conn.execute(sa.text(sql), {"prefix": PREFIX + "%"})
    return [(str(name), str(table)) for name, table in rows]


def drop(conn: sa.Connection, tables: Iterable[str] | None = None) -> None:
    """Drop the change triggers (of `tables`, or all of them) in the caller's transaction."""
    wanted = None if tables is None else set(tables)
    for name, table in installed(conn):
        if wanted is not None and table not in wanted:
            continue
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS {name} ON "{table}"')
            conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


def create(conn: sa.Connection, tables: Iterable[str]) -> None:
    """Create the change triggers of `tables` (which must have none yet)."""
    for statement in statements(conn.dialect.name, tables):
        conn.exec_driver_sql(statement)


SIGNATURE_KEY = "change_triggers"
"""The `app_meta` key holding the SHA-256 of the trigger DDL last installed."""


def _watched_names(conn: sa.Connection) -> list[str]:
    existing = set(sa.inspect(conn).get_table_names())
    return [table.name for table in watched_tables() if table.name in existing]


def signature(conn: sa.Connection) -> str:
    """SHA-256 of the DDL this version of execdash wants for the tables that exist."""
    ddl = "\n".join(statements(conn.dialect.name, _watched_names(conn)))
    return hashlib.sha256(ddl.encode()).hexdigest()


def is_current(conn: sa.Connection) -> bool:
    """True when the installed triggers are the ones `install` would create (a read only)."""
    meta = t.app_meta
    stored = conn.execute(sa.select(meta.c.value).where(meta.c.key == SIGNATURE_KEY)).scalar()
    return stored == signature(conn)


def install(conn: sa.Connection) -> None:
    """(Re)create the triggers of every watched table that exists, and their version rows."""
    names = _watched_names(conn)
    drop(conn)
    create(conn, names)
    meta = t.app_meta
    conn.execute(meta.delete().where(meta.c.key == SIGNATURE_KEY))
    conn.execute(meta.insert().values(key=SIGNATURE_KEY, value=signature(conn)))
    known = set(conn.execute(sa.select(t.data_versions.c.name)).scalars())
    missing = [{"name": n, "version": 0} for n in names if n not in known]
    if missing:
        conn.execute(t.data_versions.insert(), missing)


@contextmanager
def suspended(conn: sa.Connection, tables: Iterable[str]) -> Iterator[None]:
    """Without the triggers of `tables` on SQLite until the block ends, in the caller's
    transaction (a bulk load then pays nothing per row; its `record_data_change` names the
    tables). Other connections never see them missing: the DDL commits or rolls back with the
    load. On PostgreSQL the statement triggers stay (dropping would lock readers out)."""
    names = sorted(set(tables))
    if conn.dialect.name != "sqlite" or not names:
        yield
        return
    present = {table for _, table in installed(conn)} & set(names)
    drop(conn, present)
    yield
    create(conn, sorted(present))
