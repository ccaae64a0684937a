"""Result models of the insights package; the API serves them as they are (they are its schemas)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from execdash.metrics.models import Timeframe, Unit


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Driver(_Model):
    """One slice's part of a KPI's change (a waterfall bar)."""

    name: str = Field(description="Slice name, 'other' or 'unattributed'.")
    kind: Literal["slice", "other", "unattributed"] = Field(
        description="slice; other (slices outside the top, summed); unattributed (the part of the "
        "tile no slice's detail rows explain)."
    )
    previous: float = Field(description="The slice's measure in the previous window.")
    current: float = Field(description="The slice's measure in the window.")
    contribution: float = Field(
        description="Its part of the KPI's change, in the KPI's unit (a ratio's part is a "
        "fraction: 0.003 = 0.3 pts); all contributions sum to `change`."
    )
    status: Literal["new", "lost", "continuing", "absent"] = Field(
        description="new: only in the window; lost: only in the previous window."
    )
    mix: float | None = Field(default=None, description="Ratio KPIs: the part due to mix.")
    rate: float | None = Field(default=None, description="Ratio KPIs: the part due to the rate.")
    previous_rate: float | None = Field(default=None, description="The slice's own ratio before.")
    current_rate: float | None = Field(default=None, description="The slice's own ratio now.")
    members: int = Field(description="Slices summed in this bar (more than 1 only for 'other').")


class SliceSet(_Model):
    """Slices present in one window only."""

    count: int = Field(description="How many slices.")
    value: float = Field(description="Their Σ measure (window for new, previous window for lost).")
    contribution: float = Field(description="Their Σ contribution to the change.")
    names: list[str] = Field(description="The largest few, by measure.")


class Concentration(_Model):
    """Share of the largest slices in the measure's total (positive slices only)."""

    top1: float | None = Field(description="Largest slice's share in the window.")
    top5: float | None = Field(description="Five largest slices' share in the window.")
    previous_top1: float | None = Field(description="Largest slice's share before.")
    previous_top5: float | None = Field(description="Five largest slices' share before.")
    largest: str | None = Field(description="Name of the largest slice in the window.")


class KpiDrivers(_Model):
    """A KPI's change against the previous window, split into per-slice contributions."""

    key: str = Field(description="KPI key.")
    label: str = Field(description="KPI label.")
    unit: Unit = Field(description="The KPI's unit (contributions are in it).")
    dimension: str = Field(description="customer, industry, source or product.")
    dimensions: list[str] = Field(description="The dimensions this KPI can be explained by.")
    timeframe: Timeframe = Field(description="The window; the comparison is its previous window.")
    method: Literal["sum", "mix_rate", "none"] = Field(
        description="sum: each slice's own change; mix_rate: ratio of sums split into mix and "
        "rate; none: not computable (see `note`)."
    )
    explanation: str = Field(description="How the contributions are computed, in words.")
    measure: str = Field(description="What each slice's previous/current measure is.")
    measure_unit: Unit = Field(description="Unit of the slices' measures.")
    previous: float | None = Field(description="The KPI on the previous window.")
    current: float | None = Field(description="The KPI on the window.")
    change: float | None = Field(description="current − previous (absolute, in the KPI's unit).")
    drivers: list[Driver] = Field(
        description="Waterfall order: largest movers up, then down, then other, unattributed "
        "and denominator; contributions sum to `change`."
    )
    top_up: list[Driver] = Field(description="Up to 3 slices that added the most.")
    top_down: list[Driver] = Field(description="Up to 3 slices that took away the most.")
    new: SliceSet = Field(description="Slices present only in the window.")
    lost: SliceSet = Field(description="Slices present only in the previous window.")
    concentration: Concentration = Field(description="Top-1 / top-5 share of the measure.")
    slices: int = Field(description="Distinct slices in either window.")
    note: str | None = Field(default=None, description="Why drivers are missing, when they are.")


class MovementCounts(_Model):
    """Customers behind each movement (distinct customers over a window)."""

    opening: int = Field(description="Customers with MRR in the opening month.")
    new: int = Field(description="Customers whose first recurring month it was.")
    reactivation: int = Field(description="Customers back after a month or more without MRR.")
    expansion: int = Field(description="Customers paying more than the month before.")
    contraction: int = Field(description="Customers paying less (but not nothing).")
    churn: int = Field(description="Customers paying nothing after paying the month before.")
    closing: int = Field(description="Customers with MRR in the closing month.")


class MrrBridge(_Model):
    """Opening MRR + movements = closing MRR, for one month or a whole window."""

    period: str = Field(description="YYYY-MM, or YYYY-MM..YYYY-MM for a window.")
    opening_month: str = Field(description="The month whose MRR is the opening (YYYY-MM).")
    opening: float = Field(description="MRR of the opening month.")
    new: float = Field(description="MRR of customers in their first recurring month.")
    reactivation: float = Field(description="MRR of returning customers.")
    expansion: float = Field(description="Increase from customers paying more.")
    contraction: float = Field(description="Decrease from customers paying less (≤ 0).")
    churn: float = Field(description="MRR lost from customers paying nothing now (≤ 0).")
    unattributed: float = Field(description="Change of recurring orders that name no customer.")
    closing: float = Field(description="MRR of the closing month; = opening + every movement.")
    net_change: float = Field(description="closing − opening.")
    customers: MovementCounts = Field(description="Customers per movement.")
    arpa: float | None = Field(description="Closing MRR ÷ closing customers (per account).")
    logo_churn_rate: float | None = Field(
        description="Churned customers ÷ opening customers, summed over the months (monthly)."
    )
    revenue_churn_rate: float | None = Field(
        description="−(churn + contraction) ÷ opening MRR, summed over the months (monthly)."
    )
    expansion_rate: float | None = Field(
        description="Expansion ÷ opening MRR, summed over the months (monthly)."
    )


class RetentionCheck(_Model):
    """NRR, gross churn and expansion computed from orders next to the stored retention_nrr."""

    month: str = Field(description="YYYY-MM: the cohort is the customers paying 12 months before.")
    cohort_customers: int = Field(description="Customers paying 12 months before.")
    nrr: float | None = Field(description="Their MRR now ÷ their MRR then, from the orders.")
    stored_nrr: float | None = Field(description="retention_nrr.nrr of that month (0–1 scale).")
    nrr_difference: float | None = Field(description="nrr − stored_nrr.")
    gross_churn: float | None = Field(description="MRR they lost ÷ their MRR then.")
    stored_gross_churn: float | None = Field(description="retention_nrr.gross_churn.")
    gross_churn_difference: float | None = Field(description="gross_churn − stored.")
    expansion: float | None = Field(description="MRR they added ÷ their MRR then.")
    stored_expansion: float | None = Field(description="retention_nrr.expansion.")
    expansion_difference: float | None = Field(description="expansion − stored.")


class MrrMovements(_Model):
    """MRR/ARR movements per month of the window and for the window as a whole."""

    timeframe: Timeframe = Field(description="The window.")
    window: MrrBridge = Field(description="Opening at the month before the window, to its end.")
    months: list[MrrBridge] = Field(description="One bridge per month of the window, oldest first.")
    arr_opening: float = Field(description="12 × opening MRR.")
    arr_closing: float = Field(description="12 × closing MRR (the ARR tile's value).")
    checks: list[RetentionCheck] = Field(
        description="Per month of the window: trailing-12-month retention from the orders vs "
        "the stored retention_nrr; differences are reported, never hidden."
    )
    source: str = Field(description="What the MRR was read from.")


class Part(_Model):
    """A piece of a sentence; a figure links to the page and the API answer it comes from."""

    text: str = Field(description="The words or the formatted figure.")
    href: str | None = Field(default=None, description="Page showing the figure, if a figure.")
    source: str | None = Field(default=None, description="API path whose answer holds it.")


class Statement(_Model):
    """One sentence of the summary, with what it is about and whether it is good news."""

    topic: str = Field(description="KPI key, or mrr, alerts, risks, at_risk, steady, forecast.")
    tone: Literal["good", "bad", "neutral"] = Field(description="Favourable, unfavourable or not.")
    text: str = Field(description="The sentence.")
    parts: list[Part] = Field(description="The sentence in pieces; figures carry their links.")


class Summary(_Model):
    """A deterministic written summary of the window: what moved, why, and what to act on."""

    timeframe: Timeframe = Field(description="The window.")
    headline: str = Field(description="The first two statements.")
    text: str = Field(description="Every statement, in order, as one paragraph.")
    statements: list[Statement] = Field(description="Ordered by the rules in `rules`.")
    highlights: list[str] = Field(description="Favourable statements.")
    cautions: list[str] = Field(description="Unfavourable statements, alerts, risks.")
    actions: list[str] = Field(description="What to act on, most urgent first.")
    rules: list[str] = Field(description="The materiality and ordering rules applied.")
