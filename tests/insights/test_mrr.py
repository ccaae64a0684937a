"""The retention cross-check: trailing NRR from the orders next to the stored figures; MRR
movements read from the raw orders and from the rollups, equal on any company."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from execdash.db import mrr_moves
from execdash.db.changes import record_data_change
from execdash.insights import mrr, mrr_kept
from execdash.insights.mrr import checks, movements
from execdash.metrics import executive
from execdash.metrics.windows import resolve_window
from tests.metrics.test_breakdowns_fast_paths import _fill

HISTORY = {"2024-03": {1: 100.0, 2: 100.0}, "2025-03": {1: 130.0, 3: 50.0}}


def test_each_month_reports_the_difference_from_the_stored_value() -> None:
    march = dt.date(2025, 3, 1)
    stored = ({march: 0.70}, {march: 0.5}, {})
    (check,) = checks(HISTORY, [march], stored)
    assert check.month == "2025-03"
    assert check.cohort_customers == 2
    assert check.nrr == pytest.approx(0.65)
    assert check.nrr_difference == pytest.approx(-0.05)
    assert check.gross_churn_difference == pytest.approx(0.0)
    assert check.expansion == pytest.approx(0.15)
    assert check.stored_expansion is None
    assert check.expansion_difference is None


def test_a_month_without_a_cohort_has_no_nrr() -> None:
    (check,) = checks(HISTORY, [dt.date(2025, 4, 1)], ({}, {}, {}))
    assert (check.cohort_customers, check.nrr) == (0, None)


def test_a_datetime_on_the_windows_last_day_is_in_its_closing_mrr_on_both_paths(
    any_engine: Engine,
) -> None:
    """A subscription order another tool wrote as `2025-08-31 18:00:00` is August's MRR in the
    movements, from the raw orders and from the rollups alike, so the closing MRR is the ARR
    tile's; midnight of the next day stays out."""
    with any_engine.begin() as conn:  # plain SQL, as sqlite3 or psql would write it
        conn.execute(sa.text("INSERT INTO customers (id, name) VALUES (1, 'Acme')"))
        conn.execute(
            sa.text(
                "INSERT INTO orders (customer_id, amount, profit, order_date, type) VALUES "
                "(1, 50, 5, '2025-08-31 18:00:00', 'subscription'),"
                "(1, 999, 9, '2025-09-01 00:00:00', 'subscription')"
            )
        )
    window = resolve_window("3m", "month", "2025-08")

    def closing() -> tuple[float, float | None]:
        with any_engine.connect() as conn:
            found = movements(conn, window)
            return found.window.closing, executive.kpi(conn, window, "arr").value

    raw = closing()
    assert raw == (50.0, 600.0)
    with any_engine.begin() as conn:
        record_data_change(conn, ["orders"])  # builds the rollups and marks them ready
    assert closing() == raw


DAYS = ["2024-06-15", "2024-12-31", "2025-01-01", "2025-05-31", "2025-06-01", "2025-07-31",
        "2025-08-15", "2025-09-01", "2025-10-31"]  # fmt: skip
"""Order days around the windows' edges and a year before them (the cohort months)."""
recurring_orders = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=6),  # 0 = no customer; above the customers: no row
        st.integers(min_value=-2, max_value=5).map(lambda n: n * 100.0),  # credits, ties, zero
        st.just(0),
        st.sampled_from(DAYS),
        st.sampled_from(["subscription", "recurring", "recognized"]),
    ),
    max_size=30,
)


def _close(a: object, b: object, where: str = "") -> None:
    """`a` equals `b` field by field, floats to 1e-9 (sums taken in another order)."""
    if isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            _close(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-9), where
    else:
        assert a == b, where


WINDOWS = (("3m", "2025-08"), ("12m", "2025-10"), ("3m", "2025-11"), ("6m", "2024-03"),
           ("3m", "2026-01"))  # fmt: skip
"""Inside the kept months, their last (every customer churned), before the data (a cohort start
too) and beyond the kept months (the history path)."""


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=recurring_orders)
def test_movements_kept_at_write_time_from_the_rollup_and_from_the_orders_agree_on_any_company(
    scratch: Engine, monkeypatch: pytest.MonkeyPatch, rows: list[tuple[object, ...]]
) -> None:
    _fill(scratch, [("Acme", "Food", None), ("Bolt", "Food", None), ("Crux", None, None)], rows)
    windows = [resolve_window(r, "month", a) for r, a in WINDOWS]
    with scratch.connect() as conn:
        kept = [mrr.movements(conn, w).model_dump() for w in windows]
        with monkeypatch.context() as m:
            m.setattr(mrr_kept, "usable", lambda conn: False)
            rollup = [mrr.movements(conn, w).model_dump() for w in windows]
            m.setattr(mrr, "use_rollup", lambda *args: False)
            raw = [mrr.movements(conn, w).model_dump() for w in windows]
        last_kept = conn.execute(sa.select(sa.func.max(mrr_moves.MONTH.c.month))).scalar()
    for i, (k, f, g) in enumerate(zip(kept, rollup, raw, strict=True)):
        covered = last_kept is not None and WINDOWS[i][1] <= last_kept
        assert ("movements kept" in k["source"]) == covered, (k["source"], last_kept)
        assert "rollup" in f["source"]
        assert "rollup" not in g["source"]
        for answer in (k, f, g):
            answer.pop("source")
        _close(k, f, f"kept/rollup {WINDOWS[i]}")
        assert f == g
