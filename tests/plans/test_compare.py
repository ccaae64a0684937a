"""Variance, attainment and status against a plan, by hand, for every aggregation kind and for a
mid-year revision (the budget and its reforecast judged on the same actuals)."""

from __future__ import annotations

import datetime as dt

import pytest

from execdash.metrics.executive import kpis_from_facts
from execdash.metrics.formulas import Facts
from execdash.metrics.models import Kpi
from execdash.metrics.windows import Window
from execdash.plans.compare import PlanRef, attainment, compare_kpi, judge, rule_text, shortfall

MONTHS = [dt.date(2026, m, 1) for m in range(1, 13)]
H1, H2 = MONTHS[:6], MONTHS[6:]
WINDOW = Window("6m", "month", MONTHS[0], MONTHS[5])
BUDGET = PlanRef(1, "Budget FY2026", 1)
REFORECAST = PlanRef(2, "Reforecast Q2", 1)


def _facts() -> Facts:
    """Six months of actuals, January to June 2026: too short for Holt, so the landing uses the
    trailing 3-month mean (× 1.02 for money, flat for rates and stocks)."""
    f = Facts()
    f.recognized = dict.fromkeys(H1, 100.0)
    f.uptime = dict.fromkeys(H1, 0.98)
    f.backlog = {MONTHS[3]: 480.0, MONTHS[4]: 490.0, MONTHS[5]: 500.0}
    f.order_amount = dict.fromkeys(H1, 1000.0)
    f.order_profit = dict.fromkeys(H1, 400.0)  # gm 0.40
    f.expenses = dict.fromkeys(H1, 100.0)
    f.new_mrr[(MONTHS[0], MONTHS[5])] = (150.0, 3)  # payback = 600 / (150 × 0.4) = 10 months
    return f


def _budget() -> dict[str, dict[dt.date, float]]:
    return {
        "revenue": dict.fromkeys(MONTHS, 110.0),
        "uptime": dict.fromkeys(MONTHS, 0.99),
        "backlog": dict.fromkeys(MONTHS, 600.0),
        "gm": dict.fromkeys(MONTHS, 0.41),
        "payback": dict.fromkeys(MONTHS, 12.0),
    }


def _reforecast() -> dict[str, dict[dt.date, float]]:
    """The budget revised from July: revenue 100 a month and gross margin 39%."""
    plan = _budget()
    plan["revenue"].update(dict.fromkeys(H2, 100.0))
    plan["gm"].update(dict.fromkeys(H2, 0.39))
    return plan


def _kpi(key: str, facts: Facts) -> Kpi:
    return next(k for k in kpis_from_facts(WINDOW, facts) if k.key == key)


def _compare(
    key: str, plan: dict[str, dict[dt.date, float]], ref: PlanRef = BUDGET, start: int = 1
):  # type: ignore[no-untyped-def]
    facts = _facts()
    return compare_kpi(_kpi(key, facts), WINDOW, facts, plan, ref, start)


def test_flow_revenue_against_the_budget() -> None:
    c = _compare("revenue", _budget())
    assert (c.start_month, c.end_month, c.months, c.window_months) == ("2026-01", "2026-06", 6, 6)
    assert (c.plan, c.actual, c.variance) == (660.0, 600.0, -60.0)
    assert c.variance_pct == pytest.approx(-60 / 660)
    assert c.attainment == pytest.approx(600 / 660)
    assert (c.variance_unit, c.favourable) == ("relative", False)
    p = c.period
    assert p is not None
    assert (p.key, p.start_month, p.end_month, p.months) == ("FY2026", "2026-01", "2026-12", 12)
    # landing = 600 actual + 6 × (mean of the last three months 100 × 1.02) = 600 + 612
    assert p.landing == pytest.approx(1212.0)
    assert (p.plan, p.method, p.actual_months, p.forecast_months) == (
        1320.0,
        "trailing_3m_mean",
        6,
        6,
    )
    # 108 / 1320 = 8.2% short: beyond 5%
    assert p.gap_pct == pytest.approx(-108 / 1320)
    assert c.status == "off_track"


def test_mid_year_revision_changes_the_plan_and_the_status_not_the_actuals() -> None:
    c = _compare("revenue", _reforecast(), REFORECAST)
    assert (c.plan_name, c.plan, c.actual) == ("Reforecast Q2", 660.0, 600.0)  # H1 unchanged
    assert c.period is not None
    assert c.period.plan == 1260.0  # 6 × 110 + 6 × 100
    assert c.period.landing == pytest.approx(1212.0)
    assert c.period.gap_pct == pytest.approx(-48 / 1260)  # 3.8% short: at risk
    assert c.status == "at_risk"


def test_rate_uptime_is_day_weighted_and_in_points() -> None:
    c = _compare("uptime", _budget())
    assert c.plan == pytest.approx(0.99)
    assert c.actual == pytest.approx(0.98)
    assert c.variance == pytest.approx(-0.01)  # −1.0 pt
    assert c.variance_unit == "points"
    assert c.attainment == pytest.approx(0.98 / 0.99)
    assert c.period is not None
    assert c.period.landing == pytest.approx(0.98)  # held flat, no growth for a rate
    assert c.status == "at_risk"  # 1 pt short: more than 0.5, at most 2


def test_stock_backlog_compares_the_period_end() -> None:
    c = _compare("backlog", _budget())
    assert (c.plan, c.actual, c.variance) == (600.0, 500.0, -100.0)
    assert c.period is not None
    # December lands at the mean of April–June (480, 490, 500), held flat
    assert c.period.landing == pytest.approx(490.0)
    assert c.period.plan == 600.0
    assert c.status == "off_track"  # 110 / 600 = 18% short


def test_ratio_gm_is_weighted_by_planned_revenue_after_a_revision() -> None:
    budget = _compare("gm", _budget())
    assert budget.plan == pytest.approx(0.41)
    assert budget.actual == pytest.approx(0.40)
    assert budget.variance == pytest.approx(-0.01)
    assert budget.status == "at_risk"  # landing 408 / 1020 = 0.40: 1 pt short
    revised = _compare("gm", _reforecast(), REFORECAST)
    assert revised.period is not None
    # (0.41 × 110 × 6 + 0.39 × 100 × 6) / (660 + 600) = 504.6 / 1260
    assert revised.period.plan == pytest.approx(504.6 / 1260)
    assert revised.period.landing == pytest.approx(0.40)
    assert revised.status == "on_track"  # 0.05 pt short


def test_down_is_good_payback_lands_at_its_value_to_date() -> None:
    c = _compare("payback", _budget())
    assert (c.plan, c.actual) == (12.0, pytest.approx(10.0))
    assert c.variance == pytest.approx(-2.0)
    assert c.attainment == pytest.approx(1.2)  # plan / actual where down is good
    assert c.favourable is True
    assert c.period is not None
    assert (c.period.method, c.period.landing) == ("to_date", pytest.approx(10.0))
    assert c.status == "on_track"
    assert "lower is better" in c.rule
    assert "above plan" in c.rule


def test_forecast_is_compared_with_the_revenue_plan_of_its_month() -> None:
    budget = _compare("forecast", _budget())
    assert (budget.start_month, budget.plan) == ("2026-07", 110.0)
    assert budget.actual == pytest.approx(102.0)  # 100 × 1.02
    assert budget.status == "off_track"  # 8 / 110 = 7.3% short
    revised = _compare("forecast", _reforecast(), REFORECAST)
    assert revised.attainment == pytest.approx(1.02)
    assert revised.status == "on_track"


def test_plan_period_follows_the_fiscal_year_start() -> None:
    c = _compare("revenue", _budget(), start=4)
    assert c.period is not None
    # FY2027 runs April 2026 – March 2027; the plan has April–December 2026
    assert (c.period.key, c.period.start_month, c.period.end_month) == (
        "FY2027",
        "2026-04",
        "2026-12",
    )
    assert c.period.plan == 990.0
    assert c.period.landing == pytest.approx(300 + 612)


def test_window_before_the_plan_has_no_plan_and_no_status() -> None:
    facts = _facts()
    early = Window("3m", "month", dt.date(2025, 1, 1), dt.date(2025, 3, 1))
    kpi = next(k for k in kpis_from_facts(early, facts) if k.key == "revenue")
    c = compare_kpi(kpi, early, facts, _budget(), BUDGET)
    assert (c.plan, c.actual, c.months, c.period, c.status) == (None, None, 0, None, None)


def test_status_thresholds_and_shortfall() -> None:
    assert judge(0.02, "relative") == "on_track"
    assert judge(0.0201, "relative") == "at_risk"
    assert judge(0.05, "relative") == "at_risk"
    assert judge(0.0501, "relative") == "off_track"
    assert judge(-0.5, "relative") == "on_track"
    assert judge(0.005, "points") == "on_track"
    assert judge(0.02, "points") == "at_risk"
    assert judge(0.021, "points") == "off_track"
    assert judge(None, "points") is None
    assert shortfall(90.0, 100.0, "relative", "up") == pytest.approx(0.1)
    assert shortfall(90.0, 100.0, "relative", "down") == pytest.approx(-0.1)
    assert shortfall(0.97, 0.99, "points", "up") == pytest.approx(0.02)
    assert shortfall(1.0, 0.0, "relative", "up") is None
    assert attainment(-1.0, 10.0, "up") is None


def test_rule_names_the_thresholds_in_the_kpis_unit() -> None:
    assert rule_text("revenue", "relative", "up", "FY2026") == (
        "Judged on where FY2026 is forecast to land against its plan (higher is better): on "
        "track when at most 2% below plan, at risk when at most 5% below, off track beyond."
    )
    assert "0.5 pts below" in rule_text("uptime", "points", "up", "FY2026")
    assert "0.005× below" in rule_text("book_to_bill", "points", "up", "FY2026")


def test_against_plan_makes_the_plan_the_kpis_comparison() -> None:
    from execdash.plans.compare import against_plan

    facts = _facts()
    kpi = _kpi("revenue", facts)
    kpi = kpi.model_copy(update={"plan": compare_kpi(kpi, WINDOW, facts, _budget(), BUDGET)})
    moved = against_plan(kpi)
    assert (moved.value, moved.previous, moved.change) == (600.0, 660.0, -60.0)
    assert moved.delta == pytest.approx(-60 / 660)
    assert (moved.direction, moved.favourable, moved.comparable) == ("down", False, True)
    assert moved.coverage is not None
    assert (moved.coverage.previous_start_month, moved.coverage.previous_end_month) == (
        "2026-01",
        "2026-06",
    )
    short = {"revenue": dict.fromkeys(MONTHS[3:], 110.0)}  # April–December only
    partial = kpi.model_copy(update={"plan": compare_kpi(kpi, WINDOW, facts, short, BUDGET)})
    withheld = against_plan(partial)
    assert (withheld.previous, withheld.comparable, withheld.favourable) == (330.0, False, None)
    assert against_plan(_kpi("revenue", facts)).previous is None  # no plan: unchanged
