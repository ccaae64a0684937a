"""Role-based digest content: each role reads its own KPIs, alerts and summary lines first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from execdash.metrics.formulas import KPI_KEYS

T = TypeVar("T")

ROLE_LABELS = {
    "ceo": "Chief executive",
    "cfo": "Finance",
    "coo": "Operations",
    "cro": "Sales and revenue",
    "board": "Board",
}
KPI_ORDER: dict[str, tuple[str, ...]] = {
    "ceo": KPI_KEYS,
    "board": KPI_KEYS,
    "cfo": (
        "revenue",
        "gm",
        "payback",
        "arr",
        "forecast",
        "backlog",
        "coverage_months",
        "book_to_bill",
        "nrr",
        "uptime",
    ),
    "coo": (
        "uptime",
        "backlog",
        "coverage_months",
        "book_to_bill",
        "revenue",
        "gm",
        "forecast",
        "arr",
        "nrr",
        "payback",
    ),
    "cro": (
        "book_to_bill",
        "arr",
        "nrr",
        "revenue",
        "forecast",
        "backlog",
        "coverage_months",
        "payback",
        "gm",
        "uptime",
    ),
}
"""KPI keys in the order each role reads them (the overview's order for the CEO and board)."""
ALERT_TYPES: dict[str, tuple[str, ...]] = {
    "cfo": ("finance",),
    "coo": ("ops", "supply", "telemetry"),
    "cro": ("sales", "marketing", "retention"),
}
"""Alert types a role sees first (the others follow, newest first)."""
CHART_KPI = {"ceo": "arr", "board": "arr", "cfo": "gm", "coo": "uptime", "cro": "book_to_bill"}
"""The KPI charted beside revenue for each role."""


def kpi_rank(role: str) -> dict[str, int]:
    """Position of each KPI key for `role` (unknown keys last)."""
    order = KPI_ORDER.get(role, KPI_KEYS)
    return {key: i for i, key in enumerate(order)}


def ordered(items: Sequence[T], role: str, topic: Callable[[T], str]) -> list[T]:
    """`items` with the role's KPIs first in its order; the rest keep their order (stable)."""
    rank = kpi_rank(role)
    return sorted(items, key=lambda item: rank.get(topic(item), len(rank)))


def alerts_first(items: Sequence[T], role: str, type_of: Callable[[T], str]) -> list[T]:
    """`items` with the alert types the role owns first; otherwise the order is kept."""
    mine = ALERT_TYPES.get(role, ())
    return sorted(items, key=lambda item: 0 if type_of(item) in mine else 1)
