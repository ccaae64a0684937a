"""Retention overview: NRR (stock), gross churn and expansion (rates), at-risk customers."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from execdash.db import schema as s
from execdash.metrics import executive
from execdash.metrics.domain import read_period, tile
from execdash.metrics.models import (
    AtRiskCustomer,
    DataQualityWarning,
    Kpi,
    Provenance,
    ProvenanceInput,
    RetentionOverview,
    Timeframe,
)
from execdash.metrics.rates import normalise_rate
from execdash.metrics.series import build_series
from execdash.metrics.tiles import make_kpi
from execdash.metrics.windows import Window


def rank_at_risk(
    rows: Iterable[tuple[int, str, float, float, str | None]],
) -> tuple[list[AtRiskCustomer], list[DataQualityWarning]]:
    """At-risk customers by expected loss = mrr × risk, largest first (risk normalised to 0–1)."""
    out, warnings = [], []
    for id_, customer, mrr, raw_risk, reason in rows:
        risk, warning = normalise_rate(float(raw_risk), "retention_at_risk", "risk", str(id_))
        if warning is not None:
            warnings.append(warning)
        out.append(
            AtRiskCustomer(
                id=id_,
                customer=customer,
                mrr=float(mrr),
                risk=risk,
                expected_loss=float(mrr) * risk,
                reason=reason,
            )
        )
    out.sort(key=lambda c: (-c.expected_loss, c.customer, c.id))
    return out, warnings


def at_risk(conn: sa.Connection) -> tuple[list[AtRiskCustomer], list[DataQualityWarning]]:
    """Every at-risk customer ranked by expected loss, with normalisation warnings."""
    t = s.retention_at_risk
    rows = conn.execute(sa.select(t.c.id, t.c.customer, t.c.mrr, t.c.risk, t.c.reason))
    return rank_at_risk([(r[0], r[1], r[2], r[3], r[4]) for r in rows])


MEAN_BASIS = "mean over the window of monthly trailing-12-month rates"


def overview(conn: sa.Connection, window: Window) -> RetentionOverview:
    """Retention KPI tiles, series and the at-risk ranking for `window`."""
    nrr, w1 = read_period(conn, "retention_nrr", "nrr", window, nrr=True, history=True)
    churn, w2 = read_period(conn, "retention_nrr", "gross_churn", window, rate=True)
    expansion, w3 = read_period(conn, "retention_nrr", "expansion", window, rate=True)
    customers, w4 = at_risk(conn)
    # The executive tile itself: its popover shows NRR = 1 − churn + expansion of the same row.
    nrr_tile = next(k for k in executive.kpis(conn, window) if k.key == "nrr")
    loss = sum(c.expected_loss for c in customers)
    tiles: list[Kpi] = [
        nrr_tile,
        tile(window, "gross_churn", "Gross churn", "ratio", churn,
             "Day-weighted mean over the window of retention_nrr.gross_churn (each row a "
             "trailing-12-month rate)", good="down", warnings=w2, basis=MEAN_BASIS),
        tile(window, "expansion", "Expansion", "ratio", expansion,
             "Day-weighted mean over the window of retention_nrr.expansion (each row a "
             "trailing-12-month rate)", warnings=w3, basis=MEAN_BASIS),
        make_kpi("expected_loss", "Expected MRR loss", "currency",
                 loss if customers else None, None,
                 Provenance(formula="Σ mrr × risk over retention_at_risk (current snapshot)",
                            inputs=[ProvenanceInput(name="customers at risk",
                                                    value=float(len(customers)))],
                            months=[]),
                 good="down", warnings=w4),
    ]  # fmt: skip
    return RetentionOverview(
        domain="retention",
        timeframe=Timeframe.of(window),
        kpis=tiles,
        series=[
            build_series(window, "nrr", "Net revenue retention", "ratio", nrr),
            build_series(window, "gross_churn", "Gross churn", "ratio", churn),
            build_series(window, "expansion", "Expansion", "ratio", expansion),
        ],
        warnings=w1 + w2 + w3 + w4,
        at_risk=customers,
    )
