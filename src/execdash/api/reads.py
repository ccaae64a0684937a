"""Which data tables each read endpoint's answer depends on: the one place that declares it.

An answer's version (its ETag and its response-cache key) is the version of these tables
(`versionprobe.DataVersions.version`), so a write to any other table leaves the answer valid:
a usage event (`user_events`) keeps every KPI answer, an expense import keeps the funnel.
`tests/api/test_reads.py` checks each declaration against reality: emptying any table not in
an endpoint's list leaves its answer identical. A path not declared here depends on every table.
"""

from __future__ import annotations

from execdash.db import compat_tables as compat
from execdash.db import schema as s
from execdash.db import tables as t
from execdash.memo import kept
from execdash.metrics.executive import SOURCE_TABLES as KPIS

ALL = None


def _names(*tables: object) -> frozenset[str]:
    return frozenset(str(getattr(table, "name", table)) for table in tables)


PLANS = _names(t.plans, t.plan_targets)
"""The active plan every KPI is compared with."""
DRILLDOWNS = KPIS | PLANS | _names(s.customers, s.top_products_daily)
"""A KPI's series and its breakdowns by customer, industry, source and product."""
ALERTS = _names(s.alerts, t.alert_status, t.alert_firings, t.alert_rules)
"""Alerts with their state, and the rule (and its metric) that raised each one."""
OVERVIEW = KPIS | PLANS | ALERTS | _names(s.risks, s.retention_at_risk, s.customers)
"""The dashboard: KPIs, revenue trend, newest alerts, open risks, customers at risk."""

SALES = _names(
    s.revenue_trend,
    s.customers,
    s.orders,
    s.deals,
    s.pipeline_stages,
    s.pipeline_stages_daily,
    s.pipeline_winrate,
    s.top_products_daily,
)
MARKETING = _names(
    s.revenue_trend,
    s.customers,
    s.page_visits,
    s.pipeline_stages_daily,
    s.feedback,
    s.feedback_scores,
    s.product_feedback,
)
SUPPLY = _names(
    s.revenue_trend,
    s.supply_cogs_breakdown,
    s.supply_cogs_variance,
    s.supply_lead_time,
    s.supply_inventory_turns,
)
OPERATIONS = _names(
    s.revenue_trend,
    s.ops_uptime,
    s.ops_reliability,
    s.ops_quality,
    s.ops_service_cost,
    s.devices,
    s.repurchases,
)
TELEMETRY = _names(
    s.revenue_trend,
    s.telemetry_utilization,
    s.telemetry_consumption,
    s.telemetry_active_devices,
)

METRICS = (
    KPIS
    | SALES
    | MARKETING
    | SUPPLY
    | OPERATIONS
    | TELEMETRY
    | _names(s.expenses, s.retention_nrr, s.retention_at_risk, s.top_products_daily)
)
"""Every table a metric an alert rule can watch reads (`alerts.catalog`)."""

READS: tuple[tuple[str, frozenset[str]], ...] = (
    ("/api/v1/dashboard", OVERVIEW),
    ("/api/v1/kpis", DRILLDOWNS),
    ("/api/v1/alerts", ALERTS),
    ("/api/v1/alert-rules", ALERTS | _names(t.alert_rules)),  # rules with their state
    ("/api/v1/bands", METRICS | _names(t.alert_rules)),  # sensitivity of the anomaly rule
    ("/api/v1/risks", _names(s.risks)),
    ("/api/v1/at-risk-customers", _names(s.retention_at_risk)),
    ("/api/v1/customers", _names(s.customers)),
    ("/api/v1/feedback", _names(s.customers, s.feedback)),
    ("/api/v1/plans/lines", PLANS | _names(s.revenue_trend)),
    ("/api/v1/plans/template", PLANS | _names(s.revenue_trend)),
    ("/api/v1/plans", PLANS),
    ("/api/v1/finance", PLANS | _names(s.revenue_trend, s.orders, s.expenses, s.customers)),
    ("/api/v1/sales", SALES),
    (  # with the MRR movements, from the recurring orders
        "/api/v1/retention",
        PLANS
        | _names(s.revenue_trend, s.retention_nrr, s.retention_at_risk, s.customers, s.orders),
    ),
    ("/api/v1/summary", OVERVIEW | DRILLDOWNS),  # KPIs, their drivers, MRR bridge, signals
    ("/api/v1/operations", OPERATIONS | PLANS),
    ("/api/v1/supply", SUPPLY),
    ("/api/v1/telemetry", TELEMETRY),
    ("/api/v1/products", _names(s.revenue_trend, s.top_products_daily, s.top_products)),
    ("/api/v1/marketing", MARKETING),
    # The seed system's contract (routes/compat.py)
    ("/api/executive-dashboard", OVERVIEW),
    ("/api/kpis", DRILLDOWNS),
    ("/api/operations/uptime", _names(s.revenue_trend, s.ops_uptime)),
    ("/api/customers/at-risk", _names(s.retention_at_risk)),
    ("/api/finance", DRILLDOWNS),
    ("/api/sales", SALES),
    ("/api/marketing", MARKETING),
    ("/api/supply", SUPPLY),
    ("/api/manufacturing", OPERATIONS | TELEMETRY),
    ("/api/search", ALERTS | _names(s.customers, s.risks, s.retention_at_risk)),
    # The other system's own tables (routes/compat_*), written by it directly: triggers see it
    ("/api/messages", _names(compat.messages, compat.profiles)),
    ("/api/meetings", _names(compat.meetings, compat.profiles)),
    ("/api/users/me", _names(compat.profiles, compat.user_settings)),
    # Delivery state (never cached: etag.UNTAGGED_PREFIXES); the digest preview reads the overview
    (
        "/api/v1/delivery",
        OVERVIEW
        | DRILLDOWNS
        | _names(t.delivery_channels, t.digest_recipients, t.delivery_outbox, t.delivery_log),
    ),
)
"""(path prefix, tables) — the first prefix a request path equals or starts with (+ `/`) wins."""


@kept(1024)
def tables_for(path: str) -> frozenset[str] | None:
    """The tables the answer at `path` reads, or None (every table) when not declared."""
    for prefix, tables in READS:
        if path == prefix or path.startswith(prefix + "/"):
            return tables
    return ALL
