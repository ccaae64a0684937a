"""Each customer's recurring revenue in two single months, read from the month × customer MRR
rollup: what ARR's customer drivers compare.

ARR's slices are 12 × a customer's subscription/recurring orders of one month. The running
totals (`dimension_sums.id_pairs`) give that as four exact-month lookups per customer (21,000
customers at 10M orders); the MRR rollup holds it directly, so both months are two index range
reads of the customers paying then, paired by a GROUP BY.
"""

from __future__ import annotations

import sqlalchemy as sa

from execdash.db import label_totals, rollups
from execdash.db import tables as t
from execdash.memo import kept
from execdash.metrics.dimension_sums import Measure, Pairs, Span
from execdash.metrics.queries import RECURRING_TYPES
from execdash.metrics.windows import month_end, month_key

MRR = t.rollup_mrr_month_customer


def _single_month(span: Span) -> bool:
    start, end = span
    return start.day == 1 and start.replace(day=1) == end.replace(day=1) and end == month_end(end)


def months(conn: sa.Connection, spans: tuple[Span, Span], measure: Measure) -> list[str] | None:
    """The two months (before, now) whose MRR gives each customer's value, or None when this
    read does not apply: not a recurring-revenue measure of single whole months, the rollup not
    maintained, or customers not told apart by id."""
    if measure.denominator is not None or measure.value.measure != "amount":
        return None
    if frozenset(measure.value.types or ()) != frozenset(RECURRING_TYPES):
        return None
    if not all(_single_month(span) for span in spans):
        return None
    if not rollups.is_ready(conn, rollups.by_target(MRR.name)):
        return None
    if not label_totals.readiness(conn)[1]:
        return None
    return [month_key(span[0]) for span in spans]


def params(found: list[str]) -> dict[str, str]:
    """`months`' answer as the bound parameters of `pairs`."""
    return {"pair_before": found[0], "pair_now": found[1]}


def _make_pairs(scale: float) -> Pairs:
    """One row per customer with recurring orders in either month: its id, and `scale` × its
    MRR before and now (0 without such orders then), as `id_pairs` returns them."""
    sides = []
    for name, slot in (("prev", "pair_before"), ("cur", "pair_now")):
        value = MRR.c.amount * scale if scale != 1 else MRR.c.amount
        zero = sa.literal(0.0, sa.Float)
        prev, cur = (value, zero) if name == "prev" else (zero, value)
        sides.append(
            # A rollup row exists only for a month with recurring orders (`id_pairs`' test).
            sa.select(MRR.c.customer_id.label("id"), prev.label("prev"), cur.label("cur")).where(
                MRR.c.month == sa.bindparam(slot, type_=sa.Text)
            )
        )
    both = sa.union_all(*sides).subquery("u")
    return sa.select(
        both.c.id, sa.func.sum(both.c.prev).label("prev"), sa.func.sum(both.c.cur).label("cur")
    ).group_by(both.c.id)


pairs = kept(8)(_make_pairs)
"""`_make_pairs`, built once per shape (`execdash.memo`)."""
