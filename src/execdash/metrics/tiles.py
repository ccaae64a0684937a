"""Turn a current and a previous value into a KPI tile: delta, direction and favourability."""

from __future__ import annotations

from typing import Literal

from execdash.metrics.models import (
    DataQualityWarning,
    Direction,
    ForecastDetail,
    Kpi,
    Provenance,
    Unit,
)

FLAT_BELOW = 0.0005
"""|delta| under this is `flat`."""


def delta(current: float | None, previous: float | None) -> float | None:
    """(current − previous) / |previous|; None when either is missing or previous is zero."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / abs(previous)


def direction(change: float | None) -> Direction:
    """up / down, or flat when |delta| < 0.0005 or the delta is unknown."""
    if change is None or abs(change) < FLAT_BELOW:
        return "flat"
    return "up" if change > 0 else "down"


def favourable(moved: Direction, good: Literal["up", "down"]) -> bool | None:
    """True when the KPI moved the good way, False the bad way, None when flat or unknown."""
    if moved == "flat":
        return None
    return moved == good


def make_kpi(
    key: str,
    label: str,
    unit: Unit,
    value: float | None,
    previous: float | None,
    provenance: Provenance,
    *,
    good: Literal["up", "down"] = "up",
    warnings: list[DataQualityWarning] | None = None,
    forecast: ForecastDetail | None = None,
) -> Kpi:
    """A KPI tile comparing `value` with the same KPI on the previous window."""
    change = delta(value, previous)
    moved = direction(change)
    return Kpi(
        key=key,
        label=label,
        value=value,
        unit=unit,
        previous=previous,
        delta=change,
        direction=moved,
        favourable=favourable(moved, good),
        good_direction=good,
        provenance=provenance,
        warnings=warnings or [],
        forecast=forecast,
    )
