"""The seed front end's Sales page: `GET /api/sales/overview` and `/api/sales/kpis/{key}`."""

from __future__ import annotations

from typing import Annotated, Literal

import sqlalchemy as sa
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
from execdash.metrics import breakdowns, drilldown, executive, products, sales
from execdash.metrics.models import Breakdown, SalesOverview, seed_unit
from execdash.metrics.windows import Window

router = APIRouter(
    route_class=ReadRoute, prefix="/api/sales", tags=["seed"], responses=problem_responses(401, 422)
)

SALES_CARDS = ("leads", "mql", "sql", "won", "win_rate", "sales_cycle", "avg_deal",
               "new_customers")  # fmt: skip
SALES_KEYS = ("pipeline", *SALES_CARDS, "revenue")
STAGE_KEYS = ("leads", "mql", "sql", "won")
TOP = 10
SalesBy = Literal["customer", "industry", "source"]


class NamedRevenue(BaseModel):
    """A product or customer and its revenue over the window."""

    name: str
    revenue: float


class WinRatePoint(BaseModel):
    """Win rate (0–1) and sales cycle (days) of one period."""

    period: str
    win_rate_pct: float | None
    sales_cycle_days: float | None


class SalesOverviewBody(BaseModel):
    """`GET /api/sales/overview`: nine KPI cards, funnel and win-rate trends, top lists."""

    timeframe: CompatTimeframe
    kpis: list[SeedKpi]
    pipelineTrend: list[SeriesRow]
    winrateTrend: list[WinRatePoint]
    topProducts: list[NamedRevenue]
    topCustomers: list[NamedRevenue]
    partial_periods: list[str]


def _named(found: Breakdown) -> list[NamedRevenue]:
    return [NamedRevenue(name=r.name, revenue=r.value) for r in breakdown_rows(found, top=TOP)]


def _stages(overview: SalesOverview) -> list[SeriesRow]:
    return rows(*((k, series_of(overview.series, k)) for k in STAGE_KEYS))


@router.get("/overview", response_model=SalesOverviewBody)
def sales_overview(
    request: Request, conn: ReadConn, _user: Reader, window: WindowParam
) -> SalesOverviewBody:
    """Funnel counts, win rate, cycle, deal size, new customers and recognized revenue."""
    symbol = settings_of(request).currency_symbol
    overview = sales.overview(conn, window)
    tiles = by_key(overview.kpis)
    revenue = executive.kpi(conn, window, "revenue")
    win, cycle = series_of(overview.series, "win_rate"), series_of(overview.series, "sales_cycle")
    return SalesOverviewBody(
        timeframe=timeframe(window),
        kpis=known([*(seed_kpi(tiles[k], symbol) for k in SALES_CARDS), seed_kpi(revenue, symbol)]),
        pipelineTrend=_stages(overview),
        winrateTrend=[
            WinRatePoint(period=w.period, win_rate_pct=w.value, sales_cycle_days=c.value)
            for w, c in zip(win.points, cycle.points, strict=True)
        ],
        topProducts=_named(products.top_products(conn, window)),
        topCustomers=_named(breakdowns.kpi_breakdown(conn, window, "revenue", "customer")),
        partial_periods=partial_periods(win),
    )


NO_DIMENSION = "Pipeline stages and win rates are recorded without a customer, industry or source."


def _breakdown(conn: sa.Connection, window: Window, key: str, by: str) -> tuple[list[SeedRow], str]:
    if key == "revenue":
        found = breakdowns.kpi_breakdown(conn, window, "revenue", by)
        return breakdown_rows(found), f"Recognized revenue (order amount) by {by}."
    if key == "avg_deal":
        found = breakdowns.kpi_breakdown(conn, window, "book_to_bill", by)
        booked = [r.model_copy(update={"rate": None}) for r in breakdown_rows(found)]
        return booked, f"Booked order amount by {by} (the deal size's numerator)."
    if key == "new_customers":
        if by == "customer":
            return [], "Each new customer counts once; choose industry or source."
        counted = sales.new_customers_by(conn, window, by)
        return breakdown_rows(counted, counts=True), f"Customers created in the window by {by}."
    return [], NO_DIMENSION


@router.get("/kpis/{key}", response_model=SeedDrilldown, responses=problem_responses(404))
def sales_kpi(
    key: str,
    request: Request,
    conn: ReadConn,
    _user: Reader,
    window: WindowParam,
    by: Annotated[SalesBy, Query(description="Breakdown dimension.")] = "customer",
) -> SeedDrilldown:
    """One sales KPI per period (`pipeline`: all four stages) and its breakdown where one exists."""
    if key not in SALES_KEYS:
        raise unknown_key("Sales", key, SALES_KEYS)
    symbol = settings_of(request).currency_symbol
    found, note = _breakdown(conn, window, key, by)
    if key == "revenue":
        drill = drilldown.drilldown(conn, window, "revenue")
        series, unit, first = rows(("recognized", drill.series)), symbol, drill.series
    else:
        overview = sales.overview(conn, window)
        first = series_of(overview.series, "leads" if key == "pipeline" else key)
        if key == "pipeline":
            series, unit = _stages(overview), ""
        else:
            series, unit = rows((key, first)), seed_unit(first.unit, symbol)
    return SeedDrilldown(
        timeframe=timeframe(window),
        metric=key,
        series=series,
        breakdown=found,
        unit=unit,
        partial_periods=partial_periods(first),
        breakdown_note=note,
    )
