"""Window sums from running totals equal the same sums over the raw orders, for any window."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from execdash.db import schema as s
from execdash.db.changes import record_data_change
from execdash.metrics.breakdowns import order_slices
from execdash.metrics.dimension_sums import (
    Measure,
    Part,
    Row,
    Span,
    fetch,
    id_pairs,
    id_slices,
    label_slices,
    pair_months,
    pair_params,
    window_slices,
)
from tests.metrics.conftest import Put, d

WINDOWS = [
    (d("2025-01-01"), d("2025-03-31")),  # before the first order and into it
    (d("2025-02-01"), d("2025-02-28")),  # one month
    (d("2025-03-01"), d("2025-03-31")),  # a month with no order at all
    (d("2025-02-01"), d("2025-06-30")),  # across the gap
    (d("2025-05-01"), d("2025-12-31")),  # past the latest data month
    (d("2026-01-01"), d("2026-03-31")),  # entirely after the data
    (d("2024-01-01"), d("2024-12-31")),  # entirely before the data
]
MEASURES = [
    Measure(Part(None), Part(None, "profit")),
    Measure(Part(("recognized",)), Part(("recognized",), "profit")),
    Measure(Part(("booked",))),
    Measure(Part(("booked",)), Part(("recognized",))),  # book-to-bill: two disjoint type sets
    Measure(Part(("recurring", "subscription")), scale=12.0),  # ARR
]


def _company(put: Put) -> None:
    put(
        "customers",
        [
            {"id": 1, "name": "Acme", "industry": "Retail", "source": "Inbound"},
            {"id": 2, "name": "Bolt", "industry": "Retail", "source": None},
            {"id": 3, "name": "Acme", "industry": "Food", "source": "Partner"},
        ],
    )
    put(
        "orders",
        [
            {"customer_id": 1, "amount": 100, "profit": 40, "order_date": d("2025-02-01"),
             "type": "recognized"},
            {"customer_id": 1, "amount": 70, "profit": 5, "order_date": d("2025-02-28"),
             "type": "booked"},
            {"customer_id": 2, "amount": 30, "profit": 3, "order_date": d("2025-04-15"),
             "type": None},
            {"customer_id": None, "amount": 9, "profit": 1, "order_date": d("2025-04-02"),
             "type": "subscription"},
            {"customer_id": 3, "amount": 12.5, "profit": 2, "order_date": d("2025-06-30"),
             "type": "recurring"},
            {"customer_id": 2, "amount": 500, "profit": 50, "order_date": d("2025-06-01"),
             "type": "recognized"},
        ],
    )  # fmt: skip


def _merged(rows: list[Row]) -> dict[str | None, tuple[float | None, ...]]:
    """Rows by name (the running totals give one row per customer, names may repeat)."""
    out: dict[str | None, tuple[float | None, ...]] = {}
    for name, value, den, orders in rows:
        v, d, n = out.get(name, (0.0, None, 0))
        out[name] = (v + value, den if d is None else d + (den or 0), (n or 0) + orders)
    return out


def test_every_window_and_measure_matches_the_raw_orders(any_engine: Engine, put: Put) -> None:
    _company(put)
    cases = [
        (w, dim, m) for w in WINDOWS for dim in ("customer", "industry", "source") for m in MEASURES
    ]
    with any_engine.connect() as conn:
        assert window_slices(conn, "customer", *WINDOWS[0], MEASURES[0]) is None  # not ready
        raw = [_merged(fetch(conn, order_slices(conn, dim, *w, m))) for w, dim, m in cases]
    with any_engine.begin() as conn:
        record_data_change(conn, ["orders"])  # rebuilds the rollups and marks them ready
    with any_engine.connect() as conn:
        for (w, dim, m), expected in zip(cases, raw, strict=True):
            found = window_slices(conn, dim, *w, m)
            assert found is not None
            got = _merged(fetch(conn, found))
            assert got.keys() == expected.keys(), (w, dim, m)
            for name, sums in expected.items():
                assert got[name] == pytest.approx(sums), (w, dim, m, name)


def test_two_customers_of_one_name_come_as_two_rows_with_their_order_counts(
    any_engine: Engine, put: Put
) -> None:
    _company(put)
    with any_engine.begin() as conn:
        record_data_change(conn, ["orders"])
        found = window_slices(conn, "customer", d("2025-01-01"), d("2025-06-30"), MEASURES[0])
        assert found is not None
        rows = fetch(conn, found)
    assert sorted(rows, key=str) == [
        ("Acme", 12.5, 2.0, 1),
        ("Acme", 170.0, 45.0, 2),
        ("Bolt", 530.0, 53.0, 2),
        (None, 9.0, 1.0, 1),
    ]


def test_book_to_bill_counts_the_orders_of_both_type_sets(any_engine: Engine, put: Put) -> None:
    _company(put)
    with any_engine.begin() as conn:
        record_data_change(conn, ["orders"])
        found = window_slices(conn, "industry", d("2025-01-01"), d("2025-06-30"), MEASURES[3])
        assert found is not None
        rows = fetch(conn, found)
    assert sorted(rows, key=str) == [("Retail", 0.0, 500.0, 1), ("Retail", 70.0, 100.0, 2)]


def test_a_type_set_not_kept_is_left_to_the_rollup(any_engine: Engine, put: Put) -> None:
    _company(put)
    span = (d("2025-01-01"), d("2025-06-30"))
    with any_engine.begin() as conn:
        record_data_change(conn, ["orders"])
        assert window_slices(conn, "industry", *span, Measure(Part(("x",)))) is None
        assert window_slices(conn, "source", *span, Measure(Part(("booked", "recognized")))) is None
        every_and_booked = Measure(Part(None), Part(("booked",)))  # would count orders twice
        assert window_slices(conn, "source", *span, every_and_booked) is None


def test_industry_and_source_totals_give_each_label_the_sum_of_its_customers(
    any_engine: Engine, put: Put
) -> None:
    _company(put)
    cases = [(w, dim, m) for w in WINDOWS for dim in ("industry", "source") for m in MEASURES]
    with any_engine.begin() as conn:
        record_data_change(conn, ["orders"])
    with any_engine.connect() as conn:
        for w, dim, m in cases:
            per_customer = window_slices(conn, dim, *w, m)
            per_label = label_slices(conn, dim, *w, m)
            assert per_customer is not None
            assert per_label is not None
            named: list[Row] = [
                (n or "(unknown)", v, den, k) for n, v, den, k in fetch(conn, per_customer)
            ]
            expected = _merged(named)
            got = fetch(conn, per_label)
            assert len(got) == len({name for name, *_ in got}), "one row per label"
            assert _merged(got).keys() == expected.keys(), (w, dim, m)
            for name, sums in _merged(got).items():
                assert sums == pytest.approx(expected[name]), (w, dim, m, name)


def test_customers_sharing_a_name_are_never_ranked_by_id(any_engine: Engine, put: Put) -> None:
    _company(put)  # two customers named Acme
    with any_engine.begin() as conn:
        record_data_change(conn, ["orders"])
    with any_engine.connect() as conn:
        assert id_slices(conn, *WINDOWS[3], MEASURES[0]) is None
        assert label_slices(conn, "customer", *WINDOWS[3], MEASURES[0]) is None


def _pairs(
    conn: Connection, before: Span, now: Span, measure: Measure
) -> dict[int, tuple[float, float]]:
    months = pair_months(conn, (before, now), measure)
    assert months is not None
    if not months:
        return {}
    slots, params = pair_params(months)
    rows = conn.execute(id_pairs(measure, slots), params).all()
    return {int(i): (float(p), float(c)) for i, p, c in rows}


def test_each_customers_pair_is_its_value_in_each_window(any_engine: Engine, put: Put) -> None:
    _company(put)
    with any_engine.begin() as conn:
        conn.execute(sa.update(s.customers).where(s.customers.c.id == 3).values(name="Crux"))
        record_data_change(conn, ["customers", "orders"])
    with any_engine.connect() as conn:
        # By hand: Acme's recognized February, Bolt's recognized June (Crux has none).
        feb, jun = WINDOWS[1], (d("2025-06-01"), d("2025-06-30"))
        assert _pairs(conn, feb, jun, MEASURES[1]) == {1: (100.0, 0.0), 2: (0.0, 500.0)}
        # ARR: 12 × the recurring orders; orders of no customer count as no pair.
        assert _pairs(conn, feb, jun, MEASURES[4]) == {3: (0.0, 150.0)}
        for before in WINDOWS:
            for now in WINDOWS:
                for m in MEASURES:
                    per = [id_slices(conn, *w, m) for w in (before, now)]
                    values = [{r[0]: r[1] for r in fetch(conn, q)} for q in per if q is not None]
                    expected = {
                        int(i): (values[0].get(i, 0.0), values[1].get(i, 0.0))
                        for i in values[0].keys() | values[1].keys()
                    }
                    got = _pairs(conn, before, now, m)
                    assert got.keys() == expected.keys(), (before, now, m)
                    for i, pair in expected.items():
                        assert got[i] == pytest.approx(pair), (before, now, m, i)


def test_pair_months_share_a_slot_when_equal_and_the_latest_is_slot_zero() -> None:
    # Adjacent windows: the previous window's last month is the month before the window.
    assert pair_params(["2024-04", "2025-04", "2025-04", "2026-04"]) == (
        (1, 2, 2, 0),
        {"pair_month_0": "2026-04", "pair_month_1": "2024-04", "pair_month_2": "2025-04"},
    )
    # ARR: one month each, four distinct keys; clamped months may all be the latest.
    assert pair_params(["2025-02", "2025-03", "2026-02", "2026-03"])[0] == (1, 2, 3, 0)
    assert pair_params(["2026-03"] * 4) == ((0, 0, 0, 0), {"pair_month_0": "2026-03"})


def test_customers_without_distinct_names_have_no_pairs(any_engine: Engine, put: Put) -> None:
    _company(put)  # two customers named Acme
    with any_engine.begin() as conn:
        record_data_change(conn, ["orders"])
    with any_engine.connect() as conn:
        assert pair_months(conn, (WINDOWS[1], WINDOWS[3]), MEASURES[0]) is None
