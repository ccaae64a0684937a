"""Result models of one number: its window, a KPI tile (provenance, coverage) and a series."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from execdash.metrics import fiscal
from execdash.metrics.comparisons import DEFAULT_COMPARISON, comparison
from execdash.metrics.planned import PlanComparison
from execdash.metrics.windows import Window

Unit = Literal[
    "currency", "ratio", "months", "count", "days", "hours", "grams", "per_year", "score"
]
Direction = Literal["up", "down", "flat"]
Kind = Literal["flow", "stock", "rate", "ratio"]
ForecastMethod = Literal["holt_damped", "trailing_3m_mean", "none"]


class Frozen(BaseModel):
    """An immutable result model (the API serves these as they are)."""

    model_config = ConfigDict(frozen=True)


class Timeframe(Frozen):
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
        "(the same number of months just before), last_year (the same months a year earlier) "
        "or plan (the active plan over the window's months).",
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


class DataQualityWarning(Frozen):
    """A stored value execdash had to reinterpret (e.g. a 0–100 percent in a 0–1 column)."""

    table: str = Field(description="Table holding the value.")
    column: str = Field(description="Column holding the value.")
    period: str | None = Field(description="Row's period (YYYY-MM) or key, when it has one.")
    value: float = Field(description="The value as stored.")
    message: str = Field(description="What was wrong and what execdash did about it.")


class ProvenanceInput(Frozen):
    """One number a KPI was computed from."""

    name: str = Field(description="What the number is, e.g. 'Σ revenue_trend.recognized'.")
    value: float | None = Field(description="The number itself (null when missing).")
    detail: str | None = Field(default=None, description="Where it came from, e.g. a month.")


class Provenance(Frozen):
    """How a KPI was computed: the formula in words and the actual inputs."""

    formula: str = Field(description="The formula in words.")
    inputs: list[ProvenanceInput] = Field(description="The numbers that went into the formula.")
    months: list[str] = Field(description="The months (YYYY-MM) the inputs cover.")


class ForecastDetail(Frozen):
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


class Coverage(Frozen):
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
        description="The comparison the previous window is: previous, last_year or plan.",
    )


class Kpi(Frozen):
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


class SeriesPoint(Frozen):
    """One period of a series."""

    period: str = Field(
        description="YYYY-MM, YYYY-Qn (calendar quarters) or FY2026-Q1 (fiscal quarters when "
        "the fiscal year does not start in January)."
    )
    value: float | None = Field(description="The period's value (null when no data).")
    partial: bool = Field(description="True when the window holds only part of the quarter.")
    months: int = Field(description="Months of the period inside the window.")


class Series(Frozen):
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


def seed_unit(unit: Unit, currency_symbol: str = "£") -> str:
    """The unit text of the seed contract and `executive_kpis.unit`: '£', 'mo' or 'ratio'."""
    if unit == "currency":
        return currency_symbol
    if unit == "months":
        return "mo"
    return unit
