"""KPI breakdowns add up to their tile: demo company, hand-made disagreeing data, random data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from execdash.db import migrate, tables
from execdash.db import schema as s
from execdash.db.changes import record_data_change
from execdash.db.engine import create_engine
from execdash.metrics import executive
from execdash.metrics.attribution import UNATTRIBUTED
from execdash.metrics.breakdowns import (
    DIMENSIONS,
    BreakdownError,
    kpi_breakdown,
    order_slices,
    over_text,
    tile_from,
    tile_of,
)
from execdash.metrics.dimension_sums import Measure, Part, fetch
from execdash.metrics.formulas import Facts
from execdash.metrics.models import KpiBreakdown
from execdash.metrics.windows import Window, resolve_window
from tests.metrics.conftest import Put, d, months

PAIRS = [(k, dim) for k, dims in DIMENSIONS.items() for dim in dims]
WINDOWS = [("12m", None), ("3m", None), ("24m", None), ("ytd", "2026-03"), ("6m", "2025-12")]


@pytest.fixture(scope="module")
def demo(demo_db_file: Path) -> Iterator[Engine]:
    """The shared demo company, read only."""
    engine = create_engine(f"sqlite:///{demo_db_file}")
    yield engine
    engine.dispose()


def assert_adds_up(result: KpiBreakdown, tile: float | None) -> None:
    """The slices' values add up to the tile (sum) or reproduce its parts (ratio)."""
    values = sum(i.value for i in result.items)
    if result.kind == "sum":
        assert result.tile == pytest.approx(tile)
        assert values == pytest.approx(tile, abs=0.01)
        assert result.total == pytest.approx(tile)
        return
    numerator = sum(i.numerator or 0 for i in result.items)
    denominator = sum(i.denominator or 0 for i in result.items)
    assert numerator == pytest.approx(values)
    assert numerator == pytest.approx(result.numerator, abs=0.01)
    assert denominator == pytest.approx(result.denominator, abs=0.01)
    assert numerator / denominator == pytest.approx(tile)
    assert result.tile == pytest.approx(tile)


@pytest.mark.parametrize(("range_key", "as_of"), WINDOWS)
@pytest.mark.parametrize(("key", "dimension"), PAIRS)
def test_every_demo_breakdown_adds_up_to_the_tile_the_dashboard_shows(
    demo: Engine, key: str, dimension: str, range_key: str, as_of: str | None
) -> None:
    with demo.connect() as conn:
        window = resolve_window(range_key, "month", as_of, d("2026-10"))
        tile = executive.kpi(conn, window, key).value
        result = kpi_breakdown(conn, window, key, dimension)
        facts, _ = executive.fetch_facts(conn, window, key=key)  # what a drill-down holds
        given = kpi_breakdown(conn, window, key, dimension, facts=facts)
    assert given == result  # the tile from the drill-down's facts is the one read for it
    assert tile is not None
    assert_adds_up(result, tile)
    assert result.reconciles  # the demo's detail rows account for every tile, to the penny
    assert UNATTRIBUTED not in [i.name for i in result.items]
    assert result.measure in {"Revenue", "Gross profit", "Booked", "ARR"}
    assert result.rows > 0


def test_a_tile_from_facts_is_the_kpis_formula_over_the_windows_months_only() -> None:
    window = Window("3m", "month", d("2026-01"), d("2026-03"))
    outside = {d("2025-12"): 1_000.0, d("2026-04"): 2_000.0}  # never counted
    facts = Facts(
        recognized={d("2026-01"): 100.0, d("2026-02"): 200.0, d("2026-03"): 300.0, **outside},
        booked={d("2026-01"): 150.0, d("2026-02"): 150.0, d("2026-03"): 600.0, **outside},
        order_amount={d("2026-01"): 400.0, d("2026-03"): 600.0, **outside},
        order_profit={d("2026-01"): 100.0, d("2026-03"): 150.0, **outside},
        recurring_amount={d("2026-02"): 50.0, d("2026-03"): 70.0, **outside},
    )
    assert tile_from(window, "revenue", facts).value == 600.0
    b2b = tile_from(window, "book_to_bill", facts)
    assert (b2b.value, b2b.numerator, b2b.denominator, b2b.ratio) == (1.5, 900.0, 600.0, True)
    gm = tile_from(window, "gm", facts)
    assert (gm.value, gm.numerator, gm.denominator, gm.ratio) == (0.25, 250.0, 1_000.0, True)
    assert tile_from(window, "arr", facts).value == 12 * 70.0  # the end month's recurring
    with pytest.raises(BreakdownError) as refused:
        tile_from(window, "uptime", facts)
    assert (refused.value.field, refused.value.value) == ("key", "uptime")


def test_demo_revenue_is_fully_attributed_by_recognized_orders(demo: Engine) -> None:
    with demo.connect() as conn:
        window = resolve_window("12m", "month", None, d("2026-10"))
        result = kpi_breakdown(conn, window, "revenue", "industry")
        orders = conn.execute(
            sa.select(sa.func.count()).where(
                s.orders.c.type == "recognized",
                s.orders.c.order_date >= window.start_date,
                s.orders.c.order_date <= window.end_date,
            )
        ).scalar_one()
    assert result.reconciles
    assert result.difference == 0
    assert UNATTRIBUTED not in [i.name for i in result.items]
    assert result.over == f"recognized orders, {orders:,} orders"


@pytest.fixture
def disagreeing(any_engine: Engine, put: Put) -> Engine:
    """Summary and detail that disagree: revenue_trend says 1000 recognized and 1500 booked in
    2025-08; the orders hold 700 recognized (Acme 400, Bolt 300) and 1200 booked (Acme)."""
    put(
        "customers",
        [
            {"id": 1, "name": "Acme", "industry": "Food", "source": "Inbound"},
            {"id": 2, "name": "Bolt", "industry": "Health", "source": None},
        ],
    )
    put("revenue_trend", [{"period": "2025-08", "recognized": 1000, "booked": 1500, "backlog": 0}])
    put(
        "orders",
        [
            {"customer_id": 1, "amount": 400, "profit": 100, "order_date": d("2025-08-31"),
             "type": "recognized"},
            {"customer_id": 2, "amount": 300, "profit": 150, "order_date": d("2025-08-01"),
             "type": "recognized"},
            {"customer_id": 1, "amount": 1200, "profit": 0, "order_date": d("2025-08-10"),
             "type": "booked"},
            {"customer_id": 2, "amount": 99, "profit": 9, "order_date": d("2025-09-01"),
             "type": "recognized"},
        ],
    )  # fmt: skip
    return any_engine


W = resolve_window("3m", "month", "2025-08")


def test_revenue_short_of_the_summary_shows_the_gap_as_unattributed(disagreeing: Engine) -> None:
    with disagreeing.connect() as conn:
        result = kpi_breakdown(conn, W, "revenue", "customer")
    assert [(i.name, i.value) for i in result.items] == [
        ("Acme", 400.0),
        ("Bolt", 300.0),
        (UNATTRIBUTED, 300.0),
    ]
    assert (result.tile, result.total, result.attributed) == (1000.0, 1000.0, 700.0)
    assert (result.reconciles, result.difference, result.unattributed) == (False, 300.0, 300.0)
    assert result.over == "recognized orders, 2 orders"


@pytest.mark.parametrize("rolled_up", [False, True], ids=["daily rows", "monthly rollup"])
def test_revenue_by_product_sums_each_products_daily_revenue_apart(
    any_engine: Engine, put: Put, rolled_up: bool
) -> None:
    put(
        "revenue_trend",
        [{"period": d(m), "recognized": 1000} for m in ("2025-06", "2025-07", "2025-08")],
    )
    put(
        "top_products_daily",
        [{"period": d(day), "name": name, "revenue": r}
         for day, name, r in (("2025-06-02", "Press", 400), ("2025-08-31", "Press", 100),
                              ("2025-07-15", "Pump", 300), ("2025-05-31", "Pump", 999),
                              ("2025-07-01", "", 50))],
    )  # fmt: skip
    if rolled_up:
        with any_engine.begin() as conn:
            record_data_change(conn, ["top_products_daily"])
    with any_engine.connect() as conn:
        result = kpi_breakdown(conn, W, "revenue", "product")
    assert [(i.name, i.value) for i in result.items][:3] == [
        ("Press", 500.0), ("Pump", 300.0), ("(unknown)", 50.0),  # a product without a name
    ]  # fmt: skip
    assert result.over == "daily product revenue, 4 product-days"


@pytest.mark.parametrize(
    ("n", "said"), [(1, "recognized orders, 1 order"), (2, "recognized orders, 2 orders"),
                    (1234, "recognized orders, 1,234 orders")],
)  # fmt: skip
def test_what_a_breakdown_is_summed_over_counts_its_orders_in_words(n: int, said: str) -> None:
    assert over_text("revenue", "customer", W, n) == said


def test_a_tile_of_a_kpi_without_breakdowns_is_refused_naming_the_key(any_engine: Engine) -> None:
    with any_engine.connect() as conn, pytest.raises(BreakdownError) as refused:
        tile_of(conn, W, "no_such_kpi")
    error = refused.value
    assert (error.field, error.value) == ("key", "no_such_kpi")
    assert error.valid == tuple(k for k, dims in DIMENSIONS.items() if dims)
    assert str(error).startswith("key='no_such_kpi' is not valid; valid values: revenue")


def test_book_to_bill_slices_carry_booked_and_recognized_and_the_gaps(disagreeing: Engine) -> None:
    with disagreeing.connect() as conn:
        result = kpi_breakdown(conn, W, "book_to_bill", "industry")
    rows = [(i.name, i.numerator, i.denominator) for i in result.items]
    assert rows == [("Food", 1200.0, 400.0), ("Health", 0.0, 300.0), (UNATTRIBUTED, 300.0, 300.0)]
    assert result.items[0].rate == 3.0
    assert (result.numerator, result.denominator, result.tile) == (1500.0, 1000.0, 1.5)
    assert (result.difference, result.denominator_difference) == (300.0, 300.0)
    assert result.over == "booked and recognized orders, 3 orders"


def test_gm_uses_every_order_type_so_it_always_reconciles(disagreeing: Engine) -> None:
    with disagreeing.connect() as conn:
        result = kpi_breakdown(conn, W, "gm", "source")
        tile = executive.kpis(conn, W, fresh=True)[4]
    assert tile.key == "gm"
    assert [(i.name, i.numerator, i.denominator) for i in result.items] == [
        ("(unknown)", 150.0, 300.0),
        ("Inbound", 100.0, 1600.0),
    ]
    assert result.reconciles
    assert result.tile == tile.value == pytest.approx(250 / 1900)


@pytest.fixture
def disagreeing_year(any_engine: Engine, put: Put) -> Engine:
    """Twelve months (2024-09 … 2025-08) whose summary and detail disagree, worked by hand.

    revenue_trend says 1,000 recognized and 1,200 booked every month. The orders hold, every
    month, 300 recognized for Acme, 200 recognized for Bolt, 900 booked for Crux, a 100
    subscription without a customer and a 50 recurring for Acme; August 2025 adds 2,000
    recognized for Crux (the orders then hold more than the summary). top_products_daily holds
    400 of Press and 300 of Pump a month: 700 of the summary's 1,000.
    """
    put(
        "customers",
        [
            {"id": 1, "name": "Acme", "industry": "Food", "source": "Inbound"},
            {"id": 2, "name": "Bolt", "industry": "Health", "source": None},
            {"id": 3, "name": "Crux", "industry": None, "source": "Partner"},
        ],
    )
    keys = months("2024-09", 12)
    put(
        "revenue_trend",
        [{"period": m, "recognized": 1000, "booked": 1200, "backlog": 500} for m in keys],
    )
    monthly = [
        (1, 300, 90, "01", "recognized"), (2, 200, 40, "28", "recognized"),
        (3, 900, 0, "15", "booked"), (None, 100, 60, "10", "subscription"),
        (1, 50, 20, "20", "recurring"),
    ]  # fmt: skip
    put(
        "orders",
        [
            {"customer_id": c, "amount": a, "profit": p, "order_date": d(f"{m}-{day}"),
             "type": kind}
            for m in keys
            for c, a, p, day, kind in monthly
        ]
        + [{"customer_id": 3, "amount": 2000, "profit": 500, "order_date": d("2025-08-31"),
            "type": "recognized"}],
    )  # fmt: skip
    put(
        "top_products_daily",
        [{"period": d(f"{m}-{day}"), "name": name, "revenue": r}
         for m in keys for day, name, r in (("01", "Press", 400), ("15", "Pump", 300))],
    )  # fmt: skip
    return any_engine


YEAR_WINDOWS = {
    # window: (months, recognized orders in it, booked orders in it)
    ("3m", "month", "2025-08"): (3, 3 * 500 + 2000, 3 * 900),
    ("6m", "quarter", "2025-08"): (6, 6 * 500 + 2000, 6 * 900),
    ("12m", "month", "2025-08"): (12, 12 * 500 + 2000, 12 * 900),
    ("ytd", "quarter", "2025-08"): (8, 8 * 500 + 2000, 8 * 900),
}


@pytest.mark.parametrize("spec", list(YEAR_WINDOWS), ids="-".join)
def test_every_breakdown_of_disagreeing_data_adds_up_with_the_gap_unattributed(
    disagreeing_year: Engine, spec: tuple[str, str, str]
) -> None:
    """Every KPI × dimension on several windows, from the raw rows and from the rollups: the
    slices add up to the tile, and the summary's gap is the unattributed slice, by hand."""
    n, recognized, booked = YEAR_WINDOWS[spec]
    window = resolve_window(*spec)
    expected = {  # (difference, denominator difference) by hand
        ("revenue", "customer"): (1000 * n - recognized, None),
        ("revenue", "product"): (300.0 * n, None),
        ("book_to_bill", "customer"): (1200 * n - booked, 1000 * n - recognized),
        ("gm", "customer"): (0.0, 0.0),
        ("arr", "customer"): (0.0, None),
    }

    def answers() -> dict[tuple[str, str], KpiBreakdown]:
        with disagreeing_year.connect() as conn:
            tiles = {k.key: k.value for k in executive.kpis(conn, window, fresh=True)}
            out = {}
            for key, dimension in PAIRS:
                result = kpi_breakdown(conn, window, key, dimension)
                assert_adds_up(result, tiles[key])
                out[key, dimension] = result
            return out

    raw = answers()
    for (key, dimension), result in raw.items():
        difference, den_difference = expected[key, "product" if dimension == "product" else
                                              "customer"]  # fmt: skip
        assert result.difference == pytest.approx(difference), (key, dimension)
        assert result.denominator_difference == (
            None if den_difference is None else pytest.approx(den_difference)
        ), (key, dimension)
        assert result.reconciles is (difference == 0 and not den_difference), (key, dimension)
        gap = [i for i in result.items if i.name == UNATTRIBUTED]
        assert [i.value for i in gap] == ([pytest.approx(difference)] if not result.reconciles
                                          else [])  # fmt: skip
    by_customer = {i.name: i.value for i in raw["revenue", "customer"].items}
    assert (by_customer["Acme"], by_customer["Crux"]) == (300.0 * n, 2000.0)
    assert raw["arr", "source"].tile == 12 * 150.0
    assert raw["revenue", "product"].over == f"daily product revenue, {2 * n} product-days"
    with disagreeing_year.begin() as conn:
        record_data_change(conn, ["orders", "revenue_trend", "top_products_daily"])
    assert answers() == raw


def test_an_order_written_as_a_datetime_on_the_last_day_is_in_the_window(
    any_engine: Engine, put: Put
) -> None:
    put("customers", [{"id": 1, "name": "Acme", "industry": "Food", "source": "Inbound"}])
    put("revenue_trend", [{"period": "2025-08", "recognized": 50, "booked": 0, "backlog": 0}])
    with any_engine.begin() as conn:  # as sqlite3 or psql would write it: no Python date object
        conn.execute(
            sa.text(
                "INSERT INTO orders (customer_id, amount, profit, order_date, type) VALUES "
                "(1, 50, 5, '2025-08-31 18:00:00', 'recognized'),"
                "(1, 7, 1, '2025-09-01 00:00:00', 'recognized')"
            )
        )

    def answer() -> KpiBreakdown:
        with any_engine.connect() as conn:
            return kpi_breakdown(conn, W, "revenue", "customer")

    raw = answer()
    assert [(i.name, i.value) for i in raw.items] == [("Acme", 50.0)]
    assert raw.reconciles
    with any_engine.begin() as conn:
        record_data_change(conn, ["orders"])  # rebuilds and marks the rollups ready
    assert answer() == raw


def test_customer_rollup_and_raw_orders_give_the_same_sums_and_counts(
    any_engine: Engine, put: Put
) -> None:
    put(
        "customers",
        [
            {"id": 1, "name": "Acme", "industry": "Retail", "source": "Inbound"},
            {"id": 2, "name": "Bolt", "industry": "Retail", "source": None},
        ],
    )
    put(
        "orders",
        [
            {"customer_id": 1, "amount": 100, "profit": 40, "order_date": d("2025-08-01"),
             "type": "recognized"},
            {"customer_id": 1, "amount": 70, "profit": 5, "order_date": d("2025-08-31"),
             "type": "booked"},
            {"customer_id": 2, "amount": 30, "profit": 3, "order_date": d("2025-07-15"),
             "type": None},
            {"customer_id": None, "amount": 9, "profit": 1, "order_date": d("2025-08-02"),
             "type": "subscription"},
            {"customer_id": 2, "amount": 500, "profit": 50, "order_date": d("2025-09-01"),
             "type": "recognized"},  # after the range
        ],
    )  # fmt: skip
    start, end = d("2025-07-01"), d("2025-08-31")

    kinds = ("booked", "subscription")  # not a kept type set: read from the rollup

    def answers() -> list[object]:
        with any_engine.connect() as conn:
            return [
                sorted(fetch(conn, order_slices(conn, dim, start, end, measure)), key=str)
                for dim in ("customer", "industry", "source")
                for measure in (
                    Measure(Part(None), Part(None, "profit")),
                    Measure(Part(kinds), Part(kinds, "profit")),
                )
            ]

    raw = answers()
    with any_engine.begin() as conn:
        record_data_change(conn, ["orders"])
    assert answers() == raw
    assert raw[0] == [("Acme", 170.0, 45.0, 2), ("Bolt", 30.0, 3.0, 1), (None, 9.0, 1.0, 1)]
    assert raw[3] == [("Retail", 70.0, 5.0, 1), (None, 9.0, 1.0, 1)]


def test_a_kpi_without_dimensions_lists_none(any_engine: Engine) -> None:
    with any_engine.connect() as conn, pytest.raises(BreakdownError) as refused:
        kpi_breakdown(conn, W, "backlog", "customer")
    assert str(refused.value) == (
        "by='customer' is not valid; valid values: none (this KPI has no breakdown)"
    )
    assert (refused.value.field, refused.value.value, refused.value.valid) == ("by", "customer", ())


orders = st.lists(
    st.tuples(
        st.sampled_from([1, 2, 3, None]),
        st.integers(min_value=-500, max_value=5000),
        st.integers(min_value=-200, max_value=2000),
        st.sampled_from(["2025-06-01", "2025-07-31", "2025-08-15", "2025-08-31 23:59:59",
                         "2025-05-31", "2025-09-01"]),
        st.sampled_from(["recognized", "booked", "subscription", "recurring", None]),
    ),
    max_size=25,
)  # fmt: skip
trend = st.lists(st.integers(min_value=0, max_value=9000), min_size=3, max_size=3)
products = st.lists(
    st.tuples(
        st.sampled_from(["2025-05-31", "2025-06-01", "2025-07-15", "2025-08-31 18:00:00",
                         "2025-09-01"]),
        st.sampled_from(["Press", "Pump", "Kit"]),
        st.integers(min_value=-100, max_value=3000),
    ),
    max_size=12,
    unique_by=lambda row: (row[0], row[1]),
)  # fmt: skip


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated SQLite file the property test refills for every example."""
    engine = create_engine(f"sqlite:///{tmp_path_factory.mktemp('prop') / 'p.db'}")
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(s.customers),
            [
                {"id": 1, "name": "Acme", "industry": "Food", "source": "Inbound"},
                {"id": 2, "name": "Bolt", "industry": None, "source": "Partner"},
                {"id": 3, "name": "Crux", "industry": "Food", "source": None},
            ],
        )
    yield engine
    engine.dispose()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=orders, sold=products, recognized=trend, booked=trend, rollups=st.booleans())
def test_random_breakdowns_add_up_to_their_tile(
    scratch: Engine, rows: list[tuple[object, ...]], sold: list[tuple[str, str, int]],
    recognized: list[int], booked: list[int], rollups: bool,
) -> None:  # fmt: skip
    window: Window = resolve_window("3m", "month", "2025-08")
    with scratch.begin() as conn:
        conn.execute(sa.delete(tables.app_meta).where(tables.app_meta.c.key.like("rollup_ready:%")))
        conn.execute(sa.delete(s.orders))
        conn.execute(sa.delete(s.revenue_trend))
        conn.execute(sa.delete(s.top_products_daily))
        for day, name, revenue in sold:
            conn.execute(
                sa.text(
                    "INSERT INTO top_products_daily (period, name, revenue) VALUES (:d, :n, :r)"
                ),
                {"d": day, "n": name, "r": revenue},
            )
        conn.execute(
            sa.insert(s.revenue_trend),
            [
                {"period": m, "recognized": r, "booked": b, "backlog": 0}
                for m, r, b in zip(window.month_keys, recognized, booked, strict=True)
            ],
        )
        for customer, amount, profit, day, kind in rows:
            conn.execute(
                sa.text(
                    "INSERT INTO orders (customer_id, amount, profit, order_date, type) "
                    "VALUES (:c, :a, :p, :d, :t)"
                ),
                {"c": customer, "a": amount, "p": profit, "d": day, "t": kind},
            )
        if rollups:
            record_data_change(conn, ["orders", "revenue_trend", "top_products_daily"])
    with scratch.connect() as conn:
        tiles = {k.key: k.value for k in executive.kpis(conn, window, fresh=True)}
        for key, dimension in PAIRS:
            result = kpi_breakdown(conn, window, key, dimension, top=2)
            if tiles[key] is None:
                continue
            assert_adds_up(result, tiles[key])


def test_a_customer_with_bookings_and_no_recognized_revenue_has_a_zero_denominator(
    any_engine: Engine, put: Put
) -> None:
    """Book-to-bill by customer from the raw orders: Bolt booked 70 and recognized nothing, so
    its slice is 70 over 0 (no rate), not 70 over an unknown denominator."""
    put("customers", [{"id": 1, "name": "Acme"}, {"id": 2, "name": "Bolt"}])
    put(
        "revenue_trend",
        [{"period": d("2025-08"), "recognized": 50.0, "booked": 170.0, "backlog": 0.0}],
    )
    put(
        "orders",
        [{"customer_id": c, "amount": a, "profit": 0, "order_date": d("2025-08-10"), "type": k}
         for c, a, k in ((1, 100, "booked"), (1, 50, "recognized"), (2, 70, "booked"))],
    )  # fmt: skip
    with any_engine.connect() as conn:
        result = kpi_breakdown(conn, W, "book_to_bill", "customer")
    slices = {i.name: (i.numerator, i.denominator, i.rate) for i in result.items}
    assert slices["Acme"] == (100.0, 50.0, 2.0)
    assert slices["Bolt"] == (70.0, 0.0, None)
    assert result.reconciles
