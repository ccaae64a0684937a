"""Every metric a rule can watch, and its monthly values from the same functions as the pages.

Executive KPIs are computed per month by `metrics.drilldown.kpi_series` (their drill-down
series); domain metrics are the month-granularity series of their domain overview. One fetch per
source serves every metric of that source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from execdash.metrics import (
    drilldown,
    executive,
    feedback,
    finance,
    ops,
    products,
    retention,
    sales,
    supply,
    telemetry,
)
from execdash.metrics.formulas import KPI_DEFS
from execdash.metrics.models import DomainOverview, Unit
from execdash.metrics.windows import Window, add_months, months_between, parse_month

Monthly = dict[dt.date, float]


@dataclass(frozen=True, slots=True)
class Metric:
    """A metric rules can watch: what it is called, its unit, where it comes from and lives."""

    key: str
    label: str
    unit: Unit
    domain: str
    """The page it belongs to (also the `type` of the alerts its rules raise)."""
    source: str
    """`executive`, or the domain overview whose series it is."""
    tables: frozenset[str]
    tile: bool
    """True when it has a drill-down page of its own (`/kpi/{key}`)."""

    def drilldown_url(self, period: str | None = None) -> str:
        """The page to look at when it fires, showing the month it fired in."""
        as_of = f"as_of={period}" if period else ""
        if self.source == "executive":
            return f"/kpi/{self.key}?{as_of}".rstrip("?")
        if self.tile:
            return f"/kpi/{self.key}?domain={self.domain}" + (f"&{as_of}" if as_of else "")
        return f"/{self.domain}?{as_of}".rstrip("?")


_KPI_DOMAIN = {"uptime": "operations", "nrr": "retention"}
_DOMAIN_TABLES = {
    "finance": {"revenue_trend", "orders", "expenses", "customers"},
    "sales": {"revenue_trend", "customers", "pipeline_stages_daily", "pipeline_winrate"},
    "retention": {"retention_nrr", "retention_at_risk", "revenue_trend", "orders", "customers"},
    "operations": {"ops_uptime", "ops_reliability", "ops_quality", "ops_service_cost"},
    "supply": {"supply_cogs_variance", "supply_lead_time", "supply_inventory_turns"},
    "telemetry": {"telemetry_utilization", "telemetry_consumption", "telemetry_active_devices"},
    "products": {"top_products_daily"},
    "marketing": {"page_visits", "pipeline_stages_daily", "feedback_scores", "customers"},
}
_OVERVIEWS: dict[str, Callable[[sa.Connection, Window], DomainOverview]] = {
    "finance": finance.overview,
    "sales": sales.overview,
    "retention": retention.overview,
    "operations": ops.overview,
    "supply": supply.overview,
    "telemetry": telemetry.overview,
    "products": products.overview,
    "marketing": feedback.overview,
}

# key, label, unit, domain, has a tile of its own
_DOMAIN_METRICS: tuple[tuple[str, str, Unit, str, bool], ...] = (
    ("booked", "Bookings", "currency", "finance", False),
    ("mrr", "MRR", "currency", "finance", False),
    ("expenses", "Expenses", "currency", "finance", False),
    ("leads", "Leads", "count", "sales", True),
    ("mql", "MQL", "count", "sales", True),
    ("sql", "SQL", "count", "sales", True),
    ("won", "Won deals", "count", "sales", True),
    ("mql_per_lead", "Lead → MQL", "ratio", "sales", False),
    ("sql_per_mql", "MQL → SQL", "ratio", "sales", False),
    ("won_per_sql", "SQL → Won", "ratio", "sales", False),
    ("win_rate", "Win rate", "ratio", "sales", True),
    ("sales_cycle", "Sales cycle", "days", "sales", True),
    ("new_customers", "New customers", "count", "sales", True),
    ("avg_deal", "Average deal size", "currency", "sales", True),
    ("gross_churn", "Gross churn", "ratio", "retention", True),
    ("expansion", "Expansion", "ratio", "retention", True),
    ("mtbf", "MTBF", "hours", "operations", True),
    ("mttr", "MTTR", "hours", "operations", True),
    ("doa", "Dead on arrival", "ratio", "operations", True),
    ("defect", "Defect rate", "ratio", "operations", True),
    ("warranty", "Warranty claims", "ratio", "operations", True),
    ("service_cost", "Service cost per device", "currency", "operations", True),
    ("cogs_variance", "COGS variance", "ratio", "supply", True),
    ("lead_time", "Lead time", "days", "supply", True),
    ("inventory_turns", "Inventory turns", "per_year", "supply", True),
    ("utilization", "Utilisation", "hours", "telemetry", True),
    ("consumption", "Consumption per cycle", "grams", "telemetry", True),
    ("active_devices", "Active devices", "count", "telemetry", True),
    ("product_revenue", "Product revenue", "currency", "products", True),
    ("page_visits", "Page visits", "count", "marketing", True),
    ("visit_to_lead", "Visit → lead", "ratio", "marketing", True),
    ("nps", "NPS", "score", "marketing", True),
    ("csat", "CSAT", "score", "marketing", True),
)


def _build() -> dict[str, Metric]:
    out: dict[str, Metric] = {}
    for key, label, unit, _good, _formula in KPI_DEFS:
        if key == "forecast":  # its monthly series is the actuals: a rule on revenue says that
            continue
        domain = _KPI_DOMAIN.get(key, "finance")
        out[key] = Metric(key, label, unit, domain, "executive", executive.SOURCE_TABLES, True)
    for key, label, unit, domain, has_tile in _DOMAIN_METRICS:
        tables = frozenset(_DOMAIN_TABLES[domain])
        out[key] = Metric(key, label, unit, domain, domain, tables, has_tile)
    return out


METRICS: dict[str, Metric] = _build()
"""Every metric a rule can watch, executive KPIs first."""


def metric(key: str) -> Metric:
    """The metric called `key` (KeyError for an unknown key)."""
    return METRICS[key]


def history_window(first: dt.date, last: dt.date) -> Window:
    """A month-granularity window over `[first, last]` (the label `24m` is only a name)."""
    return Window("24m", "month", first, last)


def fetch_window(first: dt.date, last: dt.date) -> Window:
    """A window whose months plus its previous window's cover `[first, last]`, so the KPI facts
    are read once for those months, not for twice as many."""
    length = len(months_between(first, last))
    return Window("24m", "month", add_months(first, length // 2), last)


def _values(series_points: Iterable[tuple[str, float | None]]) -> Monthly:
    return {parse_month(p): v for p, v in series_points if v is not None}


def monthly_values(
    conn: sa.Connection, keys: Iterable[str], first: dt.date, last: dt.date
) -> dict[str, Monthly]:
    """Monthly values of each metric in `keys` over `[first, last]`: one fetch per source."""
    wanted = [METRICS[k] for k in dict.fromkeys(keys)]
    window = history_window(first, last)
    out: dict[str, Monthly] = {}
    by_source: dict[str, list[Metric]] = {}
    for m in wanted:
        by_source.setdefault(m.source, []).append(m)
    for source, members in by_source.items():
        if source == "executive":
            # Only payback reads per-period new MRR (a query per month): skip it when unwanted.
            periods = (
                drilldown.period_windows(window) if any(m.key == "payback" for m in members) else []
            )
            facts, _ = executive.fetch_facts(conn, fetch_window(first, last), periods)
            for m in members:
                points = drilldown.kpi_series(window, m.key, facts).points
                out[m.key] = _values((p.period, p.value) for p in points)
            continue
        overview = _OVERVIEWS[source](conn, window)
        series = {s.key: s for s in overview.series}
        for m in members:
            found = series.get(m.key)
            out[m.key] = _values((p.period, p.value) for p in found.points) if found else {}
    return out
