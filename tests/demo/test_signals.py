"""Alerts, risks and at-risk customers refer to real data: real customers, real anomalies."""

from __future__ import annotations

import random
from typing import Any

from execdash.demo.signals import Anomalies


def test_alerts_have_types_severities_and_dates_inside_the_history(q: Any) -> None:
    rows = q("SELECT type, severity, CAST(created_at AS TEXT) FROM alerts")
    assert {t for t, _, _ in rows} >= {"ops", "supply", "marketing", "retention"}
    assert {s for _, s, _ in rows} == {"low", "medium", "high"}
    assert all("2023-11-01" <= c <= "2026-10-31 23:59:59" for _, _, c in rows)


def test_backlog_alert_names_the_month_of_lowest_coverage(q: Any) -> None:
    trend = q("SELECT period, recognized, backlog FROM revenue_trend ORDER BY period")
    coverage = []
    for i, (period, _, backlog) in enumerate(trend):
        recent = [r[1] for r in trend[max(i - 5, 0) : i + 1]]
        coverage.append((backlog / (sum(recent) / len(recent)), period))
    ((created, description),) = q(
        "SELECT CAST(created_at AS TEXT), description FROM alerts WHERE type = 'finance'"
    )
    low_cov, low_period = min(coverage)
    assert f"{low_cov:.1f} months of revenue in {low_period}" in description
    assert created.startswith(low_period)


def test_risks_have_owners_mitigations_statuses_and_some_are_overdue(q: Any) -> None:
    rows = q("SELECT owner, CAST(due AS TEXT), mitigation, status FROM risks")
    assert 4 <= len(rows) <= 10
    assert all(owner and mitigation for owner, _, mitigation, _ in rows)
    assert {s for *_, s in rows} == {"open", "mitigating", "closed"}
    overdue = [r for r in rows if r[1] < "2026-10-01" and r[3] != "closed"]
    assert len(overdue) >= 2


def test_at_risk_customers_are_real_subscribers_with_their_end_month_mrr(q: Any) -> None:
    rows = q("SELECT customer, mrr, risk, reason FROM retention_at_risk")
    assert len(rows) >= 5
    for name, mrr, risk, reason in rows:
        ((invoiced,),) = q(
            "SELECT SUM(o.amount) FROM orders o JOIN customers c ON c.id = o.customer_id "
            "WHERE c.name = :n AND o.type IN ('subscription', 'recurring') "
            "AND o.order_date >= '2026-10-01'",
            n=name,
        )
        assert invoiced is not None, name
        assert abs(invoiced - mrr) < 0.005, name
        assert 0 < risk < 1
        assert len(reason) > 20


def test_anomaly_months_are_distinct_and_avoid_the_edges() -> None:
    for seed in range(50):
        spots = Anomalies.choose(random.Random(seed), 13)
        months = {spots.uptime, spots.lead_time, spots.leads}
        assert len(months) == 3
        assert min(months) >= 3
        assert max(months) <= 11
