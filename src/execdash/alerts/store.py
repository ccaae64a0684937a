"""Rules and firings in execdash's own tables: read, write, and the alerts rows they own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa

from execdash.alerts.rules import Compare, Direction, Kind, RuleSpec
from execdash.db import schema as s
from execdash.db import tables as t

R = t.alert_rules
F = t.alert_firings
OWN_TABLES = frozenset({s.alerts.name, t.alert_status.name, F.name})
"""Tables an evaluation writes (their versions move when it does)."""
RULE_FIELDS = ("name", "metric", "kind", "direction", "value", "compare", "min_volume",
               "sensitivity", "hysteresis", "severity", "enabled")  # fmt: skip
SYSTEM_USER = "execdash"
"""Who an automatic resolve is recorded as (`alert_status.updated_by`)."""


def utcnow() -> dt.datetime:
    """Now in UTC, naive (how DATETIME columns store it on both databases)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True, slots=True)
class RuleRow:
    """A stored rule."""

    id: int
    name: str
    spec: RuleSpec
    severity: str
    enabled: bool
    created_by: str | None
    created_at: dt.datetime | None
    updated_by: str | None
    updated_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Firing:
    """One episode of a rule firing, and the alert it wrote."""

    id: int
    rule_id: int
    alert_id: int
    period: str
    last_period: str
    state: str
    value: float | None


def spec_of(row: Mapping[str, Any]) -> RuleSpec:
    """The deciding part of a rule row."""
    return RuleSpec(
        metric=str(row["metric"]),
        kind=cast(Kind, row["kind"]),
        direction=cast(Direction, row["direction"]),
        value=row["value"],
        compare=cast(Compare | None, row["compare"]),
        min_volume=row["min_volume"],
        sensitivity=row["sensitivity"],
        hysteresis=float(row["hysteresis"]),
    )


def _rule(row: Mapping[str, Any]) -> RuleRow:
    return RuleRow(
        id=int(row["id"]),
        name=str(row["name"]),
        spec=spec_of(row),
        severity=str(row["severity"]),
        enabled=bool(row["enabled"]),
        created_by=row["created_by"],
        created_at=row["created_at"],
        updated_by=row["updated_by"],
        updated_at=row["updated_at"],
    )


def rules(
    conn: sa.Connection, *, enabled_only: bool = False, ids: Iterable[int] | None = None
) -> list[RuleRow]:
    """Stored rules by id."""
    query = sa.select(R).order_by(R.c.id)
    if enabled_only:
        query = query.where(R.c.enabled.is_(True))
    if ids is not None:
        query = query.where(R.c.id.in_(sorted(set(ids))))
    return [_rule(dict(r._mapping)) for r in conn.execute(query)]


def rule(conn: sa.Connection, rule_id: int) -> RuleRow | None:
    """One rule, or None."""
    found = rules(conn, ids=[rule_id])
    return found[0] if found else None


def insert_rule(conn: sa.Connection, values: Mapping[str, Any], user: str) -> int:
    """Store a new rule; its id."""
    now = utcnow()
    row = {k: values[k] for k in RULE_FIELDS if k in values}
    result = conn.execute(
        R.insert().values(**row, created_by=user, created_at=now, updated_by=user, updated_at=now)
    )
    return int(cast(Any, result.inserted_primary_key)[0])


def update_rule(conn: sa.Connection, rule_id: int, values: Mapping[str, Any], user: str) -> None:
    """Change a rule's fields."""
    row = {k: values[k] for k in RULE_FIELDS if k in values}
    conn.execute(
        R.update().where(R.c.id == rule_id).values(**row, updated_by=user, updated_at=utcnow())
    )


def delete_rule(conn: sa.Connection, rule_id: int) -> None:
    """Remove a rule and its firing records (the alerts it wrote stay, as history)."""
    conn.execute(F.delete().where(F.c.rule_id == rule_id))
    conn.execute(R.delete().where(R.c.id == rule_id))


def _firing(row: Mapping[str, Any]) -> Firing:
    return Firing(
        id=int(row["id"]),
        rule_id=int(row["rule_id"]),
        alert_id=int(row["alert_id"]),
        period=str(row["period"]),
        last_period=str(row["last_period"]),
        state=str(row["state"]),
        value=row["value"],
    )


def open_firings(conn: sa.Connection, rule_ids: Iterable[int]) -> dict[int, Firing]:
    """The episode each of `rule_ids` is firing in, if any."""
    query = sa.select(F).where(F.c.rule_id.in_(sorted(set(rule_ids))), F.c.state == "firing")
    return {int(r.rule_id): _firing(dict(r._mapping)) for r in conn.execute(query)}


def firing_of_period(conn: sa.Connection, rule_id: int, period: str) -> Firing | None:
    """The episode of `rule_id` that began in `period` (one at most: de-duplication)."""
    row = conn.execute(sa.select(F).where(F.c.rule_id == rule_id, F.c.period == period)).first()
    return _firing(dict(row._mapping)) if row else None


def raise_alert(
    conn: sa.Connection, type_: str, title: str, description: str, severity: str
) -> int:
    """Insert a seed `alerts` row; its id."""
    result = conn.execute(
        s.alerts.insert().values(
            type=type_, title=title, description=description, severity=severity,
            created_at=utcnow(),
        )
    )  # fmt: skip
    return int(cast(Any, result.inserted_primary_key)[0])


def rewrite_alert(
    conn: sa.Connection, alert_id: int, title: str, description: str, severity: str
) -> None:
    """Bring an alert's words and severity up to date."""
    conn.execute(
        s.alerts.update()
        .where(s.alerts.c.id == alert_id)
        .values(title=title, description=description, severity=severity)
    )


def alert_words(conn: sa.Connection, alert_id: int) -> tuple[str, str] | None:
    """An alert's title and description, or None when the row is gone."""
    a = s.alerts
    row = conn.execute(sa.select(a.c.title, a.c.description).where(a.c.id == alert_id)).first()
    return (str(row.title), str(row.description or "")) if row else None


def set_alert_state(conn: sa.Connection, alert_id: int, state: str, user: str) -> None:
    """Set an alert's workflow state (open, acknowledged, closed)."""
    st = t.alert_status
    values = {"status": state, "updated_by": user, "updated_at": utcnow()}
    done = conn.execute(st.update().where(st.c.alert_id == alert_id).values(**values))
    if done.rowcount == 0:
        conn.execute(st.insert().values(alert_id=alert_id, **values))


def alert_state(conn: sa.Connection, alert_id: int) -> str:
    """An alert's workflow state (`open` without a status row)."""
    st = t.alert_status
    found = conn.execute(sa.select(st.c.status).where(st.c.alert_id == alert_id)).scalar()
    return str(found or "open")


def add_firing(conn: sa.Connection, rule_id: int, alert_id: int, period: str, value: float) -> None:
    """Record the start of an episode."""
    now = utcnow()
    conn.execute(
        F.insert().values(
            rule_id=rule_id, alert_id=alert_id, period=period, last_period=period,
            state="firing", value=value, fired_at=now, updated_at=now,
        )
    )  # fmt: skip


def update_firing(
    conn: sa.Connection, firing_id: int, *, state: str, last_period: str, value: float
) -> None:
    """Move an episode on: still firing in a later month, fired again, or resolved."""
    now = utcnow()
    conn.execute(
        F.update()
        .where(F.c.id == firing_id)
        .values(
            state=state, last_period=last_period, value=value, updated_at=now,
            resolved_at=now if state == "resolved" else None,
        )
    )  # fmt: skip


def append_to_alert(conn: sa.Connection, alert_id: int, sentence: str) -> None:
    """Add a sentence to an alert's description (how it resolved)."""
    a = s.alerts
    text = sa.func.coalesce(a.c.description, "") + sa.literal(sentence, sa.Text)
    conn.execute(a.update().where(a.c.id == alert_id).values(description=text))
