"""`export` writes every seed table so that `import --mode replace` rebuilds the same database."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db import migrate, schema
from execdash.db.engine import create_engine
from execdash.ingest import run_import
from execdash.ingest.export import export_tables
from tests.ingest.conftest import messages


def _snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as conn:
        return {
            table.name: [
                tuple(row)
                for row in conn.execute(sa.select(table).order_by(*table.primary_key.columns))
            ]
            for table in schema.metadata.sorted_tables
        }


def test_demo_company_round_trips_through_csv(demo_engine: Engine, tmp_path: Path) -> None:
    counts = export_tables(demo_engine, tmp_path / "export")
    assert sorted(p.stem for p in (tmp_path / "export").iterdir()) == sorted(schema.SEED_TABLES)
    assert counts["orders"] == 20_000
    fresh = create_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    migrate.upgrade(fresh)
    report = run_import(fresh, [tmp_path / "export"], mode="replace")
    assert report.ok, messages(report)
    assert _snapshot(fresh) == _snapshot(demo_engine)
    fresh.dispose()


def test_replace_import_of_an_export_into_the_same_database_changes_no_row(
    any_engine: Engine, tmp_path: Path
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "customers.csv").write_text("id,name,created_at\n1,Acme,2024-01-01\n2,Beta,\n")
    (source / "orders.csv").write_text(
        "id,customer_id,amount,profit,order_date\n1,1,0.1,0.2,2025-01-01\n2,,1e-7,3,2025-01-02\n"
    )
    (source / "alerts.csv").write_text(
        "id,type,title,severity,created_at\n1,ops,Down,high,2025-01-02 03:04:05.123456\n"
    )
    assert run_import(any_engine, [source]).ok
    before = _snapshot(any_engine)
    export_tables(any_engine, tmp_path / "export")
    report = run_import(any_engine, [tmp_path / "export"], mode="replace")
    assert report.ok, messages(report)
    assert _snapshot(any_engine) == before


def test_export_holds_no_app_tables(engine: Engine, tmp_path: Path) -> None:
    export_tables(engine, tmp_path / "out")
    names = {p.stem for p in (tmp_path / "out").iterdir()}
    assert "execdash_import_log" not in names
    assert "execdash_app_meta" not in names
    assert names == set(schema.SEED_TABLES)
