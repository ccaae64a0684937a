"""Result models of a KPI compared with its plan (filled by `execdash.plans`, served as is)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PlanStatus = Literal["on_track", "at_risk", "off_track"]
LandingMethod = Literal["actuals", "holt_damped", "trailing_3m_mean", "to_date", "forecast", "none"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class PlanPeriod(_Model):
    """Where the plan period (the fiscal year holding the window's end) is forecast to land."""

    key: str = Field(description="The plan period, e.g. FY2026 (or a month for the forecast).")
    start_month: str = Field(description="First planned month of the period, YYYY-MM.")
    end_month: str = Field(description="Last planned month of the period, YYYY-MM.")
    months: int = Field(description="Months of the period the plan has targets for.")
    plan: float | None = Field(description="The period's plan, aggregated like the KPI.")
    landing: float | None = Field(
        description="Actuals to date plus the forecast for the rest of the period, aggregated "
        "like the KPI."
    )
    actual_months: int = Field(description="Months of the landing that are actuals.")
    forecast_months: int = Field(description="Months of the landing that are forecast.")
    method: LandingMethod = Field(description="How the rest of the period is forecast.")
    gap: float | None = Field(description="landing − plan.")
    gap_pct: float | None = Field(description="(landing − plan) / |plan|.")


class PlanComparison(_Model):
    """A KPI against the active plan: on the window's planned months and for the plan period."""

    plan_id: int = Field(description="The plan version compared with.")
    plan_name: str = Field(description="Its name, e.g. 'Budget FY2026'.")
    plan_version: int = Field(description="Its version number.")
    start_month: str | None = Field(description="First month compared (YYYY-MM), null if none.")
    end_month: str | None = Field(description="Last month compared (YYYY-MM), null if none.")
    months: int = Field(description="Months of the window the plan has targets for.")
    window_months: int = Field(description="Months in the window.")
    plan: float | None = Field(
        description="Plan over the compared months, aggregated like the KPI."
    )
    actual: float | None = Field(description="The KPI over the same months.")
    variance: float | None = Field(description="actual − plan (× 100 = points for ratios).")
    variance_pct: float | None = Field(description="(actual − plan) / |plan|.")
    variance_unit: Literal["points", "relative"] = Field(
        description="How the variance is shown: points (ratios) or relative (money, counts)."
    )
    attainment: float | None = Field(
        description="actual / plan (plan / actual where down is good); null when either is not "
        "positive."
    )
    favourable: bool | None = Field(description="The actual is at or better than plan.")
    period: PlanPeriod | None = Field(description="The plan period's landing and plan.")
    status: PlanStatus | None = Field(
        description="on_track / at_risk / off_track, judged on the period's landing vs its plan."
    )
    rule: str = Field(description="The status rule in words.")


class PlanPoint(_Model):
    """One period of a KPI against its plan (a drill-down's 'furthest off plan' row)."""

    period: str = Field(description="YYYY-MM or YYYY-Qn.")
    plan: float | None = Field(description="The period's plan.")
    actual: float | None = Field(description="The KPI on the period.")
    variance: float | None = Field(description="actual − plan.")
    variance_pct: float | None = Field(description="(actual − plan) / |plan|.")
    favourable: bool | None = Field(description="The actual is at or better than plan.")
    shortfall: float | None = Field(
        description="How far worse than plan, in the variance unit (relative or ratio points); "
        "negative when better."
    )
