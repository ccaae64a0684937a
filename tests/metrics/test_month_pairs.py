"""Each customer's MRR in two single months from the MRR rollup, and when that read applies."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine

from execdash.db.changes import record_data_change
from execdash.db.rollups import SOURCES
from execdash.metrics import month_pairs
from execdash.metrics.dimension_sums import Measure, Part
from execdash.metrics.queries import RECURRING_TYPES
from tests.metrics.conftest import d

ARR = Measure(Part(RECURRING_TYPES), scale=12.0)
MARCH = (d("2025-03-01"), d("2025-03-31"))
AUGUST = (d("2025-08-01"), d("2025-08-31"))


def test_two_months_of_mrr_per_customer_scaled_to_arr(small_company: Engine) -> None:
    """The small company's recurring orders: March c2 50; August c1 100, c2 50, c3 30."""
    with small_company.begin() as conn:
        record_data_change(conn, sorted(SOURCES))  # builds the rollups and marks them ready
    with small_company.connect() as conn:
        found = month_pairs.months(conn, (MARCH, AUGUST), ARR)
        assert found == ["2025-03", "2025-08"]
        rows = conn.execute(month_pairs.pairs(12.0), month_pairs.params(found)).all()
        unscaled = conn.execute(month_pairs.pairs(1.0), month_pairs.params(found)).all()
    assert sorted((i, p, c) for i, p, c in rows) == [
        (1, 0.0, 1200.0),
        (2, 600.0, 600.0),
        (3, 0.0, 360.0),
    ]
    assert sorted((i, p, c) for i, p, c in unscaled)[1] == (2, 50.0, 50.0)


@pytest.mark.parametrize(
    ("spans", "measure"),
    [
        ((MARCH, (d("2025-07-01"), d("2025-08-31"))), ARR),  # two months: not a single month
        ((MARCH, (d("2025-08-02"), d("2025-08-31"))), ARR),  # not from the first day
        ((MARCH, (d("2025-08-01"), d("2025-08-30"))), ARR),  # not to the last day
        ((MARCH, AUGUST), Measure(Part(("recognized",)), scale=12.0)),  # not recurring revenue
        ((MARCH, AUGUST), Measure(Part(RECURRING_TYPES, "profit"))),  # not the amount
        ((MARCH, AUGUST), Measure(Part(RECURRING_TYPES), Part(RECURRING_TYPES))),  # a ratio
    ],
    ids=["two months", "late start", "early end", "other types", "profit", "ratio"],
)
def test_the_read_applies_only_to_recurring_amounts_of_single_whole_months(
    small_company: Engine, spans: tuple[tuple[dt.date, dt.date], ...], measure: Measure
) -> None:
    with small_company.begin() as conn:
        record_data_change(conn, sorted(SOURCES))
    with small_company.connect() as conn:
        assert month_pairs.months(conn, spans, measure) is None  # type: ignore[arg-type]


def test_the_read_waits_for_the_rollup_to_be_maintained(small_company: Engine) -> None:
    """Rows inserted by another program and no rebuild since: the rollup is not read."""
    with small_company.connect() as conn:
        assert month_pairs.months(conn, (MARCH, AUGUST), ARR) is None
