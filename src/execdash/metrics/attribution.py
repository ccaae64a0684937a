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


@dataclass(frozen=True, slots=True)
class Ranked:
    """Slices merged by name and ranked by value: the top ones, the rest summed, the totals."""

    top: list[tuple[str, float, float | None]]
    """Name, Σ value and Σ denominator (None when no slice of the name has one), best first."""
    rest: tuple[float, float | None] | None
    """Σ value and Σ denominator of every slice beyond the top ones, as the totals less the top
    slices' (None when there is no slice beyond them)."""
    value: float
    """Σ value of every slice."""
    denominator: float | None
    """Σ denominator of every slice (None when none has one)."""
    labels: int
    """Distinct names."""


def _add(a: float | None, b: float | None) -> float | None:
    return a if b is None else (b if a is None else a + b)


def _merge(slices: Sequence[Slice], missing: str) -> dict[str, tuple[float, float | None]]:
    merged: dict[str, tuple[float, float | None]] = {}
    for item in slices:
        label = item.name if item.name not in (None, "") else missing
        value, den = merged.get(label, (0.0, None))
        merged[label] = (value + item.value, _add(den, item.denominator))
    return merged


def rank(slices: Sequence[Slice], *, top: int | None, missing: str) -> Ranked:
    """Merge `slices` by name (a missing name becomes `missing`), rank them by value (then
    name) and keep the first `top` (all when None); the same result `metrics.ranking` gets in
    SQL."""
    merged = _merge(slices, missing)
    ranked = sorted(merged.items(), key=lambda kv: (-kv[1][0], kv[0]))
    value = sum(v for v, _ in merged.values())
    total_den: float | None = None
    for _, d in merged.values():
        total_den = _add(total_den, d)
    rest: tuple[float, float | None] | None = None
    if top is not None and len(ranked) > top:
        ranked = ranked[:top]
        # The rest is the total less the top slices, so the items add up to the total exactly.
        rest_den = None if total_den is None else total_den - sum(d or 0.0 for _, (_, d) in ranked)
        rest = (value - sum(v for _, (v, _) in ranked), rest_den)
    return Ranked(
        top=[(name, v, d) for name, (v, d) in ranked],
        rest=rest,
        value=value,
        denominator=total_den,
        labels=len(merged),
    )


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
    """The slices of `tile` by `dimension`: top `top` by value, then 'other', then 'unattributed'
    (see `settle`)."""
    ranked = rank(slices, top=top, missing=missing)
    return settle(
        tile, ranked, dimension=dimension, measure=measure, unit=unit, over=over, rows=rows
    )


def settle(
    tile: Tile,
    ranked: Ranked,
    *,
    dimension: str,
    measure: str,
    unit: Unit,
    over: str,
    rows: int,
) -> KpiBreakdown:
    """The ranked slices of `tile`, then 'other', then 'unattributed': whatever they miss.

    For a sum the tile's value is matched; for a ratio its numerator (slice values) and its
    denominator (slice denominators), each slice carrying its own rate.
    """
    ratio = tile.ratio
    listed: list[tuple[str, tuple[float, float | None]]] = [
        (name, (v, d)) for name, v, d in ranked.top
    ]
    if ranked.rest is not None:
        value, den = ranked.rest
        listed.append((OTHER, (value, (den or 0.0) if ratio else None)))
    attributed = ranked.value
    attributed_den = ranked.denominator or 0.0
    target = tile.numerator if ratio else tile.value
    gap = _gap(target, attributed)
    den_gap = _gap(tile.denominator, attributed_den) if ratio else 0.0
    if gap or den_gap:
        listed.append((UNATTRIBUTED, (gap, den_gap if ratio else None)))
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
        for name, (value, den) in listed
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
        reconciles=(has_tile and not gap and not den_gap) or (not has_tile and not ranked.labels),
        difference=_gap(target, attributed) if target is not None else None,
        numerator=total if ratio else None,
        denominator=(attributed_den + den_gap) if ratio else None,
        denominator_difference=den_gap if ratio and tile.denominator is not None else None,
    )
