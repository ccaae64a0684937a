"""The ten executive KPIs, and one KPI's drill-down: series plus an optional breakdown."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from execdash.api.auth import Reader
from execdash.api.deps import ReadConn
from execdash.api.errors import problem_responses
from execdash.api.listing import FormatParam, wants_csv
from execdash.api.onethread import ReadRoute
from execdash.api.series_csv import breakdown_csv, series_csv
from execdash.api.window import PLAN_COMPARED, WindowParam, invalid_parameter, window_slug
from execdash.metrics import drilldown, executive
from execdash.metrics.formulas import KPI_KEYS
from execdash.metrics.models import Kpi, KpiDrilldown, Timeframe
from execdash.plans.attach import reading_once, with_drill_plan, with_plan

router = APIRouter(route_class=ReadRoute, prefix="/api/v1/kpis", tags=["kpis"])
PLAN_COMPARED.update({"/api/v1/kpis", "/api/v1/kpis/{key}"})

Dimension = Literal["customer", "industry", "source", "product"]


class KpiList(BaseModel):
    """The ten executive KPIs on one window."""

    timeframe: Timeframe
    kpis: list[Kpi]


def unknown_kpi(key: str) -> HTTPException:
    """A 404 listing the KPI keys that exist."""
    return HTTPException(404, f"No KPI {key!r}; valid keys: {', '.join(KPI_KEYS)}.")


@router.get("", response_model=KpiList, responses=problem_responses(401, 422))
def list_kpis(conn: ReadConn, _user: Reader, window: WindowParam) -> KpiList:
    """The ten executive KPIs with deltas, favourability and provenance."""
    with reading_once(conn, window):
        kpis = with_plan(conn, window, executive.kpis(conn, window))
    return KpiList(timeframe=Timeframe.of(window), kpis=kpis)


@router.get(
    "/{key}",
    response_model=KpiDrilldown,
    responses=problem_responses(401, 404, 422),
    description="One KPI per period and, with `by`, split by customer, industry, source or "
    "product where the KPI allows it (`dimensions` lists which). `?format=csv` gives the series, "
    "or the breakdown when `by` is given.",
)
def kpi_drilldown(
    key: str,
    request: Request,
    conn: ReadConn,
    _user: Reader,
    window: WindowParam,
    by: Annotated[Dimension | None, Query(description="Breakdown dimension.")] = None,
    format: FormatParam = "json",
) -> KpiDrilldown | Response:
    """A KPI's drill-down."""
    if key not in KPI_KEYS:
        raise unknown_kpi(key)
    try:
        with reading_once(conn, window):
            result = with_drill_plan(conn, window, drilldown.drilldown(conn, window, key, by))
    except drilldown.DrilldownError as exc:
        raise invalid_parameter(exc.field, str(exc)) from None
    if wants_csv(request, format):
        slug = f"kpi-{key}-{window_slug(window)}"
        if result.breakdown is not None:
            return breakdown_csv(f"{slug}-by-{by}.csv", result.breakdown)
        return series_csv(f"{slug}.csv", [result.series])
    return result
