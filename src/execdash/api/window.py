"""The `range`, `granularity` and `as_of` query parameters every metric endpoint shares."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from fastapi.exceptions import RequestValidationError

from execdash.api.deps import ReadConn
from execdash.metrics.queries import data_months
from execdash.metrics.windows import Granularity, RangeKey, Window, WindowError, resolve_window

AS_OF_PATTERN = r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"


def invalid_parameter(name: str, message: str, location: str = "query") -> RequestValidationError:
    """A 422 naming one bad parameter, in the same shape as FastAPI's own validation errors."""
    return RequestValidationError(
        [{"loc": (location, name), "msg": message, "type": "value_error", "input": None}]
    )


def window_of(
    conn: ReadConn,
    range: Annotated[
        RangeKey, Query(description="3m, 6m, 12m, 24m or ytd (January to the end month).")
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
) -> Window:
    """The reporting window asked for, ending at `as_of` or the latest month with data."""
    first, last = data_months(conn)
    try:
        return resolve_window(range, granularity, as_of, last, first_month=first)
    except WindowError as exc:
        raise invalid_parameter(exc.field, str(exc)) from None


WindowParam = Annotated[Window, Depends(window_of)]
"""The request's reporting window, as an endpoint parameter type."""


def window_slug(window: Window) -> str:
    """`12m-month-2025-08`: the part of a CSV file name that says which window it holds."""
    return f"{window.range_key}-{window.granularity}-{window.as_of}"
