"""Running totals summed by industry and by source, and whether customer names tell customers apart.

A breakdown by industry over a window needs, per industry, the running totals of its customers at
the window's last month minus those at the month before. Summed once per month at write time
(`execdash_orders_cumulative_label`), that is two rows per industry (about ten) instead of two per
customer (21,000 at 10M orders) merged by name at every read.

A breakdown by customer merges customers of one name into one slice. When no two customers share a
name (and none is unnamed), every customer is its own slice and the ranking can take the best
twenty by customer id without merging: `customer_labels_distinct` says so, kept with the table.

Both are derived from `orders_cumulative` and `customers`: `refresh_from` follows a refresh of the
running totals from a month on, `rebuild` a change of customers (their industry, source or name
may have moved) or a full rebuild.
"""

from __future__ import annotations

import sqlalchemy as sa

from execdash.db import meta_keys, read_once
from execdash.db import schema as s
from execdash.db import tables as t
from execdash.db.cumulative import CUM, VALUES, next_month

LABEL = t.orders_cumulative_label
MISSING = {"customer": "(no customer)", "industry": "(unknown)", "source": "(unknown)"}
"""The slice of customers whose dimension value is missing or empty (and of orders with none)."""
SUMMED = ("industry", "source")
"""The dimensions whose totals are kept per label (customers are told apart by id instead)."""
READY_KEY = f"rollup_ready:{LABEL.name}"
DISTINCT_KEY = "customer_labels_distinct"


def column(dimension: str) -> sa.ColumnElement[str | None]:
    """The customers column a breakdown by `dimension` (customer, industry, source) names."""
    c = s.customers
    return {"customer": c.c.name, "industry": c.c.industry, "source": c.c.source}[dimension]


def label_of(dimension: str, value: sa.ColumnElement[str | None]) -> sa.ColumnElement[str]:
    """`value` as a slice's label: a missing or empty one becomes `MISSING[dimension]`."""
    return sa.func.coalesce(sa.func.nullif(value, ""), MISSING[dimension])


def _write(conn: sa.Connection, since: str | None) -> None:
    """Insert the per-label sums of the running totals of every month from `since` (all: None)."""
    c = s.customers
    for dimension in SUMMED:
        named = sa.select(
            CUM.c.month,
            label_of(dimension, column(dimension)).label("label"),
            *(CUM.c[v] for v in VALUES),
        ).select_from(CUM.outerjoin(c, c.c.id == CUM.c.customer_id))
        if since is not None:
            named = named.where(CUM.c.month >= since)
        n = named.subquery("n")
        grouped = sa.select(
            sa.literal(dimension, sa.Text),
            n.c.month,
            n.c.label,
            *(sa.func.sum(n.c[v]) for v in VALUES),
        ).group_by(n.c.month, n.c.label)
        conn.execute(LABEL.insert().from_select(["dimension", "month", "label", *VALUES], grouped))


def _set_distinct(conn: sa.Connection) -> None:
    """Record whether every customer with orders is a slice of its own under its name."""
    c = s.customers
    unnamed = conn.execute(
        sa.select(sa.func.count()).where(
            sa.or_(c.c.name.is_(None), c.c.name == "", c.c.name == MISSING["customer"])
        )
    ).scalar_one()
    repeated = conn.execute(
        sa.select(sa.func.count() - sa.func.count(sa.distinct(c.c.name))).select_from(c)
    ).scalar_one()
    # Every customer keeps a row up to the latest month: its ids are all the ids there are.
    latest = sa.select(sa.func.max(CUM.c.month)).scalar_subquery()
    orphans = conn.execute(
        sa.select(sa.func.count())
        .select_from(CUM.outerjoin(c, c.c.id == CUM.c.customer_id))
        .where(CUM.c.month == latest, c.c.id.is_(None))
    ).scalar_one()
    # One id without a customer row is one "(no customer)" slice; two would have to merge.
    meta_keys.put(
        conn, DISTINCT_KEY, "1" if unnamed == 0 and repeated == 0 and orphans <= 1 else "0"
    )


def refresh_from(conn: sa.Connection, since: str) -> None:
    """Recompute the sums of month `since` (`YYYY-MM`) and later, after the running totals of
    those months were recomputed (`cumulative.refresh_from`)."""
    stored = conn.execute(sa.select(sa.func.max(LABEL.c.month))).scalar()
    if stored is not None:  # months the running totals gained in between get their sums too
        since = min(since, next_month(str(stored)))
    latest = conn.execute(sa.select(sa.func.max(CUM.c.month))).scalar()
    gone = LABEL.c.month >= since
    if latest is not None:  # months after the latest running totals went with them
        gone = sa.or_(gone, LABEL.c.month > str(latest))
    conn.execute(LABEL.delete().where(gone) if latest is not None else LABEL.delete())
    _write(conn, since)
    if _has_mark(conn):  # unread until a marking rebuild, which sets it
        _set_distinct(conn)


def rebuild(conn: sa.Connection, *, mark: bool = True) -> None:
    """Recompute every sum (customers changed, or a full rebuild); with `mark`, flag the table
    ready for readers."""
    conn.execute(LABEL.delete())
    _write(conn, None)
    if mark:
        _set_distinct(conn)
        meta_keys.put(conn, READY_KEY, "1")


def follow(conn: sa.Connection, changed: set[str]) -> None:
    """Rebuild after a change of `changed` tables that renamed or regrouped customers."""
    if s.customers.name in changed and _has_mark(conn):
        rebuild(conn)


def _has_mark(conn: sa.Connection) -> bool:
    return meta_keys.is_set(conn, READY_KEY)


def readiness(conn: sa.Connection) -> tuple[bool, bool]:
    """(the per-label sums may be read, customer names are distinct), in one statement: both
    need the ready mark and no change of customers waiting for a catch-up (`db.catchup`)."""

    def read() -> dict[str, str]:
        meta = t.app_meta
        pending = sa.select(t.stale.c.target).where(t.stale.c.target == s.customers.name)
        query = sa.select(meta.c.key, meta.c.value).where(
            meta.c.key.in_([READY_KEY, DISTINCT_KEY]), ~pending.exists()
        )
        return {str(k): str(v) for k, v in conn.execute(query)}

    flags: dict[str, str] = read_once.once(conn, ("labels", READY_KEY), read)
    ready = flags.get(READY_KEY) == "1"
    return ready, ready and flags.get(DISTINCT_KEY) == "1"


def snapshot(conn: sa.Connection) -> list[tuple[object, ...]]:
    """The stored sums by dimension, month and label: what tests compare with `recompute`."""
    keys = (LABEL.c.dimension, LABEL.c.month, LABEL.c.label)
    return [tuple(r) for r in conn.execute(sa.select(LABEL).order_by(*keys))]


def recompute(conn: sa.Connection) -> list[tuple[object, ...]]:
    """What the table would hold if rebuilt now, summed in Python from the running totals."""
    c = s.customers
    names = {
        int(i): (ind, src)
        for i, ind, src in conn.execute(sa.select(c.c.id, c.c.industry, c.c.source))
    }
    sums: dict[tuple[str, str, str], list[float]] = {}
    for row in conn.execute(sa.select(CUM.c.month, CUM.c.customer_id, *(CUM.c[v] for v in VALUES))):
        month, customer, values = str(row[0]), int(row[1]), row[2:]
        for dimension, value in zip(SUMMED, names.get(customer, (None, None)), strict=True):
            label = value if value else MISSING[dimension]
            total = sums.setdefault((dimension, month, label), [0.0] * len(VALUES))
            for i, v in enumerate(values):
                total[i] += v
    return [
        (
            *key,
            *(int(v) if n.endswith("_orders") else v for v, n in zip(total, VALUES, strict=True)),
        )
        for key, total in sorted(sums.items())
    ]
