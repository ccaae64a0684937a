"""Rate normalisation on read: a 0–1 column holding a percent (e.g. 97.5) is divided by 100.

Imports normalise whole columns per batch; this guards against values written by other tools,
one value at a time, and reports each one as a data-quality warning.
"""

from __future__ import annotations

from collections.abc import Iterable

from execdash.metrics.models import DataQualityWarning

NRR_PERCENT_ABOVE = 5.0
"""NRR is a ratio that may exceed 1; only a value above 5 (500%) is read as a percent."""


def normalise_rate(
    value: float, table: str, column: str, period: str | None, *, nrr: bool = False
) -> tuple[float, DataQualityWarning | None]:
    """The value as a 0–1 ratio (NRR: ratio), and a warning if it had to be divided by 100."""
    limit = NRR_PERCENT_ABOVE if nrr else 1.0
    if abs(value) <= limit:
        return value, None
    fixed = value / 100
    scale = "above 5 in a ratio column" if nrr else "above 1 in a 0–1 column"
    warning = DataQualityWarning(
        table=table,
        column=column,
        period=period,
        value=value,
        message=f"{table}.{column} = {value:g} for {period or 'a row'} is {scale}; "
        f"read as a percent and divided by 100 ({fixed:g})",
    )
    return fixed, warning


def normalise_rows(
    rows: Iterable[tuple[str, float]], table: str, column: str, *, nrr: bool = False
) -> tuple[dict[str, float], list[DataQualityWarning]]:
    """Normalise `(period, value)` rows; return values by period and the warnings raised."""
    values: dict[str, float] = {}
    warnings: list[DataQualityWarning] = []
    for period, raw in rows:
        value, warning = normalise_rate(float(raw), table, column, period, nrr=nrr)
        values[period] = value
        if warning is not None:
            warnings.append(warning)
    return values, warnings
