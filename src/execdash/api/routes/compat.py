"""The seed project's documented endpoints, served exactly so its front end works unchanged.

Values are the metrics engine's (rates 0–1, `delta` a fraction); `unit` is the seed's text: the
currency symbol (e.g. "£"), "mo" for months, "ratio" for ratios.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, BeforeValidator

from execdash.api.auth import Reader
from execdash.api.deps import ReadConn, settings_of
from execdash.api.errors import problem_responses
from execdash.api.fields import UtcDateTime
from execdash.api.listing import FormatParam, csv_response, wants_csv
from execdash.api.onethread import ReadRoute
from execdash.api.routes.dashboard import newest_alerts, window_kpis
from execdash.api.routes.kpis import unknown_kpi
from execdash.api.window import WindowParam, window_slug
from execdash.db.schema import risks
from execdash.metrics import drilldown, finance, ops, retention
from execdash.metrics.formulas import KPI_KEYS
from execdash.metrics.models import Kpi, seed_unit
from execdash.metrics.windows import Window

router = APIRouter(
    route_class=ReadRoute, prefix="/api", tags=["compat"], responses=problem_responses(401, 422)
)


class CompatTimeframe(BaseModel):
    """The window as the seed describes it."""

    range: str
    start_date: dt.date
    end_date: dt.date
    granularity: str


class CompatKpi(BaseModel):
    """One executive KPI in the seed's shape."""

    key: str
    label: str
    value: float | None
    unit: str
    delta: float | None
    direction: str


class CompatTrendPoint(BaseModel):
    """One period of the revenue trend."""

    period: str
    recognized: float | None
    booked: float | None
    backlog: float | None


SEVERITIES = ("low", "medium", "high")


def _known_severity(value: str | None) -> str:
    """One of the three severities that front end can draw (it crashes on any other value):
    `low` for an alert stored without one (the seed's CHECK allows NULL), `high` for a word it
    does not know, so such an alert is looked at rather than played down."""
    word = (value or "").strip().lower()
    if not word:
        return "low"
    return word if word in SEVERITIES else "high"


class CompatAlert(BaseModel):
    """An alert in the seed's shape."""

    id: int
    type: str
    title: str
    description: str | None
    severity: Annotated[Literal["low", "medium", "high"], BeforeValidator(_known_severity)]
    created_at: UtcDateTime | None


class CompatRisk(BaseModel):
    """A risk in the seed's shape."""

    id: int
    title: str
    owner: str | None
    due: dt.date | None
    mitigation: str | None
    status: str | None


class ExecutiveDashboard(BaseModel):
    """`GET /api/executive-dashboard` exactly as the seed documents it."""

    timeframe: CompatTimeframe
    executiveKpis: list[CompatKpi]
    revenueTrend: list[CompatTrendPoint]
    alerts: list[CompatAlert]
    risks: list[CompatRisk]


class CompatPoint(BaseModel):
    """One period of a KPI series."""

    period: str
    value: float | None


class CompatKpiDetail(CompatKpi):
    """`GET /api/kpis/{key}`: the KPI, its window and its series."""

    timeframe: CompatTimeframe
    series: list[CompatPoint]


class UptimePoint(BaseModel):
    """One period of uptime (0–1)."""

    period: str
    uptime: float | None


class CompatUptime(BaseModel):
    """`GET /api/operations/uptime`: day-weighted mean uptime and its series."""

    timeframe: CompatTimeframe
    value: float | None
    unit: str
    delta: float | None
    direction: str
    series: list[UptimePoint]


class CompatAtRisk(BaseModel):
    """An at-risk customer; the list is sorted by expected loss (mrr × risk)."""

    id: int
    customer: str
    mrr: float
    risk: float
    reason: str | None
    expected_loss: float


def _timeframe(window: Window) -> CompatTimeframe:
    return CompatTimeframe(
        range=window.range_key,
        start_date=window.start_date,
        end_date=window.end_date,
        granularity=window.granularity,
    )


def _kpi(kpi: Kpi, symbol: str) -> CompatKpi:
    return CompatKpi(
        key=kpi.key,
        label=kpi.label,
        value=kpi.value,
        unit=seed_unit(kpi.unit, symbol),
        delta=kpi.delta,
        direction=kpi.direction,
    )


def newest_risks(conn: sa.Connection, limit: int = 6) -> list[CompatRisk]:
    """The most recently created risks (highest id first)."""
    rows = conn.execute(sa.select(risks).order_by(risks.c.id.desc()).limit(limit))
    return [CompatRisk.model_validate(dict(r._mapping)) for r in rows]


@router.get(
    "/executive-dashboard",
    response_model=ExecutiveDashboard,
    description="`?format=csv` gives the revenue trend.",
)
def executive_dashboard(
    request: Request,
    conn: ReadConn,
    _user: Reader,
    window: WindowParam,
    format: FormatParam = "json",
) -> ExecutiveDashboard | Response:
    """The seed's dashboard payload: ten KPIs, revenue trend, newest alerts and risks."""
    recognized, booked, backlog = finance.revenue_trend(conn, window)
    trend = [
        CompatTrendPoint(period=r.period, recognized=r.value, booked=b.value, backlog=k.value)
        for r, b, k in zip(recognized.points, booked.points, backlog.points, strict=True)
    ]
    if wants_csv(request, format):
        return csv_response(
            f"revenue-trend-{window_slug(window)}.csv",
            ["period", "recognized", "booked", "backlog"],
            [p.model_dump() for p in trend],
        )
    symbol = settings_of(request).currency_symbol
    return ExecutiveDashboard(
        timeframe=_timeframe(window),
        executiveKpis=[_kpi(k, symbol) for k in window_kpis(request, conn, window)],
        revenueTrend=trend,
        alerts=[CompatAlert.model_validate(a.model_dump()) for a in newest_alerts(conn)],
        risks=newest_risks(conn),
    )


@router.get(
    "/kpis/{key}",
    response_model=CompatKpiDetail,
    responses=problem_responses(404),
    description="`?format=csv` gives the series.",
)
def compat_kpi(
    key: str,
    request: Request,
    conn: ReadConn,
    _user: Reader,
    window: WindowParam,
    format: FormatParam = "json",
) -> CompatKpiDetail | Response:
    """One executive KPI with its series at the chosen granularity."""
    if key not in KPI_KEYS:
        raise unknown_kpi(key)
    drill = drilldown.drilldown(conn, window, key)
    points = [CompatPoint(period=p.period, value=p.value) for p in drill.series.points]
    if wants_csv(request, format):
        return csv_response(
            f"kpi-{key}-{window_slug(window)}.csv",
            ["period", "value"],
            [p.model_dump() for p in points],
        )
    base = _kpi(drill.kpi, settings_of(request).currency_symbol)
    return CompatKpiDetail(**base.model_dump(), timeframe=_timeframe(window), series=points)


@router.get(
    "/operations/uptime", response_model=CompatUptime, description="`?format=csv`: the series."
)
def compat_uptime(
    request: Request,
    conn: ReadConn,
    _user: Reader,
    window: WindowParam,
    format: FormatParam = "json",
) -> CompatUptime | Response:
    """Uptime over the window (day-weighted mean, 0–1) and per period."""
    overview = ops.overview(conn, window)
    series = next(s for s in overview.series if s.key == "uptime")
    tile = next(k for k in overview.kpis if k.key == "uptime")
    points = [UptimePoint(period=p.period, uptime=p.value) for p in series.points]
    if wants_csv(request, format):
        return csv_response(
            f"uptime-{window_slug(window)}.csv",
            ["period", "uptime"],
            [p.model_dump() for p in points],
        )
    return CompatUptime(
        timeframe=_timeframe(window),
        value=tile.value,
        unit="ratio",
        delta=tile.delta,
        direction=tile.direction,
        series=points,
    )


@router.get(
    "/customers/at-risk",
    response_model=list[CompatAtRisk],
    description="Sorted by expected loss; `?format=csv` for a download.",
)
def compat_at_risk(
    request: Request,
    conn: ReadConn,
    _user: Reader,
    window: WindowParam,
    format: FormatParam = "json",
) -> list[CompatAtRisk] | Response:
    """Every at-risk customer, largest expected loss (mrr × risk) first."""
    del window  # accepted for the seed contract; the at-risk table is an undated snapshot
    customers, _ = retention.at_risk(conn)
    rows = [CompatAtRisk.model_validate(c.model_dump()) for c in customers]
    if wants_csv(request, format):
        return csv_response(
            "customers-at-risk.csv",
            ["id", "customer", "mrr", "risk", "reason", "expected_loss"],
            [r.model_dump() for r in rows],
        )
    return rows
