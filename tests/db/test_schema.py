"""The migrated database is exactly the seed schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db import migrate, schema
from execdash.db.compat_tables import compat_metadata
from execdash.db.engine import CLI_BUSY_TIMEOUT_MS
from execdash.db.tables import app_metadata
from tests.conftest import require
from tests.db.seed_spec import INDEXES, REFLECTED_TYPE, SEED

SEED_DOC = Path(__file__).resolve().parents[3] / "shared" / "seed" / "DB_SCHEMA.md"


def _insert(engine: Engine, table: str, **values: object) -> None:
    with engine.begin() as conn:
        conn.execute(schema.metadata.tables[table].insert().values(**values))


def test_migrations_create_the_seed_tables_and_only_our_declared_own(any_engine: Engine) -> None:
    tables = set(sa.inspect(any_engine).get_table_names())
    side = set(compat_metadata.tables)  # the seed backend's side tables, created when missing
    assert tables == set(SEED) | set(app_metadata.tables) | side | {"execdash_alembic_version"}
    assert set(schema.SEED_TABLES) == set(SEED)


@pytest.mark.parametrize("table", sorted(SEED))
def test_columns_match_seed(any_engine: Engine, table: str) -> None:
    inspector = sa.inspect(any_engine)
    reflected = {c["name"]: c for c in inspector.get_columns(table)}
    expected = SEED[table]
    assert list(reflected) == [name for name, *_ in expected]
    pk = set(inspector.get_pk_constraint(table)["constrained_columns"])
    assert pk == {name for name, _, _, is_pk in expected if is_pk}
    types = REFLECTED_TYPE[any_engine.dialect.name]
    for name, seed_type, not_null, is_pk in expected:
        column = reflected[name]
        assert str(column["type"]).upper() == types[seed_type], f"{table}.{name} type"
        if not is_pk:
            assert column["nullable"] is (not not_null), f"{table}.{name} nullability"


def test_seed_indexes_exist(any_engine: Engine) -> None:
    inspector = sa.inspect(any_engine)
    for name, (table, columns) in INDEXES.items():
        found = {ix["name"]: ix["column_names"] for ix in inspector.get_indexes(table)}
        assert found.get(name) == columns, name


def test_foreign_keys_set_null_on_delete(any_engine: Engine) -> None:
    inspector = sa.inspect(any_engine)
    for table in ("orders", "feedback"):
        (fk,) = inspector.get_foreign_keys(table)
        assert fk["referred_table"] == "customers"
        assert fk["constrained_columns"] == ["customer_id"]
        assert fk["options"].get("ondelete") == "SET NULL"


def test_deleting_a_customer_nulls_its_orders_and_feedback(any_engine: Engine) -> None:
    _insert(any_engine, "customers", id=1, name="Acme")
    _insert(any_engine, "orders", id=10, customer_id=1, amount=100.0, profit=40.0,
            order_date=dt.date(2025, 8, 31), type="booked")  # fmt: skip
    _insert(any_engine, "feedback", id=5, customer_id=1, type="praise", message="great")
    with any_engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM customers WHERE id = 1"))
        assert conn.execute(sa.text("SELECT customer_id FROM orders")).scalar_one() is None
        assert conn.execute(sa.text("SELECT customer_id FROM feedback")).scalar_one() is None


def test_order_for_unknown_customer_is_rejected(any_engine: Engine) -> None:
    with pytest.raises(sa.exc.IntegrityError):
        _insert(any_engine, "orders", customer_id=999, amount=1.0, profit=0.5,
                order_date=dt.date(2025, 1, 1))  # fmt: skip


@pytest.mark.parametrize(
    ("table", "values"),
    [
        ("alerts", {"type": "ops", "title": "x", "severity": "critical"}),
        ("pipeline_stages_daily", {"period": dt.date(2025, 1, 1), "stage_name": "Lost"}),
        ("executive_kpis", {"key": "revenue", "direction": "sideways"}),
    ],
    ids=["severity", "stage_name", "direction"],
)
def test_check_constraints_reject_bad_values(any_engine: Engine, table: str, values: dict) -> None:
    with pytest.raises(sa.exc.IntegrityError):
        _insert(any_engine, table, **values)


@pytest.mark.parametrize(
    ("table", "values"),
    [
        ("alerts", {"type": "ops", "title": "x", "severity": "high"}),
        ("pipeline_stages_daily", {"period": dt.date(2025, 1, 1), "stage_name": "SQL"}),
        ("executive_kpis", {"key": "revenue", "direction": "flat"}),
    ],
    ids=["severity", "stage_name", "direction"],
)
def test_check_constraints_accept_good_values(any_engine: Engine, table: str, values: dict) -> None:
    _insert(any_engine, table, **values)


def test_composite_primary_keys_reject_duplicates(any_engine: Engine) -> None:
    day = dt.date(2025, 3, 31)
    _insert(any_engine, "top_products_daily", period=day, name="Pump", revenue=1.0)
    _insert(any_engine, "top_products_daily", period=day, name="Valve", revenue=2.0)
    with pytest.raises(sa.exc.IntegrityError):
        _insert(any_engine, "top_products_daily", period=day, name="Pump", revenue=3.0)


def test_timeframe_range_is_unique(any_engine: Engine) -> None:
    _insert(any_engine, "timeframe_window", range="6m", granularity="month")
    with pytest.raises(sa.exc.IntegrityError):
        _insert(any_engine, "timeframe_window", range="6m", granularity="quarter")


def test_defaults_fill_omitted_columns(any_engine: Engine) -> None:
    _insert(any_engine, "revenue_trend", period="2025-08")
    _insert(any_engine, "risks", title="Supplier insolvency")
    _insert(any_engine, "alerts", type="ops", title="Line 3 down", severity="high")
    _insert(any_engine, "customers", name="Acme")
    _insert(any_engine, "pipeline_stages", stage_name="Leads")
    with any_engine.connect() as conn:
        row = conn.execute(sa.text("SELECT recognized, booked, backlog FROM revenue_trend")).one()
        assert tuple(row) == (0, 0, 0)
        assert conn.execute(sa.text("SELECT status FROM risks")).scalar_one() == "open"
        assert conn.execute(sa.text("SELECT value FROM pipeline_stages")).scalar_one() == 0
        created = conn.execute(sa.text("SELECT created_at FROM alerts")).scalar_one()
        joined = conn.execute(sa.text("SELECT created_at FROM customers")).scalar_one()
    assert created is not None
    assert str(joined)[:10] >= (dt.date.today() - dt.timedelta(days=1)).isoformat()


def test_upgrade_is_idempotent_and_reaches_head(any_engine: Engine) -> None:
    migrate.upgrade(any_engine)
    assert migrate.current_revision(any_engine) == migrate.head_revision(any_engine)


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == CLI_BUSY_TIMEOUT_MS
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == 1  # NORMAL


def test_sqlite_autoincrement_tables_never_reuse_ids(engine: Engine) -> None:
    with engine.connect() as conn:
        sql = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE sql LIKE '%AUTOINCREMENT%'"
        ).scalars()
        assert set(sql) & set(SEED) == {"alerts", "risks", "retention_at_risk"}


def test_a_failed_transaction_leaves_nothing_behind(engine: Engine) -> None:
    def insert_good_then_bad() -> None:
        with engine.begin() as conn:
            conn.execute(schema.alerts.insert().values(type="ops", title="ok", severity="low"))
            conn.execute(schema.alerts.insert().values(type="ops", title="bad", severity="huge"))

    with pytest.raises(sa.exc.IntegrityError):
        insert_good_then_bad()
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM alerts")).scalar_one() == 0


def _parse_seed_document(text: str) -> dict[str, list[tuple[str, str]]]:
    tables: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] | None = None
    for line in text.splitlines():
        heading = re.match(r"^### `(\w+)`", line)
        if heading:
            current = tables.setdefault(heading.group(1), [])
            continue
        column = re.match(r"^- `(\w+)` (INTEGER|TEXT|REAL|DATETIME|DATE)\b", line)
        if column and current is not None:
            current.append((column.group(1), column.group(2)))
    return tables


def test_seed_document_matches_transcription() -> None:
    require(SEED_DOC.exists(), f"{SEED_DOC} is not beside this checkout")
    parsed = _parse_seed_document(SEED_DOC.read_text(encoding="utf-8"))
    assert parsed == {t: [(name, kind) for name, kind, *_ in cols] for t, cols in SEED.items()}
