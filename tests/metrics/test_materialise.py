"""The materialised seed tables equal what the engine computes, after refresh and data changes."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from execdash.cli import app
from execdash.db import schema as s
from execdash.db.changes import catch_up, record_data_change
from execdash.metrics.executive import kpis
from execdash.metrics.materialise import default_window, needs_refresh, refresh
from execdash.metrics.windows import resolve_window


def _stored(conn: sa.Connection) -> dict[str, tuple[float | None, str, float | None, str]]:
    rows = conn.execute(sa.select(s.executive_kpis))
    return {r.key: (r.value, r.unit, r.delta, r.direction) for r in rows}


def test_refresh_writes_the_default_window_kpis_and_every_range(small_company: Engine) -> None:
    with small_company.begin() as conn:
        done = refresh(conn, "£")
    assert done.as_of == "2025-08"
    with small_company.connect() as conn:
        stored = _stored(conn)
        expected = kpis(conn, resolve_window("12m", "month", "2025-08"))
        tw = s.timeframe_window
        windows = conn.execute(sa.select(tw.c.range, tw.c.start_date).order_by(tw.c.id)).all()
        ids = conn.execute(sa.select(tw.c.id).order_by(tw.c.id)).scalars().all()
    assert len(stored) == 10
    for k in expected:
        value, _unit, delta, direction = stored[k.key]
        assert value == pytest.approx(k.value)
        assert delta == (pytest.approx(k.delta) if k.delta is not None else None)
        assert direction == k.direction
    assert stored["revenue"][1] == "£"
    assert stored["coverage_months"][1] == "mo"
    assert stored["gm"][1] == "ratio"
    assert windows == [
        ("3m", dt.date(2025, 6, 1)),
        ("6m", dt.date(2025, 3, 1)),
        ("12m", dt.date(2024, 9, 1)),
        ("24m", dt.date(2023, 9, 1)),
        ("ytd", dt.date(2025, 1, 1)),
    ]
    assert ids == [1, 2, 3, 4, 5]  # numbered from 1, as the existing system's rows are


def test_a_data_change_rewrites_the_kpis_in_the_same_transaction(small_company: Engine) -> None:
    with small_company.begin() as conn:
        conn.execute(
            s.revenue_trend.update()
            .where(s.revenue_trend.c.period == "2025-08")
            .values(recognized=400)
        )
        record_data_change(conn, ["revenue_trend"])
    with small_company.connect() as conn:
        assert _stored(conn)["revenue"][0] == pytest.approx(1500.0)


def test_a_change_to_alerts_only_does_not_recompute(small_company: Engine) -> None:
    with small_company.begin() as conn:
        catch_up(conn)  # the fixture's plain inserts left their rollups stale: settle them first
        conn.execute(s.executive_kpis.delete())
    with small_company.begin() as conn:
        record_data_change(conn, ["alerts"])
    with small_company.connect() as conn:
        assert _stored(conn) == {}
    assert needs_refresh(set())
    assert needs_refresh({"orders", "alerts"})
    assert not needs_refresh({"alerts", "risks"})


def test_empty_database_stores_ten_null_kpis(any_engine: Engine) -> None:
    """With no data the windows end in the month of the `today` given, not the clock's."""
    with any_engine.begin() as conn:
        done = refresh(conn, "£", today=dt.date(2026, 3, 5))
    with any_engine.connect() as conn:
        stored = _stored(conn)
        tw = s.timeframe_window
        ends = set(conn.execute(sa.select(tw.c.end_date)).scalars())
    assert done.as_of == "2026-03"
    assert ends == {dt.date(2026, 3, 31)}
    assert len(stored) == 10
    assert all(v[0] is None and v[3] == "flat" for v in stored.values())


def test_refresh_command_prints_what_it_wrote(sqlite_url: str, engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            s.revenue_trend.insert(),
            [{"period": "2025-01", "recognized": 10, "booked": 12, "backlog": 30}],
        )
    result = CliRunner().invoke(
        app, ["refresh"], env={"EXECDASH_DATABASE_URL": sqlite_url, "EXECDASH_CURRENCY": "USD"}
    )
    assert result.exit_code == 0, result.output
    assert "as_of 2025-01" in result.output
    assert "coverage_months" in result.output
    with engine.connect() as conn:
        assert _stored(conn)["revenue"][:2] == (10.0, "$")


def test_the_ytd_row_starts_at_the_configured_fiscal_year(small_company: Engine) -> None:
    with small_company.begin() as conn:
        refresh(conn, "£", fiscal_start=4)  # latest month Aug 2025: FY2026 began April 2025
    with small_company.connect() as conn:
        ytd = conn.execute(
            sa.select(s.timeframe_window.c.start_date, s.timeframe_window.c.end_date).where(
                s.timeframe_window.c.range == "ytd"
            )
        ).one()
    assert tuple(ytd) == (dt.date(2025, 4, 1), dt.date(2025, 8, 31))


def test_refresh_command_follows_the_fiscal_year_setting(sqlite_url: str, engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            s.revenue_trend.insert(),
            [{"period": "2025-08", "recognized": 10, "booked": 12, "backlog": 30}],
        )
    env = {"EXECDASH_DATABASE_URL": sqlite_url, "EXECDASH_FISCAL_YEAR_START": "7"}
    result = CliRunner().invoke(app, ["refresh"], env=env)
    assert result.exit_code == 0, result.output
    assert "ytd  2025-07-01 … 2025-08-31" in result.output
    bad = CliRunner().invoke(app, ["refresh"], env={**env, "EXECDASH_FISCAL_YEAR_START": "13"})
    assert bad.exit_code == 1
    assert "EXECDASH_FISCAL_YEAR_START='13' is not a month number 1-12" in bad.output
    assert "Traceback" not in bad.output


def test_default_window_is_12_months_to_the_latest_data_month_in_the_fiscal_year_asked(
    small_company: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXECDASH_FISCAL_YEAR_START", "1")
    with small_company.connect() as conn:
        window = default_window(conn, today=dt.date(2030, 1, 15), fiscal_start=4)
    assert (window.start_month, window.end_month) == (dt.date(2024, 9, 1), dt.date(2025, 8, 1))
    assert (window.range_key, window.granularity, window.fiscal_start) == ("12m", "month", 4)


def test_default_window_on_an_empty_database_ends_in_the_month_of_today(engine: Engine) -> None:
    with engine.connect() as conn:
        window = default_window(conn, today=dt.date(2020, 5, 15))
    assert (window.start_month, window.end_month) == (dt.date(2019, 6, 1), dt.date(2020, 5, 1))
