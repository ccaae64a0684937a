"""Sales overview: funnel, conversions, win rate, sales cycle and new customers."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from execdash.metrics import sales
from execdash.metrics.windows import resolve_window
from tests.metrics.conftest import Put, d

W = resolve_window("3m", "month", "2025-08")  # Jun–Aug; previous Mar–May


def test_sales_overview_from_daily_stages(any_engine: Engine, put: Put) -> None:
    stages = [("Leads", 60), ("Leads", 40), ("MQL", 40), ("SQL", 20), ("Won", 5)]
    put(
        "pipeline_stages_daily",
        [
            {"period": d(f"2025-0{7 + i % 2}-{10 + i:02d}"), "stage_name": st, "value": v}
            for i, (st, v) in enumerate(stages)
        ]
        + [{"period": d("2025-08-31"), "stage_name": "Won", "value": 5}],
    )
    put(
        "pipeline_winrate",
        [
            {"period": "2025-07", "win_rate_pct": 0.2, "sales_cycle_days": 40},
            {"period": "2025-08", "win_rate_pct": 30, "sales_cycle_days": 50},
        ],
    )
    put(
        "customers",
        [
            {"id": 1, "name": "a", "created_at": d("2025-05-31")},
            {"id": 2, "name": "b", "created_at": d("2025-07-01")},
            {"id": 3, "name": "c", "created_at": d("2025-08-31")},
        ],
    )
    with any_engine.connect() as conn:
        result = sales.overview(conn, W)
    assert [(f.stage, f.count, f.conversion) for f in result.funnel] == [
        ("Leads", 100, None),
        ("MQL", 40, pytest.approx(0.4)),
        ("SQL", 20, pytest.approx(0.5)),
        ("Won", 10, pytest.approx(0.5)),
    ]
    tiles = {k.key: k for k in result.kpis}
    assert tiles["win_rate"].value == pytest.approx(0.25)  # 30 read as 0.30
    assert [w.period for w in tiles["win_rate"].warnings] == ["2025-08"]
    assert tiles["sales_cycle"].value == pytest.approx(45.0)
    assert tiles["lead_to_won"].value == pytest.approx(0.1)
    assert (tiles["new_customers"].value, tiles["new_customers"].previous) == (2.0, 1.0)
    assert tiles["new_customers"].delta == pytest.approx(1.0)
    series = {s.key: s for s in result.series}
    assert [p.value for p in series["leads"].points] == [None, 60.0, 40.0]
    # Stage conversions over the window: 40 MQL / 100 leads, 20 SQL / 40 MQL, 10 won / 20 SQL.
    assert [(s.key, s.label, s.unit, s.total) for s in result.series] == [
        ("leads", "Leads", "count", 100.0),
        ("mql", "MQL", "count", 40.0),
        ("sql", "SQL", "count", 20.0),
        ("won", "Won", "count", 10.0),
        ("mql_per_lead", "Lead → MQL", "ratio", pytest.approx(0.4)),
        ("sql_per_mql", "MQL → SQL", "ratio", pytest.approx(0.5)),
        ("won_per_sql", "SQL → Won", "ratio", pytest.approx(0.5)),
        ("win_rate", "Win rate", "ratio", pytest.approx(0.25)),
        ("sales_cycle", "Sales cycle", "days", pytest.approx(45.0)),
        ("new_customers", "New customers", "count", 2.0),
        ("avg_deal", "Average deal size", "currency", None),  # no booked revenue stored
    ]


def test_funnel_conversion_is_null_after_an_empty_stage_and_an_empty_stage_counts_zero() -> None:
    stages = sales.funnel({"Leads": 0.0, "MQL": 0.0, "SQL": None, "Won": None})
    assert [s.conversion for s in stages] == [None, None, None, None]
    assert [s.count for s in stages] == [0, 0, 0, 0]


def test_sales_tiles_carry_the_labels_units_formulas_and_good_direction_shown(
    any_engine: Engine,
) -> None:
    """The page shows each tile's label, formats it by unit (the average deal in money), prints
    the formula under "how is this computed" and colours a change by the good direction."""
    with any_engine.connect() as conn:
        result = sales.overview(conn, W)
    assert result.domain == "sales"
    shown = [(k.key, k.label, k.unit, k.good_direction, k.provenance.formula) for k in result.kpis]
    assert shown == [
        ("leads", "Leads", "count", "up",
         "Σ pipeline_stages_daily.value of stage Leads in the window"),
        ("mql", "MQL", "count", "up", "Σ pipeline_stages_daily.value of stage MQL in the window"),
        ("sql", "SQL", "count", "up", "Σ pipeline_stages_daily.value of stage SQL in the window"),
        ("won", "Won", "count", "up", "Σ pipeline_stages_daily.value of stage Won in the window"),
        ("lead_to_won", "Lead → Won", "ratio", "up", "Σ Won / Σ Leads over the window"),
        ("win_rate", "Win rate", "ratio", "up",
         "Day-weighted mean of pipeline_winrate.win_rate_pct"),
        ("sales_cycle", "Sales cycle", "days", "down",
         "Day-weighted mean of pipeline_winrate.sales_cycle_days"),
        ("new_customers", "New customers", "count", "up",
         "Customers whose created_at falls in the window"),
        ("avg_deal", "Average deal size", "currency", "up",
         "Σ revenue_trend.booked / Σ Won deals over the window (the forecast's mean won deal "
         "size)"),
    ]  # fmt: skip


def test_a_shorter_sales_cycle_is_favourable_and_the_average_deal_is_booked_per_won_deal(
    any_engine: Engine, put: Put
) -> None:
    # Every month of both windows has a cycle: 60 days in Mar–May, 40 in Jun–Aug.
    put(
        "pipeline_winrate",
        [
            {"period": f"2025-0{m}", "win_rate_pct": 0.2, "sales_cycle_days": 60 if m < 6 else 40}
            for m in range(3, 9)
        ],
    )
    put("revenue_trend", [{"period": "2025-07", "booked": 1000, "recognized": 0, "backlog": 0}])
    put("pipeline_stages_daily", [{"period": d("2025-07-15"), "stage_name": "Won", "value": 4}])
    with any_engine.connect() as conn:
        tiles = {k.key: k for k in sales.overview(conn, W).kpis}
    cycle = tiles["sales_cycle"]
    assert (cycle.value, cycle.previous, cycle.direction) == (40.0, 60.0, "down")
    assert cycle.favourable is True
    deal = tiles["avg_deal"]
    assert (deal.value, deal.unit, deal.change_unit) == (250.0, "currency", "relative")


@pytest.mark.parametrize(
    ("dimension", "expected"),
    [
        ("industry", [("Food", 2.0, 0.5), ("(unknown)", 1.0, 0.25), ("Tech", 1.0, 0.25)]),
        ("source", [("Web", 3.0, 0.75), ("Partner", 1.0, 0.25)]),
    ],
)
def test_new_customers_split_by_industry_or_source_count_the_window_only(
    any_engine: Engine, put: Put, dimension: str, expected: list[tuple[str, float, float]]
) -> None:
    rows = [
        ("Food", "Web", "2025-05-31"),  # the day before the window
        ("Food", "Web", "2025-06-01"),  # its first day
        ("Food", "Web", "2025-07-10"),
        (None, "Partner", "2025-08-31"),  # its last day
        ("Tech", "Web", "2025-08-31"),
        ("Tech", "Web", "2025-09-01"),  # the day after
    ]
    put(
        "customers",
        [
            {"id": i, "name": f"c{i}", "industry": ind, "source": src, "created_at": d(day)}
            for i, (ind, src, day) in enumerate(rows, start=1)
        ],
    )
    with any_engine.connect() as conn:
        found = sales.new_customers_by(conn, W, dimension)
    assert (found.dimension, found.measure, found.unit, found.total) == (
        dimension, "new customers", "count", 4.0,
    )  # fmt: skip
    assert [(i.name, i.value, i.share) for i in found.items] == expected
