"""Customers and subscriptions: a growing base, and NRR = 1 − gross churn + expansion."""

from __future__ import annotations

import datetime as dt
import random
from array import array
from typing import Any

from execdash.demo.calendar import Calendar
from execdash.demo.customers import WARMUP, Book, build_book, customer_count, retention_rows


def test_customer_count_is_a_few_hundred_for_the_demo_and_capped_when_scaled() -> None:
    assert customer_count(20_000) == 333
    assert customer_count(60_000) == 1_000
    assert customer_count(10_000_000) == 25_000
    assert customer_count(1) == 60


def test_customers_have_industries_sources_and_a_growing_spread_of_created_dates(q: Any) -> None:
    assert q("SELECT COUNT(*) FROM customers WHERE industry IS NULL OR source IS NULL") == [(0,)]
    assert len(q("SELECT DISTINCT industry FROM customers")) >= 6
    assert len(q("SELECT DISTINCT source FROM customers")) >= 5
    per_year = dict(
        q("SELECT substr(CAST(created_at AS TEXT), 1, 4), COUNT(*) FROM customers GROUP BY 1")
    )
    assert set(per_year) >= {"2024", "2025", "2026"}
    assert q("SELECT COUNT(DISTINCT name) = COUNT(*) FROM customers") == [(1,)]


def test_orders_only_come_from_customers_that_already_exist(q: Any) -> None:
    early = q(
        "SELECT COUNT(*) FROM orders o JOIN customers c ON c.id = o.customer_id "
        "WHERE o.order_date < c.created_at"
    )
    assert early == [(0,)]


def test_nrr_equals_one_minus_gross_churn_plus_expansion(q: Any) -> None:
    rows = q("SELECT period, nrr, gross_churn, expansion FROM retention_nrr ORDER BY period")
    assert len(rows) == 36
    for period, nrr, churn, expansion in rows:
        assert abs(nrr - (1 - churn + expansion)) < 1e-9, period
        assert 0 <= churn <= 1, period
        assert 0 <= expansion <= 1, period
        assert 0.8 <= nrr <= 1.25, period


def _book(plan_by_month: list[list[int]]) -> Book:
    """A hand-made book: one customer per column, plan cents per month, no add-ons."""
    plans = [array("q", row) for row in plan_by_month]
    zeros = [array("q", [0] * len(row)) for row in plan_by_month]
    n = len(plan_by_month[0])
    return Book([], [n], plans, zeros, [1] * n, [0] * len(plans))


def test_retention_rows_compare_each_customer_with_twelve_months_earlier() -> None:
    # Month 0: A pays 100, B 200, C 100. Twelve months later A pays 150 (expansion 50),
    # B churned (−200), C pays 80 (contraction −20), D is new (not in the cohort).
    then = [100, 200, 100, 0]
    now = [150, 0, 80, 500]
    book = _book([then] + [then] * (WARMUP - 1) + [now])
    ((period, nrr, churn, expansion),) = retention_rows(book, ("2025-01",))
    assert period == "2025-01"
    assert churn == 0.55  # (200 + 20) / 400
    assert expansion == 0.125  # 50 / 400
    assert nrr == 0.575  # 230 / 400


def test_same_seed_builds_the_same_book_and_another_seed_a_different_one() -> None:
    cal = Calendar.ending(dt.date(2025, 6, 1), 13)
    a = build_book(random.Random(1), cal, 80)
    b = build_book(random.Random(1), cal, 80)
    c = build_book(random.Random(2), cal, 80)
    assert a.rows == b.rows
    assert a.plan == b.plan
    assert a.rows != c.rows
