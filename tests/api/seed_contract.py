"""What the seed front end reads from each domain call: field paths, types and units.

`check(body, spec)` walks `a.b`, `a[].b` paths and returns every mismatch as a sentence, so one
assertion shows all of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]


def number(value: Any) -> bool:
    """A JSON number (not a bool, not a string)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def number_or_null(value: Any) -> bool:
    """A JSON number or null."""
    return value is None or number(value)


def text(value: Any) -> bool:
    """A JSON string."""
    return isinstance(value, str)


def text_or_null(value: Any) -> bool:
    """A JSON string or null."""
    return value is None or isinstance(value, str)


def iso_date(value: Any) -> bool:
    """A `YYYY-MM-DD` string."""
    try:
        return isinstance(value, str) and dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def fraction(value: Any) -> bool:
    """A 0–1 share."""
    return number(value) and 0 <= value <= 1


def array(value: Any) -> bool:
    """A JSON array."""
    return isinstance(value, list)


def severity(value: Any) -> bool:
    """One of the three severities the dashboard draws (anything else crashes it)."""
    return value in ("low", "medium", "high")


def utc_datetime_or_null(value: Any) -> bool:
    """Null, or an ISO date-time ending in `Z`, which the browser's `Date` reads as UTC."""
    if value is None:
        return True
    try:
        return (
            isinstance(value, str)
            and value.endswith("Z")
            and bool(dt.datetime.fromisoformat(value))
        )
    except ValueError:
        return False


def iso_date_or_null(value: Any) -> bool:
    """Null or a `YYYY-MM-DD` string."""
    return value is None or iso_date(value)


TIMEFRAME = {
    "timeframe.range": text,
    "timeframe.granularity": text,
    "timeframe.start_date": iso_date,
    "timeframe.end_date": iso_date,
}
KPI_ITEMS = {"kpis": array, "kpis[].key": text, "kpis[].label": text,
             "kpis[].value": number_or_null, "kpis[].unit": text_or_null,
             "kpis[].delta": number_or_null}  # fmt: skip
DRILL = {
    **TIMEFRAME,
    "metric": text,
    "series": array,
    "series[].period": text,
    "breakdown": array,
    "breakdown[].name": text,
    "breakdown[].value": number,
    "breakdown[].share": fraction,
    "unit": text_or_null,
}
COUNT_ROWS = {"breakdown[].count": number}
DASHBOARD = {
    **TIMEFRAME,
    "executiveKpis": array, "executiveKpis[].key": text, "executiveKpis[].label": text,
    "executiveKpis[].value": number_or_null, "executiveKpis[].unit": text_or_null,
    "executiveKpis[].delta": number_or_null,
    "revenueTrend": array, "revenueTrend[].period": text,
    "revenueTrend[].recognized": number_or_null, "revenueTrend[].booked": number_or_null,
    "revenueTrend[].backlog": number_or_null,
    "alerts": array, "alerts[].id": number, "alerts[].type": text, "alerts[].title": text,
    "alerts[].description": text_or_null, "alerts[].severity": severity,
    "alerts[].created_at": utc_datetime_or_null,
    "risks": array, "risks[].id": number, "risks[].title": text, "risks[].owner": text_or_null,
    "risks[].due": iso_date_or_null, "risks[].status": text_or_null,
    "risks[].mitigation": text_or_null,
}  # fmt: skip
"""What the executive dashboard (B1) reads, and what it crashes on."""
EXECUTIVE_CARDS = ("revenue", "backlog", "uptime", "nrr", "gm", "payback", "book_to_bill",
                   "coverage_months", "arr", "forecast")  # fmt: skip
ANSWER = {"summary": text, "highlights": array, "cautions": array, "actions": array,
          "highlights[]": text, "cautions[]": text, "actions[]": text}  # fmt: skip
"""What the "Ask AI" panel (A6) reads."""

OVERVIEWS: dict[str, dict[str, Check]] = {
    "finance": {**TIMEFRAME, **KPI_ITEMS, "revenueTrend": array, "revenueTrend[].period": text,
                "revenueTrend[].recognized": number_or_null,
                "revenueTrend[].booked": number_or_null,
                "revenueTrend[].backlog": number_or_null},
    "sales": {**TIMEFRAME, **KPI_ITEMS, "kpis[].value": number,
              "pipelineTrend": array, "pipelineTrend[].period": text,
              "pipelineTrend[].leads": number_or_null, "pipelineTrend[].mql": number_or_null,
              "pipelineTrend[].sql": number_or_null, "pipelineTrend[].won": number_or_null,
              "winrateTrend": array, "winrateTrend[].period": text,
              "winrateTrend[].win_rate_pct": number_or_null,
              "winrateTrend[].sales_cycle_days": number_or_null,
              "topProducts": array, "topProducts[].name": text, "topProducts[].revenue": number,
              "topCustomers": array, "topCustomers[].name": text,
              "topCustomers[].revenue": number},
    "marketing": {**TIMEFRAME, **KPI_ITEMS, "visitsTrend": array, "visitsTrend[].period": text,
                  "visitsTrend[].visits": number_or_null, "funnelTrend": array,
                  "funnelTrend[].period": text, "funnelTrend[].leads": number_or_null,
                  "funnelTrend[].mql": number_or_null, "funnelTrend[].sql": number_or_null,
                  "breakdown": array, "breakdown[].name": text, "breakdown[].count": number,
                  "breakdown[].share": fraction},
    "supply": {**TIMEFRAME, **KPI_ITEMS, "kpis[].value": number,
               "leadTimeTrend": array, "leadTimeTrend[].period": text,
               "leadTimeTrend[].lead_time_days": number_or_null,
               "inventoryTurnsTrend": array, "inventoryTurnsTrend[].period": text,
               "inventoryTurnsTrend[].turns_per_year": number_or_null,
               "cogsVarianceTrend": array, "cogsVarianceTrend[].period": text,
               "cogsVarianceTrend[].variance_pct": number_or_null,
               "cogsBreakdown": array, "cogsBreakdown[].name": text,
               "cogsBreakdown[].value": number, "cogsBreakdown[].share": fraction},
    "manufacturing": {**TIMEFRAME, **KPI_ITEMS, "kpis[].value": number,
                      "qualityTrend": array, "qualityTrend[].period": text,
                      "qualityTrend[].doa": number_or_null,
                      "qualityTrend[].defect": number_or_null,
                      "qualityTrend[].warranty": number_or_null,
                      "reliabilityTrend": array, "reliabilityTrend[].mtbf": number_or_null,
                      "reliabilityTrend[].mttr": number_or_null, "costTrend": array,
                      "costTrend[].cost_per_device": number_or_null,
                      "breakdown": array, "breakdown[].name": text,
                      "breakdown[].count": number, "breakdown[].share": fraction},
}  # fmt: skip

CARDS = {
    "finance": ("revenue", "gm", "backlog", "arr", "payback", "book_to_bill", "coverage_months"),
    "sales": ("leads", "mql", "sql", "won", "win_rate", "sales_cycle", "avg_deal",
              "new_customers", "revenue"),
    "marketing": ("visits", "leads", "mql", "sql", "nps", "csat", "conversion"),
    "supply": ("lead_time", "inventory_turns", "cogs_variance", "cogs_total"),
    "manufacturing": ("uptime", "mtbf", "mttr", "doa", "defect", "warranty", "cost_per_device"),
}  # fmt: skip
"""The cards each overview page shows (and so the drill-down keys it links to)."""

DRILL_KEYS = {
    "finance": (*CARDS["finance"], "nrr", "uptime", "forecast"),
    "sales": ("pipeline", *CARDS["sales"]),
    "marketing": CARDS["marketing"],
    "supply": CARDS["supply"],
    "manufacturing": CARDS["manufacturing"],
}
BY = {
    "finance": ("customer", "industry", "source"),
    "sales": ("customer", "industry", "source"),
    "marketing": ("page", "source", "bucket"),
    "supply": (None,),
    "manufacturing": ("fault_type", "device_type"),
}
"""The `by` values each drill-down page sends (supply sends none)."""


def drill_calls() -> list[str]:
    """Every drill-down URL the seed pages can request (all keys × all `by` buttons)."""
    calls = []
    for domain, keys in DRILL_KEYS.items():
        for key in keys:
            for by in BY[domain]:
                suffix = f"&by={by}" if by else ""
                calls.append(f"/api/{domain}/kpis/{key}?range=12m&granularity=month{suffix}")
    return calls


_MISSING = object()


def _walk(body: Any, segments: list[str], where: str = "") -> list[tuple[str, Any]]:
    """(location, value) of every value a path reaches; `name[]` steps into each array item."""
    if not segments:
        return [(where.rstrip("."), body)]
    head, rest = segments[0], segments[1:]
    name = head.removesuffix("[]")
    if not isinstance(body, dict) or name not in body:
        return [(where + name, _MISSING)]
    value = body[name]
    if not head.endswith("[]"):
        return _walk(value, rest, f"{where}{name}.")
    if not isinstance(value, list):
        return [(where + name, _MISSING)]
    return [
        found for i, item in enumerate(value) for found in _walk(item, rest, f"{where}{name}[{i}].")
    ]


def check(body: Any, spec: dict[str, Check]) -> list[str]:
    """Every field of `spec` that is missing or of the wrong type/unit, as sentences."""
    problems = []
    for path, ok in spec.items():
        for where, value in _walk(body, path.split(".")):
            if value is _MISSING:
                problems.append(f"{path}: missing at {where}")
            elif not ok(value):
                problems.append(f"{path}: {value!r} at {where} fails {ok.__name__}")
    return problems
