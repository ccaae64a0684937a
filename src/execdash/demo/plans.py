"""The demo company's plans: a budget for the fiscal year holding the last month, set from the
year before it, and a mid-year reforecast (from the seventh month) made active."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from execdash.db.engine import begin_write
from execdash.metrics.executive import fetch_facts
from execdash.metrics.formulas import KPI_DEFS, Facts
from execdash.metrics.windows import Window, add_months, month_key
from execdash.plans import store
from execdash.plans.compare import PlanRef, fiscal_year

FORMULAS = {d[0]: d[4] for d in KPI_DEFS}
GROWN = ("revenue", "backlog", "arr")
"""Budgeted at the same month a year before × (last year's revenue growth + STRETCH)."""
STRETCH = 0.04
FLAT = {"uptime": 0.99, "nrr": 1.06, "book_to_bill": 1.05}
REVISED_FROM = 6
"""The reforecast revises the months after the first six of the fiscal year."""


def _month_value(key: str, month: dt.date, facts: Facts) -> float | None:
    return FORMULAS[key](Window("3m", "month", month, month), facts).value


def _round(key: str, value: float) -> float:
    if key in ("revenue", "backlog", "arr"):
        return round(value, -3)
    if key in ("payback", "coverage_months"):
        return round(value * 2) / 2
    return round(value, 3)


def budget_rows(facts: Facts, year: tuple[dt.date, ...]) -> list[store.Row]:
    """Targets for every month of `year` from the same month a year earlier (pure)."""
    last_year = Window("12m", "month", add_months(year[0], -12), add_months(year[-1], -12))
    gm = FORMULAS["gm"](last_year, facts).value
    payback = FORMULAS["payback"](last_year, facts).value
    year_before = Window("12m", "month", add_months(year[0], -24), add_months(year[-1], -24))
    grown = FORMULAS["revenue"](last_year, facts).value
    base = FORMULAS["revenue"](year_before, facts).value
    growth = (grown / base if grown and base else 1.0) + STRETCH
    rows: list[store.Row] = []
    for month in year:
        before = add_months(month, -12)
        targets: dict[str, float | None] = dict(FLAT)
        for key in GROWN:
            value = _month_value(key, before, facts)
            targets[key] = value * growth if value is not None else None
        coverage = _month_value("coverage_months", before, facts)
        targets["coverage_months"] = coverage
        targets["gm"] = gm + 0.01 if gm is not None else None
        targets["payback"] = payback * 0.9 if payback is not None else None
        for key, value in targets.items():
            if value is not None:
                rows.append((key, month_key(month), "", "", _round(key, value)))
    return rows


def reforecast_rows(
    budget: list[store.Row], facts: Facts, year: tuple[dt.date, ...], end: dt.date
) -> list[store.Row]:
    """The budget with its second half revised by how the year so far compares with it (pure):
    revenue, backlog and ARR scaled by actual ÷ budget to date (within 85–105%), the margin and
    uptime set to their level so far."""
    revised_from = year[REVISED_FROM]
    so_far = [m for m in year if m <= end] or list(year[:1])
    to_date = Window("12m", "month", so_far[0], so_far[-1])
    planned = {(k, m): v for k, m, _, _, v in budget}
    scale: dict[str, float] = {}
    for key in GROWN:
        actual = sum(_month_value(key, m, facts) or 0.0 for m in so_far)
        plan = sum(planned.get((key, month_key(m)), 0.0) for m in so_far)
        scale[key] = min(1.05, max(0.85, actual / plan)) if plan else 1.0
    gm = FORMULAS["gm"](to_date, facts).value
    uptime = FORMULAS["uptime"](to_date, facts).value
    rows: list[store.Row] = []
    for key, month, kind, segment, value in budget:
        if dt.date.fromisoformat(month + "-01") >= revised_from:
            if key in scale:
                value = _round(key, value * scale[key])
            elif key == "gm" and gm is not None:
                value = _round(key, gm)
            elif key == "uptime" and uptime is not None:
                value = _round(key, min(uptime, 0.995))
        rows.append((key, month, kind, segment, value))
    return rows


def write_plans(engine: Engine, end_month: dt.date, fiscal_start: int = 1) -> list[PlanRef]:
    """Store the budget and the active reforecast of the fiscal year holding `end_month`."""
    label, year = fiscal_year(end_month, fiscal_start)
    history = Window("24m", "month", add_months(end_month, -23), end_month)
    last_year = Window("12m", "month", add_months(year[0], -12), add_months(year[-1], -12))
    with engine.connect() as conn:
        facts, _ = fetch_facts(conn, history, [last_year])
        conn.rollback()
    budget = budget_rows(facts, year)
    revised = reforecast_rows(budget, facts, year, end_month)
    with begin_write(engine) as conn:
        return [
            store.create_plan(conn, f"Budget {label}", budget, source="execdash demo", user="demo"),
            store.create_plan(
                conn,
                f"Reforecast Q2 {label}",
                revised,
                source="execdash demo",
                user="demo",
                activate=True,
            ),
        ]
