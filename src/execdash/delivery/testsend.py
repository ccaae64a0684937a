"""A test message to one channel, sent at once and logged like any delivery."""

from __future__ import annotations

import secrets

from sqlalchemy.engine import Engine

from execdash.config import Settings
from execdash.db.engine import begin_write
from execdash.delivery import outbox, store, worker
from execdash.delivery.settings import DeliverySettings


def send_test(
    engine: Engine, app: Settings, settings: DeliverySettings, channel: str | int, who: str
) -> worker.Result:
    """Queue a test message for `channel` (id or name) and send it now; LookupError if none."""
    with begin_write(engine) as conn:
        row = store.find_channel(conn, channel)
        if row is None:
            raise LookupError(f"no channel {channel!r}")
        payload = {
            "event": "test",
            "channel": row.name,
            "requested_by": who,
            "url": settings.public_url + "/delivery",
        }
        key = f"test:{row.id}:{secrets.token_hex(8)}"
        new_id = outbox.enqueue(conn, "test", key, payload, channel_id=row.id)
    assert new_id is not None
    result = worker.deliver(engine, app, settings, only=new_id)
    assert result is not None  # the row was just queued as due, and only this call claims it
    return result
