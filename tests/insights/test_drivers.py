"""Drivers from two windows' breakdowns: the method follows the KPI, notes say what is missing."""

from __future__ import annotations

import pytest

from execdash.insights.drivers import explain, split
from execdash.metrics.models import BreakdownItem, KpiBreakdown
from execdash.metrics.windows import resolve_window

WINDOW = resolve_window("3m", "month", "2025-06")


def breakdown(
    items: list[tuple[str, float, float | None]], tile: float | None, kind: str = "sum",
    numerator: float | None = None, denominator: float | None = None,
) -> KpiBreakdown:  # fmt: skip
    return KpiBreakdown(
        kpi="x", kind=kind, dimension="customer", measure="Revenue", unit="currency",  # type: ignore[arg-type]
        total=sum(v for _, v, _ in items),
        items=[BreakdownItem(name=n, value=v, share=None, numerator=v if den is not None else None,
                             denominator=den) for n, v, den in items],
        over="recognized orders, 3 orders", rows=3, tile=tile, attributed=0, unattributed=0,
        reconciles=True, difference=0, numerator=numerator, denominator=denominator,
    )  # fmt: skip


def test_split_leaves_out_the_unattributed_item_for_the_decomposition_to_recompute() -> None:
    slices, total = split(breakdown([("A", 10, None), ("unattributed", 5, None)], 15))
    assert slices == {"A": (10, 0.0)}
    assert total == (15, 0.0)


def test_a_sum_kpi_without_a_previous_window_starts_from_zero() -> None:
    result = explain(
        "revenue", "customer", WINDOW,
        breakdown([], None), breakdown([("A", 10, None), ("B", 5, None)], 15),
    )  # fmt: skip
    assert result.method == "sum"
    assert result.note == "No data in the previous window: its value is taken as 0."
    assert result.change == 15
    assert result.new.count == 2
    assert result.measure == "revenue (recognized orders)"


def test_a_ratio_without_a_denominator_in_one_window_has_no_drivers() -> None:
    result = explain(
        "gm", "industry", WINDOW,
        breakdown([], None, "ratio", 0, 0),
        breakdown([("Retail", 3, 10)], 0.3, "ratio", 3, 10),
    )  # fmt: skip
    assert result.method == "none"
    assert result.drivers == []
    assert (
        result.note == "Gross margin is not computable in both windows (a zero denominator in one)."
    )


def test_a_ratio_kpi_is_split_into_mix_and_rate() -> None:
    result = explain(
        "gm", "industry", WINDOW,
        breakdown([("X", 30, 100), ("Y", 10, 100)], 0.2, "ratio", 40, 200),
        breakdown([("X", 60, 150), ("Y", 5, 50), ("Z", 20, 50)], 0.34, "ratio", 85, 250),
    )  # fmt: skip
    assert result.method == "mix_rate"
    assert {d.name: d.contribution for d in result.drivers} == pytest.approx(
        {"X": 0.063, "Y": 0.051, "Z": 0.026}
    )
    assert result.concentration.top1 == pytest.approx(150 / 250)
