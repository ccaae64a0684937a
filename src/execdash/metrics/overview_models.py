"""Result models of the domain overviews: each page's KPI tiles, series and breakdowns."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from execdash.metrics.drill_models import Breakdown
from execdash.metrics.kpi_models import DataQualityWarning, Frozen, Kpi, Series, Timeframe


class AtRiskCustomer(Frozen):
    """A customer likely to churn, ranked by expected loss."""

    id: int = Field(description="retention_at_risk.id")
    customer: str = Field(description="Customer name.")
    mrr: float = Field(description="Monthly recurring revenue at risk.")
    risk: float = Field(description="Churn probability 0–1 (normalised on read).")
    expected_loss: float = Field(description="mrr × risk (monthly).")
    reason: str | None = Field(description="Why the customer is at risk.")


class FunnelStage(Frozen):
    """One sales funnel stage over the window."""

    stage: str = Field(description="Leads, MQL, SQL or Won.")
    count: int = Field(description="Σ pipeline_stages_daily.value over the window.")
    conversion: float | None = Field(
        description="count / previous stage's count (null for Leads or a zero previous)."
    )


class RepurchaseRate(Frozen):
    """Mean repurchase rate of one device type."""

    device_type: str = Field(description="devices type.")
    repurchase_rate: float | None = Field(description="Mean repurchase rate 0–1.")
    rows: int = Field(description="Rows averaged.")


class DomainOverview(Frozen):
    """KPI tiles and every series of one domain for one window."""

    domain: str = Field(description="finance, sales, retention, operations, supply, …")
    timeframe: Timeframe = Field(description="The window.")
    kpis: list[Kpi] = Field(description="KPI tiles of the domain.")
    series: list[Series] = Field(description="Every series the domain shows.")
    warnings: list[DataQualityWarning] = Field(description="Data-quality warnings.")
    last_data_update: dt.datetime | None = Field(
        default=None, description="When a table this page reads last changed, by any program (UTC)."
    )


class FinanceOverview(DomainOverview):
    """Revenue, bookings, backlog, margin, recurring revenue and spend."""


class SalesOverview(DomainOverview):
    """Funnel, conversions, win rate, sales cycle and new customers."""

    funnel: list[FunnelStage] = Field(description="Leads → MQL → SQL → Won over the window.")


class RetentionOverview(DomainOverview):
    """NRR, churn, expansion and at-risk customers."""

    at_risk: list[AtRiskCustomer] = Field(description="Customers sorted by expected loss.")


class OperationsOverview(DomainOverview):
    """Uptime, reliability, quality, service cost, faults and repurchases."""

    faults_by_type: Breakdown = Field(description="Devices by fault_type (all devices).")
    repurchase_by_device_type: list[RepurchaseRate] = Field(
        description="Mean repurchase rate per device type."
    )


class SupplyOverview(DomainOverview):
    """COGS breakdown, variance, lead time and inventory turns."""

    cogs_breakdown: Breakdown = Field(description="COGS by component with shares.")


class TelemetryOverview(DomainOverview):
    """Utilisation, consumption and active devices."""


class ProductsOverview(DomainOverview):
    """Top products by revenue over the window."""

    top_products: Breakdown = Field(description="Σ top_products_daily.revenue by product.")


class FeedbackOverview(DomainOverview):
    """Marketing and customer feedback."""

    feedback_by_type: Breakdown = Field(description="product_feedback rows in W by type.")
    feedback_by_category: Breakdown = Field(description="product_feedback rows in W by category.")
    customer_feedback_by_type: Breakdown = Field(description="feedback rows in W by type.")
    customers_by_industry: Breakdown = Field(description="Customers created by end, by industry.")
    customers_by_source: Breakdown = Field(description="Customers created by end, by source.")
