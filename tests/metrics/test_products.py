"""Products overview: Σ top_products_daily.revenue over the window with shares."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

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
