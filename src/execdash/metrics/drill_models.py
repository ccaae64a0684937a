"""Result models of a breakdown (a KPI split by customer, industry, …) and a KPI's drill-down."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from execdash.metrics.kpi_models import Frozen, Kpi, Series, Timeframe, Unit
from execdash.metrics.planned import PlanPoint


class BreakdownItem(Frozen):
    """One slice of a breakdown."""

    name: str = Field(description="Customer, industry, source, product, component… ('other').")
    value: float = Field(description="The slice's additive amount (or count).")
    share: float | None = Field(description="value / total; shares sum to 1 (null if total 0).")
    rate: float | None = Field(
        default=None, description="A ratio within the slice when meaningful (e.g. its margin)."
    )
    numerator: float | None = Field(
        default=None, description="Ratio KPIs: the slice's numerator (e.g. its gross profit)."
    )
    denominator: float | None = Field(
        default=None, description="Ratio KPIs: the slice's denominator (e.g. its revenue)."
    )


class Breakdown(Frozen):
    """An additive amount split by one dimension, top items first, the rest as 'other'."""

    dimension: str = Field(description="What the items are: customer, industry, source, …")
    measure: str = Field(description="What `value` measures, e.g. 'order amount'.")
    unit: Unit = Field(description="Unit kind of `value`.")
    total: float = Field(description="Sum of every item's value.")
    items: list[BreakdownItem] = Field(description="Largest first; at most 20 plus 'other'.")


class KpiBreakdown(Breakdown):
    """A KPI split by one dimension over exactly the rows that make up its tile.

    The items (top slices, 'other', and an explicit 'unattributed' slice when the tile's summary
    table and the detail rows disagree) always add up to the tile: `total` equals `tile`.
    """

    kpi: str = Field(description="The KPI key the breakdown belongs to.")
    kind: Literal["sum", "ratio"] = Field(
        description="sum: values add up to the tile; ratio: numerators and denominators add up "
        "to the tile's, and their quotient is the tile's value."
    )
    over: str = Field(description="One line saying what the slices are taken over.")
    rows: int = Field(description="Detail rows the attributed slices are computed from.")
    tile: float | None = Field(description="The tile's value (the KPI itself).")
    attributed: float = Field(description="Σ value of the slices computed from detail rows.")
    unattributed: float = Field(
        description="Tile amount the detail rows do not account for (its own slice when not 0)."
    )
    reconciles: bool = Field(
        description="True when the detail rows account for the whole tile (nothing unattributed)."
    )
    difference: float | None = Field(
        description="Tile − attributed value (the unattributed amount); null without a tile."
    )
    numerator: float | None = Field(default=None, description="Ratio KPIs: the tile's numerator.")
    denominator: float | None = Field(
        default=None, description="Ratio KPIs: the tile's denominator."
    )
    denominator_difference: float | None = Field(
        default=None, description="Ratio KPIs: tile denominator − attributed denominator."
    )


class KpiDrilldown(Frozen):
    """One executive KPI: its series at the window's granularity and an optional breakdown."""

    key: str = Field(description="KPI key.")
    timeframe: Timeframe = Field(description="The window.")
    kpi: Kpi = Field(description="The KPI on the window.")
    series: Series = Field(description="The KPI per period.")
    dimensions: list[str] = Field(description="Dimensions this KPI can be broken down by.")
    breakdown: KpiBreakdown | None = Field(description="The breakdown asked for, if any.")
    actuals: Series | None = Field(
        default=None,
        description="Forecast only: monthly recognized revenue of the window, whatever the "
        "granularity, so the forecast month can be drawn after it.",
    )
    plan_series: Series | None = Field(
        default=None, description="The active plan per period, aggregated like the KPI."
    )
    comparison_series: Series | None = Field(
        default=None,
        description="With compare=last_year: the KPI per period of the same window a year "
        "earlier, point i matching `series` point i (null with other comparisons).",
    )
    off_plan: list[PlanPoint] = Field(
        default_factory=list,
        description="The window's periods with a plan, furthest off plan (worst) first.",
    )
