"""The seed front end's Finance page: `GET /api/finance/overview` and `/api/finance/kpis/{key}`."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from execdash.api.auth import Reader
from execdash.api.deps import ReadConn, settings_of
from execdash.api.errors import problem_responses
from execdash.api.onethread import ReadRoute
from execdash.api.routes.compat import CompatTimeframe, CompatTrendPoint
from execdash.api.routes.seed.common import (
    SeedDrilldown,
    SeedKpi,
    breakdown_rows,
    partial_periods,
    rows,
    seed_kpi,
    timeframe,
    unknown_key,
)
from execdash.api.window import WindowParam, invalid_parameter
from execdash.metrics import breakdowns, drilldown, executive, finance
from execdash.metrics.formulas import KPI_KEYS
from execdash.metrics.models import Breakdown, seed_unit

router = APIRouter(
    route_class=ReadRoute,
    prefix="/api/finance",
    tags=["seed"],
    responses=problem_responses(401, 422),
)

FINANCE_CARDS = ("revenue", "gm", "backlog", "arr", "payback", "book_to_bill", "coverage_months")
FinanceBy = Literal["customer", "industry", "source", "product"]


class FinanceOverviewBody(BaseModel):
    """`GET /api/finance/overview`: seven KPI cards and the revenue trend."""

    timeframe: CompatTimeframe
    kpis: list[SeedKpi]
    revenueTrend: list[CompatTrendPoint]
    partial_periods: list[str]


@router.get("/overview", response_model=FinanceOverviewBody)
def finance_overview(
    request: Request, conn: ReadConn, _user: Reader, window: WindowParam
) -> FinanceOverviewBody:
    """The executive finance KPIs (same values as the dashboard) and recognized/booked/backlog."""
    symbol = settings_of(request).currency_symbol
    tiles = {k.key: k for k in executive.kpis(conn, window)}
    recognized, booked, backlog = finance.revenue_trend(conn, window)
    return FinanceOverviewBody(
        timeframe=timeframe(window),
        kpis=[seed_kpi(tiles[key], symbol) for key in FINANCE_CARDS],
        revenueTrend=[
            CompatTrendPoint(period=r.period, recognized=r.value, booked=b.value, backlog=k.value)
            for r, b, k in zip(recognized.points, booked.points, backlog.points, strict=True)
        ],
        partial_periods=partial_periods(recognized),
    )


def _note(key: str, found: Breakdown | None) -> str:
    if found is None:
        return f"{key} comes from a summary table with no customer, industry or source."
    return f"{found.measure.capitalize()} by {found.dimension}: the top 20, the rest as 'other'."


@router.get("/kpis/{key}", response_model=SeedDrilldown, responses=problem_responses(404))
def finance_kpi(
    key: str,
    request: Request,
    conn: ReadConn,
    _user: Reader,
    window: WindowParam,
    by: Annotated[FinanceBy, Query(description="Breakdown dimension.")] = "customer",
) -> SeedDrilldown:
    """One executive KPI per period and, where the data allow, split by `by`."""
    if key not in KPI_KEYS:
        raise unknown_key("Finance", key, KPI_KEYS)
    dimensions = breakdowns.DIMENSIONS[key]
    if dimensions and by not in dimensions:
        raise invalid_parameter("by", f"{key} can be broken down by {', '.join(dimensions)}")
    drill = drilldown.drilldown(conn, window, key, by if dimensions else None)
    if key == "revenue":
        recognized, booked, backlog = finance.revenue_trend(conn, window)
        series = rows(("recognized", recognized), ("booked", booked), ("backlog", backlog))
    else:
        series = rows((key, drill.series))
    return SeedDrilldown(
        timeframe=timeframe(window),
        metric=key,
        series=series,
        breakdown=breakdown_rows(drill.breakdown),
        unit=seed_unit(drill.kpi.unit, settings_of(request).currency_symbol),
        partial_periods=partial_periods(drill.series),
        breakdown_note=_note(key, drill.breakdown),
    )
