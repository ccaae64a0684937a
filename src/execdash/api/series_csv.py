"""CSV downloads of series and breakdowns, one row per period (or item), one column per series."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi.responses import Response

from execdash.api.listing import csv_response
from execdash.metrics.models import Breakdown, Series


def series_csv(filename: str, series: Sequence[Series]) -> Response:
    """`period, partial, months, <key>...`: the series side by side, oldest period first."""
    rows: dict[str, dict[str, Any]] = {}
    for one in series:
        for point in one.points:
            row = rows.setdefault(
                point.period,
                {"period": point.period, "partial": point.partial, "months": point.months},
            )
            row[one.key] = point.value
    columns = ["period", "partial", "months", *(one.key for one in series)]
    return csv_response(filename, columns, [rows[key] for key in sorted(rows)])


def breakdown_csv(filename: str, breakdown: Breakdown) -> Response:
    """`name, value, share, rate` (plus `numerator, denominator` for a ratio KPI's slices): one
    row per item, largest first."""
    ratio = any(i.denominator is not None for i in breakdown.items)
    columns = [breakdown.dimension, "value", "share", "rate"]
    columns += ["numerator", "denominator"] if ratio else []
    return csv_response(
        filename,
        columns,
        [{breakdown.dimension: i.name, "value": i.value, "share": i.share, "rate": i.rate,
          "numerator": i.numerator, "denominator": i.denominator}
         for i in breakdown.items],
    )  # fmt: skip
