"""Expenses, product revenue and COGS breakdown agree with the orders they come from."""

from __future__ import annotations

from typing import Any

from tests.demo.conftest import END, months_before


def test_cac_payback_of_the_default_window_is_6_to_30_months(q: Any) -> None:
    start = months_before(END, 11) + "-01"
    ((spend,),) = q("SELECT SUM(cost) FROM expenses WHERE date >= :s", s=start)
    ((new_mrr,),) = q(
        "SELECT SUM(amount) FROM orders WHERE type IN ('subscription', 'recurring') "
        "AND order_date >= :e AND customer_id IN (SELECT customer_id FROM orders "
        "WHERE type IN ('subscription', 'recurring') GROUP BY customer_id "
        "HAVING MIN(order_date) >= :s)",
        s=start,
        e=END + "-01",
    )
    ((gm,),) = q("SELECT SUM(profit) / SUM(amount) FROM orders WHERE order_date >= :s", s=start)
    assert 6 <= spend / (new_mrr * gm) <= 30


def test_expenses_are_booked_several_times_every_month(q: Any) -> None:
    per_month = q("SELECT substr(CAST(date AS TEXT), 1, 7), COUNT(*) FROM expenses GROUP BY 1")
    assert len(per_month) == 36
    assert all(n >= 10 for _, n in per_month)


def test_top_products_are_the_all_time_sum_of_the_daily_table(q: Any) -> None:
    daily = dict(q("SELECT name, SUM(revenue) FROM top_products_daily GROUP BY name"))
    snapshot = dict(q("SELECT name, revenue FROM top_products"))
    assert set(snapshot) == set(daily)
    for name, revenue in snapshot.items():
        assert abs(revenue - daily[name]) < 0.01, name


def test_daily_product_revenue_adds_up_to_recognized_revenue_each_month(q: Any) -> None:
    month = "substr(CAST(period AS TEXT), 1, 7)"
    products = dict(q(f"SELECT {month}, SUM(revenue) FROM top_products_daily GROUP BY 1"))
    for period, recognized in q("SELECT period, recognized FROM revenue_trend"):
        assert abs(products[period] - recognized) < 0.005, period  # to the penny


def test_cogs_breakdown_splits_the_last_year_of_recognized_order_costs(q: Any) -> None:
    ((cost,),) = q(
        "SELECT SUM(amount - profit) FROM orders WHERE type = 'recognized' AND order_date >= :s",
        s=months_before(END, 11) + "-01",
    )
    parts = q("SELECT component, cost FROM supply_cogs_breakdown")
    assert len(parts) >= 5
    assert abs(sum(c for _, c in parts) - cost) < 0.05
