"""The benchmark's references compute the numbers execdash shows, so comparing their speed is fair:
the MRR bridge, the revenue drivers by customer, the products page and a drill-down's tile, trend
and breakdown, in plain SQLite and in DuckDB alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb
import pytest
import sqlalchemy as sa

from bench import reference
from execdash.db.engine import create_engine
from execdash.insights import driver_sql, mrr
from execdash.metrics import drilldown, products
from execdash.metrics.windows import Window, resolve_window

T = TypeVar("T")


@pytest.fixture(scope="module")
def runs(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> list[reference.Run]:
    """Plain SQL on the demo file, and DuckDB loaded from its CSV exports."""
    raw = reference.RawSql(f"sqlite:///{demo_db_file}")
    scratch = tmp_path_factory.mktemp("duck")
    duck = duckdb.connect()
    for table in ("orders", "customers", "revenue_trend", "top_products_daily"):
        raw.export(table, scratch / f"{table}.csv")
        duck.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_csv_auto(?, header=true)",
            [str(scratch / f"{table}.csv")],
        )
    return [raw.run, lambda sql, params: duck.execute(sql, list(params)).fetchall()]


WINDOW = (dt.date(2025, 11, 1), dt.date(2026, 10, 1))
"""The demo company's latest 12 months (`reference.window` on it)."""


def _shown(demo_db_file: Path, compute: Callable[[sa.Connection, Window], T]) -> T:
    """What execdash shows for the demo company's latest 12 months (`WINDOW`)."""
    engine = create_engine(f"sqlite:///{demo_db_file}")
    try:
        with engine.connect() as conn:
            return compute(conn, resolve_window("12m", "month", "2026-10"))
    finally:
        engine.dispose()


def test_the_mrr_reference_gives_every_months_movements_and_nrr(
    runs: list[reference.Run], demo_db_file: Path
) -> None:
    shown = _shown(demo_db_file, lambda conn, window: mrr.movements(conn, window))
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
    found = _shown(demo_db_file, lambda conn, window: driver_sql.fetch(conn, window, "revenue", 8))
    assert found is not None
    for run in runs:
        rows = reference.revenue_drivers_by_customer(run, *WINDOW)
        movers = [(name, prev, cur) for kind, name, prev, cur in rows if kind == 0]
        assert [m[0] for m in movers] == [h[0] for h in found.head]
        assert [m[1:] for m in movers] == [pytest.approx(h[1:]) for h in found.head]
        (sums,) = [(prev, cur) for kind, _, prev, cur in rows if kind == 7]
        assert sums == pytest.approx((found.sums["prev"], found.sums["cur"]))


def _split(rows: list[tuple[object, ...]]) -> tuple[dict[str, float], dict[str, float]]:
    """An answer workload's rows: (name, sum, count) of the breakdown, (month, sum) of the KPI."""
    named = {str(r[0]): float(r[1]) for r in rows if len(r) == 3}  # type: ignore[arg-type]
    months = {str(r[0]): float(r[1]) for r in rows if len(r) == 2}  # type: ignore[arg-type]
    return named, months


def _window_sums(months: dict[str, float]) -> tuple[float, float]:
    current = sum(v for m, v in months.items() if m >= "2025-11")
    previous = sum(v for m, v in months.items() if "2024-11" <= m < "2025-11")
    return current, previous


def test_the_products_page_reference_gives_its_tile_series_and_top_products(
    runs: list[reference.Run], demo_db_file: Path
) -> None:
    shown = _shown(demo_db_file, lambda conn, window: products.overview(conn, window))
    (tile,), (series,) = shown.kpis, shown.series
    assert 2 <= len(shown.top_products.items) < 20  # every product named: none folded in "other"
    for run in runs:
        named, months = _split(reference.WORKLOADS["products_page"](run, *WINDOW))
        assert named == pytest.approx({i.name: i.value for i in shown.top_products.items})
        assert _window_sums(months) == pytest.approx((tile.value, tile.previous))
        assert [months[p.period] for p in series.points] == pytest.approx(
            [p.value for p in series.points]
        )


def test_a_drill_down_reference_gives_its_tile_trend_and_breakdown(
    runs: list[reference.Run], demo_db_file: Path
) -> None:
    shown = _shown(
        demo_db_file, lambda conn, window: drilldown.drilldown(conn, window, "revenue", "product")
    )
    for run in runs:
        named, months = _split(reference.WORKLOADS["revenue_by_product"](run, *WINDOW))
        assert named == pytest.approx({i.name: i.value for i in shown.breakdown.items})
        assert _window_sums(months) == pytest.approx((shown.kpi.value, shown.kpi.previous))
        assert [months[p.period] for p in shown.series.points] == pytest.approx(
            [p.value for p in shown.series.points]
        )
        alone = reference.WORKLOADS["revenue_by_product.breakdown"](run, *WINDOW)
        within = reference.WORKLOADS["revenue_by_product"](run, *WINDOW)
        assert sorted(alone) == sorted(r for r in within if len(r) == 3)  # no ORDER BY


def _kpi_of(kpi: str, rows: list[tuple[float, ...]]) -> float:
    """A KPI over some months from their `reference.TRENDS` inputs (metric spec definitions)."""
    if kpi == "revenue":
        return sum(r[0] for r in rows)
    if kpi == "arr":
        return 12 * rows[-1][0]
    numerator, denominator = sum(r[0] for r in rows), sum(r[1] for r in rows)
    return numerator / denominator


@pytest.mark.parametrize("kpi", ["revenue", "gm", "book_to_bill", "arr"])
def test_each_drill_downs_trend_reference_gives_its_tile_and_trend(
    runs: list[reference.Run], demo_db_file: Path, kpi: str
) -> None:
    shown = _shown(
        demo_db_file, lambda conn, window: drilldown.drilldown(conn, window, kpi, "customer")
    )
    for run in runs:
        months = {
            str(r[0]): tuple(float(v) for v in r[1:]) for r in reference.TRENDS[kpi](run, *WINDOW)
        }
        current = [v for m, v in sorted(months.items()) if m >= "2025-11"]
        previous = [v for m, v in sorted(months.items()) if "2024-11" <= m < "2025-11"]
        assert (len(current), len(previous)) == (12, 12)
        assert _kpi_of(kpi, current) == pytest.approx(shown.kpi.value)
        assert _kpi_of(kpi, previous) == pytest.approx(shown.kpi.previous)
        assert [_kpi_of(kpi, [months[p.period]]) for p in shown.series.points] == pytest.approx(
            [p.value for p in shown.series.points]
        )
