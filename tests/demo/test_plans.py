"""The demo company's budget and mid-year reforecast: every KPI planned for the fiscal year, the
reforecast active, its first six months the budget's own."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from execdash.demo.plans import write_plans
from execdash.plans import store
from execdash.plans.catalog import PLANNABLE


def test_budget_and_reforecast_for_the_fiscal_year(demo_engine: Engine) -> None:
    budget, reforecast = write_plans(demo_engine, dt.date(2026, 10, 1))
    assert (budget.name, reforecast.name) == ("Budget FY2026", "Reforecast Q2 FY2026")
    with demo_engine.connect() as conn:
        assert store.active_plan(conn) == reforecast
        before = {(k, m): v for k, m, _, _, v in store.rows_of(conn, budget.id)}
        after = {(k, m): v for k, m, _, _, v in store.rows_of(conn, reforecast.id)}
    assert len(before) == len(after) == len(PLANNABLE) * 12
    assert {m for _, m in before} == {f"2026-{i:02d}" for i in range(1, 13)}
    assert all(after[k] == v for k, v in before.items() if k[1] <= "2026-06")
    revised = {k for k, v in before.items() if after[k] != v}
    assert revised
    assert all(month >= "2026-07" for _, month in revised)
    assert 0.95 <= before[("uptime", "2026-01")] <= 1
    assert before[("revenue", "2026-12")] > before[("revenue", "2026-01")] > 100_000
