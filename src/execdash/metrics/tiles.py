"""Turn a current and a previous value into a KPI tile: delta, direction and favourability."""

from __future__ import annotations

from typing import Literal

from execdash.metrics.models import (
    Coverage,
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


POINTS_KEYS = frozenset({"nps"})
"""Keys outside the ratio unit whose change is still read in points (NPS, a −1…1 fraction)."""


def change_unit(key: str, unit: Unit) -> Literal["points", "relative"]:
    """'points' for ratios and percentages (change × 100 pts), 'relative' for money and counts."""
    return "points" if unit == "ratio" or key in POINTS_KEYS else "relative"


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
    coverage: Coverage | None = None,
    basis: str | None = None,
) -> Kpi:
    """A KPI tile comparing `value` with the same KPI on the previous window.

    With `coverage`, a window or previous window missing months makes the change not comparable:
    it is still reported, but `favourable` is null so nothing presents it as a trend.
    """
    relative = delta(value, previous)
    moved = direction(relative)
    comparable = coverage is None or (coverage.complete and coverage.previous_complete)
    return Kpi(
        key=key,
        label=label,
        value=value,
        unit=unit,
        previous=previous,
        delta=relative,
        direction=moved,
        favourable=favourable(moved, good) if comparable else None,
        good_direction=good,
        provenance=provenance,
        warnings=warnings or [],
        forecast=forecast,
        change=value - previous if value is not None and previous is not None else None,
        change_unit=change_unit(key, unit),
        coverage=coverage,
        comparable=comparable,
        basis=basis,
    )
