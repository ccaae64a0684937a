"""The stored part of search: customers (an indexed prefix query first), alerts and risks.

Customer names are matched on `lower(name)`: a prefix is a range over the expression index of
migration 0011 (PostgreSQL compares it in the "C" collation so the range is exact); a
substring scan runs only for queries of three or more characters that the prefix did not fill.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from execdash.api.search.rank import Candidate
from execdash.db.schema import alerts, customers, retention_at_risk, risks
from execdash.db.tables import alert_status

SUBSTRING_FROM = 3
"""Shorter queries are matched as prefixes only (a one-letter substring matches nearly all)."""

ALERT_PAGES = {"supply": "/supply", "ops": "/manufacturing", "manufacturing": "/manufacturing",
               "marketing": "/marketing"}  # fmt: skip
"""The seed front end's page for an alert type (its dashboard opens the same ones)."""


def sql_words(query: str) -> list[str]:
    """The query as lower-case words, as SQL `lower()` sees text."""
    return query.lower().split()


def _like(words: list[str]) -> list[str]:
    escaped = [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words]
    return [f"%{w}%" for w in escaped]


def _all_words(
    conn: sa.Connection, columns: list[sa.ColumnElement[Any]], words: list[str]
) -> sa.ColumnElement[bool]:
    """Every word occurs, in any case, in one of `columns` (SQLite's LIKE already ignores ASCII
    case and is three times faster than LIKE over `lower()`; PostgreSQL has ILIKE)."""
    postgres = conn.dialect.name == "postgresql"

    def has(column: sa.ColumnElement[Any], pattern: str) -> sa.ColumnElement[bool]:
        if postgres:
            return column.ilike(pattern, escape="\\")
        return column.like(pattern, escape="\\")

    return sa.and_(sa.true(), *(sa.or_(*(has(col, p) for col in columns)) for p in _like(words)))


def name_key(conn: sa.Connection) -> sa.ColumnElement[str]:
    """`lower(customers.name)` exactly as the index holds it on this database."""
    key: sa.ColumnElement[str] = sa.func.lower(customers.c.name)
    return key.collate("C") if conn.dialect.name == "postgresql" else key


def prefix_bound(prefix: str) -> str:
    """The smallest string above every string starting with `prefix` (binary order)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _customer_rows(conn: sa.Connection, query: str, limit: int) -> list[Any]:
    c = customers
    since = sa.func.substr(sa.cast(c.c.created_at, sa.Text), 1, 10).label("since")
    columns = (c.c.id, c.c.name, c.c.industry, c.c.source, since)
    prefix = " ".join(sql_words(query))
    key = name_key(conn)
    found = list(
        conn.execute(
            sa.select(*columns)
            .where(key >= prefix, key < prefix_bound(prefix))
            .order_by(key)
            .limit(limit)
        )
    )
    if len(found) < limit and len(prefix) >= SUBSTRING_FROM:
        seen = [r.id for r in found]
        more = conn.execute(
            sa.select(*columns)
            .where(_all_words(conn, [c.c.name], sql_words(query)), c.c.id.not_in(seen))
            .limit(limit)
        )
        found += list(more)
    return found


def _at_risk(conn: sa.Connection, names: list[str]) -> dict[str, tuple[float, float]]:
    """MRR and risk (0–1) of the at-risk customers among `names`."""
    r = retention_at_risk
    rows = conn.execute(sa.select(r.c.customer, r.c.mrr, r.c.risk).where(r.c.customer.in_(names)))
    return {n: (float(m), float(k) / 100 if k > 1 else float(k)) for n, m, k in rows}


def customer_candidates(
    conn: sa.Connection, query: str, limit: int, symbol: str
) -> list[Candidate]:
    """Customers whose name starts with, or contains every word of, `query`."""
    rows = _customer_rows(conn, query, limit)
    risky = _at_risk(conn, [r.name for r in rows]) if rows else {}
    out = []
    for r in rows:
        since = f"customer since {r.since}" if r.since else None
        parts = [p for p in (r.industry, r.source, since) if p]
        href = "/kpi/revenue?by=customer"
        if r.name in risky:
            mrr, risk = risky[r.name]
            parts.append(f"at risk: {symbol}{mrr:,.0f} MRR, {risk:.0%} likely to churn")
            href = "/retention"
        out.append(
            Candidate(
                id=f"customer:{r.id}",
                kind="customer",
                title=r.name,
                description=" · ".join(parts) or "Customer",
                category="Customers",
                url="/finance/kpis/revenue?by=customer",
                href=href,
            )
        )
    return out


def alert_candidates(conn: sa.Connection, query: str, limit: int) -> list[Candidate]:
    """Alerts whose title or description holds every word of `query`, newest first."""
    a, s = alerts, alert_status
    state = sa.func.coalesce(s.c.status, "open")
    rows = conn.execute(
        sa.select(a.c.id, a.c.type, a.c.title, a.c.description, a.c.severity, state)
        .select_from(a.outerjoin(s, s.c.alert_id == a.c.id))
        .where(_all_words(conn, [a.c.title, a.c.description], sql_words(query)))
        .order_by(a.c.id.desc())
        .limit(limit)
    )
    return [
        Candidate(
            id=f"alert:{i}",
            kind="alert",
            title=title,
            description=" · ".join(p for p in (f"{sev or 'no'} severity", st, desc) if p),
            category="Alerts",
            url=ALERT_PAGES.get(kind, "/dashboard"),
            href="/alerts",
        )
        for i, kind, title, desc, sev, st in rows
    ]


def risk_candidates(conn: sa.Connection, query: str, limit: int) -> list[Candidate]:
    """Risks whose title, owner or mitigation holds every word of `query`, newest first."""
    r = risks
    rows = conn.execute(
        sa.select(r.c.id, r.c.title, r.c.owner, r.c.due, r.c.status, r.c.mitigation)
        .where(_all_words(conn, [r.c.title, r.c.owner, r.c.mitigation], sql_words(query)))
        .order_by(r.c.id.desc())
        .limit(limit)
    )
    out = []
    for i, title, owner, due, status, mitigation in rows:
        parts = [status or "open", f"owner {owner}" if owner else None,
                 f"due {due:%Y-%m-%d}" if due else None]  # fmt: skip
        out.append(
            Candidate(
                id=f"risk:{i}",
                kind="risk",
                title=title,
                description=" · ".join(p for p in parts if p),
                category="Risks",
                url="/dashboard",
                href="/alerts",
                keywords=f"{owner or ''} {mitigation or ''}",
            )
        )
    return out
