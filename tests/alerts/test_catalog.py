"""A rule sees exactly the monthly numbers the metric's chart shows."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from execdash.alerts import catalog
from execdash.metrics import drilldown, sales
from execdash.metrics.windows import resolve_window


def test_monthly_values_equal_the_drill_down_and_domain_series(demo_engine: Engine) -> None:
    window = resolve_window("24m", "month", "2026-10")
    with demo_engine.connect() as conn:
        values = catalog.monthly_values(
            conn, list(catalog.METRICS), window.start_month, window.end_month
        )
        for key, metric in catalog.METRICS.items():
            if metric.source != "executive":
                continue
            series = drilldown.drilldown(conn, window, key).series
            expected = {p.period: p.value for p in series.points if p.value is not None}
            got = {m.strftime("%Y-%m"): v for m, v in values[key].items()}
            assert got == expected, key
        funnel = {s.key: s for s in sales.overview(conn, window).series}
    for key in ("leads", "won_per_sql", "win_rate", "avg_deal"):
        expected = {p.period: p.value for p in funnel[key].points if p.value is not None}
        assert {m.strftime("%Y-%m"): v for m, v in values[key].items()} == expected, key
    assert len(values["revenue"]) == 24
    assert values["revenue"][dt.date(2026, 10, 1)] > 0


def test_every_domain_metric_is_a_series_of_its_overview(demo_engine: Engine) -> None:
    window = resolve_window("3m", "month", "2026-10")
    with demo_engine.connect() as conn:
        for metric in catalog.METRICS.values():
            if metric.source == "executive":
                continue
            overview = catalog._OVERVIEWS[metric.source](conn, window)
            found = {s.key: s for s in overview.series}
            assert metric.key in found, metric.key
            assert found[metric.key].unit == metric.unit, metric.key


def test_drilldown_links_show_the_month() -> None:
    assert catalog.metric("revenue").drilldown_url("2026-10") == "/kpi/revenue?as_of=2026-10"
    assert catalog.metric("win_rate").drilldown_url("2026-10") == (
        "/kpi/win_rate?domain=sales&as_of=2026-10"
    )
    assert catalog.metric("mrr").drilldown_url("2026-10") == "/finance?as_of=2026-10"
    assert catalog.metric("mrr").drilldown_url() == "/finance"
