"""Each rule kind reduced to a signal and a line, on hand-made months."""

from __future__ import annotations

import datetime as dt

import pytest

from execdash.alerts.rules import NotEvaluable, RuleSpec, check, history_needed
from execdash.metrics.planned import PlanPoint

OCT, SEP = dt.date(2026, 10, 1), dt.date(2026, 9, 1)
YEAR_AGO = dt.date(2025, 10, 1)


def test_threshold_below_compares_the_value_with_the_line() -> None:
    rule = RuleSpec("revenue", "threshold", "below", value=1000)
    seen = check(rule, {OCT: 900.0}, OCT, "currency")
    assert seen is not None
    assert (seen.signal, seen.line, seen.above, seen.beyond) == (900, 1000, False, True)
    assert not check(rule, {OCT: 1000.0}, OCT, "currency").beyond  # type: ignore[union-attr]


def test_threshold_above() -> None:
    rule = RuleSpec("mttr", "threshold", "above", value=4)
    assert check(rule, {OCT: 4.5}, OCT, "hours").beyond  # type: ignore[union-attr]
    assert not check(rule, {OCT: 3.5}, OCT, "hours").beyond  # type: ignore[union-attr]


def test_no_check_for_a_month_without_a_value() -> None:
    assert check(RuleSpec("revenue", "threshold", "below", value=1), {}, OCT, "currency") is None


def test_change_against_the_month_before() -> None:
    rule = RuleSpec("revenue", "change", "below", value=0.1, compare="previous")
    seen = check(rule, {SEP: 1000.0, OCT: 850.0}, OCT, "currency")
    assert seen is not None
    assert seen.signal == pytest.approx(-0.15)
    assert seen.line == pytest.approx(-0.1)
    assert seen.beyond
    assert not seen.above
    assert (seen.reference, seen.reference_month) == (1000.0, SEP)


def test_change_against_the_same_month_a_year_earlier() -> None:
    rule = RuleSpec("revenue", "change", "above", value=0.2, compare="year_ago")
    seen = check(rule, {YEAR_AGO: 100.0, SEP: 200.0, OCT: 125.0}, OCT, "currency")
    assert seen is not None
    assert seen.signal == pytest.approx(0.25)
    assert seen.beyond


def test_change_either_way_compares_its_size() -> None:
    rule = RuleSpec("leads", "change", "either", value=0.3)
    up = check(rule, {SEP: 100.0, OCT: 140.0}, OCT, "count")
    down = check(rule, {SEP: 100.0, OCT: 60.0}, OCT, "count")
    assert up is not None
    assert down is not None
    assert up.signal == pytest.approx(0.4)
    assert up.beyond
    assert down.signal == pytest.approx(0.4)
    assert down.beyond


def test_change_under_the_minimum_volume_is_small() -> None:
    rule = RuleSpec("new_customers", "change", "either", value=0.5, min_volume=20)
    small = check(rule, {SEP: 4.0, OCT: 10.0}, OCT, "count")  # +150%, but 4 → 10 customers
    big = check(rule, {SEP: 4.0, OCT: 25.0}, OCT, "count")
    assert small is not None
    assert small.small
    assert small.beyond
    assert big is not None
    assert not big.small


def test_change_from_zero_cannot_be_judged() -> None:
    rule = RuleSpec("leads", "change", "either", value=0.3)
    assert check(rule, {SEP: 0.0, OCT: 10.0}, OCT, "count") is None
    assert check(rule, {OCT: 10.0}, OCT, "count") is None


def test_anomaly_signal_is_the_distance_from_expected_in_spreads() -> None:
    history = {dt.date(y, m, 1): 100.0 * (1.1 if y == 2025 else 1) for y in (2024, 2025)
               for m in range(1, 13)}  # fmt: skip
    history[dt.date(2026, 1, 1)] = 150.0
    rule = RuleSpec("revenue", "anomaly", "above", sensitivity=3)
    seen = check(rule, history, dt.date(2026, 1, 1), "currency")
    assert seen is not None
    assert seen.band is not None
    # typical ratio 1.1, MAD 0 → spread floor 0.005; expected 110 × 1.1 = 121
    assert seen.band.expected == pytest.approx(121)
    assert seen.signal == pytest.approx((150 / 110 - 1.1) / 0.005)
    assert seen.line == 3
    assert seen.beyond
    below = check(RuleSpec("revenue", "anomaly", "below", sensitivity=3), history,
                  dt.date(2026, 1, 1), "currency")  # fmt: skip
    assert below is not None
    assert below.line == -3
    assert not below.beyond


def test_anomaly_without_history_cannot_be_judged() -> None:
    rule = RuleSpec("revenue", "anomaly", "either", sensitivity=3)
    assert check(rule, {OCT: 1.0}, OCT, "currency") is None


def test_off_plan_without_an_active_plan_cannot_be_evaluated() -> None:
    with pytest.raises(NotEvaluable):
        check(RuleSpec("revenue", "off_plan", "below", value=0.05), {OCT: 1.0}, OCT, "currency")


def _planned(actual: float, plan: float) -> dict[dt.date, PlanPoint]:
    return {OCT: PlanPoint(period="2026-10", plan=plan, actual=actual, variance=actual - plan,
                           variance_pct=(actual - plan) / abs(plan), favourable=actual >= plan,
                           shortfall=None)}  # fmt: skip


def test_off_plan_below_fires_past_the_relative_gap() -> None:
    rule = RuleSpec("revenue", "off_plan", "below", value=0.05)
    # 940 against a plan of 1,000: (940 − 1000) / 1000 = −6% < −5%
    seen = check(rule, {OCT: 940.0}, OCT, "currency", _planned(940.0, 1000.0))
    assert seen is not None
    assert (seen.value, seen.reference) == (940.0, 1000.0)
    assert seen.signal == pytest.approx(-0.06)
    assert seen.line == pytest.approx(-0.05)
    assert seen.beyond
    # 960: −4% is within the 5% tolerance
    near = check(rule, {OCT: 960.0}, OCT, "currency", _planned(960.0, 1000.0))
    assert near is not None
    assert not near.beyond


def test_off_plan_above_and_either_side() -> None:
    above = RuleSpec("revenue", "off_plan", "above", value=0.05)
    either = RuleSpec("revenue", "off_plan", "either", value=0.05)
    high = _planned(1070.0, 1000.0)  # +7%
    low = _planned(930.0, 1000.0)  # −7%
    assert check(above, {}, OCT, "currency", high).beyond  # type: ignore[union-attr]
    assert not check(above, {}, OCT, "currency", low).beyond  # type: ignore[union-attr]
    assert check(either, {}, OCT, "currency", high).beyond  # type: ignore[union-attr]
    seen = check(either, {}, OCT, "currency", low)
    assert seen is not None
    assert (seen.signal, seen.beyond) == (pytest.approx(0.07), True)


def test_off_plan_reads_a_ratio_gap_in_points() -> None:
    rule = RuleSpec("uptime", "off_plan", "below", value=0.005)
    # 98.9% against 99.5%: −0.6 pts, past the 0.5 pts line
    seen = check(rule, {}, OCT, "ratio", _planned(0.989, 0.995))
    assert seen is not None
    assert seen.signal == pytest.approx(-0.006)
    assert seen.line == pytest.approx(-0.005)
    assert seen.beyond


def test_off_plan_month_without_a_plan_is_not_judged() -> None:
    rule = RuleSpec("revenue", "off_plan", "below", value=0.05)
    assert check(rule, {OCT: 1.0}, OCT, "currency", {}) is None


def test_history_each_kind_reads() -> None:
    assert history_needed(RuleSpec("revenue", "threshold", "below", value=1)) == 0
    assert history_needed(RuleSpec("revenue", "change", "below", value=1)) == 1
    assert history_needed(RuleSpec("revenue", "change", "below", 1, "year_ago")) == 12
    assert history_needed(RuleSpec("revenue", "anomaly", "either")) == 24
