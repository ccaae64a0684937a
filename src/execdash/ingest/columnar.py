"""Whole-column converters: a chunk's column at C speed, with the same values as the per-cell path.

Numbers and integers go through `map(float, ...)` / `map(int, ...)` and are then checked in bulk
(finite, no `1_000`, sign, 64-bit range); dates, months, choices and rates are converted once per
distinct text, since such columns repeat few values. Whenever a column holds something the bulk
route does not accept as is, it falls back to the per-cell converter, which either parses it the
thorough way (`£1,234.50`, `12.0`) or raises ValueError, upon which the caller re-checks the
chunk row by row to report each bad cell.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from execdash.ingest.columns import ColumnSpec
from execdash.ingest.converters import BIGINT, EMPTY, Converter

ColumnConverter = Callable[[Sequence[str]], list[object]]


def _floats(col: ColumnSpec, convert: Converter) -> ColumnConverter:
    """Numbers via map(float); anything unusual (NULLs, `£1,234`, nan, `1_000`, < 0) per cell."""
    non_negative, isfinite = col.non_negative, math.isfinite

    def run(cells: Sequence[str]) -> list[object]:
        if "" in cells:  # NULLs, or a missing required value: the per-cell path says which
            return [convert(text) for text in cells]
        try:
            values: list[float] = list(map(float, cells))
        except ValueError:
            return [convert(text) for text in cells]
        if not all(map(isfinite, values)) or "_" in "".join(cells):
            return [convert(text) for text in cells]
        if non_negative and values and min(values) < 0:
            return [convert(text) for text in cells]
        return values  # type: ignore[return-value]  # list is invariant; read-only from here

    return run


def _integers(col: ColumnSpec, convert: Converter) -> ColumnConverter:
    """Whole numbers via map(int); NULLs, `12.0`, `1,200`, signs and huge values per cell."""
    non_negative = col.non_negative

    def run(cells: Sequence[str]) -> list[object]:
        if "" in cells:
            return [convert(text) for text in cells]
        try:
            values: list[int] = list(map(int, cells))
        except ValueError:
            return [convert(text) for text in cells]
        if values:
            low, high = min(values), max(values)
            if low < -BIGINT or high >= BIGINT or (non_negative and low < 0):
                return [convert(text) for text in cells]
        return values  # type: ignore[return-value]

    return run


def _texts(col: ColumnSpec) -> ColumnConverter:
    """Text as it is; an empty cell is NULL, or refused where the column is required."""
    nullable = col.nullable

    def run(cells: Sequence[str]) -> list[object]:
        if "" not in cells:
            return list(cells)
        if not nullable:
            raise ValueError(EMPTY)
        return [text or None for text in cells]

    return run


def _by_distinct(convert: Converter) -> ColumnConverter:
    """Convert each distinct text once (dates, months, choices and rates repeat a lot)."""

    def run(cells: Sequence[str]) -> list[object]:
        table = {text: convert(text) for text in set(cells)}
        return list(map(table.__getitem__, cells))

    return run


def column_converter(col: ColumnSpec, convert: Converter) -> ColumnConverter:
    """Convert a column of `col` like `convert` would cell by cell; ValueError if a cell is bad."""
    if col.rate is None and not col.choices:
        if col.kind in {"number", "money"}:
            return _floats(col, convert)
        if col.kind == "integer":
            return _integers(col, convert)
        if col.kind == "text":
            return _texts(col)
    return _by_distinct(convert)
