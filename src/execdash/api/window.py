"""The `range`, `granularity`, `as_of` and `compare` query parameters every metric endpoint
shares; the fiscal year's start month comes from the settings (`EXECDASH_FISCAL_YEAR_START`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError

from execdash.api.deps import ReadConn
from execdash.metrics.comparisons import COMPARISONS, DEFAULT_COMPARISON, PLAN
from execdash.metrics.queries import data_months
from execdash.metrics.windows import Granularity, RangeKey, Window, WindowError, resolve_window
from execdash.plans.store import active_plan

AS_OF_PATTERN = r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"


def invalid_parameter(name: str, message: str, location: str = "query") -> RequestValidationError:
    """A 422 naming one bad parameter, in the same shape as FastAPI's own validation errors."""
    return RequestValidationError(
        [{"loc": (location, name), "msg": message, "type": "value_error", "input": None}]
    )


def fiscal_start_of(request: Request) -> int:
    """The installation's fiscal year start month (1 when the app has no settings)."""
    settings = getattr(request.app.state, "settings", None)
    return int(getattr(settings, "fiscal_year_start", 1))


PLAN_COMPARED: set[str] = set()
"""Route paths whose answers can measure changes against the plan (each route adds its own)."""


def _compare_help() -> str:
    options = "; ".join(f"{c.key}: {c.against}" for c in COMPARISONS.values())
    return (
        f"What every change and previous value is measured against — {options}. `plan` needs "
        "an active plan (409 otherwise) and is offered by the dashboard, the KPI list, the KPI "
        "drill-downs, the domain overviews and the summary."
    )


def check_plan_compare(request: Request, conn: sa.Connection) -> None:
    """Refuse `compare=plan` rather than fall back to another comparison: 422 where the route
    does not offer it (its spec does not list it either), 409 while no plan is active (a valid
    request the installation's state cannot answer yet)."""
    path = getattr(request.scope.get("route"), "path", request.url.path)
    if path not in PLAN_COMPARED:
        raise invalid_parameter(
            "compare",
            f"compare=plan is not offered by {path}: use previous or last_year (plan is offered "
            "by the dashboard, the KPI list and drill-downs, and the domain overviews).",
        )
    if active_plan(conn) is None:
        raise HTTPException(
            409,
            "compare=plan needs an active plan and none is active: activate one on the Plans "
            "page or with `execdash plan activate`, or compare with previous or last_year.",
        )


@dataclass(frozen=True, slots=True)
class WindowAsk:
    """The window a request asks for, as its query parameters say (validated, not yet resolved:
    resolving reads the data's months, so it runs with the answer's connection)."""

    range: RangeKey
    granularity: Granularity
    as_of: str | None
    compare: str


async def window_ask(
    range: Annotated[
        RangeKey,
        Query(description="3m, 6m, 12m, 24m or ytd (the fiscal year's first month to the end)."),
    ] = "12m",
    granularity: Annotated[Granularity, Query(description="month or quarter periods.")] = "month",
    as_of: Annotated[
        str | None,
        Query(
            pattern=AS_OF_PATTERN,
            description="End month YYYY-MM; default: the latest month with revenue data.",
            examples=["2025-08"],
        ),
    ] = None,
    compare: Annotated[
        str,
        Query(
            description=_compare_help(),
            examples=list(COMPARISONS),
            json_schema_extra={"enum": list(COMPARISONS)},
        ),
    ] = DEFAULT_COMPARISON,
) -> WindowAsk:
    """The window's query parameters (async: pure, so FastAPI runs it on the loop, no thread)."""
    return WindowAsk(range, granularity, as_of, compare)


WindowAskParam = Annotated[WindowAsk, Depends(window_ask)]
"""The window's query parameters, as a dependency that reads nothing."""


def window_for(request: Request, conn: sa.Connection, ask: WindowAsk) -> Window:
    """The reporting window asked for, ending at `as_of` or the latest month with data."""
    if ask.compare == PLAN:
        check_plan_compare(request, conn)
    first, last = data_months(conn)
    try:
        return resolve_window(
            ask.range,
            ask.granularity,
            ask.as_of,
            last,
            first_month=first,
            fiscal_start=fiscal_start_of(request),
            compare=ask.compare,
        )
    except WindowError as exc:
        raise invalid_parameter(exc.field, str(exc)) from None


def window_of(request: Request, conn: ReadConn, ask: WindowAskParam) -> Window:
    """The reporting window of a request; `api.onethread` resolves it in the endpoint's thread
    instead, so this runs only for an endpoint that is not wrapped."""
    return window_for(request, conn, ask)


WindowParam = Annotated[Window, Depends(window_of)]
"""The request's reporting window, as an endpoint parameter type."""


def window_slug(window: Window) -> str:
    """`12m-month-2025-08`: the part of a CSV file name that says which window it holds (with
    `-vs-last_year` when the changes are not against the previous period)."""
    slug = f"{window.range_key}-{window.granularity}-{window.as_of}"
    return slug if window.comparison == DEFAULT_COMPARISON else f"{slug}-vs-{window.comparison}"
