"""KPI drill-downs: the KPI's definition per period, and breakdowns whose shares sum to 1."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.metrics import shared_facts
from execdash.metrics.drilldown import DIMENSIONS, DrilldownError, drilldown
from execdash.metrics.executive import fetch_facts
from execdash.metrics.windows import resolve_window
from tests.metrics.conftest import Put, d, months

Q = resolve_window("12m", "quarter", "2025-08")
MONTHLY = ("revenue_trend", "rollup_orders_month", "substr(CAST(orders.order_date")
"""What a statement reading a KPI's monthly facts names: the trend, the monthly rollup or the
raw orders grouped by month (when the rollup is not in use)."""


def test_backlog_series_takes_each_quarter_end_and_the_partial_quarter_its_last_month(
    small_company: Engine,
) -> None:
    with small_company.connect() as conn:
        result = drilldown(conn, Q, "backlog")
    assert [(p.period, p.value, p.partial) for p in result.series.points] == [
        ("2024-Q3", 900.0, True),
        ("2024-Q4", 900.0, False),
        ("2025-Q1", 900.0, False),
        ("2025-Q2", 900.0, False),
        ("2025-Q3", 1000.0, True),
    ]
    assert result.series.kind == "stock"
    assert result.dimensions == []


def test_revenue_series_sums_each_quarter(small_company: Engine) -> None:
    with small_company.connect() as conn:
        result = drilldown(conn, Q, "revenue")
    assert [p.value for p in result.series.points] == [100.0, 300.0, 300.0, 300.0, 200.0]
    assert result.series.total == 1200.0
    assert result.kpi.value == 1200.0
    assert result.series.coverage == result.kpi.coverage


def test_revenue_by_industry_is_attributed_through_recognized_orders(small_company: Engine) -> None:
    with small_company.connect() as conn:
        result = drilldown(conn, Q, "revenue", by="industry")
    assert result.breakdown is not None
    # The window's only recognized order is in September, after it: nothing is attributed.
    items = {i.name: i.value for i in result.breakdown.items}
    assert items == {"unattributed": 1200.0}
    assert result.breakdown.total == result.kpi.value == 1200.0
    assert not result.breakdown.reconciles


def test_gm_by_customer_carries_each_customers_profit_revenue_and_margin(
    small_company: Engine,
) -> None:
    with small_company.connect() as conn:
        result = drilldown(conn, Q, "gm", by="customer")
    assert result.breakdown is not None
    acme = next(i for i in result.breakdown.items if i.name == "Acme")
    assert (acme.value, acme.denominator, acme.rate) == (50.0, 100.0, pytest.approx(0.5))
    assert result.breakdown.measure == "Gross profit"
    assert result.breakdown.numerator / result.breakdown.denominator == pytest.approx(  # type: ignore[operator]
        result.kpi.value
    )


def test_arr_by_source_uses_end_month_recurring_orders(small_company: Engine) -> None:
    with small_company.connect() as conn:
        result = drilldown(conn, Q, "arr", by="source")
    assert result.breakdown is not None
    assert {i.name: i.value for i in result.breakdown.items} == {
        "Inbound": 12 * 130.0,
        "Partner": 12 * 50.0,
    }
    assert result.breakdown.reconciles
    assert result.breakdown.over == "12 × subscription and recurring orders in Aug 2025, 3 orders"


def test_top_20_customers_then_other(any_engine: Engine, put: Put) -> None:
    put("customers", [{"id": i, "name": f"C{i:02d}"} for i in range(1, 26)])
    put(
        "orders",
        [
            {"customer_id": i, "amount": i, "profit": 0, "order_date": d("2025-08-10"),
             "type": "recognized"}
            for i in range(1, 26)
        ],
    )  # fmt: skip
    put("revenue_trend", [{"period": "2025-08", "recognized": 325, "booked": 0, "backlog": 0}])
    with any_engine.connect() as conn:
        result = drilldown(conn, Q, "revenue", by="customer")
    assert result.breakdown is not None
    names = [i.name for i in result.breakdown.items]
    assert names[0] == "C25"
    assert len(names) == 21
    assert result.breakdown.items[-1].name == "other"
    assert result.breakdown.items[-1].value == 15.0  # customers 1..5
    assert sum(i.share or 0 for i in result.breakdown.items) == pytest.approx(1.0)
    assert result.breakdown.over == "recognized orders, 25 orders"


def test_unsupported_dimension_lists_the_valid_ones(any_engine: Engine) -> None:
    with any_engine.connect() as conn, pytest.raises(DrilldownError) as info:
        drilldown(conn, Q, "gm", by="product")
    assert info.value.valid == DIMENSIONS["gm"]
    assert "customer, industry, source" in str(info.value)


def test_unknown_kpi_is_a_drilldown_error(any_engine: Engine) -> None:
    with any_engine.connect() as conn, pytest.raises(DrilldownError, match="key='ebitda'"):
        drilldown(conn, Q, "ebitda")


def test_forecast_series_shows_the_actuals_and_the_kpi_its_method(small_company: Engine) -> None:
    with small_company.connect() as conn:
        result = drilldown(conn, resolve_window("3m", "month", "2025-08"), "forecast")
    assert result.series.label == "Recognized revenue (actuals)"
    assert [p.value for p in result.series.points] == [100.0, 100.0, 100.0]
    assert result.kpi.forecast is not None
    assert result.kpi.forecast.method == "holt_damped"


def test_forecast_actuals_stay_monthly_on_a_quarterly_window(small_company: Engine) -> None:
    with small_company.connect() as conn:
        result = drilldown(conn, resolve_window("6m", "quarter", "2025-08"), "forecast")
    assert result.actuals is not None
    actuals = result.actuals
    assert (actuals.key, actuals.label, actuals.unit, actuals.total) == (
        "recognized",
        "Recognized revenue",
        "currency",
        600.0,  # 100 a month, March to August 2025
    )
    assert [(p.period, p.value, p.partial) for p in actuals.points] == [
        (month, 100.0, False) for month in months("2025-03", 6)
    ]
    with small_company.connect() as conn:
        assert drilldown(conn, resolve_window("6m", "quarter", "2025-08"), "gm").actuals is None


def test_gm_series_per_month_divides_that_months_sums(small_company: Engine) -> None:
    with small_company.connect() as conn:
        result = drilldown(conn, resolve_window("6m", "month", "2025-08"), "gm")
    values = [p.value for p in result.series.points]
    assert values[0] == pytest.approx(0.4)  # March: Bolt 20 / 50
    assert values[1:5] == [None, None, None, None]
    assert values[5] == pytest.approx(80 / 180)


def test_unsupported_dimension_names_the_by_field_and_its_value(any_engine: Engine) -> None:
    with any_engine.connect() as conn, pytest.raises(DrilldownError) as info:
        drilldown(conn, Q, "gm", by="product")
    assert (info.value.field, info.value.value) == ("by", "product")
    assert str(info.value).startswith("by='product' is not valid")


def test_last_year_comparison_draws_the_same_months_a_year_earlier_per_period(
    small_company: Engine, put: Put
) -> None:
    put("expenses", [{"cost": 100, "date": d("2024-01-20")}])
    window = resolve_window("12m", "month", "2025-08", compare="last_year")
    with small_company.connect() as conn:
        result = drilldown(conn, window, "payback")
    drawn = result.comparison_series
    assert drawn is not None
    assert [p.period for p in drawn.points] == months("2023-09", 12)
    # Jan 2024: 100 of expenses / (Acme's new MRR 100 × margin 50/100) = 2 months.
    assert {p.period: p.value for p in drawn.points}["2024-01"] == pytest.approx(2.0)
    assert drawn.coverage is None
    assert result.series.coverage is not None
    # Aug 2025: 400 / (Crux's new MRR 30 × margin 80/180) = 30 months.
    assert result.series.points[-1].value == pytest.approx(30.0)


def test_previous_period_comparison_draws_no_second_series(small_company: Engine) -> None:
    with small_company.connect() as conn:
        result = drilldown(conn, resolve_window("6m", "quarter", "2025-08"), "revenue")
    assert result.comparison_series is None


def test_kpi_on_a_drilldown_carries_the_data_quality_warnings_of_its_inputs(
    small_company: Engine,
) -> None:
    with small_company.connect() as conn:
        result = drilldown(conn, Q, "uptime")
    assert [(w.table, w.period, w.value) for w in result.kpi.warnings] == [
        ("ops_uptime", "2025-08", 99.0)
    ]


@pytest.mark.parametrize("compare", ["previous", "last_year"])
def test_a_drilldown_reading_only_its_kpis_facts_equals_one_reading_them_all(
    small_company: Engine, compare: str
) -> None:
    window = resolve_window("12m", "quarter", "2025-08", compare=compare)
    with small_company.connect() as conn:
        for key in DIMENSIONS:
            narrow = drilldown(conn, window, key)
            with shared_facts.sharing():  # the full read is kept, and the drill-down reuses it
                fetch_facts(conn, window)
                full = drilldown(conn, window, key)
            assert narrow == full, key


def test_a_drilldown_reads_the_new_mrr_cohorts_only_for_payback(small_company: Engine) -> None:
    window = resolve_window("12m", "month", "2025-08")
    with small_company.connect() as conn:
        revenue, _ = fetch_facts(conn, window, key="revenue")
        payback, _ = fetch_facts(conn, window, key="payback")
        full, _ = fetch_facts(conn, window)
    assert revenue.recognized == full.recognized
    assert revenue.recognized
    assert (revenue.new_mrr, revenue.order_amount, revenue.booked) == ({}, {}, {})
    assert payback.new_mrr == full.new_mrr
    assert payback.new_mrr
    assert payback.expenses == full.expenses
    assert payback.recognized == {}


@pytest.mark.parametrize("key", ["revenue", "book_to_bill", "gm", "arr"])
def test_a_breakdowns_tile_is_the_drilled_kpis_value_from_the_facts_it_already_read(
    small_company: Engine, key: str
) -> None:
    with small_company.connect() as conn:
        ran: list[str] = []
        sa.event.listen(conn, "before_cursor_execute", lambda *a: ran.append(a[2]))
        plain = drilldown(conn, Q, key)
        alone = len(ran)
        split = drilldown(conn, Q, key, DIMENSIONS[key][0])
    assert split.breakdown is not None
    assert split.breakdown.tile == split.kpi.value == plain.kpi.value
    monthly = [
        [sql for sql in part if any(m in sql for m in MONTHLY)]
        for part in (ran[:alone], ran[alone:])
    ]
    assert monthly[0]  # the plain drill-down read its KPI's monthly facts …
    assert len(monthly[1]) == len(monthly[0])  # … and the breakdown did not read them again
