"""Digests per recipient: build one, queue the ones due (claimed once per recipient and period).

`queue_due` runs on the schedule in every worker process; the outbox's unique key
`digest:<recipient>:<period>` is the claim, so however many processes find a digest due at the
same moment, exactly one row is queued and one email sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db.engine import begin_write
from execdash.db.tables import digest_recipients
from execdash.delivery import outbox, periods
from execdash.delivery.content import Digest, gather
from execdash.delivery.periods import Period

R = digest_recipients


class DigestError(ValueError):
    """A digest cannot be built: no data, or a recipient that does not exist."""


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who gets a digest, in which role, how often, over which window."""

    id: int | None
    name: str
    email: str
    role: str
    frequency: str
    range: str


def recipient(conn: sa.Connection, who: str) -> Recipient:
    """A stored recipient by id, email address or name."""
    condition = R.c.email == who if "@" in who else R.c.name == who
    if who.isdigit():
        condition = sa.or_(condition, R.c.id == int(who))
    row = conn.execute(sa.select(R).where(condition)).first()
    if row is None:
        raise DigestError(f"no digest recipient {who!r} (see `execdash recipients list`)")
    return Recipient(row.id, row.name, row.email, row.role, row.frequency, row.range)


def build(
    conn: sa.Connection,
    who: Recipient,
    *,
    symbol: str,
    public_url: str,
    now: dt.datetime | None = None,
    as_of: str | None = None,
    hour: int = 7,
) -> Digest:
    """The digest `who` gets in the period `now` is in (window ending `as_of`, default latest)."""
    from execdash.metrics.queries import latest_month
    from execdash.metrics.windows import WindowError, resolve_window

    moment = outbox.utcnow() if now is None else now
    period = periods.current(who.frequency, moment, hour)
    latest = latest_month(conn)
    if latest is None and as_of is None:
        raise DigestError("the database holds no revenue data yet, so there is nothing to report")
    try:
        window = resolve_window(who.range, "month", as_of, latest)
    except WindowError as exc:
        raise DigestError(
            f"{exc.field} {exc.value!r} is not valid; expected {exc.expected}"
        ) from None
    return gather(
        conn,
        window,
        recipient=who.name,
        role=who.role,
        frequency=who.frequency,
        period=period,
        symbol=symbol,
        public_url=public_url,
    )


def dedup_key(recipient_id: int, period: Period) -> str:
    """The claim: one digest per recipient and period, ever."""
    return f"digest:{recipient_id}:{period.key}"


def queue_due(engine: Engine, hour: int, now: dt.datetime | None = None) -> list[int]:
    """Queue the digest of every enabled recipient whose period is due; the new outbox ids."""
    moment = outbox.utcnow() if now is None else now
    with engine.connect() as conn:
        rows = conn.execute(sa.select(R).where(R.c.enabled.is_(True)).order_by(R.c.id)).all()
    due = []
    for row in rows:
        period = periods.current(row.frequency, moment, hour)
        if periods.is_due(period, moment, row.created_at):
            due.append((row, period))
    if not due:
        return []
    queued = []
    with begin_write(engine) as conn:
        for row, period in due:
            payload = {
                "event": "digest",
                "period": period.key,
                "frequency": row.frequency,
                "due": period.due.isoformat(),
                "since": period.since.isoformat(),
            }
            new_id = outbox.enqueue(
                conn, "digest", dedup_key(row.id, period), payload, recipient_id=row.id
            )
            if new_id is not None:
                queued.append(new_id)
    return queued


def queue_now(engine: Engine, who: Recipient, hour: int, *, force: bool = False) -> int | None:
    """Queue `who`'s digest of the current period now (due or not); None if it was sent or is
    queued already (a failed one is queued again; `force` queues a further copy)."""
    assert who.id is not None
    moment = outbox.utcnow()
    period = periods.current(who.frequency, moment, hour)
    key = dedup_key(who.id, period)
    if force:
        key += f":manual:{moment.isoformat()}"
    payload = {
        "event": "digest",
        "period": period.key,
        "frequency": who.frequency,
        "due": period.due.isoformat(),
        "since": period.since.isoformat(),
    }
    with begin_write(engine) as conn:
        new_id = outbox.enqueue(conn, "digest", key, payload, recipient_id=who.id)
        if new_id is not None:
            return new_id
        # Queued before: a failed one is sent again, one that was sent or is waiting is not.
        old = conn.execute(
            sa.select(outbox.OUT.c.id).where(outbox.OUT.c.dedup_key == key)
        ).scalar_one()
        return int(old) if outbox.retry(conn, int(old)) else None
