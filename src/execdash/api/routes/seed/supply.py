"""The seed front end's Supply page: `GET /api/supply/overview` and `/api/supply/kpis/{key}`.

COGS variance is sent in percent (the engine's ratio × 100) because that page prints it with `%`
without scaling; the COGS total and its breakdown come from an undated table, so they are the same
for every window and have no series.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from execdash.api.auth import Reader
from execdash.api.deps import ReadConn, settings_of
from execdash.api.errors import problem_responses
from execdash.api.onethread import ReadRoute
from execdash.api.routes.compat import CompatTimeframe
from execdash.api.routes.seed.common import (
    SeedDrilldown,
    SeedKpi,
    SeedRow,
    SeriesRow,
    breakdown_rows,
    by_key,
    known,
    partial_periods,
    rows,
    seed_kpi,
    series_of,
    timeframe,
    unknown_key,
)
from execdash.api.window import WindowParam
from execdash.metrics import supply
from execdash.metrics.models import Breakdown

router = APIRouter(
    route_class=ReadRoute,
    prefix="/api/supply",
    tags=["seed"],
    responses=problem_responses(401, 422),
)

# seed key -> (engine key, seed series key, scale, unit)
SOURCES: dict[str, tuple[str, str, float, str]] = {
    "lead_time": ("lead_time", "lead_time_days", 1.0, "days"),
    "inventory_turns": ("inventory_turns", "turns_per_year", 1.0, "turns"),
    "cogs_variance": ("cogs_variance", "variance_pct", 100.0, "%"),
}
SUPPLY_KEYS = (*SOURCES, "cogs_total")


class SupplyOverviewBody(BaseModel):
    """`GET /api/supply/overview`: four cards, three trends on the same periods, COGS breakdown."""

    timeframe: CompatTimeframe
    kpis: list[SeedKpi]
    leadTimeTrend: list[SeriesRow]
    inventoryTurnsTrend: list[SeriesRow]
    cogsVarianceTrend: list[SeriesRow]
    cogsBreakdown: list[SeedRow]
    partial_periods: list[str]


def cogs_total(found: Breakdown, symbol: str) -> SeedKpi:
    """Σ supply_cogs_breakdown.cost as a card (null when the table is empty)."""
    return SeedKpi(
        key="cogs_total",
        label="COGS total",
        value=found.total if found.items else None,
        unit=symbol,
        delta=None,
        direction="flat",
    )


@router.get("/overview", response_model=SupplyOverviewBody)
def supply_overview(
    request: Request, conn: ReadConn, _user: Reader, window: WindowParam
) -> SupplyOverviewBody:
    """Lead time, inventory turns, COGS variance (percent) and COGS by component."""
    symbol = settings_of(request).currency_symbol
    overview = supply.overview(conn, window)
    tiles = by_key(overview.kpis)
    cards = [
        seed_kpi(tiles[engine], symbol, key=key, unit=unit, scale=scale)
        for key, (engine, _, scale, unit) in SOURCES.items()
    ]

    def trend(key: str) -> list[SeriesRow]:
        engine, name, scale, _ = SOURCES[key]
        return rows((name, series_of(overview.series, engine)), scale=scale)

    return SupplyOverviewBody(
        timeframe=timeframe(window),
        kpis=known([*cards, cogs_total(overview.cogs_breakdown, symbol)]),
        leadTimeTrend=trend("lead_time"),
        inventoryTurnsTrend=trend("inventory_turns"),
        cogsVarianceTrend=trend("cogs_variance"),
        cogsBreakdown=breakdown_rows(overview.cogs_breakdown),
        partial_periods=partial_periods(overview.series[0]),
    )


@router.get("/kpis/{key}", response_model=SeedDrilldown, responses=problem_responses(404))
def supply_kpi(
    key: str, request: Request, conn: ReadConn, _user: Reader, window: WindowParam
) -> SeedDrilldown:
    """One supply KPI per period and the COGS breakdown by component."""
    if key not in SUPPLY_KEYS:
        raise unknown_key("Supply", key, SUPPLY_KEYS)
    overview = supply.overview(conn, window)
    series: list[SeriesRow] = []
    unit = settings_of(request).currency_symbol
    first = None
    if key in SOURCES:
        engine, name, scale, unit = SOURCES[key]
        first = series_of(overview.series, engine)
        series = rows((name, first), scale=scale)
    note = "COGS by component (the table has no dates: the same for every window)."
    return SeedDrilldown(
        timeframe=timeframe(window),
        metric=key,
        series=series,
        breakdown=breakdown_rows(overview.cogs_breakdown),
        unit=unit,
        partial_periods=partial_periods(first),
        breakdown_note=note,
    )
