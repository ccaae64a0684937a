"""Breakdowns keep the top items, fold the rest into 'other' and shares sum to 1."""

from __future__ import annotations

import datetime as dt
from types import ModuleType

import pytest
from sqlalchemy.engine import Engine

from execdash.metrics import (
    feedback,
    finance,
    ops,
    products,
    retention,
    sales,
    supply,
    telemetry,
)
from execdash.metrics.domain import breakdown
from execdash.metrics.windows import resolve_window


def test_top_items_then_other_with_shares() -> None:
    result = breakdown(
        "product", "revenue", "currency", [("a", 50.0), ("b", 30.0), ("c", 20.0)], top=2
    )
    assert [(i.name, i.value, i.share) for i in result.items] == [
        ("a", 50.0, 0.5),
        ("b", 30.0, 0.3),
        ("other", 20.0, 0.2),
    ]
    assert result.total == 100.0


def test_missing_names_are_merged_under_unknown() -> None:
    result = breakdown("industry", "customers", "count", [(None, 1.0), ("", 2.0), ("x", 1.0)])
    assert [(i.name, i.value) for i in result.items] == [("(unknown)", 3.0), ("x", 1.0)]


def test_a_zero_total_gives_null_shares_not_zero() -> None:
    result = breakdown("industry", "customers", "count", [("x", 0.0)])
    assert result.items[0].share is None
    assert breakdown("industry", "customers", "count", []).items == []


def test_shares_sum_to_one() -> None:
    rows = [(f"p{i}", float(i)) for i in range(1, 40)]
    assert sum(i.share or 0 for i in breakdown("p", "r", "currency", rows).items) == pytest.approx(
        1
    )


@pytest.mark.parametrize(
    "module",
    [finance, sales, retention, ops, supply, telemetry, products, feedback],
    ids=lambda m: m.__name__.rsplit(".", 1)[-1],
)
def test_every_overview_on_an_empty_database_has_null_tiles_not_errors(
    engine: Engine, module: ModuleType
) -> None:
    window = resolve_window("6m", "quarter", None, None, today=dt.date(2026, 1, 15))
    with engine.connect() as conn:
        result = module.overview(conn, window)
    assert result.kpis
    assert all(k.value is None and k.delta is None for k in result.kpis)
    assert all(p.value is None for s in result.series for p in s.points)
