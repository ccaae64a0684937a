"""Result models of the metrics engine; the API serves them as they are (they are its schemas)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from execdash.metrics import fiscal
from execdash.metrics.comparisons import DEFAULT_COMPARISON, comparison
from execdash.metrics.planned import PlanComparison, PlanPoint
from execdash.metrics.windows import Window

Unit = Literal[
    "currency", "ratio", "months", "count", "days", "hours", "grams", "per_year", "score"
]
Direction = Literal["up", "down", "flat"]
Kind = Literal["flow", "stock", "rate", "ratio"]
ForecastMethod = Literal["holt_damped", "trailing_3m_mean", "none"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Timeframe(_Model):
    """The months a result covers."""

    range: str = Field(description="Range key: 3m, 6m, 12m, 24m or ytd.")
    granularity: str = Field(description="Period size of every series: month or quarter.")
    as_of: str = Field(description="The window's end month, YYYY-MM.")
    start_month: str = Field(description="First month of the window, YYYY-MM.")
    end_month: str = Field(description="Last month of the window, YYYY-MM.")
    start_date: dt.date = Field(description="First day of the first month (inclusive).")
    end_date: dt.date = Field(description="Last day of the last month (inclusive).")
    months: int = Field(description="Number of months in the window.")
    previous_start_date: dt.date = Field(
        description="First day of the window the changes compare with (see `compare`)."
    )
    previous_end_date: dt.date = Field(
        description="Last day of the window the changes compare with (see `compare`)."
    )
    compare: str = Field(
        default=DEFAULT_COMPARISON,
        description="What every change and previous value is measured against: previous "
        "(the same number of months just before) or last_year (the same months a year earlier).",
    )
    compare_label: str = Field(
        default="previous period", description="The comparison in words, e.g. 'previous period'."
    )
    fiscal_year_start: int = Field(
        default=1, description="The fiscal year's first month (1-12); YTD and quarters follow it."
    )
    fiscal_year: str = Field(
        default="", description="The fiscal year holding the end month, e.g. FY2026."
    )
    data_first_month: str | None = Field(
        default=None, description="First month with data in revenue_trend (YYYY-MM)."
    )
    data_last_month: str | None = Field(
        default=None, description="Latest month with data in revenue_trend (YYYY-MM)."
    )
    beyond_data: bool = Field(
        default=False, description="The window ends after the latest month with data."
    )
    before_data: bool = Field(
        default=False, description="The window ends before the first month with data."
    )

    @classmethod
    def of(cls, window: Window) -> Timeframe:
        """Describe `window`."""
        prev = window.previous()
        first, last = window.data_first, window.data_last
        return cls(
            range=window.range_key,
            granularity=window.granularity,
            as_of=window.as_of,
            start_month=window.month_keys[0],
            end_month=window.as_of,
            start_date=window.start_date,
            end_date=window.end_date,
            months=window.length,
            previous_start_date=prev.start_date,
            previous_end_date=prev.end_date,
            compare=window.comparison,
            compare_label=comparison(window.comparison).against,
            fiscal_year_start=window.fiscal_start,
            fiscal_year=fiscal.fiscal_year_label(window.end_month, window.fiscal_start),
            data_first_month=f"{first:%Y-%m}" if first else None,
            data_last_month=f"{last:%Y-%m}" if last else None,
            beyond_data=last is not None and window.end_month > last,
            before_data=first is not None and window.end_month < first,
        )


class DataQualityWarning(_Model):
    """A stored value execdash had to reinterpret (e.g. a 0–100 percent in a 0–1 column)."""

    table: str = Field(description="Table holding the value.")
    column: str = Field(description="Column holding the value.")
    period: str | None = Field(description="Row's period (YYYY-MM) or key, when it has one.")
    value: float = Field(description="The value as stored.")
    message: str = Field(description="What was wrong and what execdash did about it.")


class ProvenanceInput(_Model):
    """One number a KPI was computed from."""

    name: str = Field(description="What the number is, e.g. 'Σ revenue_trend.recognized'.")
    value: float | None = Field(description="The number itself (null when missing).")
    detail: str | None = Field(default=None, description="Where it came from, e.g. a month.")


class Provenance(_Model):
    """How a KPI was computed: the formula in words and the actual inputs."""

    formula: str = Field(description="The formula in words.")
    inputs: list[ProvenanceInput] = Field(description="The numbers that went into the formula.")
    months: list[str] = Field(description="The months (YYYY-MM) the inputs cover.")


class ForecastDetail(_Model):
    """Details of the revenue forecast for the month after the window."""

    method: ForecastMethod = Field(description="holt_damped, trailing_3m_mean or none.")
    month: str = Field(description="The forecast month, YYYY-MM.")
    value: float | None = Field(description="Expected recognized revenue.")
    lower: float | None = Field(description="Lower bound of the 80% interval (Holt only).")
    upper: float | None = Field(description="Upper bound of the 80% interval (Holt only).")
    interval: float | None = Field(description="Interval coverage, 0.8 for Holt.")
    history_months: int = Field(description="Months of recognized history used.")
    alpha: float | None = Field(default=None, description="Holt level smoothing parameter.")
    beta: float | None = Field(default=None, description="Holt trend smoothing parameter.")
    phi: float | None = Field(default=None, description="Holt trend damping parameter.")
    pipeline_estimate: float | None = Field(
        description="Pipeline (SQL) × win rate × mean won deal size, when pipeline data exist."
    )


class Coverage(_Model):
    """How many months of the window, and of the previous window, have data in the tables read."""

    months: int = Field(description="Months the value needs (the window's, or 6 for coverage).")
    current: int = Field(description="Of those, months with data in the tables the KPI reads.")
    previous: int = Field(description="The same count on the previous window.")
    complete: bool = Field(description="Every month of the window has data.")
    previous_complete: bool = Field(description="Every month of the previous window has data.")
    previous_start_month: str = Field(description="First month of the previous window, YYYY-MM.")
    previous_end_month: str = Field(description="Last month of the previous window, YYYY-MM.")
    compare: str = Field(
        default=DEFAULT_COMPARISON,
        description="The comparison the previous window is: previous or last_year.",
    )


class Kpi(_Model):
    """One headline number: value, unit, change versus the previous window, and how it was made."""

    key: str = Field(description="Stable key, e.g. revenue, gm, payback.")
    label: str = Field(description="Human label, e.g. 'Gross margin'.")
    value: float | None = Field(description="Value on the window (null when not computable).")
    unit: Unit = Field(description="Unit kind; the API maps currency to the configured symbol.")
    previous: float | None = Field(description="The same KPI on the previous window.")
    delta: float | None = Field(
        description="(current − previous) / |previous|; null if previous is missing or zero."
    )
    direction: Direction = Field(description="up, down or flat (|delta| < 0.0005 or null).")
    favourable: bool | None = Field(
        description="Whether the change is good news; null when flat or unknown."
    )
    good_direction: Literal["up", "down"] = Field(description="Which way is good.")
    provenance: Provenance = Field(description="Formula and actual inputs.")
    warnings: list[DataQualityWarning] = Field(
        default_factory=list, description="Data-quality warnings raised while reading inputs."
    )
    forecast: ForecastDetail | None = Field(
        default=None, description="Forecast details (only on the forecast KPI)."
    )
    change: float | None = Field(
        default=None,
        description="Absolute change current − previous (× 100 = percentage points for ratios).",
    )
    change_unit: Literal["points", "relative"] = Field(
        default="relative",
        description="How the change is shown: 'points' (ratios and percentages: change × 100 "
        "pts) or 'relative' (money and counts: delta as a percentage).",
    )
    coverage: Coverage | None = Field(
        default=None, description="Months with data in the window and in the previous window."
    )
    comparable: bool = Field(
        default=True,
        description="False when either window is incomplete: the change is not a trend and "
        "`favourable` is null.",
    )
    basis: str | None = Field(
        default=None, description="What period the value is measured over, when not the window."
    )
    plan: PlanComparison | None = Field(
        default=None, description="The KPI against the active plan (null without an active plan)."
    )


class SeriesPoint(_Model):
    """One period of a series."""

    period: str = Field(
        description="YYYY-MM, YYYY-Qn (calendar quarters) or FY2026-Q1 (fiscal quarters when "
        "the fiscal year does not start in January)."
    )
    value: float | None = Field(description="The period's value (null when no data).")
    partial: bool = Field(description="True when the window holds only part of the quarter.")
    months: int = Field(description="Months of the period inside the window.")


class Series(_Model):
    """A metric at the window's granularity plus its value over the whole window."""

    key: str = Field(description="Stable key, e.g. recognized, uptime.")
    label: str = Field(description="Human label.")
    unit: Unit = Field(description="Unit kind.")
    kind: Kind = Field(
        description="flow (summed), stock (period-end), rate (day-weighted mean) or ratio "
        "(quotient of two flows)."
    )
    points: list[SeriesPoint] = Field(description="One point per period, oldest first.")
    total: float | None = Field(
        description="Window value: sum (flow), end value (stock), mean (rate), quotient (ratio)."
    )
    coverage: Coverage | None = Field(
        default=None, description="Months with data in the window and in the previous window."
    )


class BreakdownItem(_Model):
    """One slice of a breakdown."""

    name: str = Field(description="Customer, industry, source, product, component… ('other').")
    value: float = Field(description="The slice's additive amount (or count).")
    share: float | None = Field(description="value / total; shares sum to 1 (null if total 0).")
    rate: float | None = Field(
        default=None, description="A ratio within the slice when meaningful (e.g. its margin)."
    )
    numerator: float | None = Field(
        default=None, description="Ratio KPIs: the slice's numerator (e.g. its gross profit)."
    )
    denominator: float | None = Field(
        default=None, description="Ratio KPIs: the slice's denominator (e.g. its revenue)."
    )


class Breakdown(_Model):
    """An additive amount split by one dimension, top items first, the rest as 'other'."""

    dimension: str = Field(description="What the items are: customer, industry, source, …")
    measure: str = Field(description="What `value` measures, e.g. 'order amount'.")
    unit: Unit = Field(description="Unit kind of `value`.")
    total: float = Field(description="Sum of every item's value.")
    items: list[BreakdownItem] = Field(description="Largest first; at most 20 plus 'other'.")


class KpiBreakdown(Breakdown):
    """A KPI split by one dimension over exactly the rows that make up its tile.

    The items (top slices, 'other', and an explicit 'unattributed' slice when the tile's summary
    table and the detail rows disagree) always add up to the tile: `total` equals `tile`.
    """

    kpi: str = Field(description="The KPI key the breakdown belongs to.")
    kind: Literal["sum", "ratio"] = Field(
        description="sum: values add up to the tile; ratio: numerators and denominators add up "
        "to the tile's, and their quotient is the tile's value."
    )
    over: str = Field(description="One line saying what the slices are taken over.")
    rows: int = Field(description="Detail rows the attributed slices are computed from.")
    tile: float | None = Field(description="The tile's value (the KPI itself).")
    attributed: float = Field(description="Σ value of the slices computed from detail rows.")
    unattributed: float = Field(
        description="Tile amount the detail rows do not account for (its own slice when not 0)."
    )
    reconciles: bool = Field(
        description="True when the detail rows account for the whole tile (nothing unattributed)."
    )
    difference: float | None = Field(
        description="Tile − attributed value (the unattributed amount); null without a tile."
    )
    numerator: float | None = Field(default=None, description="Ratio KPIs: the tile's numerator.")
    denominator: float | None = Field(
        default=None, description="Ratio KPIs: the tile's denominator."
    )
    denominator_difference: float | None = Field(
        default=None, description="Ratio KPIs: tile denominator − attributed denominator."
    )


class AtRiskCustomer(_Model):
    """A customer likely to churn, ranked by expected loss."""

    id: int = Field(description="retention_at_risk.id")
    customer: str = Field(description="Customer name.")
    mrr: float = Field(description="Monthly recurring revenue at risk.")
    risk: float = Field(description="Churn probability 0–1 (normalised on read).")
    expected_loss: float = Field(description="mrr × risk (monthly).")
    reason: str | None = Field(description="Why the customer is at risk.")


class FunnelStage(_Model):
    """One sales funnel stage over the window."""

    stage: str = Field(description="Leads, MQL, SQL or Won.")
    count: int = Field(description="Σ pipeline_stages_daily.value over the window.")
    conversion: float | None = Field(
        description="count / previous stage's count (null for Leads or a zero previous)."
    )


class RepurchaseRate(_Model):
    """Mean repurchase rate of one device type."""

    device_type: str = Field(description="devices type.")
    repurchase_rate: float | None = Field(description="Mean repurchase rate 0–1.")
    rows: int = Field(description="Rows averaged.")


class DomainOverview(_Model):
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


class KpiDrilldown(_Model):
    """One executive KPI: its series at the window's granularity and an optional breakdown."""

    key: str = Field(description="KPI key.")
    timeframe: Timeframe = Field(description="The window.")
    kpi: Kpi = Field(description="The KPI on the window.")
    series: Series = Field(description="The KPI per period.")
    dimensions: list[str] = Field(description="Dimensions this KPI can be broken down by.")
    breakdown: KpiBreakdown | None = Field(description="The breakdown asked for, if any.")
    actuals: Series | None = Field(
        default=None,
        description="Forecast only: monthly recognized revenue of the window, whatever the "
        "granularity, so the forecast month can be drawn after it.",
    )
    plan_series: Series | None = Field(
        default=None, description="The active plan per period, aggregated like the KPI."
    )
    off_plan: list[PlanPoint] = Field(
        default_factory=list,
        description="The window's periods with a plan, furthest off plan (worst) first.",
    )


def seed_unit(unit: Unit, currency_symbol: str = "£") -> str:
    """The unit text of the seed contract and `executive_kpis.unit`: '£', 'mo' or 'ratio'."""
    if unit == "currency":
        return currency_symbol
    if unit == "months":
        return "mo"
    return unit
