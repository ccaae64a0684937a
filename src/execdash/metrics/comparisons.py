"""What a change is measured against: a small registry of comparisons, chosen per request.

Every tile, series coverage and drill-down measures its change against `window.previous()`,
which asks this registry for the window's comparison (`Window.comparison`, the API's
`compare` parameter). Built in:

- `previous`: the same number of months immediately before the window (the default);
- `last_year`: the same months twelve months earlier (same fiscal months, so a fiscal YTD is
  compared with the previous fiscal year's YTD, FY2026 Q1 with FY2025 Q1);
- `plan`: the active plan over the window's months (`plans.attach` puts the plan in place of
  the previous value; the API refuses it with a 422 when no plan is active).

Extension point: `register(Comparison(key, label, against, baseline))` adds an option. The API
validates `compare` against `COMPARISONS`, the page's selector lists its options from it (in
registration order) and cache keys carry the key, so nothing else needs to change for a new
option. `baseline(window)` returns the window whose values are the comparison; an option whose
comparison values are not actuals of some months (a plan) returns the window itself and
replaces the KPI's `previous` value where the KPIs are made, keeping the coverage rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from execdash.metrics.windows import Window


@dataclass(frozen=True, slots=True)
class Comparison:
    """One option of the comparison selector."""

    key: str
    """The value of the `compare` parameter, e.g. `last_year`."""
    label: str
    """The option as the selector shows it, e.g. `Same period last year`."""
    against: str
    """The words after "vs", e.g. `same period last year`."""
    baseline: Callable[[Window], Window]
    """The window whose values the change is measured against."""


DEFAULT_COMPARISON = "previous"

COMPARISONS: dict[str, Comparison] = {}
"""Every registered comparison by key, in registration order (the selector's order)."""


def register(comparison: Comparison) -> Comparison:
    """Add (or replace) a comparison option; returns it."""
    COMPARISONS[comparison.key] = comparison
    return comparison


def comparison(key: str) -> Comparison:
    """The registered comparison `key` (KeyError listing the keys for an unknown one)."""
    try:
        return COMPARISONS[key]
    except KeyError:
        raise KeyError(f"unknown comparison {key!r}; valid: " + ", ".join(COMPARISONS)) from None


def _immediately_before(window: Window) -> Window:
    return window.shifted(-window.length)


def _a_year_earlier(window: Window) -> Window:
    return window.shifted(-12)


register(
    Comparison("previous", "Previous period", "previous period", _immediately_before),
)


def _itself(window: Window) -> Window:
    return window


register(
    Comparison("last_year", "Same period last year", "same period last year", _a_year_earlier),
)
PLAN = register(Comparison("plan", "Plan", "plan", _itself)).key
"""The comparison with the active plan: its values replace the previous ones where KPIs are made."""
