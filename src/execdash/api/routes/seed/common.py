"""Shapes shared by the seed front end's domain pages: KPI items, series rows, breakdown rows.

Values come from the metrics engine unchanged except where the seed page prints a number as
percent without scaling it (then `percent` multiplies the engine's 0–1 ratio by 100).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from fastapi import HTTPException
from pydantic import BaseModel, Field

from execdash.api.routes.compat import CompatTimeframe
from execdash.metrics.attribution import OTHER, UNATTRIBUTED
from execdash.metrics.models import Breakdown, Kpi, Series, seed_unit
from execdash.metrics.windows import Window

SeriesRow = dict[str, str | float | None]
"""One period of a drill-down chart: `period` plus one number per plotted line."""


class SeedKpi(BaseModel):
    """One KPI card of a seed domain page."""

    key: str
    label: str
    value: float | None
    unit: str | None
    delta: float | None
    direction: str


class SeedRow(BaseModel):
    """One breakdown row: `value` is the amount (or count), `share` its fraction of the total."""

    name: str
    value: float
    count: float | None = Field(description="The same number when the breakdown counts things.")
    share: float | None
    rate: float | None = Field(default=None, description="A ratio within the row, e.g. margin.")


class SeedDrilldown(BaseModel):
    """The drill-down envelope every seed domain shares."""

    timeframe: CompatTimeframe
    metric: str
    series: list[SeriesRow]
    breakdown: list[SeedRow]
    unit: str | None
    partial_periods: list[str] = Field(
        description="Quarters the window only partly covers (kept out of `series`, which the "
        "seed charts plot key by key)."
    )
    breakdown_note: str = Field(description="What the breakdown counts, in one sentence.")


def timeframe(window: Window) -> CompatTimeframe:
    """The window as the seed describes it."""
    return CompatTimeframe(
        range=window.range_key,
        start_date=window.start_date,
        end_date=window.end_date,
        granularity=window.granularity,
    )


def scaled(value: float | None, scale: float) -> float | None:
    """`value` × `scale` (a 0–1 ratio as percent) without float noise such as 2.1999999999999997."""
    if value is None or scale == 1.0:
        return value
    return round(value * scale, 10)


def seed_kpi(
    kpi: Kpi,
    symbol: str,
    *,
    key: str | None = None,
    label: str | None = None,
    unit: str | None = None,
    scale: float = 1.0,
) -> SeedKpi:
    """`kpi` as a seed card, renamed or rescaled where the seed page needs it (delta unchanged)."""
    return SeedKpi(
        key=key or kpi.key,
        label=label or kpi.label,
        value=scaled(kpi.value, scale),
        unit=seed_unit(kpi.unit, symbol) if unit is None else unit,
        delta=kpi.delta,
        direction=kpi.direction,
    )


def known(cards: Iterable[SeedKpi]) -> list[SeedKpi]:
    """Only cards with a value: these seed pages show a missing card as "—" but crash on null."""
    return [c for c in cards if c.value is not None]


def by_key(items: Iterable[Kpi]) -> dict[str, Kpi]:
    """KPIs by key."""
    return {k.key: k for k in items}


def series_of(series: Sequence[Series], key: str) -> Series:
    """The series `key` of an overview."""
    return next(s for s in series if s.key == key)


def rows(*columns: tuple[str, Series], scale: float = 1.0) -> list[SeriesRow]:
    """Series side by side, one row per period: `[{"period": …, name: value, …}]`."""
    if not columns:
        return []
    first = columns[0][1]
    out: list[SeriesRow] = []
    for i, point in enumerate(first.points):
        row: SeriesRow = {"period": point.period}
        for name, series in columns:
            row[name] = scaled(series.points[i].value, scale)
        out.append(row)
    return out


def partial_periods(series: Series | None) -> list[str]:
    """Periods of `series` the window only partly covers."""
    return [p.period for p in series.points if p.partial] if series else []


def breakdown_rows(
    breakdown: Breakdown | None, *, counts: bool = False, top: int | None = None
) -> list[SeedRow]:
    """A metrics breakdown as seed rows (largest first, 'other' last), optionally cut to `top`."""
    if breakdown is None:
        return []
    items = breakdown.items
    if top is not None:  # a top list names real customers or products only
        items = [i for i in items if i.name not in (OTHER, UNATTRIBUTED)]
    return [
        SeedRow(
            name=i.name,
            value=i.value,
            count=i.value if counts else None,
            share=i.share,
            rate=i.rate,
        )
        for i in (items if top is None else items[:top])
    ]


def unknown_key(domain: str, key: str, valid: Iterable[str]) -> HTTPException:
    """A 404 naming the domain's KPI keys."""
    return HTTPException(404, f"{domain} has no KPI {key!r}; valid keys: {', '.join(valid)}.")
