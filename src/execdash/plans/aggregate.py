"""Targets roll up like their KPI: flows summed, stocks at period end, rates day-weighted, ratios
weighted by the plan's revenue (their planned denominator). Pure functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from execdash.metrics.models import Kind
from execdash.metrics.series import aggregate

Monthly = Mapping[dt.date, float]


def ratio_plan(
    targets: Monthly, months: Sequence[dt.date], weights: Monthly | None
) -> float | None:
    """Σ target × weight / Σ weight over the months with a target; an unweighted mean when a
    month lacks a positive weight (the plan has no revenue for it)."""
    held = [m for m in months if m in targets]
    if not held:
        return None
    if weights is not None and all(weights.get(m, 0) > 0 for m in held):
        total = sum(weights[m] for m in held)
        return sum(targets[m] * weights[m] for m in held) / total
    return sum(targets[m] for m in held) / len(held)


def plan_value(
    kind: Kind, targets: Monthly, months: Sequence[dt.date], weights: Monthly | None = None
) -> float | None:
    """The plan over `months`, aggregated by the KPI's kind (None when no month has a target;
    a stock needs a target for the last month)."""
    if kind == "ratio":
        return ratio_plan(targets, months, weights)
    return aggregate(kind, targets, months)


def planned_span(targets: Monthly, months: Sequence[dt.date]) -> tuple[dt.date, ...]:
    """The months of `months` the plan covers: the unbroken run with targets that ends at the
    latest month having one (empty when the plan has none of them)."""
    held = [m for m in months if m in targets]
    if not held:
        return ()
    end = months.index(held[-1])
    start = end
    while start > 0 and months[start - 1] in targets:
        start -= 1
    return tuple(months[start : end + 1])


def company_targets(
    rows: Sequence[tuple[str, str, str, str, float]], kinds: Mapping[str, Kind]
) -> dict[str, dict[dt.date, float]]:
    """Company-level targets per KPI and month from `(kpi, month, segment_kind, segment,
    target)` rows: the company row where there is one, else (flows and stocks) the sum of the
    segments of one kind — industries when both kinds are given."""
    total: dict[str, dict[dt.date, float]] = {}
    explicit: set[tuple[str, dt.date]] = set()
    parts: dict[tuple[str, dt.date, str], float] = {}
    for kpi, month, segment_kind, _segment, target in rows:
        day = dt.date(int(month[:4]), int(month[5:7]), 1)
        if not segment_kind:
            total.setdefault(kpi, {})[day] = target
            explicit.add((kpi, day))
        elif kinds.get(kpi) in ("flow", "stock"):
            key = (kpi, day, segment_kind)
            parts[key] = parts.get(key, 0.0) + target
    for (kpi, day, segment_kind), value in parts.items():
        if (kpi, day) in explicit:
            continue
        if segment_kind == "product" and (kpi, day, "industry") in parts:
            continue
        total.setdefault(kpi, {})[day] = value
    return total
