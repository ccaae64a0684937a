"""Each executive KPI from hand-built monthly facts, with hand-computed expectations."""

from __future__ import annotations

import datetime as dt

import pytest

from execdash.metrics import formulas as f
from execdash.metrics.executive import kpis_from_facts
from execdash.metrics.windows import resolve_window

W = resolve_window("12m", "month", "2025-08")  # 2024-09 … 2025-08
PREV = W.previous()  # 2023-09 … 2024-08
END = dt.date(2025, 8, 1)


def each(value: float, months: tuple[dt.date, ...] = W.months) -> dict[dt.date, float]:
    return dict.fromkeys(months, value)


def test_revenue_sums_recognized_over_the_window_only() -> None:
    facts = f.Facts(recognized={**each(100.0), **each(7.0, PREV.months)})
    assert f.revenue(W, facts).value == 1200.0
    assert f.revenue(PREV, facts).value == 84.0


def test_revenue_with_no_month_of_data_is_null() -> None:
    assert f.revenue(W, f.Facts()).value is None


def test_backlog_is_the_end_month_value() -> None:
    facts = f.Facts(backlog={dt.date(2025, 7, 1): 400.0, END: 500.0})
    assert f.backlog(W, facts).value == 500.0
    assert f.backlog(W, f.Facts(backlog={dt.date(2025, 7, 1): 400.0})).value is None


def test_backlogs_provenance_shows_the_end_months_value_and_the_windows_months_held() -> None:
    """The input a person reads under the tile is the value itself, and coverage counts the
    window's twelve months, of which two have a backlog."""
    result = f.backlog(W, f.Facts(backlog={dt.date(2025, 7, 1): 400.0, END: 500.0}))
    assert [(i.name, i.value, i.detail) for i in result.inputs] == [("backlog", 500.0, "2025-08")]
    assert result.cover == (12, 2)


def test_uptime_is_day_weighted_over_the_window() -> None:
    facts = f.Facts(uptime={dt.date(2025, 2, 1): 0.9, dt.date(2025, 3, 1): 1.0})
    result = f.uptime(W, facts)
    assert result.value == pytest.approx((0.9 * 28 + 1.0 * 31) / 59)
    assert result.inputs[0].detail == "2 months with data"
    assert (result.months, result.cover) == (["2025-02", "2025-03"], (12, 2))


def test_nrr_is_the_latest_row_at_or_before_the_end() -> None:
    facts = f.Facts(nrr={dt.date(2025, 6, 1): 1.1, dt.date(2025, 9, 1): 1.3})
    result = f.nrr(W, facts)
    assert result.value == 1.1
    assert result.months == ["2025-06"]


def test_nrr_in_the_end_month_itself_is_used_and_shown_with_its_month() -> None:
    facts = f.Facts(nrr={dt.date(2025, 6, 1): 1.1, END: 1.05})
    result = f.nrr(W, facts)
    assert result.value == 1.05
    assert "at or before the window's end month" in result.formula
    assert [(i.name, i.value, i.detail) for i in result.inputs] == [
        ("nrr", 1.05, "2025-08"),
        ("gross churn (same month, trailing 12 months)", None, "2025-08"),
        ("expansion (same month, trailing 12 months)", None, "2025-08"),
        ("1 − churn + expansion", None, "2025-08"),
    ]


def test_arr_provenance_shows_the_end_month_mrr() -> None:
    result = f.arr(W, f.Facts(recurring_amount={END: 150.0, dt.date(2025, 7, 1): 90.0}))
    assert result.value == 1800.0
    assert result.formula.startswith("12 × MRR; MRR = Σ orders.amount of type subscription")
    assert [(i.name, i.value, i.detail) for i in result.inputs] == [("MRR", 150.0, "2025-08")]
    assert result.months == ["2025-08"]


def test_gross_margin_is_profit_over_amount_and_null_on_zero_amount() -> None:
    facts = f.Facts(
        order_amount={END: 100.0, dt.date(2025, 1, 1): 100.0},
        order_profit={END: 30.0, dt.date(2025, 1, 1): 10.0},
    )
    assert f.gm(W, facts).value == pytest.approx(0.2)
    zero = f.Facts(order_amount={END: 0.0}, order_profit={END: 0.0})
    assert f.gm(W, zero).value is None


def _payback_facts(new_mrr: float | None, profit: float = 40.0) -> f.Facts:
    return f.Facts(
        expenses=each(100.0),
        order_amount={END: 100.0},
        order_profit={END: profit},
        new_mrr={(W.start_month, W.end_month): (new_mrr, 2)},
    )


def test_payback_is_spend_over_new_mrr_times_margin() -> None:
    # 1200 / (100 × 0.4)
    assert f.payback(W, _payback_facts(100.0)).value == pytest.approx(30.0)


def test_payback_is_null_without_new_mrr_or_with_a_non_positive_margin() -> None:
    assert f.payback(W, _payback_facts(0.0)).value is None
    assert f.payback(W, _payback_facts(None)).value is None
    assert f.payback(W, _payback_facts(100.0, profit=-5.0)).value is None


def test_book_to_bill_divides_booked_by_recognized() -> None:
    facts = f.Facts(recognized=each(100.0), booked=each(110.0))
    assert f.book_to_bill(W, facts).value == pytest.approx(1.1)
    assert f.book_to_bill(W, f.Facts(booked=each(1.0), recognized=each(0.0))).value is None


def test_coverage_divides_by_the_six_months_ending_at_end_on_a_12m_window() -> None:
    recognized = {m: (100.0 if m < dt.date(2025, 3, 1) else 200.0) for m in W.months}
    facts = f.Facts(recognized=recognized, backlog={END: 600.0})
    result = f.coverage_months(W, facts)
    assert result.value == pytest.approx(3.0)  # 600 / 200, not 600 / 150 (the 12-month mean)
    assert result.months == ["2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08"]


def test_arr_is_twelve_times_end_month_recurring_amount() -> None:
    facts = f.Facts(recurring_amount={END: 250.0, dt.date(2025, 7, 1): 999.0})
    assert f.arr(W, facts).value == 3000.0
    assert f.arr(W, f.Facts()).value is None


def test_forecast_with_short_history_uses_the_trailing_mean() -> None:
    facts = f.Facts(recognized={dt.date(2025, 6, 1): 90.0, dt.date(2025, 7, 1): 100.0, END: 110.0})
    result = f.forecast(W, facts)
    assert result.value == pytest.approx(102.0)
    assert result.extra["month"] == dt.date(2025, 9, 1)


def test_forecasts_pipeline_estimate_is_pipeline_times_win_rate_times_mean_won_deal() -> None:
    """1,000 of pipeline × 25 % × (800 booked / 4 won deals = 200) = 50,000, shown as an
    input under the tile and kept beside the forecast."""
    facts = f.Facts(
        recognized={END: 110.0},
        pipeline_sql={END: 1000.0},
        win_rate={END: 0.25},
        won_deals={dt.date(2025, 7, 1): 3.0, END: 1.0},
        booked={dt.date(2025, 7, 1): 500.0, END: 300.0},
    )
    result = f.forecast(W, facts)
    inputs = {i.name: i.value for i in result.inputs}
    assert list(inputs) == [
        "months of history",
        "pipeline (SQL, end month)",
        "win rate (end month)",
        "mean won deal size",
        "pipeline estimate",
    ]
    assert inputs["pipeline estimate"] == pytest.approx(50_000.0)
    assert inputs["mean won deal size"] == pytest.approx(200.0)
    assert result.extra["pipeline_estimate"] == pytest.approx(50_000.0)


def test_all_kpis_on_empty_facts_are_null_and_flat() -> None:
    tiles = kpis_from_facts(W, f.Facts())
    assert [k.key for k in tiles] == list(f.KPI_KEYS)
    assert all(k.value is None and k.delta is None and k.direction == "flat" for k in tiles)
    forecast = tiles[-1].forecast
    assert forecast is not None
    assert forecast.method == "none"


def test_kpis_compare_with_the_previous_window() -> None:
    facts = f.Facts(recognized={**each(100.0), **each(80.0, PREV.months)})
    revenue = kpis_from_facts(W, facts)[0]
    assert (revenue.value, revenue.previous) == (1200.0, 960.0)
    assert revenue.delta == pytest.approx(0.25)
    assert (revenue.direction, revenue.favourable) == ("up", True)
    assert revenue.provenance.inputs[0].value == 1200.0


def _full_facts(seed: int) -> f.Facts:
    """Facts with every field filled for 30 months, values varying by month and field."""
    months = [dt.date(2023, 3, 1)]
    while months[-1] < END:
        last = months[-1]
        months.append(dt.date(last.year + last.month // 12, last.month % 12 + 1, 1))
    facts = f.Facts()
    for n, name in enumerate(sorted(f.NEEDS["forecast"] | set().union(*f.NEEDS.values()))):
        if name == "new_mrr":
            continue
        scale = 0.9 if name in ("uptime", "nrr", "gross_churn", "expansion", "win_rate") else 100.0
        setattr(
            facts,
            name,
            {m: scale * (1 + ((seed + n * 7 + i * 13) % 17) / 20) for i, m in enumerate(months)},
        )
    for w in (W, PREV):
        facts.new_mrr[(w.start_month, w.end_month)] = (40.0 + seed, 3)
    return facts


def _only(facts: f.Facts, names: frozenset[str]) -> f.Facts:
    """`facts` with every field not in `names` emptied."""
    kept = f.Facts()
    for name in names:
        setattr(kept, name, getattr(facts, name))
    return kept


@pytest.mark.parametrize("key", f.KPI_KEYS)
@pytest.mark.parametrize("seed", [0, 5])
def test_each_kpi_reads_only_the_facts_it_declares(key: str, seed: int) -> None:
    full = _full_facts(seed)
    formula = next(d[4] for d in f.KPI_DEFS if d[0] == key)
    for window in (W, PREV, resolve_window("3m", "month", "2025-08")):
        assert formula(window, _only(full, f.NEEDS[key])) == formula(window, full)


@pytest.mark.parametrize("key", f.KPI_KEYS)
def test_each_fact_a_kpi_declares_moves_its_value_or_its_inputs(key: str) -> None:
    full = _full_facts(0)
    formula = next(d[4] for d in f.KPI_DEFS if d[0] == key)
    for name in f.NEEDS[key]:
        assert formula(W, _only(full, f.NEEDS[key] - {name})) != formula(W, full), name


def test_ratio_kpis_show_their_two_sums_under_the_tile() -> None:
    """What a person reads under gross margin and book-to-bill: the formula in words and the
    two window sums it divides (12 months × 10 profit / 40 amount; × 30 booked / 20 recognized)."""
    facts = f.Facts(
        order_profit=each(10.0), order_amount=each(40.0), booked=each(30.0), recognized=each(20.0)
    )
    gm, b2b = f.gm(W, facts), f.book_to_bill(W, facts)
    assert gm.value == pytest.approx(0.25)
    assert [(i.name, i.value) for i in gm.inputs] == [("Σ profit", 120.0), ("Σ amount", 480.0)]
    assert b2b.value == pytest.approx(1.5)
    assert b2b.formula == "Σ revenue_trend.booked / Σ revenue_trend.recognized over the window"
    assert [(i.name, i.value) for i in b2b.inputs] == [
        ("Σ booked", 360.0),
        ("Σ recognized", 240.0),
    ]


def test_every_kpis_provenance_reads_as_a_person_sees_it_under_the_tile() -> None:
    """Formula in words, each input's name, value and detail, and the months covered, for a
    hand-built company: 100 recognized a month for two years, 600 backlog, 40 amount / 10 profit
    and 5 expenses a month, 30 of new MRR from two customers, NRR 1.1 in July."""
    facts = f.Facts(
        recognized={**each(100.0), **each(100.0, PREV.months)},
        backlog={END: 600.0},
        uptime={dt.date(2025, 2, 1): 0.9, dt.date(2025, 3, 1): 1.0},
        nrr={dt.date(2025, 7, 1): 1.1},
        gross_churn={dt.date(2025, 7, 1): 0.05},
        expansion={dt.date(2025, 7, 1): 0.15},
        order_profit=each(10.0),
        order_amount=each(40.0),
        expenses={**each(5.0), PREV.months[-1]: 7.0},  # the month before counts in no total
        new_mrr={(W.start_month, W.end_month): (30.0, 2)},
    )

    def shown(result: f.Result) -> list[tuple[str, float | None, str | None]]:
        return [(i.name, i.value, i.detail) for i in result.inputs]

    revenue = f.revenue(W, facts)
    assert revenue.formula == "Sum of revenue_trend.recognized over the window's months"
    assert shown(revenue) == [("Σ recognized", 1200.0, "12 of 12 months with data")]
    uptime = f.uptime(W, facts)
    assert uptime.formula == (
        "Mean of ops_uptime.uptime over the window, each month weighted by its days"
    )
    nrr = f.nrr(W, facts)
    assert (nrr.value, nrr.months, nrr.cover) == (1.1, ["2025-07"], (12, 1))
    assert shown(nrr)[3] == ("1 − churn + expansion", pytest.approx(1.1), "2025-07")
    gm = f.gm(W, facts)
    assert gm.formula == "Σ orders.profit / Σ orders.amount, orders dated in the window"
    payback = f.payback(W, facts)
    assert payback.value == pytest.approx(60.0 / (30.0 * 0.25))
    assert payback.formula == (
        "Σ expenses.cost in the window / (new MRR × gross margin); new MRR = subscription/"
        "recurring amount in the end month from customers whose first such order is in the window"
    )
    assert payback.cover == (12, 12)  # the window's months with expenses and orders
    assert shown(payback) == [
        ("Σ expenses", 60.0, None),
        ("new MRR", 30.0, "2 new recurring customers, 2025-08"),
        ("gross margin", 0.25, None),
    ]
    coverage = f.coverage_months(W, facts)
    assert coverage.value == pytest.approx(6.0)
    assert shown(coverage) == [
        ("backlog", 600.0, "2025-08"),
        ("Σ recognized, 6 months", 600.0, "2025-03..2025-08"),
        ("mean monthly recognized", 100.0, None),
    ]
    assert f.forecast(W, facts).cover == (12, 12)  # the window's months, not the history's 24
