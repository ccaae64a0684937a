"""Retention overview: NRR as a stock, churn and expansion as rates, at-risk by expected loss."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from execdash.metrics import retention
from execdash.metrics.windows import resolve_window
from tests.metrics.conftest import Put


def test_at_risk_is_ranked_by_mrr_times_risk_with_percent_risks_normalised() -> None:
    ranked, warnings = retention.rank_at_risk(
        [(1, "A", 100.0, 0.5, None), (2, "B", 1000.0, 10.0, "price"), (3, "C", 10.0, 0.9, None)]
    )
    assert [(c.customer, c.expected_loss) for c in ranked] == [
        ("B", pytest.approx(100.0)),
        ("A", 50.0),
        ("C", 9.0),
    ]
    assert [w.period for w in warnings] == ["2"]


def test_retention_overview_by_quarter(any_engine: Engine, put: Put) -> None:
    put(
        "retention_nrr",
        [
            {"period": "2025-06", "nrr": 1.1, "gross_churn": 0.02, "expansion": 0.1},
            {"period": "2025-07", "nrr": 1.2, "gross_churn": 0.04, "expansion": 0.1},
            {"period": "2025-08", "nrr": 130.0, "gross_churn": 0.04, "expansion": 0.1},
        ],
    )
    put("retention_at_risk", [{"customer": "A", "mrr": 100, "risk": 0.5}])
    with any_engine.connect() as conn:
        result = retention.overview(conn, resolve_window("3m", "quarter", "2025-08"))
    series = {s.key: s for s in result.series}
    assert [p.value for p in series["nrr"].points] == [1.1, pytest.approx(1.3)]
    assert series["gross_churn"].points[0].value == pytest.approx(0.02)
    # Jun (30 days) 0.02, Jul and Aug (31 each) 0.04
    assert series["gross_churn"].total == pytest.approx((0.6 + 2.48) / 92)
    assert result.warnings[0].column == "nrr"
    assert result.at_risk[0].expected_loss == 50.0
    tiles = {k.key: k for k in result.kpis}
    assert tiles["gross_churn"].good_direction == "down"
    assert tiles["expected_loss"].value == 50.0


def test_retention_overview_shows_every_tile_series_and_warning_as_the_user_reads_them(
    any_engine: Engine, put: Put
) -> None:
    # Window 3m ending 2025-08 = Jun–Aug 2025; previous window Mar–May 2025 (no rows there).
    put(
        "retention_nrr",
        [
            # Before the previous window: NRR is a trailing ratio carried forward to June.
            {"period": "2025-02", "nrr": 1.05, "gross_churn": 0.03, "expansion": 0.08},
            # Churn and expansion stored as percents: read as 0.04 and 0.10, with warnings.
            {"period": "2025-07", "nrr": 1.2, "gross_churn": 4, "expansion": 10},
            {"period": "2025-08", "nrr": 130.0, "gross_churn": 0.02, "expansion": 0.12},
        ],
    )
    put(
        "retention_at_risk",
        [
            {"customer": "A", "mrr": 100, "risk": 0.5, "reason": "price"},
            {"customer": "B", "mrr": 200, "risk": 30, "reason": None},  # 30 % → 0.3
        ],
    )
    with any_engine.connect() as conn:
        result = retention.overview(conn, resolve_window("3m", "month", "2025-08"))
    assert result.domain == "retention"
    # B loses 200 × 0.3 = 60 of MRR, A 100 × 0.5 = 50.
    assert [(c.customer, c.mrr, c.risk, c.expected_loss, c.reason) for c in result.at_risk] == [
        ("B", 200.0, pytest.approx(0.3), pytest.approx(60.0), None),
        ("A", 100.0, 0.5, 50.0, "price"),
    ]
    b_id = str(result.at_risk[0].id)
    assert [(w.table, w.column, w.period, w.value) for w in result.warnings] == [
        ("retention_nrr", "nrr", "2025-08", 130.0),
        ("retention_nrr", "gross_churn", "2025-07", 4.0),
        ("retention_nrr", "expansion", "2025-07", 10.0),
        ("retention_at_risk", "risk", b_id, 30.0),
    ]
    mean = (
        "Day-weighted mean over the window of retention_nrr.{} (each row a trailing-12-month rate)"
    )
    assert [
        (k.key, k.unit, k.value, k.previous, k.good_direction, k.basis) for k in result.kpis
    ] == [
        ("nrr", "ratio", pytest.approx(1.3), 1.05, "up", "trailing 12 months to Aug 2025"),
        # Jul and Aug both have 31 days: (0.04 + 0.02) / 2 and (0.10 + 0.12) / 2.
        ("gross_churn", "ratio", pytest.approx(0.03), None, "down", retention.MEAN_BASIS),
        ("expansion", "ratio", pytest.approx(0.11), None, "up", retention.MEAN_BASIS),
        ("expected_loss", "currency", pytest.approx(110.0), None, "down", None),
    ]
    assert retention.MEAN_BASIS == "mean over the window of monthly trailing-12-month rates"
    assert [k.label for k in result.kpis] == [
        "Net revenue retention",
        "Gross churn",
        "Expansion",
        "Expected MRR loss",
    ]
    assert [k.provenance.formula for k in result.kpis[1:]] == [
        mean.format("gross_churn"),
        mean.format("expansion"),
        "Σ mrr × risk over retention_at_risk (current snapshot)",
    ]
    assert [(i.name, i.value) for i in result.kpis[3].provenance.inputs] == [
        ("customers at risk", 2.0)
    ]
    assert [[(w.column, w.period) for w in k.warnings] for k in result.kpis[1:]] == [
        [("gross_churn", "2025-07")],
        [("expansion", "2025-07")],
        [("risk", b_id)],
    ]
    assert [(s.key, s.label, s.unit, [p.value for p in s.points]) for s in result.series] == [
        ("nrr", "Net revenue retention", "ratio", [1.05, 1.2, pytest.approx(1.3)]),
        ("gross_churn", "Gross churn", "ratio", [None, pytest.approx(0.04), 0.02]),
        ("expansion", "Expansion", "ratio", [None, pytest.approx(0.1), 0.12]),
    ]
