"""Breakdowns keep the top items, fold the rest into 'other' and shares sum to 1."""

from __future__ import annotations

import datetime as dt
from types import ModuleType

import pytest
from sqlalchemy.engine import Engine

from execdash.db import schema as s
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
from execdash.metrics.domain import breakdown, count_by_month, ratio_tile, read_period, tile
from execdash.metrics.windows import resolve_window
from tests.metrics.conftest import Put, d

W3 = resolve_window("3m", "month", "2025-08")
"""June to August 2025; its previous window is March to May."""


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


def test_equal_values_rank_by_name_and_carry_their_rates() -> None:
    result = breakdown(
        "product", "revenue", "currency", [("b", 10.0), ("a", 10.0), ("c", 5.0)],
        rates={"a": 0.25, "c": 0.5},
    )  # fmt: skip
    assert [(i.name, i.rate) for i in result.items] == [("a", 0.25), ("b", None), ("c", 0.5)]


def test_read_period_reads_the_window_and_its_previous_window_or_all_history(
    any_engine: Engine, put: Put
) -> None:
    put(
        "revenue_trend",
        [
            {"period": d(m), "recognized": v, "booked": 0, "backlog": 0}
            for m, v in [("2025-02", 1), ("2025-03", 2), ("2025-08", 3), ("2025-09", 4)]
        ],
    )
    with any_engine.connect() as conn:
        recent, _ = read_period(conn, "revenue_trend", "recognized", W3)
        history, _ = read_period(conn, "revenue_trend", "recognized", W3, history=True)
    assert recent == {d("2025-03"): 2.0, d("2025-08"): 3.0}
    assert history == {d("2025-02"): 1.0, d("2025-03"): 2.0, d("2025-08"): 3.0}


def test_count_by_month_counts_timestamps_from_the_previous_windows_first_to_the_last_day(
    any_engine: Engine, put: Put
) -> None:
    stamps = [
        ("login", "2025-02-28 23:59:00"),
        ("login", "2025-03-01 00:00:00"),
        ("login", "2025-08-31 18:00:00"),
        ("logout", "2025-08-31 19:00:00"),
        ("login", "2025-09-01 00:00:00"),
    ]
    put(
        "user_events",
        [{"event_type": kind, "event_time": dt.datetime.fromisoformat(t)} for kind, t in stamps],
    )
    events = s.user_events
    with any_engine.connect() as conn:
        counts = count_by_month(conn, events.c.event_time, W3, events.c.event_type == "login")
    assert counts == {d("2025-03"): 1.0, d("2025-08"): 1.0}


def test_carried_stock_tile_takes_the_latest_value_at_or_before_each_windows_end() -> None:
    monthly = {d("2025-03"): 1.05, d("2025-06"): 1.08}
    kpi = tile(W3, "nrr", "Net revenue retention", "ratio", monthly, "latest NRR")
    assert (kpi.value, kpi.previous) == (1.08, 1.05)
    assert kpi.coverage is not None
    assert (kpi.coverage.months, kpi.coverage.current, kpi.coverage.previous) == (3, 1, 1)
    assert not kpi.coverage.complete


def test_ratio_tile_divides_the_sums_on_both_windows_and_shows_its_inputs() -> None:
    numerator = {
        d(f"2025-0{m}"): v
        for m, v in zip(range(3, 9), [10.0, 5.0, 5.0, 30.0, 20.0, 0.0], strict=True)
    }
    denominator = {
        d(f"2025-0{m}"): v
        for m, v in zip(range(3, 9), [20.0, 10.0, 10.0, 60.0, 40.0, 100.0], strict=True)
    }
    kpi = ratio_tile(
        W3, "cost_share", "Cost share", numerator, denominator, "Σ a / Σ b", good="down"
    )
    assert (kpi.value, kpi.previous) == (0.25, 0.5)  # 50 / 200 now, 20 / 40 before
    assert [(i.name, i.value) for i in kpi.provenance.inputs] == [
        ("numerator", 50.0),
        ("denominator", 200.0),
    ]
    assert kpi.provenance.months == ["2025-06", "2025-07", "2025-08"]
    assert (kpi.good_direction, kpi.direction, kpi.favourable) == ("down", "down", True)
    assert kpi.coverage is not None
    assert (kpi.coverage.current, kpi.coverage.previous, kpi.coverage.complete) == (3, 3, True)
