"""The ten KPIs from a real database on SQLite and PostgreSQL, hand-computed."""

from __future__ import annotations

import datetime as dt
import math

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db.changes import record_data_change
from execdash.db.rollups import SOURCES
from execdash.metrics.drilldown import drilldown
from execdash.metrics.executive import fetch_facts, kpi, kpis, kpis_from_facts
from execdash.metrics.formulas import Facts
from execdash.metrics.queries import latest_month
from execdash.metrics.shared_facts import sharing
from execdash.metrics.windows import resolve_window
from tests.metrics.conftest import Put


def _values(engine: Engine, range_key: str = "12m") -> dict[str, float | None]:
    with engine.connect() as conn:
        window = resolve_window(range_key, "month", None, latest_month(conn))
        return {k.key: k.value for k in kpis(conn, window)}


def test_every_kpi_of_the_small_company(small_company: Engine) -> None:
    v = _values(small_company)
    assert v["revenue"] == pytest.approx(1200.0)
    assert v["backlog"] == pytest.approx(1000.0)
    assert v["uptime"] == pytest.approx(0.985)  # 0.98 and 99.0 read as 0.99, both 31 days
    assert v["nrr"] == pytest.approx(1.08)
    assert v["gm"] == pytest.approx(100 / 230)  # the order on 2025-08-31 is inside the window
    assert v["payback"] == pytest.approx(400 / (80 * 100 / 230))  # new MRR 80 from c2 and c3
    assert v["book_to_bill"] == pytest.approx(1.2)
    assert v["coverage_months"] == pytest.approx(10.0)  # 1000 / (600 / 6)
    assert v["arr"] == pytest.approx(12 * 180.0)
    # recognized revenue 50 (2024-08) then 100 for 12 months: the forecast, worked by hand below
    assert v["forecast"] == pytest.approx(_hand_holt([50.0] + [100.0] * 12, 0.9, 0.3, 0.8)[0])


def _hand_holt(values: list[float], alpha: float, beta: float, phi: float) -> tuple[float, float]:
    """Damped Holt written out step by step: (next-month forecast, one-step squared error)."""
    level, trend, sse = values[0], values[1] - values[0], 0.0
    for y in values[1:]:
        predicted = level + phi * trend
        sse += (y - predicted) ** 2
        new_level = alpha * y + (1 - alpha) * predicted
        trend = beta * (new_level - level) + (1 - beta) * phi * trend
        level = new_level
    return level + phi * trend, sse


def test_forecast_of_the_small_company_is_worked_by_hand(small_company: Engine) -> None:
    with small_company.connect() as conn:
        detail = kpi(conn, resolve_window("12m", "month", "2025-08"), "forecast").forecast
    assert detail is not None
    history = [50.0] + [100.0] * 12  # every recognized month up to 2025-08
    assert (detail.method, detail.history_months, detail.month) == ("holt_damped", 13, "2025-09")
    assert (detail.alpha, detail.beta, detail.phi) == (0.9, 0.3, 0.8)  # least squared error
    value, sse = _hand_holt(history, 0.9, 0.3, 0.8)
    assert value == pytest.approx(100.0487428)
    assert detail.value == pytest.approx(value)
    half_width = 1.2815515655446004 * math.sqrt(sse / 12)
    assert (detail.lower, detail.upper) == pytest.approx((value - half_width, value + half_width))


def test_deltas_compare_with_the_previous_window(small_company: Engine) -> None:
    with small_company.connect() as conn:
        window = resolve_window("12m", "month", "2025-08")
        revenue = kpi(conn, window, "revenue")
        forecast = kpi(conn, window, "forecast")
    assert revenue.previous == pytest.approx(50.0)
    assert revenue.delta == pytest.approx(23.0)
    assert forecast.forecast is not None
    assert forecast.forecast.method == "holt_damped"  # 13 months of history
    assert forecast.forecast.month == "2025-09"


def test_a_legacy_percent_uptime_is_flagged_on_the_uptime_kpi(small_company: Engine) -> None:
    with small_company.connect() as conn:
        uptime = kpi(conn, resolve_window("12m", "month", "2025-08"), "uptime")
    assert [(w.table, w.column, w.period) for w in uptime.warnings] == [
        ("ops_uptime", "uptime", "2025-08")
    ]


def test_coverage_uses_six_months_on_a_24m_window_too(small_company: Engine) -> None:
    assert _values(small_company, "24m")["coverage_months"] == pytest.approx(10.0)


def test_a_3m_window_has_no_new_customers_before_its_start(small_company: Engine) -> None:
    # only c3's first subscription (Aug) falls in Jun–Aug: new MRR 30, spend 400,
    # gm of the Jun–Aug orders (100/50, 50/20, 30/10) = 80 / 180
    assert _values(small_company, "3m")["payback"] == pytest.approx(400 / (30 * 80 / 180))


def test_empty_database_gives_ten_null_kpis(any_engine: Engine) -> None:
    with any_engine.connect() as conn:
        assert latest_month(conn) is None
        tiles = kpis(conn, resolve_window("12m", "month", None, None))
    assert len(tiles) == 10
    assert all(k.value is None and k.delta is None for k in tiles)


def test_unknown_kpi_key_lists_the_valid_keys(any_engine: Engine) -> None:
    with any_engine.connect() as conn, pytest.raises(KeyError, match="book_to_bill"):
        kpi(conn, resolve_window("6m", "month", "2025-01"), "ebitda")


@pytest.mark.usefixtures("demo_engine")
def test_demo_company_kpis_are_plausible_and_non_null(demo_engine: Engine) -> None:
    v = _values(demo_engine)
    assert all(value is not None for value in v.values()), v
    assert v["revenue"] is not None
    assert v["revenue"] > 0
    assert 0 < (v["gm"] or 0) < 1
    assert 1 <= (v["coverage_months"] or 0) <= 24
    assert 0.5 < (v["nrr"] or 0) < 2
    assert 0.9 < (v["uptime"] or 0) <= 1
    assert (v["arr"] or 0) > 0
    assert (v["payback"] or 0) > 0
    assert (v["forecast"] or 0) > 0


def test_every_kpi_reports_months_with_data_now_and_before(small_company: Engine) -> None:
    with small_company.connect() as conn:
        tiles = {k.key: k for k in kpis(conn, resolve_window("12m", "month", "2025-08"))}
    cover = {k: (t.coverage.current, t.coverage.previous, t.coverage.months)  # type: ignore[union-attr]
             for k, t in tiles.items()}  # fmt: skip
    assert cover["revenue"] == (12, 1, 12)  # recognized 2024-08 is the previous window's only
    assert cover["uptime"] == (2, 0, 12)
    assert cover["coverage_months"] == (6, 1, 6)  # six months to the end, and to 2024-08
    assert cover["book_to_bill"] == (12, 1, 12)
    revenue = tiles["revenue"]
    assert revenue.comparable is False
    assert revenue.favourable is None
    assert revenue.coverage is not None
    assert (revenue.coverage.previous_start_month, revenue.coverage.previous_end_month) == (
        "2023-09", "2024-08",
    )  # fmt: skip
    assert tiles["coverage_months"].comparable is False


def test_nrr_popover_inputs_show_the_identity_with_the_same_rows_numbers(
    small_company: Engine,
) -> None:
    with small_company.connect() as conn:
        nrr = kpi(conn, resolve_window("12m", "month", "2025-08"), "nrr")
    inputs = {i.name: i.value for i in nrr.provenance.inputs}
    assert inputs["nrr"] == 1.08
    assert inputs["gross churn (same month, trailing 12 months)"] == 0.02
    assert inputs["expansion (same month, trailing 12 months)"] == 0.1
    assert inputs["1 − churn + expansion"] == pytest.approx(1.08)
    assert nrr.basis == "trailing 12 months to Jun 2025"
    assert nrr.change_unit == "points"


def test_a_rate_read_as_a_percent_warns_on_its_own_tile_only_and_only_inside_the_window(
    any_engine: Engine, put: Put
) -> None:
    """Gross churn written as 7 (a percent in a 0–1 column) in August warns on the NRR tile and
    a win rate of 30 on the forecast's; the same mistake in October, after the window's end
    month, is not this window's warning."""
    put(
        "revenue_trend",
        [{"period": "2025-08", "recognized": 10.0, "booked": 10.0, "backlog": 10.0}],
    )
    put(
        "retention_nrr",
        [
            {"period": "2025-08", "nrr": 1.05, "gross_churn": 7.0, "expansion": 0.12},
            {"period": "2025-10", "nrr": 1.0, "gross_churn": 9.0, "expansion": 0.1},
        ],
    )
    put(
        "pipeline_winrate",
        [
            {"period": "2025-08", "win_rate_pct": 30.0, "sales_cycle_days": 40.0},
            {"period": "2025-10", "win_rate_pct": 50.0, "sales_cycle_days": 40.0},
        ],
    )
    with any_engine.connect() as conn:
        tiles = {k.key: k for k in kpis(conn, resolve_window("12m", "month", "2025-08"))}
    assert [(w.table, w.column, w.period) for w in tiles["nrr"].warnings] == [
        ("retention_nrr", "gross_churn", "2025-08")
    ]
    assert [(w.table, w.column, w.period) for w in tiles["forecast"].warnings] == [
        ("pipeline_winrate", "win_rate_pct", "2025-08")
    ]
    assert all(not tiles[k].warnings for k in tiles if k not in ("nrr", "forecast"))


def test_each_tile_says_what_it_is_measured_over_and_holts_interval_is_80_percent() -> None:
    """The tile's basis line and the forecast's interval are what a person reads beside the
    value: stock KPIs at the end month, coverage over six months of revenue, NRR's trailing
    year, flows over the window (no basis)."""
    window = resolve_window("12m", "month", "2025-08")
    months = [dt.date(2024, m, 1) for m in range(1, 13)] + [
        dt.date(2025, m, 1) for m in range(1, 9)
    ]
    facts = Facts(
        recognized={m: 100.0 + i for i, m in enumerate(months)},
        backlog={dt.date(2025, 8, 1): 600.0},
        nrr={dt.date(2025, 7, 1): 1.1},
    )
    tiles = {k.key: k for k in kpis_from_facts(window, facts)}
    assert tiles["backlog"].basis == tiles["arr"].basis == "at the end of Aug 2025"
    assert tiles["coverage_months"].basis == "backlog ÷ 6-month mean revenue to Aug 2025"
    assert tiles["nrr"].basis == "trailing 12 months to Jul 2025"
    assert tiles["revenue"].basis is None
    forecast = tiles["forecast"].forecast
    assert forecast is not None
    assert (forecast.method, forecast.interval, forecast.history_months) == ("holt_damped", 0.8, 20)
    short = Facts(recognized=dict.fromkeys(months[-3:], 100.0))
    trailing = kpis_from_facts(window, short)[-1].forecast
    assert trailing is not None
    assert (trailing.method, trailing.interval) == ("trailing_3m_mean", None)  # no interval


def test_the_forecasts_pipeline_estimate_reads_the_sql_and_won_stages_by_name(
    any_engine: Engine, put: Put
) -> None:
    """August's SQL-stage pipeline (1,000) × win rate (25 %) × booked per Won deal in the
    window (800 / 4): 50,000. Leads are neither stage."""
    put(
        "revenue_trend",
        [{"period": "2025-08", "recognized": 10.0, "booked": 800.0, "backlog": 0.0}],
    )
    put(
        "pipeline_winrate",
        [{"period": "2025-08", "win_rate_pct": 0.25, "sales_cycle_days": 30.0}],
    )
    put(
        "pipeline_stages_daily",
        [
            {"period": dt.date(2025, 8, 10), "stage_name": "SQL", "value": 1000.0},
            {"period": dt.date(2025, 8, 11), "stage_name": "Won", "value": 4.0},
            {"period": dt.date(2025, 8, 12), "stage_name": "Leads", "value": 99.0},
        ],
    )
    window = resolve_window("12m", "month", "2025-08")

    def estimates() -> tuple[float | None, float | None]:
        with any_engine.connect() as conn:
            tile = kpi(conn, window, "forecast").forecast
            drilled = drilldown(conn, window, "forecast").kpi.forecast  # its own facts only
        assert tile is not None
        assert drilled is not None
        return tile.pipeline_estimate, drilled.pipeline_estimate

    assert estimates() == (pytest.approx(50_000.0), pytest.approx(50_000.0))  # raw rows
    with any_engine.begin() as conn:
        record_data_change(conn, sorted(SOURCES))  # builds the rollups and marks them ready
    assert estimates() == (pytest.approx(50_000.0), pytest.approx(50_000.0))  # the rollup


def test_an_answer_reads_its_facts_once_and_a_shorter_window_reuses_them(
    small_company: Engine,
) -> None:
    """Inside one answer (`sharing`) a second fetch of the same window runs no statement, and a
    shorter one ending in the same month reads only its own new-MRR spans; outside it, every
    fetch reads everything."""
    window = resolve_window("12m", "month", "2025-08")
    shorter = resolve_window("3m", "month", "2025-08")
    with small_company.connect() as conn:
        ran: list[str] = []
        sa.event.listen(conn, "before_cursor_execute", lambda *a: ran.append(a[2]))
        with sharing():
            first, _ = fetch_facts(conn, window)
            read = len(ran)
            fetch_facts(conn, window)
            assert len(ran) == read  # nothing read again
            narrow, _ = fetch_facts(conn, shorter)
            shared = len(ran) - read
        assert narrow.recognized == first.recognized
        fetch_facts(conn, shorter)
        alone = len(ran) - read - shared
    assert 0 < shared < alone  # the new-MRR lookups only, against a whole read
