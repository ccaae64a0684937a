"""Which KPIs a plan can hold targets for, how each target aggregates, and how it is read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from execdash.metrics.formulas import KPI_DEFS
from execdash.metrics.models import Kind, Unit

PlanKind = Literal["flow", "stock", "rate", "ratio"]


@dataclass(frozen=True, slots=True)
class Plannable:
    """A KPI that takes monthly targets."""

    key: str
    label: str
    unit: Unit
    good: Literal["up", "down"]
    kind: Kind
    """flow: months summed; stock: the period's last month; rate: day-weighted mean; ratio:
    weighted by the plan's revenue (the ratio's planned denominator)."""
    percent: Literal["unit", "nrr"] | None
    """Targets a file may write as percents: `unit` (0–1, above 1 read as %), `nrr` (above 5)."""
    segments: tuple[str, ...]
    """Segment kinds the KPI can be planned by (industry, product)."""


_KIND: dict[str, Kind] = {
    "revenue": "flow",
    "backlog": "stock",
    "uptime": "rate",
    "nrr": "stock",
    "gm": "ratio",
    "payback": "rate",
    "book_to_bill": "ratio",
    "coverage_months": "stock",
    "arr": "stock",
}
_PERCENT: dict[str, Literal["unit", "nrr"]] = {"uptime": "unit", "gm": "unit", "nrr": "nrr"}
_SEGMENTS: dict[str, tuple[str, ...]] = {
    "revenue": ("industry", "product"),
    "gm": ("industry",),
    "arr": ("industry",),
}

PLANNABLE: dict[str, Plannable] = {
    key: Plannable(key, label, unit, good, _KIND[key], _PERCENT.get(key), _SEGMENTS.get(key, ()))
    for key, label, unit, good, _ in KPI_DEFS
    if key in _KIND
}
"""Every KPI a plan can hold, in the dashboard's order (the forecast is compared with the revenue
target of the month it forecasts, so it takes no target of its own)."""

RATIO_WEIGHT = "revenue"
"""A ratio target is weighted by the plan's target for this KPI in the same month."""

ADDITIVE = frozenset({"flow", "stock"})
"""Kinds whose company target is the sum of its segments' targets when no total is given."""
