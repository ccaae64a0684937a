"""One overview per domain: KPI tiles plus every series of the domain for the window."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import Response

from execdash.api.auth import Reader
from execdash.api.deps import ReadConn
from execdash.api.errors import problem_responses
from execdash.api.listing import FormatParam, wants_csv
from execdash.api.series_csv import series_csv
from execdash.api.window import WindowParam, window_slug
from execdash.metrics import feedback, finance, ops, products, retention, sales, supply, telemetry
from execdash.metrics.models import (
    DomainOverview,
    FeedbackOverview,
    FinanceOverview,
    OperationsOverview,
    ProductsOverview,
    RetentionOverview,
    SalesOverview,
    SupplyOverview,
    TelemetryOverview,
)
from execdash.metrics.windows import Window

router = APIRouter(prefix="/api/v1", tags=["domains"], responses=problem_responses(401, 422))

CSV_NOTE = " `?format=csv` gives the series side by side, one row per period."


def _serve(
    request: Request,
    fmt: str,
    name: str,
    build: Callable[[sa.Connection, Window], DomainOverview],
    conn: sa.Connection,
    window: Window,
) -> DomainOverview | Response:
    overview = build(conn, window)
    if wants_csv(request, fmt):
        return series_csv(f"{name}-{window_slug(window)}.csv", overview.series)
    return overview


@router.get("/finance", response_model=FinanceOverview, description="Finance." + CSV_NOTE)
def finance_overview(
    request: Request,
    conn: ReadConn,
    _user: Reader,
    window: WindowParam,
    format: FormatParam = "json",
) -> DomainOverview | Response:
    """Revenue, bookings, backlog, margin, MRR/ARR and expenses."""
    return _serve(request, format, "finance", finance.overview, conn, window)


@router.get("/sales", response_model=SalesOverview, description="Sales." + CSV_NOTE)
def sales_overview(
    request: Request,
    conn: ReadConn,
    _user: Reader,
    window: WindowParam,
    format: FormatParam = "json",
) -> DomainOverview | Response:
    """Funnel, conversions, win rate, sales cycle and new customers."""
    return _serve(request, format, "sales", sales.overview, conn, window)


@router.get("/retention", response_model=RetentionOverview, description="Retention." + CSV_NOTE)
def retention_overview(
    request: Request,
    conn: ReadConn,
    _user: Reader,
    window: WindowParam,
    format: FormatParam = "json",
) -> DomainOverview | Response:
    """NRR, churn, expansion and at-risk customers."""
    return _serve(request, format, "retention", retention.overview, conn, window)


@router.get("/operations", response_model=OperationsOverview, description="Ops." + CSV_NOTE)
def operations_overview(
    request: Request,
    conn: ReadConn,
    _user: Reader,
    window: WindowParam,
    format: FormatParam = "json",
) -> DomainOverview | Response:
    """Uptime, MTBF/MTTR, quality, service cost, faults and repurchases."""
    return _serve(request, format, "operations", ops.overview, conn, window)


@router.get("/supply", response_model=SupplyOverview, description="Supply chain." + CSV_NOTE)
def supply_overview(
    request: Request,
    conn: ReadConn,
    _user: Reader,
    window: WindowParam,
    format: FormatParam = "json",
) -> DomainOverview | Response:
    """COGS breakdown, variance, lead time and inventory turns."""
    return _serve(request, format, "supply", supply.overview, conn, window)


@router.get("/telemetry", response_model=TelemetryOverview, description="Telemetry." + CSV_NOTE)
def telemetry_overview(
    request: Request,
    conn: ReadConn,
    _user: Reader,
    window: WindowParam,
    format: FormatParam = "json",
) -> DomainOverview | Response:
    """Utilisation, consumption per cycle and active devices."""
    return _serve(request, format, "telemetry", telemetry.overview, conn, window)


@router.get("/products", response_model=ProductsOverview, description="Products." + CSV_NOTE)
def products_overview(
    request: Request,
    conn: ReadConn,
    _user: Reader,
    window: WindowParam,
    format: FormatParam = "json",
) -> DomainOverview | Response:
    """Top products by revenue over the window, with shares."""
    return _serve(request, format, "products", products.overview, conn, window)


@router.get("/marketing", response_model=FeedbackOverview, description="Marketing." + CSV_NOTE)
def marketing_overview(
    request: Request,
    conn: ReadConn,
    _user: Reader,
    window: WindowParam,
    format: FormatParam = "json",
) -> DomainOverview | Response:
    """Page visits, visit→lead, NPS, CSAT, feedback counts and customer mix."""
    return _serve(request, format, "marketing", feedback.overview, conn, window)
