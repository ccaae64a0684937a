"""Plan versions in the database, on SQLite and PostgreSQL: one active, older versions readable,
single targets set and removed, every write moving the plan tables' data version."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from execdash.db import versions
from execdash.db.engine import begin_write
from execdash.plans import store

ROWS: list[store.Row] = [
    ("revenue", "2026-01", "", "", 100.0),
    ("revenue", "2026-02", "", "", 110.0),
    ("uptime", "2026-01", "", "", 0.99),
    ("revenue", "2026-01", "industry", "Retail", 40.0),
]


def test_versions_activation_and_listing(any_engine: Engine) -> None:
    with begin_write(any_engine) as conn:
        budget = store.create_plan(conn, "Budget FY2026", ROWS, source="b.csv", user="ann")
        revised = store.create_plan(conn, "Budget FY2026", ROWS[:1], activate=True)
        other = store.create_plan(conn, "Reforecast Q2", ROWS[:2])
    assert (budget.version, revised.version, other.version) == (1, 2, 1)
    with any_engine.connect() as conn:
        listed = store.list_plans(conn)
        assert [(p.name, p.version, p.active) for p in listed] == [
            ("Budget FY2026", 2, True),
            ("Budget FY2026", 1, False),
            ("Reforecast Q2", 1, False),
        ]
        first = listed[1]
        assert (first.targets, first.first_month, first.last_month) == (4, "2026-01", "2026-02")
        assert first.kpis == ["revenue", "uptime"]
        assert (first.source, first.created_by) == ("b.csv", "ann")
        assert store.active_plan(conn) == revised
        assert store.find_plan(conn, "Budget FY2026") == revised
        assert store.find_plan(conn, "Budget FY2026", 1) == budget
        assert store.rows_of(conn, budget.id) == sorted(ROWS)
    with begin_write(any_engine) as conn:
        assert store.activate(conn, other.id)
        assert not store.activate(conn, 999)
    with any_engine.connect() as conn:
        assert store.active_plan(conn) == other
        assert [p.active for p in store.list_plans(conn)] == [False, False, True]


def test_set_and_remove_one_target_moves_the_version(any_engine: Engine) -> None:
    with begin_write(any_engine) as conn:
        ref = store.create_plan(conn, "Budget", ROWS[:1])
    with any_engine.connect() as conn:
        before = versions.total(conn, store.TABLES)
    with begin_write(any_engine) as conn:
        store.set_target(conn, ref.id, ("revenue", "2026-01", "", "", 125.0), "bob")
        store.set_target(conn, ref.id, ("revenue", "2026-03", "", "", 130.0), "bob")
    with any_engine.connect() as conn:
        targets = store.targets_of(conn, ref.id)
        assert [(t.month, t.target, t.updated_by) for t in targets] == [
            ("2026-01", 125.0, "bob"),
            ("2026-03", 130.0, "bob"),
        ]
        assert versions.total(conn, store.TABLES) > before
    with begin_write(any_engine) as conn:
        store.set_target(conn, ref.id, ("revenue", "2026-01", "", "", None), "bob")
    with any_engine.connect() as conn:
        assert [t.month for t in store.targets_of(conn, ref.id)] == ["2026-03"]
