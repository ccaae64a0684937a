"""The seed front end's Marketing page: `/api/marketing/overview` and `/api/marketing/kpis/{key}`.

NPS is sent on the usual −100…100 scale and the overview's visit→lead conversion in percent, as
that page prints them without scaling; both are the metrics engine's ratios × 100. The
conversion drill-down gets the 0–1 ratio: its chart multiplies values up to 2 by 100, so a
conversion under 2 % sent in percent would show as a hundred times too big.
"""

from __future__ import annotations

from typing import Annotated, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Query
from pydantic import BaseModel

from execdash.api.auth import Reader
from execdash.api.deps import ReadConn
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
    partial_periods,
    rows,
    seed_kpi,
    timeframe,
    unknown_key,
)
from execdash.api.window import WindowParam
from execdash.metrics import feedback, sales
from execdash.metrics.models import Series
from execdash.metrics.windows import Window

router = APIRouter(
    route_class=ReadRoute,
    prefix="/api/marketing",
    tags=["seed"],
    responses=problem_responses(401, 422),
)

MARKETING_KEYS = ("visits", "leads", "mql", "sql", "nps", "csat", "conversion")
# seed key -> (engine key, scale, unit)
SOURCES: dict[str, tuple[str, float, str]] = {
    "visits": ("page_visits", 1.0, ""),
    "leads": ("leads", 1.0, ""),
    "mql": ("mql", 1.0, ""),
    "sql": ("sql", 1.0, ""),
    "nps": ("nps", 100.0, ""),
    "csat": ("csat", 1.0, ""),
    "conversion": ("visit_to_lead", 100.0, "%"),
}
MarketingBy = Literal["page", "source", "bucket"]


class MarketingOverviewBody(BaseModel):
    """`GET /api/marketing/overview`: seven cards, visit and funnel trends, customer source mix."""

    timeframe: CompatTimeframe
    kpis: list[SeedKpi]
    visitsTrend: list[SeriesRow]
    funnelTrend: list[SeriesRow]
    npsTrend: list[SeriesRow]
    csatTrend: list[SeriesRow]
    breakdown: list[SeedRow]
    partial_periods: list[str]


def _all_series(conn: sa.Connection, window: Window) -> tuple[dict[str, Series], list[SeedKpi]]:
    """Every marketing series and card under its seed key, from the two engine overviews."""
    found = feedback.overview(conn, window)
    funnel = sales.overview(conn, window)
    tiles = by_key([*found.kpis, *funnel.kpis])
    series = {s.key: s for s in [*found.series, *funnel.series]}
    cards = [
        seed_kpi(tiles[engine], "", key=key, unit=unit, scale=scale)
        for key, (engine, scale, unit) in SOURCES.items()
    ]
    return {key: series[engine] for key, (engine, _, _) in SOURCES.items()}, cards


@router.get("/overview", response_model=MarketingOverviewBody)
def marketing_overview(conn: ReadConn, _user: Reader, window: WindowParam) -> MarketingOverviewBody:
    """Visits, the lead funnel, NPS, CSAT, conversion and customers by source."""
    series, cards = _all_series(conn, window)
    mix = feedback.customer_mix(conn, "source", window)
    return MarketingOverviewBody(
        timeframe=timeframe(window),
        kpis=cards,
        visitsTrend=rows(("visits", series["visits"])),
        funnelTrend=rows(
            ("leads", series["leads"]), ("mql", series["mql"]), ("sql", series["sql"])
        ),
        npsTrend=rows(("nps", series["nps"]), scale=100.0),
        csatTrend=rows(("csat", series["csat"])),
        breakdown=breakdown_rows(mix, counts=True),
        partial_periods=partial_periods(series["visits"]),
    )


def _breakdown(conn: sa.Connection, window: Window, key: str, by: str) -> tuple[list[SeedRow], str]:
    if by == "page":
        found = feedback.visits_by_page(conn, window)
        return breakdown_rows(found, counts=True), "Page visits in the window by page."
    if by == "source":
        found = feedback.customer_mix(conn, "source", window)
        return breakdown_rows(found, counts=True), "Customers by source (all created by the end)."
    if key in ("nps", "csat"):
        found = feedback.score_buckets(conn, key, window)
        what = "detractors, passives and promoters" if key == "nps" else "score"
        return breakdown_rows(found, counts=True), f"{key.upper()} responses by {what}."
    return [], "Buckets exist for NPS and CSAT responses only; choose page or source."


@router.get("/kpis/{key}", response_model=SeedDrilldown, responses=problem_responses(404))
def marketing_kpi(
    key: str,
    conn: ReadConn,
    _user: Reader,
    window: WindowParam,
    by: Annotated[MarketingBy, Query(description="Breakdown dimension.")] = "source",
) -> SeedDrilldown:
    """One marketing KPI per period and a breakdown by page, customer source or score bucket."""
    if key not in MARKETING_KEYS:
        raise unknown_key("Marketing", key, MARKETING_KEYS)
    series, _ = _all_series(conn, window)
    _, scale, unit = SOURCES[key]
    if unit == "%":
        scale = 1.0  # the drill-down chart scales 0–1 ratios itself (see the module docstring)
    found, note = _breakdown(conn, window, key, by)
    return SeedDrilldown(
        timeframe=timeframe(window),
        metric=key,
        series=rows((key, series[key]), scale=scale),
        breakdown=found,
        unit=unit,
        partial_periods=partial_periods(series[key]),
        breakdown_note=note,
    )
