"""KPI drill-downs: the KPI's definition per period, and breakdowns whose shares sum to 1."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from execdash.metrics.drilldown import DIMENSIONS, DrilldownError, drilldown
from execdash.metrics.windows import resolve_window
from tests.metrics.conftest import Put, d

Q = resolve_window("12m", "quarter", "2025-08")


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


def test_revenue_by_industry_has_shares_summing_to_one(small_company: Engine) -> None:
    with small_company.connect() as conn:
        result = drilldown(conn, Q, "revenue", by="industry")
    assert result.breakdown is not None
    items = {i.name: (i.value, i.share) for i in result.breakdown.items}
    # Food: Acme 100 (2025-08-31) + Crux 30; Health: Bolt 50 + 50; the Sep order is outside
    assert items == {
        "Food": (130.0, pytest.approx(130 / 230)),
        "Health": (100.0, pytest.approx(100 / 230)),
    }
    assert sum(i.share or 0 for i in result.breakdown.items) == pytest.approx(1.0)


def test_gm_by_customer_carries_each_customers_margin(small_company: Engine) -> None:
    with small_company.connect() as conn:
        result = drilldown(conn, Q, "gm", by="customer")
    assert result.breakdown is not None
    acme = next(i for i in result.breakdown.items if i.name == "Acme")
    assert (acme.value, acme.rate) == (50.0, pytest.approx(0.5))


def test_arr_by_source_uses_end_month_recurring_orders(small_company: Engine) -> None:
    with small_company.connect() as conn:
        result = drilldown(conn, Q, "arr", by="source")
    assert result.breakdown is not None
    assert {i.name: i.value for i in result.breakdown.items} == {
        "Inbound": 12 * 130.0,
        "Partner": 12 * 50.0,
    }


def test_top_20_customers_then_other(any_engine: Engine, put: Put) -> None:
    put("customers", [{"id": i, "name": f"C{i:02d}"} for i in range(1, 26)])
    put(
        "orders",
        [
            {"customer_id": i, "amount": i, "profit": 0, "order_date": d("2025-08-10")}
            for i in range(1, 26)
        ],
    )
    with any_engine.connect() as conn:
        result = drilldown(conn, Q, "revenue", by="customer")
    assert result.breakdown is not None
    names = [i.name for i in result.breakdown.items]
    assert names[0] == "C25"
    assert len(names) == 21
    assert result.breakdown.items[-1].name == "other"
    assert result.breakdown.items[-1].value == 15.0  # customers 1..5
    assert sum(i.share or 0 for i in result.breakdown.items) == pytest.approx(1.0)


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


def test_gm_series_per_month_divides_that_months_sums(small_company: Engine) -> None:
    with small_company.connect() as conn:
        result = drilldown(conn, resolve_window("6m", "month", "2025-08"), "gm")
    values = [p.value for p in result.series.points]
    assert values[0] == pytest.approx(0.4)  # March: Bolt 20 / 50
    assert values[1:5] == [None, None, None, None]
    assert values[5] == pytest.approx(80 / 180)


def test_breakdowns_read_the_same_sums_from_the_customer_rollup_as_from_raw_orders(
    any_engine: Engine, put: Put
) -> None:
    from execdash.db.changes import record_data_change
    from execdash.metrics.drilldown import orders_by_dimension

    put(
        "customers",
        [
            {"id": 1, "name": "Acme", "industry": "Retail", "source": "Inbound"},
            {"id": 2, "name": "Bolt", "industry": "Retail", "source": None},
        ],
    )
    put(
        "orders",
        [
            {"customer_id": 1, "amount": 100, "profit": 40, "order_date": d("2025-08-01"),
             "type": "recognized"},
            {"customer_id": 1, "amount": 70, "profit": 5, "order_date": d("2025-08-31"),
             "type": "booked"},
            {"customer_id": 2, "amount": 30, "profit": 3, "order_date": d("2025-07-15"),
             "type": None},
            {"customer_id": None, "amount": 9, "profit": 1, "order_date": d("2025-08-02"),
             "type": "subscription"},
            {"customer_id": 2, "amount": 500, "profit": 50, "order_date": d("2025-09-01"),
             "type": "recognized"},  # after the range
        ],
    )  # fmt: skip
    start, end = d("2025-07-01"), d("2025-08-31")

    def answers() -> list[object]:
        with any_engine.connect() as conn:
            return [
                sorted(orders_by_dimension(conn, dim, start, end, **kw), key=str)
                for dim in ("customer", "industry", "source")
                for kw in ({}, {"exclude": ("booked",)}, {"types": ("booked", "subscription")})
            ]

    raw = answers()
    with any_engine.begin() as conn:
        record_data_change(conn, ["orders"])  # rebuilds and marks the rollups ready
    assert answers() == raw
    assert raw[1] == [("Acme", 100.0, 40.0), ("Bolt", 30.0, 3.0), (None, 9.0, 1.0)]
    assert raw[5] == [("Retail", 70.0, 5.0), (None, 9.0, 1.0)]
    assert raw[8] == [("Inbound", 70.0, 5.0), (None, 9.0, 1.0)]
