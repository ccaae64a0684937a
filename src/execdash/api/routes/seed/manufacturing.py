"""The seed front end's Manufacturing page (execdash's operations): overview and KPI drill-downs.

The overview sends uptime, DOA, defect and warranty rates in percent (the engine's 0–1 ratios ×
100) because that page prints them with `%` without scaling. The drill-downs send the 0–1 ratios:
their chart multiplies values up to 1.5 by 100, so a DOA of 0.8 % sent in percent would plot as
80 %.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
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
from execdash.metrics import ops
from execdash.metrics.models import OperationsOverview

router = APIRouter(
    route_class=ReadRoute,
    prefix="/api/manufacturing",
    tags=["seed"],
    responses=problem_responses(401, 422),
)

# seed key -> (engine key, scale, unit; None = the currency symbol)
SOURCES: dict[str, tuple[str, float, str | None]] = {
    "uptime": ("uptime", 100.0, "%"),
    "mtbf": ("mtbf", 1.0, "h"),
    "mttr": ("mttr", 1.0, "h"),
    "doa": ("doa", 100.0, "%"),
    "defect": ("defect", 100.0, "%"),
    "warranty": ("warranty", 100.0, "%"),
    "cost_per_device": ("service_cost", 1.0, None),
}
ManufacturingBy = Literal["fault_type", "device_type"]


class ManufacturingOverviewBody(BaseModel):
    """`GET /api/manufacturing/overview`: seven cards, three trends, devices by fault type."""

    timeframe: CompatTimeframe
    kpis: list[SeedKpi]
    qualityTrend: list[SeriesRow]
    reliabilityTrend: list[SeriesRow]
    costTrend: list[SeriesRow]
    breakdown: list[SeedRow]
    partial_periods: list[str]


def _trend(overview: OperationsOverview, *keys: str) -> list[SeriesRow]:
    """Rows of the seed keys `keys` (all of one scale)."""
    scale = SOURCES[keys[0]][1]
    return rows(*((k, series_of(overview.series, SOURCES[k][0])) for k in keys), scale=scale)


@router.get("/overview", response_model=ManufacturingOverviewBody)
def manufacturing_overview(
    request: Request, conn: ReadConn, _user: Reader, window: WindowParam
) -> ManufacturingOverviewBody:
    """Uptime, MTBF/MTTR, quality rates (percent), service cost per device and faults."""
    symbol = settings_of(request).currency_symbol
    overview = ops.overview(conn, window)
    tiles = by_key(overview.kpis)
    cards = [
        seed_kpi(tiles[engine], symbol, key=key, unit=unit or symbol, scale=scale)
        for key, (engine, scale, unit) in SOURCES.items()
    ]
    return ManufacturingOverviewBody(
        timeframe=timeframe(window),
        kpis=known(cards),
        qualityTrend=_trend(overview, "doa", "defect", "warranty"),
        reliabilityTrend=_trend(overview, "mtbf", "mttr"),
        costTrend=_trend(overview, "cost_per_device"),
        breakdown=breakdown_rows(overview.faults_by_type, counts=True),
        partial_periods=partial_periods(overview.series[0]),
    )


@router.get("/kpis/{key}", response_model=SeedDrilldown, responses=problem_responses(404))
def manufacturing_kpi(
    key: str,
    request: Request,
    conn: ReadConn,
    _user: Reader,
    window: WindowParam,
    by: Annotated[ManufacturingBy, Query(description="Breakdown dimension.")] = "fault_type",
) -> SeedDrilldown:
    """One operations KPI per period and faulty devices by fault type or device type."""
    if key not in SOURCES:
        raise unknown_key("Manufacturing", key, SOURCES)
    overview = ops.overview(conn, window)
    engine, _, unit = SOURCES[key]
    series = series_of(overview.series, engine)
    found = overview.faults_by_type if by == "fault_type" else ops.faults_by_device_type(conn)
    note = f"Devices with a recorded fault by {by.replace('_', ' ')} (all devices, not windowed)."
    return SeedDrilldown(
        timeframe=timeframe(window),
        metric=key,
        series=rows((key, series)),  # 0–1: the drill-down chart scales rates itself
        breakdown=breakdown_rows(found, counts=True),
        unit=unit or settings_of(request).currency_symbol,
        partial_periods=partial_periods(series),
        breakdown_note=note,
    )
