"""The MRR movements kept at write time: hand-computed bridges, distinct customers over windows,
cohort terms, and every change keeps them equal to a rebuild."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db import mrr_moves
from execdash.db import schema as s
from execdash.db.changes import record_data_change
from execdash.insights import mrr
from execdash.metrics.windows import Window

ORDERS = [
    (4, 60.0, "2024-02-10"),  # C4: new in 2024-02, churned in 2024-03, back in 2025-02
    (1, 100.0, "2025-01-05"),
    (3, -20.0, "2025-01-20"),  # C3's first recurring month is a credit: not paying
    (1, 150.0, "2025-02-03"),
    (2, 50.0, "2025-02-14"),
    (3, 40.0, "2025-02-28"),
    (4, 90.0, "2025-02-01"),
    (1, 200.0, "2025-03-01"),
    (3, 40.0, "2025-03-31"),
    (None, 25.0, "2025-03-15"),  # no customer: the unattributed line
    (1, 200.0, "2025-04-10"),
    (2, 70.0, "2025-04-10"),
    (3, 40.0, "2025-04-10"),
    (1, 120.0, "2025-05-10"),
    (3, 40.0, "2025-05-10"),
    (2, 30.0, "2025-06-10"),
    (3, 40.0, "2025-06-10"),
]
"""C1 expands twice, holds, contracts and churns; C2 is new, churns, comes back, churns and
comes back again; C3 pays after a credit month (a reactivation, not new)."""


def _company(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(s.customers.insert(), [{"id": i, "name": f"C{i}"} for i in (1, 2, 3, 4)])
        conn.execute(
            s.orders.insert(),
            [
                {"customer_id": c, "amount": a, "profit": 0.0, "type": "subscription",
                 "order_date": dt.date.fromisoformat(d)}
                for c, a, d in ORDERS
            ],
        )  # fmt: skip
        record_data_change(conn, ["orders"])  # builds the rollups and marks them ready


def _row(conn: sa.Connection, month: str) -> dict[str, object]:
    found = conn.execute(sa.select(mrr_moves.MONTH).where(mrr_moves.MONTH.c.month == month))
    return dict(found.one()._mapping)


def _window(first: str, last: str) -> Window:
    """Months `first`…`last` (any length: the movements do not care about the range's name)."""
    month = dt.date.fromisoformat
    return Window("12m", "month", month(f"{first}-01"), month(f"{last}-01"))


def test_a_months_bridge_classifies_every_customer_and_closes_with_the_unattributed_line(
    any_engine: Engine,
) -> None:
    _company(any_engine)
    with any_engine.connect() as conn:
        feb = _row(conn, "2025-02")
        assert feb == pytest.approx(
            {
                "month": "2025-02", "opening": 80.0, "closing": 330.0,
                "new": 50.0, "reactivation": 130.0, "expansion": 50.0, "contraction": 0.0,
                "churn": 0.0, "unattributed": 20.0,
                "opening_customers": 1, "closing_customers": 4,
                "new_customers": 1, "reactivation_customers": 2, "expansion_customers": 1,
                "contraction_customers": 0, "churn_customers": 0,
                # C4 paid 60 in 2024-02 and 90 now: one customer, +30
                "cohort_customers": 1, "cohort_base": 60.0, "cohort_gained": 30.0,
                "cohort_lost": 0.0,
            }
        )  # fmt: skip
        may = _row(conn, "2025-05")
        assert (may["contraction"], may["churn"], may["unattributed"]) == (-80.0, -70.0, 0.0)
        months = [m for (m,) in conn.execute(sa.select(mrr_moves.MONTH.c.month))]
        # From the first month with MRR to the month after the last, gaps included.
        assert (months[0], months[-1], len(months)) == ("2024-02", "2025-07", 18)
        july = _row(conn, "2025-07")  # everyone still paying churns
        assert (july["opening"], july["churn"], july["closing"], july["churn_customers"]) == (
            70.0, -70.0, 0.0, 2,
        )  # fmt: skip


def test_each_customer_movement_links_to_the_last_month_it_made_the_same_one(
    any_engine: Engine,
) -> None:
    _company(any_engine)
    moves = mrr_moves.MOVES
    with any_engine.connect() as conn:
        rows = conn.execute(
            sa.select(moves.c.movement, moves.c.month, moves.c.amount, moves.c.previous)
            .where(moves.c.customer_id == 2)
            .order_by(moves.c.month)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("new", "2025-02", 50.0, None),
        ("churn", "2025-03", -50.0, None),
        ("reactivation", "2025-04", 70.0, None),
        ("churn", "2025-05", -70.0, "2025-03"),
        ("reactivation", "2025-06", 30.0, "2025-04"),
        ("churn", "2025-07", -30.0, "2025-05"),
    ]


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        # C2 and C4 new in 2024-02 and 2025-02 are one each; C2 back twice counts once.
        ("2025-02", "2025-06", {"new": 1, "reactivation": 3, "expansion": 1, "contraction": 1,
                                "churn": 3}),
        ("2025-04", "2025-06", {"new": 0, "reactivation": 1, "expansion": 0, "contraction": 1,
                                "churn": 2}),
        ("2025-03", "2025-03", {"new": 0, "reactivation": 0, "expansion": 1, "contraction": 0,
                                "churn": 2}),
        ("2024-01", "2025-07", {"new": 3, "reactivation": 3, "expansion": 1, "contraction": 1,
                                "churn": 4}),
    ],
)  # fmt: skip
def test_a_windows_customers_per_movement_are_distinct_across_its_months(
    any_engine: Engine, first: str, last: str, expected: dict[str, int]
) -> None:
    _company(any_engine)
    with any_engine.connect() as conn:
        found = mrr.movements(conn, _window(first, last))
    assert "movements kept" in found.source
    counts = found.window.customers.model_dump()
    assert {k: counts[k] for k in expected} == expected


def test_an_edit_deleting_a_first_order_reclassifies_later_months_as_a_rebuild_would(
    any_engine: Engine,
) -> None:
    """Deleting C2's first order (2025-02) makes 2025-04 its first month: new, not back."""
    _company(any_engine)
    with any_engine.begin() as conn:
        o = s.orders
        conn.execute(o.delete().where(o.c.customer_id == 2, o.c.order_date == dt.date(2025, 2, 14)))
        record_data_change(
            conn, ["orders"], {"orders": (dt.date(2025, 2, 14), dt.date(2025, 2, 14))}
        )
        kept = mrr_moves.snapshot(conn)
        assert _row(conn, "2025-04")["new_customers"] == 1
        assert _row(conn, "2025-04")["reactivation_customers"] == 0
        mrr_moves.rebuild(conn)
        assert mrr_moves.snapshot(conn) == kept


def test_orders_appended_after_a_gap_fill_the_months_in_between(any_engine: Engine) -> None:
    _company(any_engine)
    with any_engine.begin() as conn:
        conn.execute(
            s.orders.insert().values(
                customer_id=1, amount=10.0, profit=0.0, type="recurring",
                order_date=dt.date(2025, 10, 2),
            )
        )  # fmt: skip
        record_data_change(
            conn, ["orders"], {"orders": (dt.date(2025, 10, 2), dt.date(2025, 10, 2))}
        )
        kept = mrr_moves.snapshot(conn)
        months = [r[0] for r in kept[0]]
        assert months[-5:] == ["2025-07", "2025-08", "2025-09", "2025-10", "2025-11"]
        mrr_moves.rebuild(conn)
        assert mrr_moves.snapshot(conn) == kept


def test_deleting_every_order_empties_both_tables(any_engine: Engine) -> None:
    _company(any_engine)
    with any_engine.begin() as conn:
        conn.execute(s.orders.delete())
        record_data_change(
            conn, ["orders"], {"orders": (dt.date(2024, 2, 1), dt.date(2025, 6, 30))}
        )
        assert mrr_moves.snapshot(conn) == ([], [])


def test_the_month_row_closes_the_bridge_and_defaults_missing_movements_to_zero() -> None:
    row = mrr_moves.month_row(
        "2025-03",
        mrr_moves.MonthInputs(
            opening=(100.0, 2), closing=(130.0, 3),
            moves={"new": (40.0, 1), "churn": (-25.0, 1)}, cohort=(2, 90.0, 5.0, -15.0),
        ),
    )  # fmt: skip
    assert row["unattributed"] == 15.0  # 130 − 100 − (40 − 25)
    assert (row["expansion"], row["expansion_customers"], row["new_customers"]) == (0.0, 0, 1)
    assert (row["opening_customers"], row["closing_customers"]) == (2, 3)
    assert (row["cohort_customers"], row["cohort_lost"]) == (2, -15.0)


def test_cohort_start_is_twelve_months_before() -> None:
    assert mrr_moves.cohort_start("2025-01") == "2024-01"
    assert mrr_moves.cohort_start("2024-12") == "2023-12"
