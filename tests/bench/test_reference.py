"""The benchmark's references compute the numbers execdash shows, so comparing their speed is fair:
the MRR bridge and the revenue drivers by customer, in plain SQLite and in DuckDB alike."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from bench import reference
from execdash.db.engine import create_engine
from execdash.insights import driver_sql, mrr
from execdash.metrics.windows import resolve_window


@pytest.fixture(scope="module")
def runs(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> list[reference.Run]:
    """Plain SQL on the demo file, and DuckDB loaded from its CSV exports."""
    raw = reference.RawSql(f"sqlite:///{demo_db_file}")
    scratch = tmp_path_factory.mktemp("duck")
    duck = duckdb.connect()
    for table in ("orders", "customers"):
        raw.export(table, scratch / f"{table}.csv")
        duck.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_csv_auto(?, header=true)",
            [str(scratch / f"{table}.csv")],
        )
    return [raw.run, lambda sql, params: duck.execute(sql, list(params)).fetchall()]


WINDOW = (dt.date(2025, 11, 1), dt.date(2026, 10, 1))
"""The demo company's latest 12 months (`reference.window` on it)."""


def test_the_mrr_reference_gives_every_months_movements_and_nrr(
    runs: list[reference.Run], demo_db_file: Path
) -> None:
    engine = create_engine(f"sqlite:///{demo_db_file}")
    with engine.connect() as conn:
        shown = mrr.movements(conn, resolve_window("12m", "month", "2026-10"))
    engine.dispose()
    expected = [
        (b.period, b.new, b.reactivation, b.expansion, b.contraction, b.churn, b.customers.churn)
        for b in shown.months
    ]
    nrr = [c.nrr for c in shown.checks]
    for run in runs:
        rows = reference.mrr_movements(run, *WINDOW)
        assert [r[0] for r in rows] == [e[0] for e in expected]
        assert [list(r[1:7]) for r in rows] == [pytest.approx(list(e[1:])) for e in expected]
        assert [r[7] for r in rows] == pytest.approx(nrr)


def test_the_drivers_reference_ranks_the_same_movers_and_sums(
    runs: list[reference.Run], demo_db_file: Path
) -> None:
    engine = create_engine(f"sqlite:///{demo_db_file}")
    with engine.connect() as conn:
        found = driver_sql.fetch(conn, resolve_window("12m", "month", "2026-10"), "revenue", 8)
    engine.dispose()
    assert found is not None
    for run in runs:
        rows = reference.revenue_drivers_by_customer(run, *WINDOW)
        movers = [(name, prev, cur) for kind, name, prev, cur in rows if kind == 0]
        assert [m[0] for m in movers] == [h[0] for h in found.head]
        assert [m[1:] for m in movers] == [pytest.approx(h[1:]) for h in found.head]
        (sums,) = [(prev, cur) for kind, _, prev, cur in rows if kind == 7]
        assert sums == pytest.approx((found.sums["prev"], found.sums["cur"]))
