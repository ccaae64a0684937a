"""The generator as a whole: fills every table, is deterministic, works on both backends."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db.changes import data_version
from execdash.db.schema import metadata
from execdash.demo import DEMO_TABLES, MATERIALISED, generate, has_data

SMALL = {"orders": 1_500, "months": 13, "end_month": dt.date(2025, 8, 1), "progress": False}


def _fingerprint(engine: Engine) -> dict[str, str]:
    """SHA-256 of each demo table's rows, ordered by every column."""
    out = {}
    with engine.connect() as conn:
        for name in DEMO_TABLES:
            table = metadata.tables[name]
            rows = conn.execute(sa.select(table).order_by(*table.c)).all()
            out[name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return out


def test_every_seed_table_but_the_materialised_two_holds_rows(demo_read: Engine) -> None:
    assert set(MATERIALISED) == {"executive_kpis", "timeframe_window"}
    with demo_read.connect() as conn:
        for name in DEMO_TABLES:
            count = conn.execute(sa.select(sa.func.count()).select_from(metadata.tables[name]))
            assert count.scalar_one() > 0, name


def test_same_seed_gives_identical_tables_and_another_seed_differs(engine: Engine) -> None:
    generate(engine, seed=7, **SMALL)  # type: ignore[arg-type]
    first = _fingerprint(engine)
    twin = sa.create_engine(str(engine.url).replace("execdash.db", "twin.db"))
    from execdash.db import migrate

    migrate.upgrade(twin)
    generate(twin, seed=7, **SMALL)  # type: ignore[arg-type]
    assert _fingerprint(twin) == first
    other = sa.create_engine(str(engine.url).replace("execdash.db", "other.db"))
    migrate.upgrade(other)
    generate(other, seed=8, **SMALL)  # type: ignore[arg-type]
    differing = {t for t, h in _fingerprint(other).items() if h != first[t]}
    assert {"orders", "customers", "revenue_trend", "pipeline_stages_daily"} <= differing
    twin.dispose()
    other.dispose()


def test_has_data_is_false_before_and_true_after_generation(engine: Engine) -> None:
    assert has_data(engine) is False
    with engine.begin() as conn:
        before = data_version(conn)
    summary = generate(engine, seed=1, **SMALL)  # type: ignore[arg-type]
    assert has_data(engine) is True
    with engine.begin() as conn:
        assert data_version(conn) > before  # every table it wrote moved
    assert summary.orders == 1_500
    assert summary.rows["revenue_trend"] == 13


def test_columns_read_back_as_dates_datetimes_and_period_text(demo_read: Engine) -> None:
    t = metadata.tables
    with demo_read.connect() as conn:
        order_date = conn.execute(sa.select(t["orders"].c.order_date).limit(1)).scalar_one()
        created = conn.execute(sa.select(t["feedback"].c.created_at).limit(1)).scalar_one()
        period = conn.execute(sa.select(t["ops_uptime"].c.period).limit(1)).scalar_one()
        day = conn.execute(sa.select(t["pipeline_stages_daily"].c.period).limit(1)).scalar_one()
    assert type(order_date) is dt.date
    assert type(created) is dt.datetime
    assert type(day) is dt.date
    assert len(period) == 7
    assert period[4] == "-"


def test_small_generation_reconciles_on_each_backend(any_engine: Engine) -> None:
    generate(any_engine, seed=3, **SMALL)  # type: ignore[arg-type]
    orders = metadata.tables["orders"]
    trend = metadata.tables["revenue_trend"]
    month = sa.func.substr(sa.cast(orders.c.order_date, sa.Text), 1, 7)
    with any_engine.connect() as conn:
        sums = dict(
            conn.execute(
                sa.select(month, sa.func.sum(orders.c.amount))
                .where(orders.c.type == "recognized")
                .group_by(month)
            ).all()
        )
        rows = conn.execute(sa.select(trend.c.period, trend.c.recognized)).all()
        created = conn.execute(sa.select(sa.func.max(metadata.tables["alerts"].c.created_at)))
        assert isinstance(created.scalar_one(), dt.datetime)
        # Explicit customer ids must leave the id sequence usable for later inserts.
        conn.execute(metadata.tables["customers"].insert().values(name="New Customer Ltd"))
    assert len(rows) == 13
    for period, recognized in rows:
        assert round(sums[period], 2) == pytest.approx(recognized, abs=0.005)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"months": 12}, "months must be at least 13"), ({"orders": 0}, "orders must be at least 1")],
)
def test_bad_arguments_are_rejected_before_writing(
    engine: Engine, kwargs: dict[str, Any], message: str
) -> None:
    args = {**SMALL, **kwargs}
    with pytest.raises(ValueError, match=message):
        generate(engine, seed=1, **args)
    assert has_data(engine) is False


def test_event_volume_scales_only_beyond_a_million_orders() -> None:
    from execdash.demo.generator import activity_scale

    assert activity_scale(60_000) == 1.0
    assert activity_scale(1_000_000) == 1.0
    assert activity_scale(10_000_000) == 10.0
