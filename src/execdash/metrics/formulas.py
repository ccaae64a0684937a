"""The ten executive KPIs as pure functions of monthly facts: value plus the inputs it used.

`Facts` holds the few monthly aggregates the database gave; each function below reads only the
months its definition names, so the same facts serve the window and the previous window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from execdash.metrics.forecast import forecast_next, pipeline_estimate
from execdash.metrics.models import ProvenanceInput, Unit
from execdash.metrics.series import aggregate, divide
from execdash.metrics.windows import Window, add_months, month_key

COVERAGE_MONTHS = 6

Monthly = dict[dt.date, float]


@dataclass(slots=True)
class Facts:
    """Monthly aggregates (keyed by first-of-month) that the ten KPIs are computed from."""

    recognized: Monthly = field(default_factory=dict)
    booked: Monthly = field(default_factory=dict)
    backlog: Monthly = field(default_factory=dict)
    uptime: Monthly = field(default_factory=dict)
    nrr: Monthly = field(default_factory=dict)
    gross_churn: Monthly = field(default_factory=dict)
    expansion: Monthly = field(default_factory=dict)
    order_amount: Monthly = field(default_factory=dict)
    order_profit: Monthly = field(default_factory=dict)
    recurring_amount: Monthly = field(default_factory=dict)
    expenses: Monthly = field(default_factory=dict)
    new_mrr: dict[tuple[dt.date, dt.date], tuple[float | None, int]] = field(default_factory=dict)
    """(start_month, end_month) of a window → (new MRR in its end month, new customers)."""
    pipeline_sql: Monthly = field(default_factory=dict)
    won_deals: Monthly = field(default_factory=dict)
    win_rate: Monthly = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Result:
    """A KPI value with the formula in words and its actual inputs."""

    value: float | None
    formula: str
    inputs: list[ProvenanceInput]
    months: list[str]
    extra: dict[str, object] = field(default_factory=dict)
    cover: tuple[int, int] = (0, 0)
    """Months the value is computed over (the window's, or the 6 of backlog coverage), and how
    many of them have data in every table the KPI reads."""


def covered(months: tuple[dt.date, ...] | list[dt.date], *series: Monthly) -> tuple[int, int]:
    """Months needed, and months present in every one of `series`."""
    return len(months), sum(1 for m in months if all(m in one for one in series))


def _keys(months: tuple[dt.date, ...] | list[dt.date]) -> list[str]:
    return [month_key(m) for m in months]


def _inp(name: str, value: float | None, detail: str | None = None) -> ProvenanceInput:
    return ProvenanceInput(name=name, value=value, detail=detail)


def revenue(w: Window, f: Facts) -> Result:
    """Σ recognized over the window (None when no month has data)."""
    value = aggregate("flow", f.recognized, w.months)
    held = [m for m in w.months if m in f.recognized]
    return Result(
        value,
        "Sum of revenue_trend.recognized over the window's months",
        [_inp("Σ recognized", value, f"{len(held)} of {w.length} months with data")],
        _keys(w.months),
        cover=covered(w.months, f.recognized),
    )


def backlog(w: Window, f: Facts) -> Result:
    """revenue_trend.backlog at the end month."""
    value = f.backlog.get(w.end_month)
    return Result(
        value,
        "revenue_trend.backlog at the window's end month (period-end stock)",
        [_inp("backlog", value, w.as_of)],
        [w.as_of],
        cover=covered(w.months, f.backlog),
    )


def uptime(w: Window, f: Facts) -> Result:
    """Day-weighted mean of ops_uptime.uptime over the window."""
    value = aggregate("rate", f.uptime, w.months)
    held = [m for m in w.months if m in f.uptime]
    return Result(
        value,
        "Mean of ops_uptime.uptime over the window, each month weighted by its days",
        [_inp("day-weighted mean uptime", value, f"{len(held)} months with data")],
        _keys(held),
        cover=covered(w.months, f.uptime),
    )


def nrr(w: Window, f: Facts) -> Result:
    """retention_nrr.nrr of the latest row at or before the end month, with that row's churn and
    expansion so the identity NRR = 1 − churn + expansion can be checked."""
    candidates = [m for m in f.nrr if m <= w.end_month]
    month = max(candidates) if candidates else None
    value = f.nrr[month] if month is not None else None
    at = month_key(month) if month else None
    churn = f.gross_churn.get(month) if month else None
    expansion = f.expansion.get(month) if month else None
    identity = 1 - churn + expansion if churn is not None and expansion is not None else None
    return Result(
        value,
        "retention_nrr.nrr of the latest month at or before the window's end month (trailing "
        "12 months); NRR = 1 − gross churn + expansion of the same row",
        [
            _inp("nrr", value, at),
            _inp("gross churn (same month, trailing 12 months)", churn, at),
            _inp("expansion (same month, trailing 12 months)", expansion, at),
            _inp("1 − churn + expansion", identity, at),
        ],
        [at] if at else [],
        cover=covered(w.months, f.nrr),
    )


def gm(w: Window, f: Facts) -> Result:
    """Σ orders.profit / Σ orders.amount over orders dated in the window."""
    profit = aggregate("flow", f.order_profit, w.months)
    amount = aggregate("flow", f.order_amount, w.months)
    return Result(
        divide(profit, amount),
        "Σ orders.profit / Σ orders.amount, orders dated in the window",
        [_inp("Σ profit", profit), _inp("Σ amount", amount)],
        _keys(w.months),
        cover=covered(w.months, f.order_amount),
    )


def payback(w: Window, f: Facts) -> Result:
    """Σ expenses in W / (new MRR × gm); None when new MRR or gm is missing, zero or negative."""
    cost = aggregate("flow", f.expenses, w.months)
    margin = gm(w, f).value
    new, customers = f.new_mrr.get((w.start_month, w.end_month), (None, 0))
    denominator = new * margin if new is not None and margin is not None else None
    value = divide(cost, denominator) if denominator is not None and denominator > 0 else None
    return Result(
        value,
        "Σ expenses.cost in the window / (new MRR × gross margin); new MRR = subscription/"
        "recurring amount in the end month from customers whose first such order is in the window",
        [
            _inp("Σ expenses", cost),
            _inp("new MRR", new, f"{customers} new recurring customers, {w.as_of}"),
            _inp("gross margin", margin),
        ],
        _keys(w.months),
        cover=covered(w.months, f.expenses, f.order_amount),
    )


def book_to_bill(w: Window, f: Facts) -> Result:
    """Σ booked / Σ recognized over the window."""
    booked = aggregate("flow", f.booked, w.months)
    recognized = aggregate("flow", f.recognized, w.months)
    return Result(
        divide(booked, recognized),
        "Σ revenue_trend.booked / Σ revenue_trend.recognized over the window",
        [_inp("Σ booked", booked), _inp("Σ recognized", recognized)],
        _keys(w.months),
        cover=covered(w.months, f.booked, f.recognized),
    )


def coverage_months(w: Window, f: Facts) -> Result:
    """Backlog at end / mean monthly recognized of the 6 months ending at end, for any range."""
    six = w.trailing(COVERAGE_MONTHS)
    total = aggregate("flow", f.recognized, six)
    mean = total / COVERAGE_MONTHS if total is not None else None
    value_backlog = f.backlog.get(w.end_month)
    return Result(
        divide(value_backlog, mean),
        "Backlog at the end month / (Σ recognized over the 6 months ending there ÷ 6)",
        [
            _inp("backlog", value_backlog, w.as_of),
            _inp("Σ recognized, 6 months", total, f"{month_key(six[0])}..{w.as_of}"),
            _inp("mean monthly recognized", mean),
        ],
        _keys(six),
        cover=covered(six, f.recognized),
    )


def arr(w: Window, f: Facts) -> Result:
    """12 × MRR; MRR = Σ subscription/recurring order amount dated in the end month."""
    mrr = f.recurring_amount.get(w.end_month)
    return Result(
        12 * mrr if mrr is not None else None,
        "12 × MRR; MRR = Σ orders.amount of type subscription or recurring dated in the end month",
        [_inp("MRR", mrr, w.as_of)],
        [w.as_of],
        cover=covered(w.months, f.recurring_amount),
    )


def forecast(w: Window, f: Facts) -> Result:
    """Next month's recognized revenue from the history up to the end month."""
    history = [f.recognized[m] for m in sorted(f.recognized) if m <= w.end_month]
    # Without the end month's actual the model would forecast the month after the data, not
    # the month after the window: nothing is forecast rather than the wrong month.
    result = forecast_next(history if w.end_month in f.recognized else [])
    pipeline = f.pipeline_sql.get(w.end_month)
    won = aggregate("flow", f.won_deals, w.months)
    booked = aggregate("flow", f.booked, w.months)
    win = f.win_rate.get(w.end_month)
    estimate = pipeline_estimate(pipeline, win, won, booked)
    words = {
        "holt_damped": "Damped-trend Holt forecast of monthly recognized revenue (80% interval)",
        "trailing_3m_mean": "Mean recognized revenue of the last 3 months × 1.02",
        "none": f"No recognized revenue for {w.end_month:%b %Y} to forecast from",
    }[result.method]
    return Result(
        result.value,
        words,
        [
            _inp("months of history", float(result.history)),
            _inp("pipeline (SQL, end month)", pipeline),
            _inp("win rate (end month)", win),
            _inp("mean won deal size", divide(booked, won)),
            _inp("pipeline estimate", estimate),
        ],
        [month_key(m) for m in sorted(f.recognized) if m <= w.end_month],
        {"forecast": result, "pipeline_estimate": estimate, "month": add_months(w.end_month, 1)},
        cover=covered(w.months, f.recognized),
    )


Formula = Callable[[Window, Facts], Result]
KPI_DEFS: tuple[tuple[str, str, Unit, Literal["up", "down"], Formula], ...] = (
    ("revenue", "Revenue", "currency", "up", revenue),
    ("backlog", "Backlog", "currency", "up", backlog),
    ("uptime", "Uptime", "ratio", "up", uptime),
    ("nrr", "Net revenue retention", "ratio", "up", nrr),
    ("gm", "Gross margin", "ratio", "up", gm),
    ("payback", "CAC payback", "months", "down", payback),
    ("book_to_bill", "Book-to-bill", "ratio", "up", book_to_bill),
    ("coverage_months", "Backlog coverage", "months", "up", coverage_months),
    ("arr", "ARR", "currency", "up", arr),
    ("forecast", "Revenue forecast (next month)", "currency", "up", forecast),
)
"""key, label, unit kind, good direction, formula — in the order the dashboard shows them."""

KPI_KEYS: tuple[str, ...] = tuple(d[0] for d in KPI_DEFS)

NEEDS: dict[str, frozenset[str]] = {
    "revenue": frozenset({"recognized"}),
    "backlog": frozenset({"backlog"}),
    "uptime": frozenset({"uptime"}),
    "nrr": frozenset({"nrr", "gross_churn", "expansion"}),
    "gm": frozenset({"order_amount", "order_profit"}),
    "payback": frozenset({"expenses", "order_amount", "order_profit", "new_mrr"}),
    "book_to_bill": frozenset({"booked", "recognized"}),
    "coverage_months": frozenset({"backlog", "recognized"}),
    "arr": frozenset({"recurring_amount"}),
    "forecast": frozenset({"recognized", "pipeline_sql", "won_deals", "booked", "win_rate"}),
}
"""The `Facts` fields each KPI's formula reads: a drill-down fetches only its KPI's (the new-MRR
cohort lookups, most of a drill-down's reads, only for CAC payback)."""
