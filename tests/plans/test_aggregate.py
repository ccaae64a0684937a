"""Targets roll up like their KPI: hand-computed sums, period ends, day weights and ratios."""

from __future__ import annotations

import datetime as dt

import pytest

from execdash.plans.aggregate import company_targets, plan_value, planned_span

JAN, FEB, MAR, APR = (dt.date(2026, m, 1) for m in (1, 2, 3, 4))
Q1 = (JAN, FEB, MAR)


def test_flow_targets_are_summed() -> None:
    assert plan_value("flow", {JAN: 100.0, FEB: 200.0, MAR: 300.0}, Q1) == 600.0


def test_stock_target_is_the_period_end() -> None:
    assert plan_value("stock", {JAN: 5.0, FEB: 6.0, MAR: 7.0}, Q1) == 7.0
    assert plan_value("stock", {JAN: 5.0, FEB: 6.0}, Q1) is None  # no target at the end


def test_rate_targets_are_weighted_by_days() -> None:
    # (0.99 × 31 + 0.98 × 28 + 0.97 × 31) / 90 = (30.69 + 27.44 + 30.07) / 90 = 88.2 / 90
    value = plan_value("rate", {JAN: 0.99, FEB: 0.98, MAR: 0.97}, Q1)
    assert value == pytest.approx(88.2 / 90)


def test_ratio_targets_are_weighted_by_the_planned_revenue() -> None:
    gm = {JAN: 0.40, FEB: 0.30}
    revenue = {JAN: 100.0, FEB: 300.0}
    # (0.40 × 100 + 0.30 × 300) / 400 = 130 / 400
    assert plan_value("ratio", gm, (JAN, FEB), revenue) == pytest.approx(0.325)


def test_ratio_without_planned_revenue_is_the_plain_mean() -> None:
    assert plan_value("ratio", {JAN: 0.40, FEB: 0.30}, (JAN, FEB), {JAN: 100.0}) == (
        pytest.approx(0.35)
    )


def test_no_target_is_no_plan() -> None:
    assert plan_value("flow", {}, Q1) is None
    assert plan_value("ratio", {}, Q1, {}) is None


def test_planned_span_is_the_covered_run_ending_at_the_latest_target() -> None:
    window = tuple(dt.date(2025 + (m > 12), (m - 1) % 12 + 1, 1) for m in range(4, 16))
    targets = {dt.date(2026, m, 1): 1.0 for m in range(1, 13)}
    assert planned_span(targets, window) == (JAN, FEB, MAR)
    assert planned_span({JAN: 1.0, MAR: 1.0}, Q1) == (MAR,)
    assert planned_span({}, Q1) == ()


def test_company_target_is_the_total_or_the_sum_of_one_segment_kind() -> None:
    rows = [
        ("revenue", "2026-01", "industry", "Retail", 60.0),
        ("revenue", "2026-01", "industry", "Health", 40.0),
        ("revenue", "2026-01", "product", "Chiller", 999.0),  # industries win
        ("revenue", "2026-02", "", "", 250.0),
        ("revenue", "2026-02", "industry", "Retail", 1.0),  # the total wins
        ("revenue", "2026-03", "product", "Chiller", 70.0),
        ("gm", "2026-01", "industry", "Retail", 0.4),  # a ratio cannot be summed
    ]
    kinds = {"revenue": "flow", "gm": "ratio"}
    assert company_targets(rows, kinds) == {"revenue": {JAN: 100.0, FEB: 250.0, MAR: 70.0}}  # type: ignore[arg-type]
