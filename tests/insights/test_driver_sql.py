"""Customer drivers computed in SQL equal the general analysis over every slice, whatever the
company: repeated, empty and missing names, orders without a customer row, frequent ties."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from execdash.db import schema as s
from execdash.db.changes import record_data_change
from execdash.insights import driver_sql
from execdash.insights.drivers import drivers
from execdash.insights.models import KpiDrivers
from execdash.metrics.windows import resolve_window
from tests.metrics.test_breakdowns_fast_paths import _fill, _write, customers, orders

WINDOWS = [
    ("3m", "2025-08", "previous"),
    ("3m", "2025-09", "previous"),
    ("6m", "2025-10", "previous"),
    ("3m", "2025-07", "previous"),
    ("3m", "2025-08", "last_year"),  # four distinct months, the earlier two before the data
    ("3m", "2025-08", "plan"),  # the window against itself
    ("3m", "2025-04", "previous"),  # both windows before the first order
]
"""Range, as-of month and comparison of each window the answers are compared on."""
MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]


def _tiles(engine: Engine, recognized: list[float]) -> None:
    """Monthly recognized revenue, the revenue tile the slices reconcile with."""
    with engine.begin() as conn:
        conn.execute(sa.delete(s.revenue_trend))
        conn.execute(
            sa.insert(s.revenue_trend),
            [{"period": m, "recognized": v} for m, v in zip(MONTHS, recognized, strict=True)],
        )
        record_data_change(conn, ["revenue_trend"])


def _answers(engine: Engine, top: int) -> list[KpiDrivers]:
    with engine.connect() as conn:
        return [
            drivers(conn, resolve_window(r, "month", as_of, compare=c), key, "customer", top)
            for r, as_of, c in WINDOWS
            for key in driver_sql.SUMMED
        ]


monthly_revenue = st.lists(
    st.integers(min_value=0, max_value=30).map(lambda n: n * 100.0), min_size=12, max_size=12
)
"""The revenue tile of each month of 2025, which the slices reconcile with."""


def _agree(
    scratch: Engine, monkeypatch: pytest.MonkeyPatch, top: int,
    people: list[tuple[str | None, ...]], rows: list[tuple[object, ...]], recognized: list[float],
) -> None:  # fmt: skip
    """The SQL answers equal the general ones on this company."""
    _fill(scratch, people, rows)
    _tiles(scratch, recognized)
    fast = _answers(scratch, top)
    with monkeypatch.context() as m:
        m.setattr(driver_sql, "drivers", lambda *args, **kwargs: None)
        general = _answers(scratch, top)
    assert [f.model_dump() for f in fast] == [g.model_dump() for g in general]


@pytest.mark.parametrize("top", [1, 2, 8])
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    people=customers,
    rows=orders,
    recognized=monthly_revenue,
)
def test_sql_and_general_customer_drivers_agree_on_any_company(
    scratch: Engine,
    monkeypatch: pytest.MonkeyPatch,
    top: int,
    people: list[tuple[str | None, ...]],
    rows: list[tuple[object, ...]],
    recognized: list[float],
) -> None:
    _agree(scratch, monkeypatch, top, people, rows, recognized)


distinct_people = st.lists(
    st.sampled_from(["Acme", "Bolt", "Crux", "Dent", "Echo", "Fern"]),
    min_size=1,
    max_size=6,
    unique=True,
).map(lambda names: [(name, "Food", None) for name in names])


@pytest.mark.parametrize("top", [1, 3])
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    people=distinct_people,
    rows=orders,
    recognized=monthly_revenue,
)
def test_sql_and_general_drivers_agree_when_every_customer_has_a_name_of_its_own(
    scratch: Engine,
    monkeypatch: pytest.MonkeyPatch,
    top: int,
    people: list[tuple[str | None, ...]],
    rows: list[tuple[object, ...]],
    recognized: list[float],
) -> None:
    _agree(scratch, monkeypatch, top, people, rows, recognized)


BASE_MRR = [(1, 100.0, 0, f"{m}-10", "subscription") for m in ("2024-08", *MONTHS[:10])]
"""Acme's subscription every month a window below ends in, so every ARR tile has a value."""
recurring = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=6),
        st.integers(min_value=-2, max_value=6).map(lambda n: n * 50.0),  # credits and ties
        st.just(0),
        st.sampled_from(["2024-08-31", "2025-01-31", "2025-04-01", "2025-05-31", "2025-06-15",
                         "2025-07-01", "2025-08-31", "2025-09-30", "2025-10-01"]),
        st.sampled_from(["subscription", "recurring", "recognized"]),
    ),
    max_size=25,
)  # fmt: skip
"""Recurring orders in the months the ARR tiles read (a window's last month and its
comparison's), so ARR's customer drivers are computed in SQL, from the MRR rollup."""


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=distinct_people, rows=recurring, recognized=monthly_revenue)
def test_sql_and_general_arr_drivers_agree_with_the_mrr_of_single_months(
    scratch: Engine,
    monkeypatch: pytest.MonkeyPatch,
    people: list[tuple[str | None, ...]],
    rows: list[tuple[object, ...]],
    recognized: list[float],
) -> None:
    known = [r for r in rows if int(r[0]) <= len(people)]  # type: ignore[call-overload]
    _agree(scratch, monkeypatch, 3, people, [*BASE_MRR, *known], recognized)


def test_arr_drivers_read_the_mrr_of_the_two_months_on_both_backends(any_engine: Engine) -> None:
    people = [(name, "Food", None) for name in ("Acme", "Bolt", "Crux")]
    rows = [
        (1, 100.0, 0, "2025-05-10", "subscription"),
        (1, 150.0, 0, "2025-08-10", "recurring"),  # +50 a month: +600 ARR
        (2, 80.0, 0, "2025-05-31", "subscription"),  # lost
        (2, 999.0, 0, "2025-06-15", "subscription"),  # between the two months: not read
        (3, 40.0, 0, "2025-08-01", "subscription"),  # new
        (3, 500.0, 0, "2025-08-02", "recognized"),  # not recurring
    ]
    with any_engine.begin() as conn:
        _write(conn, people, rows)
    window = resolve_window("3m", "month", "2025-08")
    with any_engine.connect() as conn:
        found = driver_sql.drivers(conn, window, "arr", 3)
    assert found is not None
    assert (found.previous, found.current, found.change) == (2160.0, 2280.0, 120.0)
    bars = [(b.name, b.previous, b.current) for b in found.drivers]
    assert bars == [("Acme", 1200.0, 1800.0), ("Crux", 0.0, 480.0), ("Bolt", 960.0, 0.0)]
    assert (found.new.names, found.lost.names) == (["Crux"], ["Bolt"])


def test_distinct_customers_are_explained_in_sql_with_other_and_unattributed(
    any_engine: Engine,
) -> None:
    scratch = any_engine  # the one statement runs on both backends
    people = [(name, "Food", None) for name in ("Acme", "Bolt", "Crux", "Dent", "Echo")]
    rows = [
        (1, 300.0, 0, "2025-05-31", "recognized"),  # previous window only: lost
        (2, 100.0, 0, "2025-05-31", "recognized"),
        (2, 500.0, 0, "2025-07-31", "recognized"),  # +400
        (3, 200.0, 0, "2025-08-15", "recognized"),  # new
        (4, 50.0, 0, "2025-06-01", "recognized"),  # new, the smallest mover
        (5, 0.0, 0, "2025-07-31", "recognized"),  # an order of nothing: a slice that did not move
    ]
    with scratch.begin() as conn:  # every id has its row: foreign keys may stay on
        _write(conn, people, rows)
    _tiles(scratch, [0.0] * 4 + [500.0, 400.0, 300.0, 200.0] + [0.0] * 4)
    window = resolve_window("3m", "month", "2025-08")
    with scratch.connect() as conn:
        found = driver_sql.drivers(conn, window, "revenue", 2)
    assert found is not None
    assert (found.previous, found.current, found.change) == (500.0, 900.0, 400.0)
    bars = [(b.name, b.kind, b.previous, b.current, b.contribution) for b in found.drivers]
    assert bars == [
        ("Bolt", "slice", 100.0, 500.0, 400.0),
        ("Acme", "slice", 300.0, 0.0, -300.0),
        ("other", "other", 0.0, 250.0, 250.0),  # Crux, Dent and Echo
        ("unattributed", "unattributed", 100.0, 150.0, 50.0),
    ]
    assert found.drivers[2].members == 3
    assert sum(b.contribution for b in found.drivers) == found.change
    assert (found.new.count, found.new.value, found.new.names) == (2, 250.0, ["Crux", "Dent"])
    assert (found.lost.count, found.lost.value, found.lost.names) == (1, 300.0, ["Acme"])
    assert found.concentration.largest == "Bolt"
    assert found.concentration.top1 == pytest.approx(500 / 750)
    assert found.slices == 4


def test_a_tie_at_a_cut_or_a_shared_name_is_left_to_the_general_analysis(
    scratch: Engine,
) -> None:
    people = [("Acme", "Food", None), ("Bolt", "Food", None), ("Crux", "Food", None)]
    rows = [(i, v, 0, "2025-08-15", "recognized") for i, v in ((1, 300.0), (2, 200.0), (3, 200.0))]
    _fill(scratch, people, rows)
    _tiles(scratch, [100.0] * 12)
    window = resolve_window("3m", "month", "2025-08")
    with scratch.connect() as conn:
        assert driver_sql.drivers(conn, window, "revenue", 2) is None  # which two is a name's say
        assert driver_sql.drivers(conn, window, "revenue", 3) is not None
    _fill(scratch, [("Acme", "Food", None), ("Acme", "Food", None)], rows[:2])
    with scratch.connect() as conn:
        assert driver_sql.drivers(conn, window, "revenue", 3) is None  # merged by name
