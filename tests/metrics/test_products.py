"""Products overview: Σ top_products_daily.revenue over the window with shares."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from execdash.db.changes import record_data_change
from execdash.metrics import products
from execdash.metrics.windows import resolve_window
from tests.metrics.conftest import Put, d


def test_top_products_use_daily_revenue_inside_the_window_only(
    any_engine: Engine, put: Put
) -> None:
    put(
        "top_products_daily",
        [
            {"period": d("2025-08-31"), "name": "A", "revenue": 30},
            {"period": d("2025-07-01"), "name": "A", "revenue": 30},
            {"period": d("2025-06-15"), "name": "B", "revenue": 40},
            {"period": d("2025-05-31"), "name": "B", "revenue": 500},
        ],
    )
    put("top_products", [{"name": "Z", "revenue": 1_000_000}])
    with any_engine.connect() as conn:
        result = products.overview(conn, resolve_window("3m", "month", "2025-08"))
    assert [(i.name, i.value, i.share) for i in result.top_products.items] == [
        ("A", 60.0, pytest.approx(0.6)),
        ("B", 40.0, pytest.approx(0.4)),
    ]
    assert [p.value for p in result.series[0].points] == [40.0, 30.0, 30.0]
    tile = result.kpis[0]
    assert (tile.value, tile.previous) == (100.0, 500.0)
    assert tile.delta == pytest.approx(-0.8)


def test_products_overview_shows_its_tile_series_and_top_20_then_other(
    any_engine: Engine, put: Put
) -> None:
    # Window 3m ending 2025-08 = Jun–Aug; previous window Mar–May holds one row of £0.
    names = [f"P{i:02d}" for i in range(1, 22)]  # P01 sold 21 … P21 sold 1
    put(
        "top_products_daily",
        [{"period": d("2025-07-10"), "name": n, "revenue": 22 - i} for i, n in enumerate(names, 1)]
        + [
            {"period": d("2025-08-01"), "name": "Zero", "revenue": 0},
            {"period": d("2025-05-01"), "name": "P01", "revenue": 0},
        ],
    )
    window = resolve_window("3m", "month", "2025-08")
    with any_engine.connect() as conn:
        result = products.overview(conn, window)
        top_two = products.top_products(conn, window, top=2)
    assert [(i.name, i.value) for i in top_two.items] == [
        ("P01", 21.0),
        ("P02", 20.0),
        ("other", 190.0),  # 231 − 21 − 20
    ]
    assert result.domain == "products"
    kpi = result.kpis[0]
    assert (kpi.key, kpi.label, kpi.unit, kpi.value, kpi.previous, kpi.good_direction) == (
        "product_revenue",
        "Product revenue",
        "currency",
        231.0,  # 21 + 20 + … + 1
        0.0,  # the previous window sold nothing: £0, not missing
        "up",
    )
    assert kpi.provenance.formula == "Σ top_products_daily.revenue dated in the window"
    assert [(s.key, s.label, s.unit, [p.value for p in s.points]) for s in result.series] == [
        ("product_revenue", "Product revenue", "currency", [None, 231.0, 0.0])
    ]
    top = result.top_products
    assert (top.dimension, top.measure, top.unit, top.total) == (
        "product",
        "revenue",
        "currency",
        231.0,
    )
    # The 20 largest by name, then P21 (£1) and Zero (£0) together as 'other'.
    assert [(i.name, i.value) for i in top.items] == [
        (n, float(22 - i)) for i, n in enumerate(names[:20], 1)
    ] + [("other", 1.0)]


def test_products_read_the_same_from_the_monthly_rollup_as_from_the_daily_rows(
    any_engine: Engine, put: Put
) -> None:
    put(
        "top_products_daily",
        [
            {"period": d("2025-06-30"), "name": "A", "revenue": 5},  # the month before
            {"period": d("2025-07-01"), "name": "A", "revenue": 30},  # the window's first day
            {"period": d("2025-09-30"), "name": "B", "revenue": 20},  # and its last
        ],
    )
    window = resolve_window("3m", "month", "2025-09")  # Jul–Sep 2025

    def read() -> tuple[object, ...]:
        with any_engine.connect() as conn:
            result = products.overview(conn, window)
        items = [(i.name, i.value) for i in result.top_products.items]
        return result.kpis[0].value, result.kpis[0].previous, items

    assert read() == (50.0, 5.0, [("A", 30.0), ("B", 20.0)])
    with any_engine.begin() as conn:
        record_data_change(conn, ["top_products_daily"])  # builds the monthly rollup
    assert read() == (50.0, 5.0, [("A", 30.0), ("B", 20.0)])
