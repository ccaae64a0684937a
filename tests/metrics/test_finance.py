"""Finance overview: executive tiles plus revenue, margin, MRR/ARR and expense series."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from execdash.metrics import finance
from execdash.metrics.windows import resolve_window


def test_finance_series_by_quarter(small_company: Engine) -> None:
    window = resolve_window("12m", "quarter", "2025-08")
    with small_company.connect() as conn:
        result = finance.overview(conn, window)
    series = {s.key: s for s in result.series}
    assert [p.value for p in series["recognized"].points] == [100.0, 300.0, 300.0, 300.0, 200.0]
    assert series["backlog"].points[-1].value == 1000.0
    assert series["book_to_bill"].total == pytest.approx(1.2)
    # MRR is a stock: 2025-Q1 holds only Bolt's March subscription, 2025-Q3 ends with August's 180
    assert [p.value for p in series["mrr"].points] == [None, None, 50.0, None, 180.0]
    assert series["arr"].points[-1].value == 2160.0
    assert series["gm"].total == pytest.approx(100 / 230)
    assert series["expenses"].total == 400.0
    assert {k.key for k in result.kpis} == set(finance.FINANCE_KPIS)
    assert result.warnings == []  # the legacy uptime value is not a finance input


def test_revenue_trend_has_recognized_booked_and_backlog(small_company: Engine) -> None:
    with small_company.connect() as conn:
        trend = finance.revenue_trend(conn, resolve_window("3m", "month", "2025-08"))
    assert [s.key for s in trend] == ["recognized", "booked", "backlog"]
    assert [p.value for p in trend[2].points] == [900.0, 900.0, 1000.0]
    assert trend[1].total == 360.0


@pytest.mark.parametrize("as_of", ["2025-08", "2025-09"])
def test_stock_kpis_and_their_series_take_the_same_end_month_value(
    small_company: Engine, as_of: str
) -> None:
    """Backlog and ARR tiles equal their series' window value and last point; with the end month
    missing (2025-09) all three are null, never an earlier month's value."""
    from execdash.metrics import executive

    window = resolve_window("6m", "quarter", as_of)
    with small_company.connect() as conn:
        tiles = {k.key: k.value for k in executive.kpis(conn, window, fresh=True)}
        series = {s.key: s for s in finance.overview(conn, window).series}
    for key in ("backlog", "arr"):
        assert series[key].total == tiles[key]
        assert series[key].points[-1].value == tiles[key]
    if as_of == "2025-09":
        assert tiles["backlog"] is None
        assert tiles["arr"] is None
    else:
        assert (tiles["backlog"], tiles["arr"]) == (1000.0, 12 * 180.0)


def test_finance_page_names_each_series_as_its_chart_legend_reads(small_company: Engine) -> None:
    with small_company.connect() as conn:
        result = finance.overview(conn, resolve_window("3m", "month", "2025-08"))
    assert result.domain == "finance"
    assert [(s.key, s.label, s.unit) for s in result.series] == [
        ("recognized", "Recognized revenue", "currency"),
        ("booked", "Bookings", "currency"),
        ("backlog", "Backlog", "currency"),
        ("book_to_bill", "Book-to-bill", "ratio"),
        ("gm", "Gross margin", "ratio"),
        ("mrr", "MRR", "currency"),
        ("arr", "ARR", "currency"),
        ("expenses", "Expenses", "currency"),
    ]
