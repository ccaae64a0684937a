"""`GET /api/search`: pages, KPIs, customers, alerts and risks matching a query, best first.

The seed front end's top bar and execdash's own header both call it; each result carries the
seed's in-app route (`url`) and execdash's page (`href`, null where execdash has no such page).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from execdash.api.auth import Reader
from execdash.api.deps import ReadConn, settings_of
from execdash.api.errors import problem_responses
from execdash.api.onethread import ReadRoute
from execdash.api.search.catalogue import CATALOGUE
from execdash.api.search.rank import Candidate, normalise, rank
from execdash.api.search.records import alert_candidates, customer_candidates, risk_candidates

router = APIRouter(
    route_class=ReadRoute, prefix="/api", tags=["search"], responses=problem_responses(401, 422)
)


class SearchResult(BaseModel):
    """One thing found."""

    id: str = Field(description="Unique: kind and key, e.g. kpi:revenue or customer:42.")
    title: str
    type: str = Field(description="page, kpi, customer, alert or risk.")
    description: str
    category: str
    url: str = Field(description="The seed front end's route, e.g. /finance/kpis/revenue.")
    href: str | None = Field(description="execdash's page, e.g. /kpi/revenue; null if none.")


def _result(c: Candidate) -> SearchResult:
    return SearchResult(
        id=c.id,
        title=c.title,
        type=c.kind,
        description=c.description,
        category=c.category,
        url=c.url,
        href=c.href,
    )


@router.get("/search", response_model=list[SearchResult])
def search(
    request: Request,
    conn: ReadConn,
    _user: Reader,
    q: Annotated[str, Query(min_length=1, max_length=200, description="What to look for.")],
    limit: Annotated[int, Query(ge=1, le=50, description="At most this many results.")] = 10,
) -> list[SearchResult]:
    """Exact title matches first, then prefixes, word prefixes, substrings and keyword matches."""
    if not normalise(q):
        return []
    symbol = settings_of(request).currency_symbol
    found = [
        *CATALOGUE,
        *customer_candidates(conn, q, limit, symbol),
        *alert_candidates(conn, q, limit),
        *risk_candidates(conn, q, limit),
    ]
    return [_result(c) for c in rank(q, found, limit)]
