"""Pure reconciliation of a KPI breakdown with its tile: slices, 'other', and 'unattributed'.

Given the detail rows' sums per slice and the tile's own value (or numerator and denominator),
`reconcile` returns a `KpiBreakdown` whose items always add up to the tile: whatever the detail
rows do not account for becomes an explicit `unattributed` slice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from execdash.metrics.models import BreakdownItem, KpiBreakdown, Unit
from execdash.metrics.series import divide

TOP_N = 20
OTHER = "other"
UNATTRIBUTED = "unattributed"
TOLERANCE = 0.005
"""Differences below half a penny (float noise of summed amounts) count as reconciled."""


@dataclass(frozen=True, slots=True)
class Slice:
    """Detail-row sums of one dimension value: the additive value and, for ratios, a denominator."""

    name: str | None
    value: float
    denominator: float | None = None


@dataclass(frozen=True, slots=True)
class Tile:
    """What the breakdown must add up to: the KPI's value, or its numerator and denominator."""

    key: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    ratio: bool = False
    """True when the tile is a quotient whose numerator and denominator the slices carry."""


def _merge(slices: Sequence[Slice], missing: str) -> dict[str, tuple[float, float | None]]:
    merged: dict[str, tuple[float, float | None]] = {}
    for item in slices:
        label = item.name if item.name not in (None, "") else missing
        value, den = merged.get(label, (0.0, None))
        if item.denominator is not None:
            den = (den or 0.0) + item.denominator
        merged[label] = (value + item.value, den)
    return merged


def _gap(tile: float | None, attributed: float) -> float:
    if tile is None:
        return 0.0
    gap = tile - attributed
    return 0.0 if abs(gap) < TOLERANCE else gap


def reconcile(
    tile: Tile,
    slices: Sequence[Slice],
    *,
    dimension: str,
    measure: str,
    unit: Unit,
    over: str,
    rows: int,
    top: int | None = TOP_N,
    missing: str = "(unknown)",
) -> KpiBreakdown:
    """The slices of `tile` by `dimension`: top `top` by value, then 'other', then 'unattributed'.

    For a sum the tile's value is matched; for a ratio its numerator (slice values) and its
    denominator (slice denominators), each slice carrying its own rate.
    """
    merged = _merge(slices, missing)
    ratio = tile.ratio
    ranked = sorted(merged.items(), key=lambda kv: (-kv[1][0], kv[0]))
    if top is not None and len(ranked) > top:
        tail = ranked[top:]
        ranked = ranked[:top]
        den_tail = sum(d or 0.0 for _, (_, d) in tail) if ratio else None
        ranked.append((OTHER, (sum(v for _, (v, _) in tail), den_tail)))
    attributed = sum(v for v, _ in merged.values())
    attributed_den = sum(d or 0.0 for _, d in merged.values())
    target = tile.numerator if ratio else tile.value
    gap = _gap(target, attributed)
    den_gap = _gap(tile.denominator, attributed_den) if ratio else 0.0
    if gap or den_gap:
        ranked.append((UNATTRIBUTED, (gap, den_gap if ratio else None)))
    total = attributed if target is None else target
    items = [
        BreakdownItem(
            name=name,
            value=value,
            share=divide(value, total),
            rate=divide(value, den) if ratio else None,
            numerator=value if ratio else None,
            denominator=den if ratio else None,
        )
        for name, (value, den) in ranked
    ]
    has_tile = target is not None and (not ratio or tile.denominator is not None)
    return KpiBreakdown(
        kpi=tile.key,
        kind="ratio" if ratio else "sum",
        dimension=dimension,
        measure=measure,
        unit=unit,
        total=total,
        items=items,
        over=over,
        rows=rows,
        tile=tile.value,
        attributed=attributed,
        unattributed=gap,
        reconciles=(has_tile and not gap and not den_gap) or (not has_tile and not merged),
        difference=_gap(target, attributed) if target is not None else None,
        numerator=total if ratio else None,
        denominator=(attributed_den + den_gap) if ratio else None,
        denominator_difference=den_gap if ratio and tile.denominator is not None else None,
    )
