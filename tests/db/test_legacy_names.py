"""Installations from before the `execdash_` prefix upgrade in place and keep every row."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.api import accounts
from execdash.db import legacy_names, migrate, rollups, triggers
from execdash.db import tables as t
from execdash.db.engine import create_engine
from tests.db import legacy_schema

LATER = dt.datetime(2099, 1, 1)


def _fill_old_installation(engine: Engine) -> dict[str, str]:
    """Accounts, a token, a session, import history, metadata and rollups under the old names."""
    with engine.begin() as conn:
        sql = conn.exec_driver_sql
        q = sa.text
        conn.execute(
            q("INSERT INTO users (username, password_hash, role) VALUES (:u, :h, :r)"),
            [
                {"u": "ann", "h": accounts._HASHER.hash("ann-secret-1"), "r": "admin"},
                {"u": "bob", "h": accounts._HASHER.hash("bob-secret-1"), "r": "viewer"},
            ],
        )
        token = "edt_legacy-token"
        conn.execute(
            q("INSERT INTO api_tokens (user_id, name, token_hash) VALUES (1, 'ci', :h)"),
            {"h": accounts.sha256_hex(token)},
        )
        conn.execute(
            q(
                "INSERT INTO web_sessions (session_hash, user_id, csrf_token, expires_at) "
                "VALUES (:h, 2, 'csrf', :e)"
            ),
            {"h": accounts.sha256_hex("cookie"), "e": LATER},
        )
        for n in (1, 2, 3):
            conn.execute(
                q(
                    "INSERT INTO import_log (table_name, rows, mode, source, checksum) "
                    "VALUES ('orders', :n, 'append', 'a.csv', 'abc')"
                ),
                {"n": n},
            )
        sql("DELETE FROM import_log WHERE id = 3")  # AUTOINCREMENT must not reuse it
        conn.execute(
            q("INSERT INTO app_meta (key, value) VALUES (:k, :v)"),
            [
                {"k": "data_version", "v": "41"},
                {"k": "rollup_ready:rollup_orders_month", "v": "1"},
            ],
        )
        sql("INSERT INTO alert_status (alert_id, status, updated_by) VALUES (7, 'closed', 'ann')")
        sql("INSERT INTO rollup_orders_month VALUES ('2026-01', 'subscription', 10.0, 4.0, 2)")
        sql("INSERT INTO rollup_recurring_first_month VALUES (5, '2026-01')")
    return {"token": token}


def _trigger_signature(engine: Engine) -> str:
    with engine.connect() as conn:
        return triggers.signature(conn)


def _rows(engine: Engine, table: str) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY 1"))]


def _shape(engine: Engine) -> dict[str, Any]:
    """Names, columns, keys, indexes and foreign keys of execdash's own tables."""
    inspector = sa.inspect(engine)
    shape: dict[str, Any] = {}
    for table in sorted(t.app_metadata.tables):
        shape[table] = (
            [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
            inspector.get_pk_constraint(table),
            sorted((i["name"], tuple(i["column_names"])) for i in inspector.get_indexes(table)),
            sorted(
                (u["name"] or "", tuple(u["column_names"]))
                for u in inspector.get_unique_constraints(table)
            ),
            sorted(
                (f["name"] or "", f["referred_table"], tuple(f["referred_columns"]))
                for f in inspector.get_foreign_keys(table)
            ),
        )
    return shape


@pytest.fixture
def other_engine(any_url: str) -> Engine:
    """A second empty database on the same backend as `any_url`."""
    if any_url.startswith("sqlite"):
        return create_engine(any_url.replace("execdash.db", "fresh.db"))
    from tests.conftest import _fresh_postgres_database

    return create_engine(_fresh_postgres_database(any_url.rsplit("/", 1)[0] + "/postgres"))


def test_an_old_installation_keeps_every_row_under_the_new_names(any_url: str) -> None:
    engine = create_engine(any_url)
    legacy_schema.build(engine, "0006")
    secrets = _fill_old_installation(engine)
    before = {name: _rows(engine, name) for name in legacy_schema.legacy.tables}
    assert migrate.current_revision(engine) == "0006"

    migrate.upgrade(engine)

    names = set(sa.inspect(engine).get_table_names())
    assert not names & set(legacy_schema.legacy.tables) - {"users"}, "old names are gone"
    columns = {c["name"] for c in sa.inspect(engine).get_columns("users")}
    assert "password_hash" not in columns, "`users` is now the seed backend's profile table"
    assert "alembic_version" not in names
    assert migrate.current_revision(engine) == migrate.head_revision(engine)
    before["app_meta"] = sorted(
        [
            (key.replace("rollup_ready:", "rollup_ready:execdash_"), value)
            for key, value in before["app_meta"]
        ]  # readiness follows the rollup's new name
        + [("change_triggers", _trigger_signature(engine))]  # the upgrade records its triggers
    )
    for name, rows in before.items():
        assert _rows(engine, t.PREFIX + name) == rows, name
    with engine.begin() as conn:
        assert accounts.verify_password(conn, "ann", "ann-secret-1") is not None
        user = accounts.user_for_token(conn, secrets["token"])
        assert user is not None
        assert user.username == "ann"
        session = accounts.user_for_session(conn, "cookie")
        assert session is not None
        assert session.username == "bob"
        assert rollups.is_ready(conn, rollups.by_target(t.rollup_orders_month.name))
        new_id = conn.execute(
            t.import_log.insert().values(
                table_name="orders", rows=1, mode="append", source="b.csv", checksum="x"
            )
        ).inserted_primary_key
        assert new_id is not None
        assert new_id[0] == 4
        conn.execute(t.users.delete().where(t.users.c.username == "bob"))
        remaining = conn.execute(sa.select(sa.func.count()).select_from(t.web_sessions))
        assert remaining.scalar_one() == 0, "the session's foreign key still cascades"
        assert accounts.add_user(conn, "cy", "cy-secret-1", "editor") == 3


def test_a_renamed_installation_has_the_shape_of_a_fresh_one(
    any_url: str, other_engine: Engine
) -> None:
    old = create_engine(any_url)
    legacy_schema.build(old, "0006")
    migrate.upgrade(old)
    migrate.upgrade(other_engine)
    assert _shape(old) == _shape(other_engine)
    if old.dialect.name == "postgresql":
        assert _old_named(old) == _old_named(other_engine), "indexes and sequences follow"


def _old_named(engine: Engine) -> list[str]:
    """Relations (tables, indexes, sequences) whose names start with an old table name."""
    with engine.connect() as conn:
        return sorted(
            conn.execute(
                sa.text(
                    "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                    "AND relname NOT LIKE 'execdash%' AND relname LIKE ANY (:p)"
                ),
                {"p": [f"{n}%" for n in legacy_schema.legacy.tables]},
            ).scalars()
        )


@pytest.mark.parametrize("revision", ["0002", "0003", "0004", "0005"])
def test_older_installations_upgrade_through_every_revision(any_url: str, revision: str) -> None:
    engine = create_engine(any_url)
    legacy_schema.build(engine, revision)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO app_meta (key, value) VALUES ('data_version', '3')")
    migrate.upgrade(engine)
    assert ("data_version", "3") in _rows(engine, t.app_meta.name)
    names = set(sa.inspect(engine).get_table_names())
    assert set(t.app_metadata.tables) <= names
    assert not names & set(legacy_schema.legacy.tables) - {"users"}


def test_another_systems_users_table_is_never_taken_for_ours(any_engine: Engine) -> None:
    with any_engine.begin() as conn:  # `users` here is the seed backend's profile table
        conn.exec_driver_sql(
            "INSERT INTO users (id, name, email, role, department) "
            "VALUES (1, 'Dee', 'd@x.io', 'CFO', 'Finance')"
        )
        assert legacy_names.rename_tables(conn) == []
    with any_engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT id, name, email, role, department FROM users").one()
    assert tuple(row) == (1, "Dee", "d@x.io", "CFO", "Finance")


def test_both_old_and_new_tables_holding_rows_is_a_named_conflict(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        legacy_schema.legacy.tables["app_meta"].create(conn)
        conn.exec_driver_sql("INSERT INTO app_meta (key, value) VALUES ('data_version', '1')")
        conn.execute(t.app_meta.insert().values(key="data_version", value="2"))
    with (
        any_engine.begin() as conn,
        pytest.raises(legacy_names.SchemaConflict, match="'app_meta' and 'execdash_app_meta'"),
    ):
        legacy_names.rename_tables(conn)
