"""Each migration builds the schema the application declares: tables, columns, types, keys,
checks and indexes come out the same on SQLite and PostgreSQL as `app_metadata.create_all`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from execdash.db import migrate
from execdash.db.engine import create_engine
from execdash.db.tables import app_metadata
from tests.conftest import _fresh_postgres_database

FEATURE_TABLES = (
    "execdash_plans",
    "execdash_plan_targets",
    "execdash_alert_rules",
    "execdash_alert_firings",
    "execdash_delivery_channels",
    "execdash_digest_recipients",
    "execdash_delivery_outbox",
    "execdash_delivery_log",
    "execdash_delivery_alerts_seen",
)
"""The tables of migrations 0012 (plans), 0013 (alert rules) and 0014 (delivery)."""


def _second_url(any_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if any_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'declared.db'}"
    return _fresh_postgres_database(request.getfixturevalue("postgres_server_url"))


def _sorted(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=repr)


def _shape(engine: sa.Engine, table: str) -> dict[str, Any]:
    """What inspection says about `table`: everything a migration decides."""
    ins = sa.inspect(engine)
    columns = [
        (c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
        for c in ins.get_columns(table)
    ]
    return {
        "columns": columns,
        "pk": ins.get_pk_constraint(table)["constrained_columns"],
        "fks": _sorted(
            [
                {
                    k: fk[k]
                    for k in (
                        "constrained_columns",
                        "referred_table",
                        "referred_columns",
                        "options",
                    )
                }
                for fk in ins.get_foreign_keys(table)
            ]
        ),
        "uniques": sorted(tuple(u["column_names"]) for u in ins.get_unique_constraints(table)),
        "checks": sorted(
            (c["name"], " ".join(c["sqltext"].replace("(", " ").replace(")", " ").split()))
            for c in ins.get_check_constraints(table)
        ),
        "indexes": sorted(
            (i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in ins.get_indexes(table)
        ),
    }


def _sqlite_ddl(engine: sa.Engine) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE tbl_name IN "
            f"({','.join('?' * len(FEATURE_TABLES))}) AND sql IS NOT NULL",
            FEATURE_TABLES,
        )
        return {str(name): str(sql) for name, sql in rows}


def test_migrated_feature_tables_equal_the_declared_ones(
    any_url: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    migrated = create_engine(any_url)
    declared = create_engine(_second_url(any_url, request, tmp_path))
    try:
        migrate.upgrade(migrated)
        app_metadata.create_all(declared, tables=[app_metadata.tables[t] for t in FEATURE_TABLES])
        for table in FEATURE_TABLES:
            assert _shape(migrated, table) == _shape(declared, table), table
        if migrated.dialect.name == "sqlite":  # the very DDL, AUTOINCREMENT included
            assert _sqlite_ddl(migrated) == _sqlite_ddl(declared)
    finally:
        migrated.dispose()
        declared.dispose()


def test_migrated_delivery_tables_have_their_indexes_and_cascades(any_url: str) -> None:
    engine = create_engine(any_url)
    try:
        migrate.upgrade(engine)
        ins = sa.inspect(engine)
        outbox = {i["name"]: i["column_names"] for i in ins.get_indexes("execdash_delivery_outbox")}
        assert outbox["ix_execdash_delivery_outbox_due"] == ["status", "next_attempt_at"]
        log = {i["name"]: i["column_names"] for i in ins.get_indexes("execdash_delivery_log")}
        assert log["ix_execdash_delivery_log_outbox_id"] == ["outbox_id"]
        (fk,) = ins.get_foreign_keys("execdash_delivery_log")
        assert fk["referred_table"] == "execdash_delivery_outbox"
        assert fk["options"].get("ondelete") == "CASCADE"
    finally:
        engine.dispose()


def test_no_migration_imports_the_application_tables() -> None:
    versions = Path(migrate.MIGRATIONS_DIR) / "versions"
    for name in ("0012_plans.py", "0013_alert_rules.py", "0014_delivery.py"):
        text = (versions / name).read_text()
        assert "execdash.db" not in text, name
        assert "metadata" not in text, name
