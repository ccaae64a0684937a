"""The retention cross-check: trailing NRR from the orders next to the stored figures."""

from __future__ import annotations

import datetime as dt

import pytest

from execdash.insights.mrr import checks

HISTORY = {"2024-03": {1: 100.0, 2: 100.0}, "2025-03": {1: 130.0, 3: 50.0}}


def test_each_month_reports_the_difference_from_the_stored_value() -> None:
    march = dt.date(2025, 3, 1)
    stored = ({march: 0.70}, {march: 0.5}, {})
    (check,) = checks(HISTORY, [march], stored)
    assert check.month == "2025-03"
    assert check.cohort_customers == 2
    assert check.nrr == pytest.approx(0.65)
    assert check.nrr_difference == pytest.approx(-0.05)
    assert check.gross_churn_difference == pytest.approx(0.0)
    assert check.expansion == pytest.approx(0.15)
    assert check.stored_expansion is None
    assert check.expansion_difference is None


def test_a_month_without_a_cohort_has_no_nrr() -> None:
    (check,) = checks(HISTORY, [dt.date(2025, 4, 1)], ({}, {}, {}))
    assert (check.cohort_customers, check.nrr) == (0, None)
