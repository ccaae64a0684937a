"""Marketing & feedback: visits, visit→lead, real NPS, CSAT, feedback counts, customer mix."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine

from execdash.metrics import feedback
from execdash.metrics.models import Breakdown
from execdash.metrics.windows import resolve_window
from tests.metrics.conftest import Put, d


def test_feedback_overview(any_engine: Engine, put: Put) -> None:
    put("page_visits", [{"visit_date": d("2025-08-31"), "page_name": "home"}] * 4)
    put("pipeline_stages_daily", [{"period": d("2025-08-02"), "stage_name": "Leads", "value": 1}])
    at = dt.datetime(2025, 8, 20, 12, 30)
    scores = [("NPS", s) for s in (10, 9, 7, 3)] + [("csat", 4), ("CSAT", 5)]
    put("feedback_scores", [{"aspect": a, "score": s, "created_at": at} for a, s in scores])
    put(
        "product_feedback",
        [
            {"category": "ui", "type": "bug", "created_at": at},
            {"category": "ui", "type": "idea", "created_at": at},
            {"category": "api", "type": "bug", "created_at": dt.datetime(2024, 1, 1)},
        ],
    )
    put(
        "customers",
        [
            {"id": 1, "name": "a", "industry": "Food", "source": "Web", "created_at": d("2025-01")},
            {"id": 2, "name": "b", "industry": "Tech", "source": "Web", "created_at": d("2025-09")},
        ],
    )
    put("feedback", [{"customer_id": 1, "type": "praise", "created_at": at}])
    with any_engine.connect() as conn:
        result = feedback.overview(conn, resolve_window("3m", "month", "2025-08"))
    tiles = {k.key: k.value for k in result.kpis}
    assert tiles == {
        "page_visits": 4.0,
        "visit_to_lead": pytest.approx(0.25),
        "nps": pytest.approx(0.25),
        "csat": pytest.approx(4.5),
    }
    assert [(i.name, i.value) for i in result.feedback_by_type.items] == [
        ("bug", 1.0),
        ("idea", 1.0),
    ]
    assert [(i.name, i.value) for i in result.feedback_by_category.items] == [("ui", 2.0)]
    assert [i.name for i in result.customer_feedback_by_type.items] == ["praise"]
    assert [(i.name, i.share) for i in result.customers_by_industry.items] == [("Food", 1.0)]
    assert [p.value for p in next(s for s in result.series if s.key == "nps").points] == [
        None,
        None,
        pytest.approx(0.25),
    ]


def test_visits_per_month_are_the_same_from_the_daily_rollup_as_from_raw_rows(
    any_engine: Engine, put: Put
) -> None:
    from execdash.db.changes import record_data_change

    put(
        "page_visits",
        [{"visit_date": d("2023-08-31"), "page_name": "home"}]  # before the previous window
        + [{"visit_date": d("2023-09-01"), "page_name": "home"}] * 5  # its first day
        + [{"visit_date": d("2024-08-31"), "page_name": "home"}] * 2  # in the previous window
        + [{"visit_date": d("2024-09-01"), "page_name": "home"}] * 3  # the window's first day
        + [{"visit_date": d("2025-08-31"), "page_name": "pricing"}] * 4
        + [{"visit_date": d("2025-09-01"), "page_name": "home"}],  # after the window
    )
    window = resolve_window("12m", "month", "2025-08")

    def visits() -> dict[dt.date, float]:
        with any_engine.connect() as conn:
            return feedback.visits_by_month(conn, window)

    raw = visits()
    with any_engine.begin() as conn:
        record_data_change(conn, ["page_visits"])
    assert visits() == raw
    assert raw == {d("2023-09"): 5.0, d("2024-08"): 2.0, d("2024-09"): 3.0, d("2025-08"): 4.0}


W3 = resolve_window("3m", "month", "2025-08")  # Jun–Aug 2025


def _split(found: Breakdown) -> list[tuple[str, float, float | None]]:
    return [(i.name, i.value, i.share) for i in found.items]


def test_nps_buckets_split_at_six_and_nine_in_scale_order() -> None:
    scores = [(0.0, 1.0), (6.0, 2.0), (7.0, 3.0), (8.0, 4.0), (9.0, 5.0), (10.0, 6.0)]
    assert feedback.nps_buckets(scores) == [
        ("Detractors (0-6)", 3.0),
        ("Passives (7-8)", 7.0),
        ("Promoters (9-10)", 11.0),
    ]
    assert feedback.nps_buckets([(6.5, 2.0)]) == [
        ("Detractors (0-6)", 0.0),
        ("Passives (7-8)", 2.0),
        ("Promoters (9-10)", 0.0),
    ]


def test_nps_responses_by_bucket_count_the_windows_months_whatever_the_aspects_case(
    any_engine: Engine, put: Put
) -> None:
    at = dt.datetime.fromisoformat
    put(
        "feedback_scores",
        [
            {"aspect": "nps", "score": 10, "created_at": at("2025-05-31 23:59")},  # before
            {"aspect": "NPS", "score": 3, "created_at": at("2025-06-01 00:00")},  # first day
            {"aspect": "Nps", "score": 9, "created_at": at("2025-07-15 12:00")},
            {"aspect": "nps", "score": 10, "created_at": at("2025-08-31 23:59")},  # last day
            {"aspect": "nps", "score": 7, "created_at": at("2025-08-31 23:59")},
            {"aspect": "nps", "score": 0, "created_at": at("2025-09-01 00:00")},  # after
            {"aspect": "csat", "score": 1, "created_at": at("2025-07-01 00:00")},
        ],
    )
    with any_engine.connect() as conn:
        found = feedback.score_buckets(conn, "nps", W3)
        empty = feedback.score_buckets(conn, "nps", resolve_window("3m", "month", "2024-08"))
    assert (found.dimension, found.measure, found.unit, found.total) == (
        "bucket", "responses", "count", 4.0,
    )  # fmt: skip
    assert _split(found) == [
        ("Detractors (0-6)", 1.0, 0.25),
        ("Passives (7-8)", 1.0, 0.25),
        ("Promoters (9-10)", 2.0, 0.5),
    ]
    assert (empty.dimension, empty.total, empty.items) == ("bucket", 0.0, [])


def test_csat_responses_by_score_stay_in_score_order_with_a_star(
    any_engine: Engine, put: Put
) -> None:
    at = dt.datetime(2025, 7, 1, 9, 0)
    put(
        "feedback_scores",
        [{"aspect": "CSAT", "score": s, "created_at": at} for s in (5, 5, 5, 3.5, 4)]
        + [{"aspect": "nps", "score": 2, "created_at": at}],
    )
    with any_engine.connect() as conn:
        found = feedback.score_buckets(conn, "csat", W3)
    assert (found.dimension, found.measure, found.unit, found.total) == (
        "score", "responses", "count", 5.0,
    )  # fmt: skip
    assert _split(found) == [("3.5★", 1.0, 0.2), ("4★", 1.0, 0.2), ("5★", 3.0, 0.6)]


def test_csat_on_a_fine_scale_shows_every_score_none_folded_into_other(
    any_engine: Engine, put: Put
) -> None:
    # A 0–10 CSAT in half points has 21 possible scores: one more than a breakdown's top 20.
    at = dt.datetime(2025, 7, 1, 9, 0)
    scores = [i / 2 for i in range(21)]
    put("feedback_scores", [{"aspect": "csat", "score": v, "created_at": at} for v in scores])
    with any_engine.connect() as conn:
        found = feedback.score_buckets(conn, "csat", W3)
    assert [(i.name, i.value) for i in found.items] == [(f"{v:g}★", 1.0) for v in scores]
    assert (found.items[0].name, found.items[-1].name, found.total) == ("0★", "10★", 21.0)


def test_visits_by_page_count_the_windows_first_and_last_day_only_inside(
    any_engine: Engine, put: Put
) -> None:
    put(
        "page_visits",
        [{"visit_date": d("2025-05-31"), "page_name": "home"}]
        + [{"visit_date": d("2025-06-01"), "page_name": "home"}] * 3
        + [{"visit_date": d("2025-08-31"), "page_name": "pricing"}]
        + [{"visit_date": d("2025-09-01"), "page_name": "pricing"}],
    )
    with any_engine.connect() as conn:
        found = feedback.visits_by_page(conn, W3)
    assert (found.dimension, found.measure, found.unit, found.total) == (
        "page", "page visits", "count", 4.0,
    )  # fmt: skip
    assert _split(found) == [("home", 3.0, 0.75), ("pricing", 1.0, 0.25)]


def test_visits_by_page_count_a_datetime_on_the_windows_last_day_as_the_visits_tile_does(
    any_engine: Engine,
) -> None:
    """Another tool wrote `2025-08-31 18:00:00`: the split by page counts it in August, so its
    total is the page-visits tile; midnight of the next day stays out."""
    import sqlalchemy as sa

    with any_engine.begin() as conn:  # plain SQL, as sqlite3 or psql would write it
        conn.execute(
            sa.text(
                "INSERT INTO page_visits (visit_date, page_name) VALUES "
                "('2025-08-31 18:00:00', 'pricing'), ('2025-09-01 00:00:00', 'pricing')"
            )
        )
    with any_engine.connect() as conn:
        found = feedback.visits_by_page(conn, W3)
        tile = next(s.total for s in feedback.overview(conn, W3).series if s.key == "page_visits")
    assert _split(found) == [("pricing", 1.0, 1.0)]
    assert found.total == tile == 1.0


def test_feedback_tiles_series_and_breakdowns_carry_the_labels_units_and_formulas_shown(
    any_engine: Engine,
) -> None:
    """The page shows each label, formats NPS as −100…100 and CSAT as stored (unit `score`, not a
    percentage), prints the formula under "how is this computed" and names chart axes and CSV
    columns after each breakdown's dimension and measure."""
    with any_engine.connect() as conn:
        result = feedback.overview(conn, W3)
    assert result.domain == "feedback"
    shown = [(k.key, k.label, k.unit, k.good_direction, k.provenance.formula) for k in result.kpis]
    assert shown == [
        ("page_visits", "Page visits", "count", "up", "page_visits rows dated in the window"),
        ("visit_to_lead", "Visit → lead", "ratio", "up",
         "Σ Leads (pipeline_stages_daily) / Σ page visits over the window"),
        ("nps", "NPS", "score", "up",
         "(promoters 9–10 − detractors 0–6) / responses, feedback_scores aspect NPS"),
        ("csat", "CSAT", "score", "up",
         "Mean feedback_scores.score where aspect is CSAT (scale as stored)"),
    ]  # fmt: skip
    assert [(s.key, s.label, s.unit) for s in result.series] == [
        ("page_visits", "Page visits", "count"),
        ("visit_to_lead", "Visit → lead", "ratio"),
        ("nps", "NPS", "score"),
        ("csat", "CSAT", "score"),
    ]
    splits = [
        result.feedback_by_type,
        result.feedback_by_category,
        result.customer_feedback_by_type,
        result.customers_by_industry,
        result.customers_by_source,
    ]
    assert [(b.dimension, b.measure, b.unit) for b in splits] == [
        ("type", "feedback", "count"),
        ("category", "feedback", "count"),
        ("type", "feedback", "count"),
        ("industry", "customers", "count"),
        ("source", "customers", "count"),
    ]


def test_nps_counts_a_six_as_a_detractor_month_by_month_from_the_previous_windows_first_month(
    any_engine: Engine, put: Put
) -> None:
    # Jun: a 6 (detractor) and a 7 → (0 − 1) / 2; Aug: 9, 10, 10, 3 → (3 − 1) / 4;
    # window (0 + 3 − 1 − 1) / 6 = 1/6. Previous window: only March, two 10s → (2 − 0) / 2 = 1.
    at = dt.datetime.fromisoformat
    rows = [
        ("2025-02-28 23:59", 0),  # before the previous window
        ("2025-03-01 00:00", 10),  # the previous window's first day
        ("2025-03-31 23:59", 10),
        ("2025-06-01 00:00", 6),
        ("2025-06-30 12:00", 7),
        ("2025-08-01 08:00", 9),
        ("2025-08-10 08:00", 10),
        ("2025-08-20 08:00", 10),
        ("2025-08-31 23:59", 3),
        ("2025-09-01 00:00", 0),  # after the window
    ]
    put("feedback_scores", [{"aspect": "NPS", "score": v, "created_at": at(t)} for t, v in rows])
    with any_engine.connect() as conn:
        result = feedback.overview(conn, W3)
    nps = next(k for k in result.kpis if k.key == "nps")
    assert nps.value == pytest.approx(1 / 6)
    assert nps.previous == 1.0
    assert [(i.name, i.value) for i in nps.provenance.inputs] == [
        ("numerator", 1.0),
        ("denominator", 6.0),
    ]
    series = next(s for s in result.series if s.key == "nps")
    assert [(p.period, p.value) for p in series.points] == [
        ("2025-06", pytest.approx(-0.5)),
        ("2025-07", None),
        ("2025-08", pytest.approx(0.5)),
    ]


def test_csat_mean_counts_a_month_of_zero_scores_as_zero(any_engine: Engine, put: Put) -> None:
    # A 0–10 CSAT: July's two 0s and August's 4 → window mean (0 + 0 + 4) / 3.
    rows = [(dt.datetime(2025, 7, 5, 9), 0), (dt.datetime(2025, 7, 6, 9), 0)]
    rows += [(dt.datetime(2025, 8, 5, 9), 4)]
    put("feedback_scores", [{"aspect": "csat", "score": v, "created_at": t} for t, v in rows])
    with any_engine.connect() as conn:
        result = feedback.overview(conn, W3)
    csat = next(k for k in result.kpis if k.key == "csat")
    assert csat.value == pytest.approx(4 / 3)
    series = next(s for s in result.series if s.key == "csat")
    assert [p.value for p in series.points] == [None, 0.0, 4.0]


def test_feedback_counts_take_the_windows_first_month_and_nothing_after_its_end(
    any_engine: Engine, put: Put
) -> None:
    at = dt.datetime.fromisoformat
    rows = [
        ("2025-05-31 23:59", "bug", "ui"),  # the day before the window
        ("2025-06-01 00:00", "bug", "ui"),  # its first day
        ("2025-06-15 10:00", "idea", "api"),
        ("2025-08-31 23:59", "bug", "api"),  # its last day
        ("2025-09-01 00:00", "idea", "ui"),  # the day after
    ]
    put(
        "product_feedback",
        [{"type": ty, "category": cat, "created_at": at(t)} for t, ty, cat in rows],
    )
    put(
        "feedback",
        [{"type": ty, "created_at": at(t)} for t, ty, _ in rows],
    )
    with any_engine.connect() as conn:
        result = feedback.overview(conn, W3)
    assert _split(result.feedback_by_type) == [
        ("bug", 2.0, 2 / 3),
        ("idea", 1.0, 1 / 3),
    ]
    assert _split(result.feedback_by_category) == [
        ("api", 2.0, 2 / 3),
        ("ui", 1.0, 1 / 3),
    ]
    assert _split(result.customer_feedback_by_type) == _split(result.feedback_by_type)


def test_customer_mix_counts_every_customer_created_by_the_windows_end_undated_ones_too(
    any_engine: Engine, put: Put
) -> None:
    rows = [
        ("Food", "Web", d("2019-01-01")),
        ("Food", "Partner", None),  # created_at not recorded: an existing customer
        ("Tech", "Web", d("2025-08-31")),  # the window's last day
        ("Tech", "Web", d("2025-09-01")),  # the day after: not a customer yet
    ]
    put(
        "customers",
        [
            {"id": i, "name": f"c{i}", "industry": ind, "source": src, "created_at": day}
            for i, (ind, src, day) in enumerate(rows, start=1)
        ],
    )
    with any_engine.connect() as conn:
        result = feedback.overview(conn, W3)
    assert _split(result.customers_by_industry) == [
        ("Food", 2.0, 2 / 3),
        ("Tech", 1.0, 1 / 3),
    ]
    assert _split(result.customers_by_source) == [
        ("Web", 2.0, 2 / 3),
        ("Partner", 1.0, 1 / 3),
    ]
