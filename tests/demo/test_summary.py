"""The summary printed by `execdash demo`: rows per table and order throughput."""

from __future__ import annotations

import datetime as dt

from rich.console import Console

from execdash.demo import DemoSummary


def _summary() -> DemoSummary:
    return DemoSummary(
        seed=5,
        first_month=dt.date(2024, 9, 1),
        end_month=dt.date(2025, 8, 1),
        opening_backlog=1234.5,
        rows={"orders": 500_000, "customers": 300},
        elapsed_seconds=4.0,
        order_seconds=2.0,
        order_cpu_seconds=1.0,
    )


def test_throughput_is_orders_over_order_seconds() -> None:
    summary = _summary()
    assert summary.order_rows_per_second == 250_000
    assert summary.order_rows_per_cpu_second == 500_000
    assert summary.total_rows == 500_300
    assert DemoSummary(5, dt.date(2024, 9, 1), dt.date(2025, 8, 1), 0).order_rows_per_second == 0


def test_rendering_lists_tables_and_rows_per_second() -> None:
    console = Console(record=True, width=100)
    console.print(_summary())
    text = console.export_text()
    assert "seed 5, 2024-09 … 2025-08" in text
    assert "orders" in text
    assert "500,000" in text
    assert "250,000 rows/s" in text
    assert "500,000 rows per CPU second" in text
    assert "£1,234.50" in text
