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
