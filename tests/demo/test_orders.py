"""Orders and revenue_trend: exact reconciliation, the backlog equation, coverage and margin."""

from __future__ import annotations

import itertools
from typing import Any

from execdash.demo.orders import MULTIPLIERS, coverage_target
from tests.demo.conftest import END, months_before

MONTH = "substr(CAST(order_date AS TEXT), 1, 7)"


def _trend(q: Any) -> list[tuple[str, float, float, float]]:
    return q("SELECT period, recognized, booked, backlog FROM revenue_trend ORDER BY period")


def test_recognized_and_booked_equal_the_sums_of_their_orders_each_month(q: Any) -> None:
    sums = {
        (period, kind): total
        for period, kind, total in q(
            f"SELECT {MONTH}, type, SUM(amount) FROM orders "
            f"WHERE type IN ('recognized', 'booked') GROUP BY {MONTH}, type"
        )
    }
    trend = _trend(q)
    assert len(trend) == 36
    for period, recognized, booked, _ in trend:
        assert round(sums[(period, "recognized")], 2) == recognized
        assert round(sums[(period, "booked")], 2) == booked


def test_backlog_follows_previous_plus_booked_minus_recognized_and_stays_positive(q: Any) -> None:
    trend = _trend(q)
    for (_, _, _, before), (period, recognized, booked, after) in itertools.pairwise(trend):
        assert abs(after - (before + booked - recognized)) < 0.005, period
        assert after > 0, period
    opening = trend[0][3] - trend[0][2] + trend[0][1]
    assert opening > 0


def test_coverage_stays_between_three_and_nine_months(q: Any) -> None:
    trend = _trend(q)
    for i, (period, _, _, backlog) in enumerate(trend):
        recent = [r[1] for r in trend[max(i - 5, 0) : i + 1]]
        coverage = backlog / (sum(recent) / len(recent))
        assert 3.0 <= coverage <= 9.0, (period, coverage)


def test_gross_margin_is_30_to_45_percent_in_every_12_month_window(q: Any) -> None:
    periods = [r[0] for r in _trend(q)]
    for end in periods[11:]:
        start = months_before(end, 11)
        ((profit, amount),) = q(
            f"SELECT SUM(profit), SUM(amount) FROM orders WHERE {MONTH} BETWEEN :s AND :e",
            s=start,
            e=end,
        )
        assert 0.30 <= profit / amount <= 0.45, end


def test_order_count_is_exactly_the_requested_volume(q: Any) -> None:
    assert q("SELECT COUNT(*) FROM orders") == [(20_000,)]
    kinds = {k for (k,) in q("SELECT DISTINCT type FROM orders")}
    assert kinds == {"recognized", "booked", "subscription", "recurring"}


def test_amounts_are_whole_pence_and_profits_below_amounts(q: Any) -> None:
    bad = q(
        "SELECT COUNT(*) FROM orders WHERE amount <= 0 OR profit <= 0 OR profit >= amount "
        "OR ABS(amount * 100 - ROUND(amount * 100)) > 1e-6"
    )
    assert bad == [(0,)]


def test_each_customer_has_at_most_one_invoice_per_kind_per_month(q: Any) -> None:
    dupes = q(
        f"SELECT customer_id, {MONTH}, type, COUNT(*) FROM orders "
        "WHERE type IN ('subscription', 'recurring') "
        f"GROUP BY customer_id, {MONTH}, type HAVING COUNT(*) > 1"
    )
    assert dupes == []


def test_arr_of_the_end_month_is_plausible_next_to_revenue(q: Any) -> None:
    ((mrr,),) = q(
        f"SELECT SUM(amount) FROM orders WHERE type IN ('subscription', 'recurring') "
        f"AND {MONTH} = :e",
        e=END,
    )
    ((recognized,),) = q(
        "SELECT SUM(recognized) FROM revenue_trend WHERE period > :s", s=months_before(END, 12)
    )
    assert 0.1 * recognized < 12 * mrr < recognized


def test_new_subscribers_start_throughout_the_history(q: Any) -> None:
    firsts = q(f"SELECT MIN({MONTH}) FROM orders WHERE type = 'subscription' GROUP BY customer_id")
    late = [f for (f,) in firsts if f >= months_before(END, 11)]
    assert len(late) >= 20


def test_order_size_multipliers_average_one() -> None:
    assert abs(sum(MULTIPLIERS) / len(MULTIPLIERS) - 1.0) < 1e-9
    assert min(MULTIPLIERS) > 0


def test_coverage_target_drifts_inside_the_band() -> None:
    targets = [coverage_target(m) for m in range(120)]
    assert 4.6 < min(targets) < 4.8
    assert 6.4 < max(targets) < 6.6
