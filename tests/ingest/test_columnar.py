"""Whole-column converters give exactly the per-cell converter's values, or refuse like it."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from execdash.ingest.columnar import column_converter
from execdash.ingest.columns import table_spec
from execdash.ingest.converters import converter


def both(table: str, column: str, cells: list[str]) -> tuple[object, object]:
    """(whole-column result, per-cell result), each a list or the ValueError message."""
    col = table_spec(table).column(column)
    convert = converter(col)
    results: list[object] = []
    for run in (column_converter(col, convert), lambda c: [convert(t) for t in c]):
        try:
            results.append(run(tuple(cells)))
        except ValueError as exc:
            results.append(f"ValueError: {exc}")
    return results[0], results[1]


CASES = [
    ("orders", "amount", ["1", "-2.5", " 3 ", "1e3", "0.1"]),  # plain floats, signed column
    ("orders", "amount", ["£1,234.50", "-$1,234", "1,200"]),  # money falls back per cell
    ("orders", "amount", ["1", "nan"]),
    ("orders", "amount", ["1", "inf"]),
    ("orders", "amount", ["1", "1_000"]),
    ("orders", "amount", ["1", ""]),  # required: empty refused
    ("expenses", "cost", ["5", "-1"]),  # never negative
    ("expenses", "cost", ["5", "1.5e2"]),
    ("orders", "customer_id", ["1", "", "3"]),  # nullable: None
    ("orders", "customer_id", ["12.0", "1,200", "7"]),  # whole numbers written as decimals
    ("orders", "customer_id", ["1", "1.5"]),
    ("orders", "customer_id", ["1", str(2**63)]),  # beyond 64 bits
    ("orders", "customer_id", ["-9223372036854775808", "9223372036854775807"]),
    ("orders", "order_date", ["2025-01-31", "2025-01-31", "2025-02-01T00:00:00", " 2025-03-01"]),
    ("orders", "order_date", ["2025-02-30"]),
    ("orders", "order_date", ["2025-02"]),
    ("orders", "type", ["booked", "booked", "", "x"]),  # free text, nullable
    ("customers", "name", ["Acme", ""]),  # required text
    ("alerts", "severity", ["LOW", " high ", "low"]),  # choices, case-insensitive
    ("alerts", "severity", ["low", "urgent"]),
    ("retention_nrr", "nrr", ["1.05", "105%", "98"]),  # rates stay as written until pass two
    ("retention_nrr", "gross_churn", ["0.02", "-1"]),
    ("user_events", "event_time", ["2025-01-02T03:04:05Z", "2025-01-02 03:04", "2025-01-02"]),
    ("ops_uptime", "period", ["2025-01", "2025-01-01", " 2025-02 "]),
]


@pytest.mark.parametrize(("table", "column", "cells"), CASES)
def test_whole_column_matches_cell_by_cell(table: str, column: str, cells: list[str]) -> None:
    fast, slow = both(table, column, cells)
    assert fast == slow
    if isinstance(fast, list):
        assert [type(v) for v in fast] == [type(v) for v in slow]  # 12.0 vs 12 would differ


def test_floats_are_the_exact_doubles() -> None:
    fast, _ = both("orders", "amount", ["0.1", "2.675", "1e-320"])
    assert fast == [0.1, 2.675, 1e-320]
    assert math.copysign(1, both("orders", "amount", ["-0.0"])[0][0]) == -1  # type: ignore[index]


def test_a_bad_cell_raises_so_the_chunk_is_checked_row_by_row() -> None:
    fast, _ = both("orders", "amount", ["1", "ten"])
    assert fast == "ValueError: is not a number"


CELL = st.one_of(
    st.sampled_from(["", " ", "0", "-0", "1e3", "nan", "inf", "1_000", "12.0", "1,200", "£5"]),
    st.sampled_from(["2025-01-31", "2025-02-30", "2025-01", "booked", "LOW", "105%", "-1"]),
    st.integers(-(2**64), 2**64).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(alphabet="0123456789.,-+e £$_ %", max_size=8),
)
COLUMNS = [
    ("orders", "amount"),
    ("expenses", "cost"),
    ("orders", "customer_id"),
    ("devices", "id"),
    ("orders", "order_date"),
    ("orders", "type"),
    ("alerts", "severity"),
    ("retention_nrr", "nrr"),
    ("supply_cogs_variance", "variance_pct"),
    ("ops_uptime", "period"),
]


@settings(max_examples=300, deadline=None)
@given(column=st.sampled_from(COLUMNS), cells=st.lists(CELL, min_size=1, max_size=6))
def test_any_column_of_any_cells_matches_cell_by_cell(
    column: tuple[str, str], cells: list[str]
) -> None:
    fast, slow = both(*column, cells)
    if isinstance(slow, str):  # some cell is bad: the whole-column path must refuse too
        assert isinstance(fast, str)
    else:
        assert fast == slow
        assert [type(v) for v in fast] == [type(v) for v in slow]  # type: ignore[union-attr]
