"""The funnel: strict daily stage order, win rates from the daily counts, visits from leads."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from tests.demo.conftest import END

DAY_MONTH = "substr(CAST(period AS TEXT), 1, 7)"


def _daily(q: Any) -> dict[str, dict[str, int]]:
    days: dict[str, dict[str, int]] = defaultdict(dict)
    for period, stage, value in q("SELECT period, stage_name, value FROM pipeline_stages_daily"):
        days[str(period)][stage] = value
    return days


def test_leads_exceed_mql_exceed_sql_exceed_won_every_day(q: Any) -> None:
    days = _daily(q)
    assert len(days) == 1096  # 2023-11-01 … 2026-10-31
    for day, s in days.items():
        assert s["Leads"] > s["MQL"] > s["SQL"] > s["Won"] >= 0, day


def test_stage_conversions_are_plausible_over_the_history(q: Any) -> None:
    totals = dict(q("SELECT stage_name, SUM(value) FROM pipeline_stages_daily GROUP BY 1"))
    assert 0.25 < totals["MQL"] / totals["Leads"] < 0.5
    assert 0.3 < totals["SQL"] / totals["MQL"] < 0.55
    assert 0.15 < totals["Won"] / totals["SQL"] < 0.4


def test_win_rate_is_won_over_sql_of_the_month_and_a_ratio(q: Any) -> None:
    sums = {
        (p, s): v
        for p, s, v in q(
            f"SELECT {DAY_MONTH}, stage_name, SUM(value) FROM pipeline_stages_daily GROUP BY 1, 2"
        )
    }
    rows = q("SELECT period, win_rate_pct, sales_cycle_days FROM pipeline_winrate")
    assert len(rows) == 36
    for period, rate, cycle in rows:
        assert 0 < rate < 1
        assert abs(rate - sums[(period, "Won")] / sums[(period, "SQL")]) < 5e-5
        assert 20 <= cycle <= 120
        assert isinstance(cycle, int)


def test_stage_snapshot_is_the_last_30_days_of_the_daily_funnel(q: Any) -> None:
    recent = dict(
        q(
            "SELECT stage_name, SUM(value) FROM pipeline_stages_daily "
            "WHERE period >= '2026-10-02' GROUP BY 1"
        )
    )
    assert dict(q("SELECT stage_name, value FROM pipeline_stages")) == recent


def test_deals_are_the_won_count_and_visits_far_exceed_leads(q: Any) -> None:
    ((won,),) = q("SELECT SUM(value) FROM pipeline_stages_daily WHERE stage_name = 'Won'")
    assert q("SELECT COUNT(*) FROM deals") == [(won,)]
    visits = dict(q("SELECT CAST(visit_date AS TEXT), COUNT(*) FROM page_visits GROUP BY 1"))
    for day, stages in _daily(q).items():
        assert 15 * stages["Leads"] <= visits[day] <= 30 * stages["Leads"], day


def test_leads_dip_of_the_marketing_alert_is_in_the_data(q: Any) -> None:
    ((created, description),) = q(
        "SELECT created_at, description FROM alerts WHERE type = 'marketing'"
    )
    start = description.split(" from ")[1][:10]
    days = _daily(q)
    ordered = sorted(days)
    i = ordered.index(start)
    dip = sum(days[d]["Leads"] for d in ordered[i : i + 7])
    before = sum(days[d]["Leads"] for d in ordered[i - 14 : i - 7])
    assert dip < 0.75 * before
    assert start <= str(created)[:10] < END + "-32"


def test_a_busier_company_gets_proportionally_more_leads() -> None:
    import random

    from execdash.demo import funnel
    from execdash.demo.calendar import Calendar

    cal = Calendar.ending(dt.date(2026, 10, 1), 13)
    usual = funnel.simulate(random.Random(5), cal, 6)
    busy = funnel.simulate(random.Random(5), cal, 6, busy=10.0)
    leads, busy_leads = sum(d[0] for d in usual.daily), sum(d[0] for d in busy.daily)
    assert 9.5 < busy_leads / leads < 10.5
