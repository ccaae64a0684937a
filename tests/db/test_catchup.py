"""Stale periods left by other programs' writes are recomputed, never counted twice."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db import catchup, rollups
from execdash.db import schema as s
from execdash.db import tables as t
from execdash.db.changes import catch_up, record_data_change

MONTHLY = rollups.by_target(t.rollup_expenses_month.name)
DAILY = rollups.by_target(t.rollup_user_events_day.name)
D = dt.date


def test_stale_months_become_runs_of_consecutive_days() -> None:
    got = catchup.spans(MONTHLY, {"2025-01", "2025-02", "2025-04", "2024-12"})
    assert got == [(D(2024, 12, 1), D(2025, 2, 28)), (D(2025, 4, 1), D(2025, 4, 30))]
    assert catchup.spans(DAILY, {"2025-06-30", "2025-07-01"}) == [(D(2025, 6, 30), D(2025, 7, 1))]


def test_a_missing_or_unreadable_date_or_too_many_runs_means_a_full_rebuild() -> None:
    assert catchup.spans(MONTHLY, {"2025-01", "*"}) is None
    assert catchup.spans(MONTHLY, {"2025-1x"}) is None
    scattered = {f"{2000 + i}-01" for i in range(catchup.MAX_SPANS + 1)}
    assert catchup.spans(MONTHLY, scattered) is None


def _expenses(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [
            tuple(r) for r in conn.execute(sa.select(t.rollup_expenses_month).order_by("month"))
        ]


def test_catch_up_recomputes_only_the_marked_months(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        conn.execute(
            s.expenses.insert(),
            [{"cost": 10.0, "date": D(2025, 1, 9)}, {"cost": 7.0, "date": D(2025, 2, 9)}],
        )
        record_data_change(conn, ["expenses"])
        # A sentinel: a rollup row of a month no write touches must survive a catch-up.
        conn.execute(t.rollup_expenses_month.insert().values(month="2030-01", cost=1.0, lines=1))
    with any_engine.begin() as conn:  # another program
        conn.execute(s.expenses.update().where(s.expenses.c.cost == 10.0).values(cost=11.0))
    with any_engine.begin() as conn:
        assert not rollups.is_ready(conn, MONTHLY)
        assert catch_up(conn)
        assert rollups.is_ready(conn, MONTHLY)
        assert not catch_up(conn)  # nothing left
    assert _expenses(any_engine) == [("2025-01", 11.0, 1), ("2025-02", 7.0, 1), ("2030-01", 1.0, 1)]


def test_a_recorded_change_consumes_its_own_marks_and_earlier_ones(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        conn.execute(s.expenses.insert().values(cost=10.0, date=D(2025, 1, 9)))
        record_data_change(conn, ["expenses"])
    with any_engine.begin() as conn:  # another program, in March
        conn.execute(s.expenses.insert().values(cost=3.0, date=D(2025, 3, 9)))
    with any_engine.begin() as conn:  # execdash, in January, with a hint for January only
        conn.execute(s.expenses.insert().values(cost=1.0, date=D(2025, 1, 10)))
        record_data_change(conn, ["expenses"], {"expenses": (D(2025, 1, 10), D(2025, 1, 10))})
        assert catchup.pending(conn) == {}
    assert _expenses(any_engine) == [("2025-01", 11.0, 2), ("2025-03", 3.0, 1)]
    with any_engine.connect() as conn:
        assert rollups.snapshot(conn, MONTHLY) == rollups.recompute(conn, MONTHLY)


def test_appended_rows_are_not_counted_twice_by_their_own_marks(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        conn.execute(s.expenses.insert().values(id=1, cost=10.0, date=D(2025, 1, 9)))
        record_data_change(conn, ["expenses"])
    with any_engine.begin() as conn:
        conn.execute(s.expenses.insert().values(id=2, cost=5.0, date=D(2025, 1, 20)))
        record_data_change(conn, ["expenses"], {"expenses": rollups.Appended(1)})
    assert _expenses(any_engine) == [("2025-01", 15.0, 2)]


def test_a_rollup_never_built_stays_unread_and_its_marks_are_dropped(any_engine: Engine) -> None:
    with any_engine.begin() as conn:
        conn.execute(
            sa.delete(t.app_meta).where(t.app_meta.c.key == f"rollup_ready:{MONTHLY.target.name}")
        )
        conn.execute(s.expenses.insert().values(cost=10.0, date=D(2025, 1, 9)))
        assert catch_up(conn)
        assert catchup.pending(conn) == {}
        assert not rollups.is_ready(conn, MONTHLY)
