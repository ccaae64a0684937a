"""The outbox: deliveries queued in the database, claimed by one worker at a time, logged.

A row is queued once per `dedup_key` (INSERT … ON CONFLICT DO NOTHING), claimed with an UPDATE
whose WHERE clause only one worker can satisfy (its row count says who won), sent outside any
transaction, and finished: sent, back to pending with the next time from `BACKOFF_S`, or
failed after the last attempt or a permanent error. A worker that dies mid-send leaves its claim
to expire after `LEASE_S`, and the row is tried again, so a restart loses nothing. Every attempt
adds a row to the delivery log.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db.engine import begin_write
from execdash.db.tables import delivery_log, delivery_outbox
from execdash.db.upsert import insert

log = logging.getLogger("execdash.delivery")

OUT = delivery_outbox
BACKOFF_S = (30, 120, 600, 1800, 3600, 7200, 14400)
"""Wait after attempt 1, 2, 3, …: 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, then every 4 h."""
LEASE_S = 300
"""How long a claim lasts: a worker that died mid-send gives the row back after this."""


def utcnow() -> dt.datetime:
    """Now in UTC, naive (how DATETIME columns hold it on both databases)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait before the next try after `attempts` failed attempts."""
    return dt.timedelta(seconds=BACKOFF_S[min(max(attempts, 1), len(BACKOFF_S)) - 1])


@dataclass(frozen=True, slots=True)
class Claimed:
    """A delivery this worker holds until it finishes it (or its lease runs out)."""

    id: int
    kind: str
    channel_id: int | None
    recipient_id: int | None
    payload: dict[str, Any]
    attempts: int


def enqueue(
    conn: sa.Connection,
    kind: str,
    dedup_key: str,
    payload: dict[str, Any],
    *,
    channel_id: int | None = None,
    recipient_id: int | None = None,
) -> int | None:
    """Queue a delivery in the caller's transaction; its id, or None when the key was queued."""
    now = utcnow()
    statement = (
        insert(conn, OUT)
        .values(
            kind=kind,
            dedup_key=dedup_key,
            payload=json.dumps(payload, sort_keys=True),
            channel_id=channel_id,
            recipient_id=recipient_id,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=[OUT.c.dedup_key])
        .returning(OUT.c.id)
    )
    new_id = conn.execute(statement).scalar_one_or_none()
    return None if new_id is None else int(new_id)


def _due(now: dt.datetime) -> sa.ColumnElement[bool]:
    return sa.or_(
        sa.and_(OUT.c.status == "pending", OUT.c.next_attempt_at <= now),
        sa.and_(OUT.c.status == "sending", OUT.c.claimed_until < now),
    )


def claim_next(engine: Engine, only: int | None = None) -> Claimed | None:
    """Claim the delivery due first (or `only` that one, if due); None when nothing is due."""
    now = utcnow()
    with begin_write(engine) as conn:
        query = sa.select(OUT.c.id).where(_due(now))
        if only is not None:
            query = query.where(OUT.c.id == only)
        for (row_id,) in conn.execute(query.order_by(OUT.c.next_attempt_at, OUT.c.id).limit(5)):
            won = conn.execute(
                OUT.update()
                .where(OUT.c.id == row_id, _due(now))
                .values(
                    status="sending",
                    claimed_until=now + dt.timedelta(seconds=LEASE_S),
                    attempts=OUT.c.attempts + 1,
                )
            ).rowcount
            if won == 1:
                row = conn.execute(sa.select(OUT).where(OUT.c.id == row_id)).one()
                return Claimed(
                    row.id,
                    row.kind,
                    row.channel_id,
                    row.recipient_id,
                    json.loads(row.payload),
                    row.attempts,
                )
    return None


def finish(
    engine: Engine,
    claimed: Claimed,
    *,
    error: str | None,
    transient: bool,
    max_attempts: int,
    duration_ms: int,
    detail: str = "",
) -> str:
    """Record the attempt's outcome (sent / retry / failed) and log it; return the outcome."""
    now = utcnow()
    if error is None:
        outcome, values = "sent", {"status": "sent", "sent_at": now, "last_error": None}
    elif transient and claimed.attempts < max_attempts:
        outcome = "retry"
        values = {
            "status": "pending",
            "next_attempt_at": now + backoff(claimed.attempts),
            "last_error": error,
        }
    else:
        outcome, values = "failed", {"status": "failed", "last_error": error}
    with begin_write(engine) as conn:
        conn.execute(
            OUT.update()
            .where(OUT.c.id == claimed.id, OUT.c.status == "sending")
            .values(claimed_until=None, **values)
        )
        conn.execute(
            delivery_log.insert().values(
                outbox_id=claimed.id,
                attempt=claimed.attempts,
                at=now,
                outcome=outcome,
                detail=(error or detail)[:2000],
                duration_ms=duration_ms,
            )
        )
    if outcome == "failed":
        log.warning(
            "delivery %s (%s) failed for good after %s attempt(s): %s",
            claimed.id,
            claimed.kind,
            claimed.attempts,
            error,
        )
    elif outcome == "retry":
        log.info(
            "delivery %s (%s) attempt %s failed, retrying: %s",
            claimed.id,
            claimed.kind,
            claimed.attempts,
            error,
        )
    return outcome


def retry(conn: sa.Connection, delivery_id: int) -> bool:
    """Put a failed delivery back in the queue now (its attempts start again); False if none."""
    return (
        conn.execute(
            OUT.update()
            .where(OUT.c.id == delivery_id, OUT.c.status == "failed")
            .values(status="pending", attempts=0, next_attempt_at=utcnow())
        ).rowcount
        == 1
    )
