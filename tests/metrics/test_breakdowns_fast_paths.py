"""Breakdowns read the cheap way (per-label running totals, customers ranked by id) give exactly
the slices of the general way (every customer merged by name), whatever the names and data."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from execdash.db import label_totals
from execdash.db import schema as s
from execdash.db.changes import record_data_change
from execdash.metrics import breakdowns
from execdash.metrics.breakdowns import DIMENSIONS, kpi_breakdown
from execdash.metrics.models import KpiBreakdown
from execdash.metrics.windows import resolve_window

PAIRS = [(k, dim) for k, dims in DIMENSIONS.items() for dim in dims if dim != "product"]
WINDOWS = [
    ("3m", "2025-08"),
    ("3m", "2025-07"),
    ("12m", "2025-12"),
    ("3m", "2025-03"),
    ("6m", "2025-10"),
]

customers = st.lists(
    st.tuples(
        st.sampled_from(["Acme", "Bolt", "Crux", "", "(no customer)"]),  # repeats allowed
        st.sampled_from(["Food", "Retail", "", None]),
        st.sampled_from(["Inbound", "Partner", None]),
    ),
    min_size=1,
    max_size=5,
)
orders = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=6),  # 0 = no customer; above the customers: no row
        st.integers(min_value=-5, max_value=5).map(lambda n: n * 100.0),  # frequent ties
        st.integers(min_value=-200, max_value=2000),
        st.sampled_from(["2025-05-31", "2025-06-01", "2025-07-31", "2025-08-15", "2025-09-01"]),
        st.sampled_from(["recognized", "booked", "subscription", "recurring", None]),
    ),
    max_size=25,
)


def _general_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make both cheap paths unavailable, as before the per-label totals were built."""
    monkeypatch.setattr(label_totals, "readiness", lambda conn: (False, False))


def _answers(engine: Engine, top: int | None) -> list[KpiBreakdown]:
    with engine.connect() as conn:
        return [
            kpi_breakdown(conn, resolve_window(r, "month", as_of), key, dimension, top=top)
            for r, as_of in WINDOWS
            for key, dimension in PAIRS
        ]


def _fill(
    engine: Engine, people: Sequence[tuple[str | None, ...]], rows: Sequence[tuple[object, ...]]
) -> None:
    """Replace the customers and orders, then record the change (rollups, running totals)."""
    with engine.connect() as conn:
        # Orders of customer ids without a row, as other tools may write: foreign keys off.
        conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with conn.begin():
                _write(conn, people, rows)
        finally:
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def _write(
    conn: sa.Connection,
    people: Sequence[tuple[str | None, ...]],
    rows: Sequence[tuple[object, ...]],
) -> None:
    conn.execute(sa.delete(s.orders))
    conn.execute(sa.delete(s.customers))
    conn.execute(
        sa.insert(s.customers),
        [
            {"id": i, "name": name, "industry": industry, "source": source}
            for i, (name, industry, source) in enumerate(people, start=1)
        ],
    )
    for customer, amount, profit, day, kind in rows:
        conn.execute(  # raw SQL: a customer id without a row, as other tools may write
            sa.text(
                "INSERT INTO orders (customer_id, amount, profit, order_date, type) "
                "VALUES (:c, :a, :p, :d, :t)"
            ),
            {"c": customer or None, "a": amount, "p": profit, "d": day, "t": kind},
        )
    record_data_change(conn, ["customers", "orders"])


@pytest.mark.parametrize("top", [1, 2, None])
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=customers, rows=orders)
def test_cheap_and_general_breakdowns_agree_on_any_company(
    scratch: Engine,
    monkeypatch: pytest.MonkeyPatch,
    top: int | None,
    people: list[tuple[str | None, ...]],
    rows: list[tuple[object, ...]],
) -> None:
    _fill(scratch, people, rows)
    fast = _answers(scratch, top)
    with monkeypatch.context() as m:
        _general_only(m)
        general = _answers(scratch, top)
    assert [f.model_dump() for f in fast] == [g.model_dump() for g in general]


def test_distinct_names_rank_customers_by_id_and_industries_from_their_totals(
    scratch: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [("Acme", "Food", "Inbound"), ("Bolt", "Retail", None), ("Crux", "Food", None)]
    rows = [
        (1, 300.0, 30, "2025-07-31", "recognized"),
        (2, 500.0, 50, "2025-08-15", "recognized"),
        (3, 100.0, 10, "2025-08-15", "recognized"),
        (0, 50.0, 5, "2025-06-01", "recognized"),
    ]
    _fill(scratch, people, rows)
    used: list[str] = []
    for name in ("rank_ids", "rank_in_sql"):
        real = getattr(breakdowns, name)

        def spy(*args: object, _real: object = real, _name: str = name, **kw: object) -> object:
            used.append(_name + (":merged" if kw.get("merged") else ""))
            return _real(*args, **kw)  # type: ignore[operator]

        monkeypatch.setattr(breakdowns, name, spy)
    with scratch.connect() as conn:
        window = resolve_window("3m", "month", "2025-08")
        by_customer = kpi_breakdown(conn, window, "revenue", "customer", top=2)
        by_industry = kpi_breakdown(conn, window, "revenue", "industry", top=2)
    assert used == ["rank_ids", "rank_in_sql:merged"]
    assert [(i.name, i.value) for i in by_customer.items][:3] == [
        ("Bolt", 500.0),
        ("Acme", 300.0),
        ("other", 150.0),
    ]
    assert [(i.name, i.value) for i in by_industry.items][:3] == [
        ("Retail", 500.0),
        ("Food", 400.0),
        ("other", 50.0),
    ]


def test_a_tie_across_the_cut_is_ranked_by_name(scratch: Engine) -> None:
    people = [("Zeta", "Food", None), ("Yak", "Food", None), ("Mid", "Food", None)]
    people.append(("Acme", "Food", None))  # the smallest name, the last customer read
    rows = [(i, 200.0, 0, "2025-08-15", "recognized") for i in (1, 2, 4)]
    rows.append((3, 900.0, 0, "2025-08-15", "recognized"))
    _fill(scratch, people, rows)
    with scratch.connect() as conn:
        window = resolve_window("3m", "month", "2025-08")
        result = kpi_breakdown(conn, window, "revenue", "customer", top=2)
    assert [(i.name, i.value) for i in result.items][:3] == [
        ("Mid", 900.0),
        ("Acme", 200.0),
        ("other", 400.0),
    ]
