"""`GET /api/v1/dashboard`: everything the executive overview page shows, in one response."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from execdash.api.auth import Reader
from execdash.api.deps import ReadConn, settings_of
from execdash.api.errors import problem_responses
from execdash.api.fields import UtcDateTime
from execdash.api.listing import FormatParam, wants_csv
from execdash.api.onethread import ReadRoute
from execdash.api.partcache import part
from execdash.api.reads import PLANS, tables_for
from execdash.api.routes.alerts import Alert, alerts_query
from execdash.api.routes.risks import Risk, risks_query
from execdash.api.series_csv import series_csv
from execdash.api.window import PLAN_COMPARED, WindowParam, window_slug
from execdash.db.changes import data_version, last_data_update
from execdash.db.schema import alerts, risks
from execdash.metrics import executive, finance, retention
from execdash.metrics.drilldown import DRAWN_COMPARISONS
from execdash.metrics.models import AtRiskCustomer, DataQualityWarning, Kpi, Series, Timeframe
from execdash.metrics.windows import Window
from execdash.plans.attach import plan_lines, reading_once, with_plan

READS = tables_for("/api/v1/dashboard")
PLANNED = executive.SOURCE_TABLES | PLANS
"""What the overview's KPIs, trend and plan lines read: not the alerts, risks or at-risk list,
so acknowledging an alert leaves them computed (`api.partcache`)."""

router = APIRouter(
    route_class=ReadRoute,
    prefix="/api/v1",
    tags=["dashboard"],
    responses=problem_responses(401, 422),
)
PLAN_COMPARED.update({"/api/v1/dashboard"})

NEWEST = 6
TOP_AT_RISK = 10


class Dashboard(BaseModel):
    """The overview: KPIs, revenue trend, what to act on, and how fresh the data are."""

    timeframe: Timeframe
    currency: str = Field(description="ISO 4217 code all amounts are in.")
    currency_symbol: str = Field(description="How to show it, e.g. £.")
    kpis: list[Kpi] = Field(description="The ten executive KPIs in display order.")
    revenue_trend: list[Series] = Field(description="recognized, booked, backlog series.")
    alerts: list[Alert] = Field(description="Newest alerts that are not closed (at most 6).")
    alerts_total: int = Field(description="How many alerts are not closed (listed: the newest).")
    risks: list[Risk] = Field(description="Risks not closed, soonest due first (at most 6).")
    risks_total: int = Field(description="How many risks are not closed.")
    at_risk: list[AtRiskCustomer] = Field(description="Top 10 customers by expected loss.")
    at_risk_total: int = Field(description="How many customers are flagged at risk.")
    comparison_lines: list[Series] = Field(
        default_factory=list,
        description="With compare=last_year: recognized, booked and backlog over the same periods "
        "a year earlier, point i matching revenue_trend's point i; empty otherwise.",
    )
    plan_lines: list[Series] = Field(
        default_factory=list,
        description="The active plan per period (key plan_recognized, plan_backlog, …); empty "
        "without an active plan.",
    )
    warnings: list[DataQualityWarning] = Field(description="Data-quality warnings.")
    last_data_update: UtcDateTime | None = Field(
        description="When a table the overview reads last changed, by any program (UTC)."
    )
    data_version: int = Field(
        description="Grows with every write to a table the overview reads; the ETag's basis."
    )


def count_rows(conn: sa.Connection, query: sa.Select[Any]) -> int:
    """How many rows `query` gives (a list's total when only its first few are sent)."""
    return int(conn.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one())


def open_alerts() -> sa.Select[Any]:
    """Alerts that are still open or acknowledged."""
    return alerts_query(exclude_closed=True)


def unclosed_risks() -> sa.Select[Any]:
    """Risks that are not closed."""
    return risks_query().where(sa.func.coalesce(risks.c.status, "open") != "closed")


def newest_alerts(conn: sa.Connection, limit: int = NEWEST) -> list[Alert]:
    """The newest alerts that are still open or acknowledged."""
    rows = conn.execute(
        open_alerts()
        .order_by(alerts.c.created_at.desc().nulls_last(), alerts.c.id.desc())
        .limit(limit)
    )
    return [Alert.model_validate(dict(r._mapping)) for r in rows]


def open_risks(conn: sa.Connection, limit: int = NEWEST) -> list[Risk]:
    """Risks that are not closed, soonest due first (no due date last)."""
    rows = conn.execute(
        unclosed_risks().order_by(risks.c.due.asc().nulls_last(), risks.c.id.asc()).limit(limit)
    )
    return [Risk.model_validate(dict(r._mapping)) for r in rows]


def window_kpis(request: Request, conn: sa.Connection, window: Window) -> list[Kpi]:
    """The ten KPIs of `window`, computed once per version of their tables and shared by every
    answer showing them (the overview, the seed system's dashboard)."""
    return part(
        request, "kpis", executive.SOURCE_TABLES, window, lambda: executive.kpis(conn, window)
    )


Overview = tuple[list[Kpi], list[Series], list[Series], list[Series]]


def _planned_overview(conn: sa.Connection, window: Window) -> Overview:
    """The overview's KPIs against the plan (one read of the facts for both), its revenue
    trend, its plan lines and the trend it is compared with when that is drawn."""
    with reading_once(conn, window):
        kpis = with_plan(conn, window, executive.kpis(conn, window))
        lines = plan_lines(conn, window, frozenset({"recognized", "backlog"}))
    compared = (
        finance.revenue_trend(conn, window.previous())
        if window.comparison in DRAWN_COMPARISONS
        else []
    )
    return kpis, finance.revenue_trend(conn, window), lines, compared


@router.get(
    "/dashboard",
    response_model=Dashboard,
    description="The overview for one window. `?format=csv` gives the revenue trend.",
)
def dashboard(
    request: Request,
    conn: ReadConn,
    _user: Reader,
    window: WindowParam,
    format: FormatParam = "json",
) -> Dashboard | Response:
    """The executive overview for one window."""
    if wants_csv(request, format):
        trend = finance.revenue_trend(conn, window)
        return series_csv(f"revenue-trend-{window_slug(window)}.csv", trend)
    settings = settings_of(request)
    kpis, trend, lines, compared = part(
        request, "overview", PLANNED, window, lambda: _planned_overview(conn, window)
    )
    at_risk, at_risk_warnings = retention.at_risk(conn)
    warnings = {(w.table, w.column, w.period, w.value): w for k in kpis for w in k.warnings}
    for w in at_risk_warnings:
        warnings[(w.table, w.column, w.period, w.value)] = w
    return Dashboard(
        timeframe=Timeframe.of(window),
        currency=settings.currency,
        currency_symbol=settings.currency_symbol,
        kpis=kpis,
        revenue_trend=trend,
        plan_lines=lines,
        comparison_lines=compared,
        alerts=newest_alerts(conn),
        alerts_total=count_rows(conn, open_alerts()),
        risks=open_risks(conn),
        risks_total=count_rows(conn, unclosed_risks()),
        at_risk=at_risk[:TOP_AT_RISK],
        at_risk_total=len(at_risk),
        warnings=list(warnings.values()),
        last_data_update=last_data_update(conn, READS),
        data_version=data_version(conn, READS),
    )
