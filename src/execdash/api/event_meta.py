"""Keep a usage event's `meta` where the seed backend keeps it: `user_event_meta`, one row per
key, the number in `v` when the value is one (or a numeric string) and the text in `raw`."""

from __future__ import annotations

import math

import orjson
import sqlalchemy as sa

from execdash.db.compat_tables import user_event_meta


def entries(meta: dict[str, object]) -> list[dict[str, object]]:
    """The rows for one event's meta (without `event_id`); the body-size cap bounds them."""
    rows: list[dict[str, object]] = []
    for key, value in meta.items():
        raw = value if isinstance(value, str) else orjson.dumps(value).decode()
        rows.append({"metric": key, "v": _number(value), "raw": raw})
    return rows


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def store(conn: sa.Connection, event_id: int, body: bytes) -> int:
    """Store the `meta` object of an event's (already validated) JSON body; return the rows."""
    meta = orjson.loads(body).get("meta") or {}
    rows = entries(meta)
    if rows:
        conn.execute(user_event_meta.insert(), [{"event_id": event_id, **r} for r in rows])
    return len(rows)
