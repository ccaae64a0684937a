"""Slices ranked in SQL equal the same slices ranked in Python: top N, the rest, the totals."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from execdash.db import schema as s
from execdash.metrics.attribution import Ranked, Slice, rank
from execdash.metrics.dimension_sums import Bound, Slices, no_slices
from execdash.metrics.ranking import rank_ids, rank_in_sql

Row = tuple[str | None, float, float | None, int]


def _select(rows: Sequence[Row]) -> Slices:
    """The rows as a select of the slice columns (label, value, den, orders)."""
    if not rows:
        return no_slices()
    parts = [
        sa.select(
            sa.cast(sa.literal(label), sa.Text).label("label"),
            sa.cast(sa.literal(value), sa.Float).label("value"),
            sa.cast(sa.literal(den), sa.Float).label("den"),
            sa.cast(sa.literal(orders), sa.Integer).label("orders"),
        )
        for label, value, den, orders in rows
    ]
    return sa.select(sa.union_all(*parts).subquery("u"))


def _in_sql(engine: Engine, rows: Sequence[Row], top: int | None) -> tuple[Ranked, int]:
    with engine.connect() as conn:
        return rank_in_sql(conn, _select(rows), top=top, missing="(unknown)")


def _in_python(rows: Sequence[Row], top: int | None) -> Ranked:
    return rank([Slice(n, v, d) for n, v, d, _ in rows], top=top, missing="(unknown)")


def test_the_top_two_come_first_and_the_rest_is_one_sum(any_engine: Engine) -> None:
    rows: list[Row] = [
        ("Acme", 10.0, None, 1),
        ("Bolt", 30.0, None, 2),
        ("Acme", 25.0, None, 3),  # a second customer of the same name: merged
        (None, 5.0, None, 1),
        ("", 1.0, None, 1),  # an empty name is a missing one
        ("Crux", 7.0, None, 4),
    ]
    ranked, orders = _in_sql(any_engine, rows, top=2)
    assert ranked.top == [("Acme", 35.0, None), ("Bolt", 30.0, None)]
    assert ranked.rest == (13.0, None)
    assert (ranked.value, ranked.denominator, ranked.labels, orders) == (78.0, None, 4, 12)


def test_customers_ranked_by_id_that_tie_on_value_are_listed_by_name(any_engine: Engine) -> None:
    """`rank_ids` names the winners after ranking ids; equal values among them are listed in
    name order, as `rank_in_sql` lists them, whatever order the ids come back in."""
    with any_engine.begin() as conn:
        conn.execute(
            s.customers.insert(),
            [{"id": i, "name": n} for i, n in ((1, "Zed"), (2, "Mia"), (3, "Abe"), (4, "Kit"))],
        )
    rows: list[Row] = [("1", 50.0, None, 1), ("2", 50.0, None, 1), ("3", 50.0, None, 2),
                       ("4", 10.0, None, 1)]  # fmt: skip
    u = _select(rows).subquery("u2")
    by_id = sa.select(sa.cast(u.c.label, sa.Integer).label("label"), u.c.value, u.c.den, u.c.orders)
    with any_engine.connect() as conn:
        found = rank_ids(conn, by_id, top=3, names=s.customers, missing="(no customer)")
    assert found is not None
    ranked, orders = found
    assert ranked.top == [("Abe", 50.0, None), ("Mia", 50.0, None), ("Zed", 50.0, None)]
    assert (ranked.rest, ranked.labels, orders) == ((10.0, None), 4, 5)


def test_equal_values_rank_by_name_in_code_point_order(any_engine: Engine) -> None:
    rows: list[Row] = [("beta", 5.0, 1.0, 1), ("Zeta", 5.0, 2.0, 1), ("Äpfel", 5.0, 3.0, 1)]
    ranked, _ = _in_sql(any_engine, rows, top=2)
    assert [name for name, _, _ in ranked.top] == ["Zeta", "beta"]  # 'Z' < 'b' < 'Ä'
    assert ranked.rest == (5.0, 3.0)
    assert ranked == _in_python(rows, top=2)


def test_nothing_to_rank_gives_no_slice(any_engine: Engine) -> None:
    ranked, orders = _in_sql(any_engine, [], top=20)
    assert ranked == Ranked(top=[], rest=None, value=0.0, denominator=None, labels=0)
    assert orders == 0


def test_without_a_cap_every_name_is_listed(any_engine: Engine) -> None:
    rows: list[Row] = [(f"c{i}", float(i), float(2 * i), 1) for i in range(30)]
    ranked, orders = _in_sql(any_engine, rows, top=None)
    assert (len(ranked.top), ranked.rest, orders) == (30, None, 30)
    assert ranked == _in_python(rows, top=None)


names = st.sampled_from(["Acme", "acme", "Bolt", "Zeta", "Äpfel", "", None])
slices = st.lists(
    st.tuples(
        names,
        st.integers(min_value=-50, max_value=50).map(float),  # ties are frequent, sums exact
        st.one_of(st.none(), st.integers(min_value=0, max_value=40).map(float)),
        st.integers(min_value=1, max_value=3),
    ),
    max_size=12,
)


@pytest.mark.parametrize("top", [1, 3, None])
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=slices)
def test_sql_ranks_any_slices_as_python_does(
    any_engine: Engine, top: int | None, rows: list[Row]
) -> None:
    ranked, orders = _in_sql(any_engine, rows, top)
    assert ranked == _in_python(rows, top)
    assert orders == sum(n for *_, n in rows)


def test_kept_rows_rank_as_rows_built_per_call_with_each_calls_values(any_engine: Engine) -> None:
    """A per-slice select kept with bound values (`Bound`) gets a kept ranking statement; each
    call ranks its own values, exactly as the same select built for that call."""
    rows: list[Row] = [("Acme", 10.0, None, 1), ("Bolt", 30.0, None, 2), ("Crux", 7.0, None, 4)]
    table = sa.union_all(*(_select([r]) for r in rows)).subquery("t")
    kept = sa.select(table).where(table.c.value >= sa.bindparam("least"))
    with any_engine.connect() as conn:
        for least in (0.0, 8.0, 31.0, 8.0):
            bound = rank_in_sql(conn, Bound(kept, {"least": least}), top=1, missing="(unknown)")
            built = rank_in_sql(
                conn, sa.select(table).where(table.c.value >= least), top=1, missing="(unknown)"
            )
            assert bound == built
            assert bound == _in_sql(any_engine, [r for r in rows if r[1] >= least], top=1)
