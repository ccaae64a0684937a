"""Driver analysis of an executive KPI: which customers, industries, sources or products moved it.

Both windows are split by the KPI's own breakdown (`metrics.breakdowns.kpi_breakdown`, uncapped),
whose slices add up to the tile; so the contributions add up to exactly the change of the tile,
and whatever the detail rows do not account for is the "unattributed" driver.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa

from execdash.insights import decompose as d
from execdash.insights import driver_sql
from execdash.insights.driver_answer import Condensed, Method, answer
from execdash.insights.models import Concentration, KpiDrivers, SliceSet
from execdash.metrics.attribution import UNATTRIBUTED
from execdash.metrics.breakdowns import DIMENSIONS, BreakdownError, kpi_breakdown
from execdash.metrics.formulas import KPI_DEFS, KPI_KEYS
from execdash.metrics.models import KpiBreakdown
from execdash.metrics.windows import Window

TOP = 8
"""Slices shown as bars of their own; the rest are summed into 'other'."""

EXPLAINED = tuple(k for k in KPI_KEYS if DIMENSIONS.get(k))
"""The KPIs whose change can be split into slices."""

Slices = dict[str, tuple[float, float]]
"""Slice → (value, denominator): a sum's value and 0, or a ratio's numerator and denominator."""

MEASURES = {
    "gm": "order amount (margin = profit ÷ amount)",
    "book_to_bill": "recognized revenue (book-to-bill = booked ÷ recognized)",
}


def split(breakdown: KpiBreakdown) -> tuple[Slices, tuple[float, float] | None]:
    """The breakdown's attributed slices, and the tile's (value or numerator, denominator)."""
    ratio = breakdown.kind == "ratio"
    slices: Slices = {}
    for item in breakdown.items:
        if item.name == UNATTRIBUTED:
            continue
        slices[item.name] = (item.value, (item.denominator or 0.0) if ratio else 0.0)
    if ratio:
        if breakdown.numerator is None or not breakdown.denominator:
            return slices, None
        return slices, (breakdown.numerator, breakdown.denominator)
    return slices, (breakdown.tile, 0.0) if breakdown.tile is not None else None


def drivers(
    conn: sa.Connection, window: Window, key: str, dimension: str, top: int = TOP
) -> KpiDrivers:
    """KPI `key`'s change on `window` against its previous window, split by `dimension`."""
    if key not in KPI_KEYS:
        raise BreakdownError("key", key, KPI_KEYS)
    valid = DIMENSIONS.get(key, ())
    if dimension not in valid:
        raise BreakdownError("by", dimension, valid)
    if dimension == "customer":
        computed = driver_sql.drivers(conn, window, key, top)
        if computed is not None:
            return computed
    now = kpi_breakdown(conn, window, key, dimension, top=None)
    before = kpi_breakdown(conn, window.previous(), key, dimension, top=None)
    return explain(key, dimension, window, before, now, top)


def explain(
    key: str,
    dimension: str,
    window: Window,
    before: KpiBreakdown,
    now: KpiBreakdown,
    top: int = TOP,
) -> KpiDrivers:
    """Decompose the change between two windows' breakdowns of the same KPI (pure)."""
    _, label, _, _, _ = next(k for k in KPI_DEFS if k[0] == key)
    previous, total_before = split(before)
    current, total_now = split(now)
    note = None
    decomposition: d.Decomposition | None = None
    method: Method = "none"
    if now.kind == "ratio":
        if total_before is None or total_now is None:
            note = f"{label} is not computable in both windows (a zero denominator in one)."
        else:
            method = "mix_rate"
            decomposition = d.ratio_drivers(previous, current, total_before, total_now)
    elif total_before is None and total_now is None:
        note = f"No {label.lower()} data in either window."
    else:
        if total_before is None:
            note = "No data in the previous window: its value is taken as 0."
        method = "sum"
        decomposition = d.sum_drivers(
            {n: v for n, (v, _) in previous.items()},
            {n: v for n, (v, _) in current.items()},
            total_before[0] if total_before else 0.0,
            total_now[0] if total_now else 0.0,
        )
    weights = {n: (den if now.kind == "ratio" else v) for n, (v, den) in current.items()}
    weights_before = {n: (den if now.kind == "ratio" else v) for n, (v, den) in previous.items()}
    totals = (
        (decomposition.previous, decomposition.current, decomposition.change)
        if decomposition
        else (before.tile, now.tile, None)
    )
    measure = MEASURES.get(key, f"{now.measure.lower()} ({now.over.split(',')[0]})")
    shown = _condensed(decomposition, weights_before, weights, top)
    return answer(key, dimension, window, method, note or "", measure, totals, shown, note)


def _slice_set(items: list[d.Contribution], lost: bool) -> SliceSet:
    ranked = sorted(items, key=lambda c: (-abs(c.previous if lost else c.current), c.name))
    return SliceSet(
        count=len(items),
        value=sum(c.previous if lost else c.current for c in items),
        contribution=sum(c.contribution for c in items),
        names=[c.name for c in ranked[:5]],
    )


def _concentration(previous: Mapping[str, float], now: Mapping[str, float]) -> Concentration:
    largest = max(now.items(), key=lambda kv: (kv[1], kv[0]))[0] if now else None
    return Concentration(
        top1=d.concentration(now.values(), 1),
        top5=d.concentration(now.values(), 5),
        previous_top1=d.concentration(previous.values(), 1),
        previous_top5=d.concentration(previous.values(), 5),
        largest=largest if largest is not None and now[largest] > 0 else None,
    )


def _condensed(
    decomposition: d.Decomposition | None,
    previous: Mapping[str, float],
    current: Mapping[str, float],
    top: int,
) -> Condensed:
    contributions = list(decomposition.contributions) if decomposition else []
    real = [c for c in contributions if c.kind == "slice" and c.status != "absent"]
    ups = sorted((c for c in real if c.contribution > 0), key=lambda c: (-c.contribution, c.name))
    downs = sorted((c for c in real if c.contribution < 0), key=lambda c: (c.contribution, c.name))
    return Condensed(
        drivers=d.condense(contributions, top),
        top_up=ups[:3],
        top_down=downs[:3],
        new=_slice_set([c for c in real if c.status == "new"], lost=False),
        lost=_slice_set([c for c in real if c.status == "lost"], lost=True),
        concentration=_concentration(previous, current),
        slices=len(real),
    )
