"""Why numbers moved: a KPI's drivers, the MRR movements, and the written summary of a window."""

from __future__ import annotations

from typing import Annotated, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from execdash.api.auth import Reader
from execdash.api.deps import ReadConn, settings_of
from execdash.api.errors import problem_responses
from execdash.api.listing import FormatParam, csv_response, wants_csv
from execdash.api.onethread import ReadRoute
from execdash.api.routes.alerts import alerts_query
from execdash.api.routes.kpis import unknown_kpi
from execdash.api.routes.risks import risks_query
from execdash.api.window import PLAN_COMPARED, WindowParam, invalid_parameter, window_slug
from execdash.db.schema import alerts, risks
from execdash.insights import drivers as drv
from execdash.insights import mrr
from execdash.insights.models import KpiDrivers, MrrMovements, Summary
from execdash.insights.summary import AlertItem, Inputs, RiskItem, summarise
from execdash.metrics import executive, retention
from execdash.metrics.breakdowns import DIMENSIONS, BreakdownError
from execdash.metrics.comparisons import PLAN
from execdash.metrics.formulas import KPI_KEYS
from execdash.metrics.windows import Window
from execdash.plans.attach import reading_once, with_plan

router = APIRouter(
    route_class=ReadRoute,
    prefix="/api/v1",
    tags=["insights"],
    responses=problem_responses(401, 422),
)
PLAN_COMPARED.add("/api/v1/summary")

Dimension = Literal["customer", "industry", "source", "product"]
SUMMARY_DIMENSIONS = {"revenue": "industry", "gm": "industry", "arr": "customer",
                      "book_to_bill": "source"}  # fmt: skip
"""The dimension the summary explains each KPI by."""
SIGNALS_LIMIT = 500


@router.get(
    "/kpis/{key}/drivers",
    response_model=KpiDrivers,
    responses=problem_responses(404),
    description="The KPI's change against the previous window split into per-slice "
    "contributions that add up to the change (`drivers`), with top movers, new and lost slices "
    "and concentration. `by` defaults to the KPI's first dimension. `?format=csv` gives the "
    "waterfall's bars.",
)
def kpi_drivers(
    key: str,
    request: Request,
    conn: ReadConn,
    _user: Reader,
    window: WindowParam,
    by: Annotated[Dimension | None, Query(description="Dimension to explain by.")] = None,
    top: Annotated[int, Query(ge=1, le=50, description="Slices shown before 'other'.")] = drv.TOP,
    format: FormatParam = "json",
) -> KpiDrivers | Response:
    """Why one KPI moved."""
    if key not in KPI_KEYS:
        raise unknown_kpi(key)
    dimensions = DIMENSIONS.get(key, ())
    if not dimensions:
        raise invalid_parameter(
            "key", f"{key!r} has no breakdown to explain it by; KPIs with drivers: "
            + ", ".join(drv.EXPLAINED), "path",
        )  # fmt: skip
    try:
        result = drv.drivers(conn, window, key, by or dimensions[0], top)
    except BreakdownError as exc:
        raise invalid_parameter(exc.field, str(exc)) from None
    if wants_csv(request, format):
        return csv_response(
            f"drivers-{key}-by-{result.dimension}-{window_slug(window)}.csv",
            ["name", "kind", "status", "previous", "current", "contribution", "mix", "rate"],
            [d.model_dump(include={"name", "kind", "status", "previous", "current",
                                   "contribution", "mix", "rate"}) for d in result.drivers],
        )  # fmt: skip
    return result


@router.get(
    "/retention/mrr-movements",
    response_model=MrrMovements,
    description="Opening MRR, new, reactivation, expansion, contraction, churn and closing MRR "
    "per month of the window and for the window (opening + movements = closing), customers per "
    "movement, ARPA, churn rates, and trailing NRR from the orders next to retention_nrr.",
)
def mrr_movements(conn: ReadConn, _user: Reader, window: WindowParam) -> MrrMovements:
    """MRR/ARR movements."""
    return mrr.movements(conn, window)


def gather(conn: sa.Connection, window: Window, symbol: str) -> Inputs:
    """Everything the written summary reports on for `window`."""
    with reading_once(conn, window):
        kpis = with_plan(conn, window, executive.kpis(conn, window))
    explained = (
        {}  # drivers split a change between periods; the plan has nothing to split by
        if window.comparison == PLAN
        else {
            key: drv.drivers(conn, window, key, dimension)
            for key, dimension in SUMMARY_DIMENSIONS.items()
        }
    )
    open_alerts = conn.execute(
        alerts_query(exclude_closed=True)
        .order_by(alerts.c.created_at.desc().nulls_last(), alerts.c.id.desc())
        .limit(SIGNALS_LIMIT)
    )
    open_risks = conn.execute(
        risks_query()
        .where(sa.func.coalesce(risks.c.status, "open") != "closed")
        .order_by(risks.c.due.asc().nulls_last(), risks.c.id.asc())
        .limit(SIGNALS_LIMIT)
    )
    at_risk, _ = retention.at_risk(conn)
    return Inputs(
        window=window,
        kpis=kpis,
        drivers=explained,
        mrr=mrr.movements(conn, window),
        alerts=[AlertItem(r.id, r.title, r.severity, r.type) for r in open_alerts],
        risks=[RiskItem(r.id, r.title, r.owner, r.due, bool(r.overdue)) for r in open_risks],
        at_risk=at_risk,
        symbol=symbol,
    )


@router.get(
    "/summary",
    response_model=Summary,
    description="A deterministic written summary of the window: what moved, by how much, why "
    "(the largest driver), the MRR bridge, at-risk customers, alerts and risks, and actions. "
    "Every figure in `statements[].parts` links to its page and API answer.",
)
def summary(request: Request, conn: ReadConn, _user: Reader, window: WindowParam) -> Summary:
    """The written summary."""
    return summarise(gather(conn, window, settings_of(request).currency_symbol))
