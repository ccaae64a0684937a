"""A driver answer from its condensed parts, however they were computed (in Python from every
slice, `insights.drivers`, or in SQL, `insights.driver_sql`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from execdash.insights import decompose as d
from execdash.insights.models import Concentration, Driver, KpiDrivers, SliceSet
from execdash.metrics.breakdowns import DIMENSIONS
from execdash.metrics.formulas import KPI_DEFS
from execdash.metrics.models import Timeframe
from execdash.metrics.windows import Window

Method = Literal["sum", "mix_rate", "none"]

EXPLANATIONS = {
    "sum": "Each slice contributes its own change; Unattributed is the part of the tile's "
    "change that no slice's detail rows explain.",
    "mix_rate": "Each slice contributes (its numerator ÷ the total denominator, now − before) − "
    "mean ratio × (its share of the denominator, now − before): a rate part (its own ratio "
    "moved) and a mix part (its weight moved, above or below the average). The parts add up to "
    "the change.",
}


@dataclass(frozen=True, slots=True)
class Condensed:
    """What a driver answer shows of a decomposition: the waterfall's bars, the three largest
    movers each way, the slices new and lost, the concentration and how many slices moved."""

    drivers: list[d.Contribution]
    top_up: list[d.Contribution]
    top_down: list[d.Contribution]
    new: SliceSet
    lost: SliceSet
    concentration: Concentration
    slices: int


def _driver(c: d.Contribution) -> Driver:
    return Driver(
        name=c.name,
        kind=c.kind,
        previous=c.previous,
        current=c.current,
        contribution=c.contribution,
        status=c.status,
        mix=c.mix,
        rate=c.rate,
        previous_rate=c.previous_rate,
        current_rate=c.current_rate,
        members=c.members,
    )


def answer(
    key: str,
    dimension: str,
    window: Window,
    method: Method,
    explanation: str,
    measure: str,
    totals: tuple[float | None, float | None, float | None],
    shown: Condensed,
    note: str | None = None,
) -> KpiDrivers:
    """The driver answer of KPI `key`: its change (`totals`: previous, current, change) and the
    condensed contributions `shown`, however they were computed."""
    _, label, unit, _, _ = next(k for k in KPI_DEFS if k[0] == key)
    return KpiDrivers(
        key=key,
        label=label,
        unit=unit,
        dimension=dimension,
        dimensions=list(DIMENSIONS[key]),
        timeframe=Timeframe.of(window),
        method=method,
        explanation=EXPLANATIONS.get(method, explanation),
        measure=measure,
        measure_unit="currency",
        previous=totals[0],
        current=totals[1],
        change=totals[2],
        drivers=[_driver(c) for c in shown.drivers],
        top_up=[_driver(c) for c in shown.top_up],
        top_down=[_driver(c) for c in shown.top_down],
        new=shown.new,
        lost=shown.lost,
        concentration=shown.concentration,
        slices=shown.slices,
        note=note,
    )
