"""The default window's KPIs, kept by the last data change, equal a fresh computation."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db import schema as s
from execdash.db.changes import record_data_change
from execdash.metrics import executive, kpi_store
from execdash.metrics.materialise import default_window
from execdash.metrics.windows import resolve_window


def test_a_recorded_change_keeps_the_default_windows_full_answer(demo_engine: Engine) -> None:
    with demo_engine.begin() as conn:
        window = default_window(conn)
        record_data_change(conn, ["orders"])
        kept = kpi_store.stored(conn, window, executive.SOURCE_TABLES)
        assert kept is not None
        assert kept == executive.kpis(conn, window, fresh=True)
        assert [k.key for k in kept][:3] == ["revenue", "backlog", "uptime"]
        assert kept[0].provenance.inputs
        assert kept[0].value is not None


def test_an_answer_stored_without_coverage_by_an_older_execdash_is_recomputed(
    demo_engine: Engine,
) -> None:
    with demo_engine.begin() as conn:
        window = default_window(conn)
        kpis = executive.kpis(conn, window, fresh=True)
        old = [kpis[0].model_copy(update={"coverage": None}), *kpis[1:]]
        kpi_store.store(conn, window, old, executive.SOURCE_TABLES)
        assert kpi_store.stored(conn, window, executive.SOURCE_TABLES) is None
        kpi_store.store(conn, window, kpis, executive.SOURCE_TABLES)
        assert kpi_store.stored(conn, window, executive.SOURCE_TABLES) == kpis


def test_only_the_exact_window_is_read_back(demo_engine: Engine) -> None:
    with demo_engine.begin() as conn:
        window = default_window(conn)
        record_data_change(conn, ["orders"])
        other = resolve_window("6m", "month", None, window.end_month)
        quarterly = resolve_window("12m", "quarter", None, window.end_month)
        assert kpi_store.stored(conn, other, executive.SOURCE_TABLES) is None
        assert kpi_store.stored(conn, quarterly, executive.SOURCE_TABLES) is None
        assert executive.kpis(conn, other) == executive.kpis(conn, other, fresh=True)


def test_the_next_change_replaces_the_kept_answer(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        conn.execute(
            s.revenue_trend.insert(),
            [{"period": f"2025-{m:02d}", "recognized": 100.0, "booked": 120.0, "backlog": 500.0}
             for m in range(1, 13)],
        )  # fmt: skip
        record_data_change(conn, ["revenue_trend"])
        window = default_window(conn)
        before = executive.kpis(conn, window)
        assert before[0].value == pytest.approx(1200.0)
        conn.execute(
            sa.update(s.revenue_trend)
            .where(s.revenue_trend.c.period == "2025-12")
            .values(recognized=400.0)
        )
        record_data_change(conn, ["revenue_trend"])
        after = executive.kpis(conn, window)
        assert after[0].value == pytest.approx(1500.0)
        keys = conn.execute(
            sa.select(sa.func.count())
            .where(sa.text("key LIKE 'kpis:%'"))
            .select_from(sa.table("execdash_app_meta"))
        ).scalar_one()
        assert keys == 1


def test_a_write_by_another_program_makes_the_kept_answer_unused(demo_engine: Engine) -> None:
    with demo_engine.begin() as conn:
        window = default_window(conn)
        record_data_change(conn, ["orders"])
    with demo_engine.begin() as conn:  # no record_data_change: only the triggers see it
        conn.execute(sa.update(s.revenue_trend).values(recognized=s.revenue_trend.c.recognized * 2))
    with demo_engine.connect() as conn:
        assert kpi_store.stored(conn, window, executive.SOURCE_TABLES) is None
        assert executive.kpis(conn, window) == executive.kpis(conn, window, fresh=True)
