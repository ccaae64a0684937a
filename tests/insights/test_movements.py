"""MRR movements, checked against a hand-computed customer history."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from execdash.insights import movements as mv

HISTORY = {
    "2025-01": {1: 100.0, 2: 50.0, 3: 30.0, 0: 10.0},
    "2025-02": {1: 120.0, 2: 40.0, 4: 25.0, 0: 10.0},
    "2025-03": {1: 120.0, 3: 35.0, 4: 25.0, 5: 15.0},
}
FIRST = {1: "2024-01", 2: "2024-03", 3: "2024-06", 4: "2025-02", 5: "2025-03"}


def test_a_month_splits_into_new_expansion_contraction_and_churn() -> None:
    month = mv.month_movements("2025-02", HISTORY["2025-01"], HISTORY["2025-02"], FIRST)
    assert (month.opening, month.closing) == (190, 195)
    assert month.amounts == {
        "new": 25, "reactivation": 0, "expansion": 20, "contraction": -10, "churn": -30,
        "unattributed": 0,
    }  # fmt: skip
    assert month.customers["churn"] == {3}
    assert month.customers["new"] == {4}
    assert (month.opening_customers, month.closing_customers) == (3, 3)


def test_a_customer_back_after_a_gap_is_a_reactivation_not_new() -> None:
    month = mv.month_movements("2025-03", HISTORY["2025-02"], HISTORY["2025-03"], FIRST)
    assert month.amounts["reactivation"] == 35
    assert month.customers["reactivation"] == {3}
    assert month.amounts["new"] == 15
    assert month.amounts["churn"] == -40
    assert month.amounts["unattributed"] == -10  # orders naming no customer stopped
    assert month.customers["expansion"] == frozenset()  # customer 1 stayed at 120


def test_the_window_bridge_reconciles_and_counts_distinct_customers() -> None:
    bridge = mv.bridge(["2025-02", "2025-03"], HISTORY, FIRST, "2025-01")
    assert (bridge.opening, bridge.closing) == (190, 195)
    assert bridge.amounts == {
        "new": 40, "reactivation": 35, "expansion": 20, "contraction": -10, "churn": -70,
        "unattributed": -10,
    }  # fmt: skip
    assert bridge.opening + bridge.movements_total == bridge.closing
    assert bridge.customers == {
        "new": 2, "reactivation": 1, "expansion": 1, "contraction": 1, "churn": 2,
    }  # fmt: skip
    assert (bridge.opening_customers, bridge.closing_customers) == (3, 4)


def test_rates_are_monthly_means_weighted_by_each_months_opening() -> None:
    months = mv.bridge(["2025-02", "2025-03"], HISTORY, FIRST, "2025-01").months
    assert mv.logo_churn_rate(months) == pytest.approx(2 / 6)
    assert mv.revenue_churn_rate(months) == pytest.approx(80 / 385)
    assert mv.expansion_rate(months) == pytest.approx(20 / 385)
    assert mv.logo_churn_rate([]) is None


def test_cohort_retention_follows_the_customers_paying_twelve_months_before() -> None:
    history = {"2024-03": {1: 100.0, 2: 100.0}, "2025-03": {1: 130.0, 3: 50.0}}
    cohort = mv.cohort_retention(history, "2024-03", "2025-03")
    assert cohort.nrr == pytest.approx(0.65)
    assert cohort.gross_churn == pytest.approx(0.5)
    assert cohort.expansion == pytest.approx(0.15)
    assert cohort.customers == 2
    assert mv.cohort_retention(history, "2023-01", "2025-03").nrr is None


MONTHS = [f"2025-{m:02d}" for m in range(1, 8)]
customer_months = st.dictionaries(
    st.integers(0, 8),
    st.floats(min_value=-500, max_value=5000, allow_nan=False).map(lambda v: round(v, 2)),
    max_size=9,
)


@given(st.lists(customer_months, min_size=len(MONTHS), max_size=len(MONTHS)))
def test_movements_always_reconcile_opening_to_closing(months: list[dict[int, float]]) -> None:
    history = dict(zip(MONTHS, months, strict=True))
    first: dict[int, str] = {}
    for key in MONTHS:
        for customer, amount in history[key].items():
            if amount:
                first.setdefault(customer, key)
    bridge = mv.bridge(MONTHS[1:], history, first, MONTHS[0])
    for month in bridge.months:
        moved = sum(month.amounts.values())
        assert month.opening + moved == pytest.approx(month.closing, abs=1e-6)
        assert month.amounts["churn"] <= 0
        assert month.amounts["new"] >= 0 or any(v < 0 for v in history[month.month].values())
    assert bridge.opening + bridge.movements_total == pytest.approx(bridge.closing, abs=1e-6)
