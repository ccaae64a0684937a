"""Landings: actuals to date, then the forecast's own method, aggregated like the KPI."""

from __future__ import annotations

import datetime as dt

import pytest

from execdash.metrics.forecast import forecast_next
from execdash.metrics.formulas import Facts
from execdash.metrics.windows import add_months
from execdash.plans.landing import extend, landing

YEAR = tuple(dt.date(2026, m, 1) for m in range(1, 13))
JUN = YEAR[5]


def test_extend_continues_with_the_revenue_forecast_itself() -> None:
    history = {add_months(dt.date(2024, 7, 1), i): 100.0 + 5 * i + (i % 4) for i in range(24)}
    last = max(history)
    out = extend(history, last, add_months(last, 3))
    assert out.method == "holt_damped"
    assert out.last_actual == last
    assert out.values[add_months(last, 1)] == pytest.approx(
        forecast_next([history[m] for m in sorted(history)]).value
    )
    assert len(out.values) == 27


def test_extend_ignores_months_after_the_window_end() -> None:
    history = {YEAR[0]: 10.0, YEAR[1]: 20.0, YEAR[2]: 999.0}
    out = extend(history, YEAR[1], YEAR[3])
    assert out.values[YEAR[2]] == pytest.approx(15.0)  # mean of 10 and 20, flat
    assert out.values[YEAR[3]] == pytest.approx(15.0)


def test_a_period_already_over_lands_at_its_actuals() -> None:
    f = Facts(recognized=dict.fromkeys(YEAR, 10.0))
    result = landing("revenue", f, YEAR[-1], YEAR)
    assert (result.value, result.method, result.actual_months, result.forecast_months) == (
        120.0,
        "actuals",
        12,
        0,
    )


def test_book_to_bill_and_coverage_land_from_their_parts() -> None:
    f = Facts(
        recognized=dict.fromkeys(YEAR[:6], 100.0),
        booked=dict.fromkeys(YEAR[:6], 120.0),
        backlog={YEAR[5]: 900.0},
    )
    b2b = landing("book_to_bill", f, JUN, YEAR)
    # (6 × 120 + 6 × 122.4) / (6 × 100 + 6 × 102) = 1454.4 / 1212
    assert b2b.value == pytest.approx(1454.4 / 1212)
    cover = landing("coverage_months", f, JUN, YEAR)
    # December backlog 900 (flat) / (six months of 102 ÷ 6)
    assert cover.value == pytest.approx(900 / 102)


def test_arr_and_nrr_land_at_the_period_end() -> None:
    f = Facts(recurring_amount={YEAR[4]: 90.0, JUN: 110.0}, nrr={JUN: 1.04})
    assert landing("arr", f, JUN, YEAR).value == pytest.approx(12 * 100.0)
    assert landing("nrr", f, JUN, YEAR).value == pytest.approx(1.04)


def test_no_history_lands_nowhere() -> None:
    result = landing("uptime", Facts(), JUN, YEAR)
    assert (result.value, result.method) == (None, "none")
    assert landing("revenue", Facts(), JUN, ()).value is None
