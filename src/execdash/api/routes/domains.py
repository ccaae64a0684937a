"""One overview per domain: KPI tiles plus every series of the domain for the window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import Response

from execdash.api.auth import Reader
from execdash.api.deps import ReadConn
from execdash.api.errors import problem_responses
from execdash.api.listing import FormatParam, wants_csv
from execdash.api.onethread import ReadRoute
from execdash.api.reads import tables_for
from execdash.api.series_csv import series_csv
from execdash.api.window import PLAN_COMPARED, WindowParam, window_slug
from execdash.db.changes import last_data_update
from execdash.metrics import feedback, finance, ops, products, retention, sales, supply, telemetry
from execdash.metrics.comparisons import PLAN
from execdash.metrics.drilldown import DRAWN_COMPARISONS
from execdash.metrics.models import (
    DomainOverview,
    FeedbackOverview,
    FinanceOverview,
    OperationsOverview,
    ProductsOverview,
    RetentionOverview,
    SalesOverview,
    Series,
    SupplyOverview,
    TelemetryOverview,
)
from execdash.metrics.windows import Window
from execdash.plans.attach import COMPARED, plan_lines, reading_once, with_plan

router = APIRouter(
    route_class=ReadRoute, prefix="/api/v1", tags=["domains"], responses=problem_responses(401, 422)
)

CSV_NOTE = " `?format=csv` gives the series side by side, one row per period."

Overview = Callable[[sa.Connection, Window], DomainOverview]


# path, response model, metric function, what the overview holds
DOMAINS: tuple[tuple[str, type[DomainOverview], Overview, str], ...] = (
    ("finance", FinanceOverview, finance.overview,
     "Revenue, bookings, backlog, margin, MRR/ARR and expenses."),
    ("sales", SalesOverview, sales.overview,
     "Funnel, conversions, win rate, sales cycle and new customers."),
    ("retention", RetentionOverview, retention.overview,
     "NRR, churn, expansion and at-risk customers."),
    ("operations", OperationsOverview, ops.overview,
     "Uptime, MTBF/MTTR, quality, service cost, faults and repurchases."),
    ("supply", SupplyOverview, supply.overview,
     "COGS breakdown, variance, lead time and inventory turns."),
    ("telemetry", TelemetryOverview, telemetry.overview,
     "Utilisation, consumption per cycle and active devices."),
    ("products", ProductsOverview, products.overview,
     "Top products by revenue over the window, with shares."),
    ("marketing", FeedbackOverview, feedback.overview,
     "Page visits, visit-to-lead conversion, NPS, CSAT, feedback counts and customer mix."),
)  # fmt: skip


COMPARING = frozenset({"finance", "retention", "operations"})
"""The domains showing a KPI the active plan is compared on (their facts are read once for both)."""


LAST_YEAR = "last_year_"
"""Key prefix of a series' same periods a year earlier (drawn dashed beside it on the page)."""


def last_year_lines(overview: DomainOverview, earlier: DomainOverview) -> list[Series]:
    """The series of `earlier` (the overview of the window a year before) that the overview
    draws, keyed `last_year_<key>`: period i of each is period i of the window, a year back."""
    drawn = {s.key for s in overview.series if not s.key.startswith("plan_")}
    shown = [s for s in earlier.series if s.key in drawn]
    return [s.model_copy(update={"key": f"{LAST_YEAR}{s.key}"}) for s in shown]


def _overview_endpoint(name: str, build: Overview) -> Callable[..., DomainOverview | Response]:
    """The GET handler for one domain: the overview as JSON, or its series as CSV."""

    def endpoint(
        request: Request,
        conn: ReadConn,
        _user: Reader,
        window: WindowParam,
        format: FormatParam = "json",
    ) -> DomainOverview | Response:
        with reading_once(conn, window, compared=name in COMPARING):
            overview = build(conn, window)
            if window.comparison == PLAN or any(k.key in COMPARED for k in overview.kpis):
                keys = frozenset(s.key for s in overview.series)
                overview = overview.model_copy(
                    update={
                        "kpis": with_plan(conn, window, overview.kpis),
                        "series": [*overview.series, *plan_lines(conn, window, keys)],
                    }
                )
        if wants_csv(request, format):
            return series_csv(f"{name}-{window_slug(window)}.csv", overview.series)
        if window.comparison in DRAWN_COMPARISONS:
            earlier = build(conn, window.previous())
            overview = overview.model_copy(
                update={"series": [*overview.series, *last_year_lines(overview, earlier)]}
            )
        changed = last_data_update(conn, tables_for(f"/api/v1/{name}"))
        if changed is not None and changed.tzinfo is None:
            changed = changed.replace(tzinfo=dt.UTC)
        return overview.model_copy(update={"last_data_update": changed})

    return endpoint


for _name, _model, _build, _summary in DOMAINS:
    PLAN_COMPARED.add(f"/api/v1/{_name}")
    router.add_api_route(
        f"/{_name}",
        _overview_endpoint(_name, _build),
        methods=["GET"],
        response_model=_model,
        name=f"{_name}_overview",
        summary=f"{_name.capitalize()} overview",
        description=_summary + CSV_NOTE,
    )
