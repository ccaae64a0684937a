"""The expected band of a monthly metric: last year's same month × the typical year-over-year
change, ± a robust spread of that change. Pure functions; docs/metrics.md gives the definition.

For month M: the 12 year-over-year changes of the months M−12 … M−1 (each against its own month a
year earlier, so the 24 months before M are used) give the typical change (their median) and the
spread (1.4826 × their median absolute deviation, the robust stand-in for a standard deviation).
Quantities (money, counts, hours…) change by ratios; rates and scores (0–1 ratios, NPS) by
differences. expected = value(M−12) × typical ratio (or + typical difference); the band is
expected ± sensitivity × spread (× value(M−12) for ratios).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from execdash.metrics.windows import add_months

MAD_TO_SIGMA = 1.4826
"""Scales a median absolute deviation to a standard deviation for normally distributed data."""
PAIRS = 12
"""Year-over-year changes the typical change and spread are taken from (months M−12 … M−1)."""
MIN_PAIRS = 6
"""Fewer changes than this (less than 18 months of history) give no band."""
MIN_SPREAD = 0.005
"""The spread is at least 0.5% of the series' size, so a perfectly flat history has a band."""
DEFAULT_SENSITIVITY = 3.0
ADDITIVE_UNITS = frozenset({"ratio", "score"})
"""Units that change by differences (percentage points) rather than ratios."""

Method = Literal["ratio", "difference"]


@dataclass(frozen=True, slots=True)
class Band:
    """The expected value of one month and the band around it."""

    month: dt.date
    expected: float
    lower: float
    upper: float
    method: Method
    base: float
    """The same month a year earlier."""
    typical: float
    """The median year-over-year ratio (or difference) of the 12 months before."""
    spread: float
    """1.4826 × the median absolute deviation of those changes (floored, see MIN_SPREAD)."""
    pairs: int
    sensitivity: float

    def score(self, value: float) -> float:
        """How many spreads `value` lies above (+) or below (−) the expected value."""
        if self.method == "ratio":
            return (value / self.base - self.typical) / self.spread
        return (value - self.base - self.typical) / self.spread


def median_abs_deviation(values: list[float], centre: float) -> float:
    """The median of |v − centre|."""
    return statistics.median(abs(v - centre) for v in values)


def _changes(
    monthly: Mapping[dt.date, float], month: dt.date, method: Method
) -> list[float] | None:
    out = []
    for back in range(PAIRS, 0, -1):
        m = add_months(month, -back)
        now, before = monthly.get(m), monthly.get(add_months(m, -12))
        if now is None or before is None:
            continue
        if method == "ratio":
            if before <= 0 or now < 0:
                return None
            out.append(now / before)
        else:
            out.append(now - before)
    return out


def method_for(unit: str) -> Method:
    """Ratios for quantities, differences for rates and scores."""
    return "difference" if unit in ADDITIVE_UNITS else "ratio"


def band(
    monthly: Mapping[dt.date, float],
    month: dt.date,
    unit: str,
    sensitivity: float = DEFAULT_SENSITIVITY,
) -> Band | None:
    """The band of `month` from the 24 months before it, or None when the history is too short
    (no value a year earlier, or fewer than 6 year-over-year changes)."""
    base = monthly.get(add_months(month, -12))
    if base is None:
        return None
    method = method_for(unit)
    changes = _changes(monthly, month, method) if method == "ratio" and base > 0 else None
    if changes is None:
        method = "difference"
        changes = _changes(monthly, month, method)
    if changes is None or len(changes) < MIN_PAIRS:
        return None
    typical = statistics.median(changes)
    if method == "ratio":
        spread = max(MAD_TO_SIGMA * median_abs_deviation(changes, typical), MIN_SPREAD)
        expected = base * typical
        lower = max(base * (typical - sensitivity * spread), 0.0)
        upper = base * (typical + sensitivity * spread)
    else:
        window = [v for m, v in monthly.items() if add_months(month, -24) <= m < month]
        size = statistics.median(abs(v) for v in window) if window else abs(base)
        floor = MIN_SPREAD * size if size > 0 else 1e-9
        spread = max(MAD_TO_SIGMA * median_abs_deviation(changes, typical), floor)
        expected = base + typical
        lower, upper = expected - sensitivity * spread, expected + sensitivity * spread
    return Band(
        month=month,
        expected=expected,
        lower=lower,
        upper=upper,
        method=method,
        base=base,
        typical=typical,
        spread=spread,
        pairs=len(changes),
        sensitivity=sensitivity,
    )
