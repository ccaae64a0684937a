"""The outbox worker: claim a due delivery, send it outside any transaction, record the outcome.

Run by the scheduler every few seconds in each server process (`drain`), by the test-send
endpoint for its own row (`deliver`), and by `execdash digest send`. Sending never holds a
database lock, and nothing a data change does waits for it.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.config import Settings
from execdash.db.tables import delivery_channels, digest_recipients
from execdash.delivery import digests, messages, outbox, render
from execdash.delivery.messages import Channel
from execdash.delivery.settings import DeliverySettings
from execdash.delivery.transport import DeliveryError, post_json, send_email

DRAIN_LIMIT = 50
"""At most this many deliveries per drain, so one run stays short; the next run goes on."""


@dataclass(frozen=True, slots=True)
class Result:
    """What happened to one delivery attempt."""

    id: int
    outcome: str
    """sent, retry or failed."""
    detail: str


def _channel(conn: sa.Connection, channel_id: int | None) -> Channel:
    row = conn.execute(
        sa.select(delivery_channels).where(delivery_channels.c.id == channel_id)
    ).first()
    if row is None:
        raise DeliveryError(f"channel {channel_id} no longer exists", transient=False)
    return Channel(row.id, row.name, row.kind, row.target, row.secret)


def _send_to_channel(claimed: outbox.Claimed, channel: Channel, settings: DeliverySettings) -> str:
    payload = claimed.payload
    if channel.kind == "email":
        to = [a.strip() for a in channel.target.split(",") if a.strip()]
        return send_email(settings.smtp, messages.email(payload, to, settings))
    if channel.kind == "slack":
        return post_json(channel.target, messages.slack(payload), {}, settings.webhook_timeout)
    body = messages.generic(payload, claimed.id)
    headers = messages.generic_headers(channel, body, claimed.id)
    return post_json(channel.target, body, headers, settings.webhook_timeout)


def _send_digest(
    engine: Engine, claimed: outbox.Claimed, app: Settings, settings: DeliverySettings
) -> str:
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(digest_recipients).where(digest_recipients.c.id == claimed.recipient_id)
        ).first()
        if row is None:
            raise DeliveryError("the recipient no longer exists", transient=False)
        who = digests.Recipient(row.id, row.name, row.email, row.role, row.frequency, row.range)
        due = dt.datetime.fromisoformat(claimed.payload["due"])
        try:
            digest = digests.build(
                conn,
                who,
                symbol=app.currency_symbol,
                public_url=settings.public_url,
                now=due,
                hour=settings.digest_hour,
            )
        except digests.DigestError as exc:
            raise DeliveryError(str(exc), transient=True) from None
    return send_email(settings.smtp, render.email(digest, who.email, settings.smtp.sender))


def deliver(
    engine: Engine, app: Settings, settings: DeliverySettings, only: int | None = None
) -> Result | None:
    """Claim and send one due delivery (or `only` that one); None when nothing was due."""
    claimed = outbox.claim_next(engine, only)
    if claimed is None:
        return None
    started = time.monotonic()
    error: str | None = None
    transient = False
    detail = ""
    try:
        if claimed.kind == "digest":
            detail = _send_digest(engine, claimed, app, settings)
        else:
            with engine.connect() as conn:
                channel = _channel(conn, claimed.channel_id)
            detail = _send_to_channel(claimed, channel, settings)
    except DeliveryError as exc:
        error, transient = str(exc), exc.transient
    except Exception as exc:  # a bug must not leave the row claimed: it is logged and retried
        error, transient = f"unexpected {type(exc).__name__}: {exc}", True
    max_attempts = 1 if claimed.kind == "test" else settings.max_attempts
    elapsed = int((time.monotonic() - started) * 1000)
    outcome = outbox.finish(
        engine,
        claimed,
        error=error,
        transient=transient,
        max_attempts=max_attempts,
        duration_ms=elapsed,
        detail=detail,
    )
    return Result(claimed.id, outcome, error or detail)


def drain(engine: Engine, app: Settings, settings: DeliverySettings) -> list[Result]:
    """Send what is due, up to `DRAIN_LIMIT` deliveries."""
    done: list[Result] = []
    for _ in range(DRAIN_LIMIT):
        result = deliver(engine, app, settings)
        if result is None:
            break
        done.append(result)
    return done
