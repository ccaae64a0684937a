"""A metric's expected band per month, drawn on its chart (docs/metrics.md, "Expected band")."""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel

from execdash.alerts import bands
from execdash.alerts.anomaly import ADDITIVE_UNITS
from execdash.alerts.catalog import METRICS
from execdash.api.auth import Reader
from execdash.api.deps import ReadConn
from execdash.api.errors import problem_responses
from execdash.api.onethread import ReadRoute
from execdash.api.window import WindowParam, invalid_parameter
from execdash.metrics.models import Timeframe

router = APIRouter(route_class=ReadRoute, prefix="/api/v1/bands", tags=["alert rules"])


class BandPoint(BaseModel):
    """One month: its value and the band (null while there is under 18 months of history)."""

    period: str
    value: float | None
    expected: float | None
    lower: float | None
    upper: float | None
    outside: bool


class MetricBand(BaseModel):
    """A metric's expected band over the window's months."""

    metric: str
    label: str
    unit: str
    timeframe: Timeframe
    sensitivity: float
    method: str
    """`ratio` (last year × typical growth) or `difference` (last year + typical change)."""
    points: list[BandPoint]


@router.get(
    "/{metric}",
    response_model=MetricBand,
    responses=problem_responses(401, 404, 422),
    description="Per month of the window (always by month): the value, the expected value "
    "(same month a year earlier × the typical year-over-year change of the 12 months before) "
    "and the band expected ± sensitivity × 1.4826 × MAD. Sensitivity defaults to the metric's "
    "anomaly rule, else 3.",
)
def metric_band(
    metric: str,
    conn: ReadConn,
    _user: Reader,
    window: WindowParam,
    sensitivity: Annotated[
        float | None, Query(ge=1, le=10, description="Robust standard deviations.")
    ] = None,
) -> MetricBand:
    """A metric's expected band."""
    found = METRICS.get(metric)
    if found is None:
        raise HTTPException(
            404, f"No metric {metric!r}; GET /api/v1/alert-rules/metrics lists them."
        )
    if window.granularity != "month":
        raise invalid_parameter("granularity", "the expected band is per month: use month")
    k, points = bands.metric_band(conn, metric, window, sensitivity)
    return MetricBand(
        metric=metric,
        label=found.label,
        unit=found.unit,
        timeframe=Timeframe.of(window),
        sensitivity=k,
        method="difference" if found.unit in ADDITIVE_UNITS else "ratio",
        points=[BandPoint(**dataclasses.asdict(p)) for p in points],
    )
