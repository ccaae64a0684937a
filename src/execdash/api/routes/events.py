"""`POST /api/events`: the seed front end's usage log, stored in `user_events`.

A compatibility endpoint, so its errors are 400 (not 422) as the seed contract documents.
It is anonymous on purpose, so `eventguard` rate-limits it (429) and caps the body (413) before
the event queues for the database. Events are written in batches (`api.eventbatch`): each
request is answered once the transaction holding it has committed, off the loop.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, get_args

import orjson
from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from execdash.api.accounts import utcnow
from execdash.api.auth import Reader
from execdash.api.errors import problem_responses
from execdash.api.eventbatch import Event, EventBatcher
from execdash.api.eventguard import guarded_event_body

router = APIRouter(tags=["compat"])

EventType = Literal["switch_range_or_granularity", "drilldown", "alert_click", "export_csv"]
EVENT_TYPES: tuple[str, ...] = get_args(EventType)
EARLIEST_EVENT = dt.datetime(2000, 1, 1)
"""Events dated before this (UTC) are refused as typos or garbage."""
LATEST_AHEAD = dt.timedelta(days=1)
"""How far past the server's clock an event may be dated (clients' clocks drift)."""
META_MAX_BYTES = 4096
"""The largest `meta` object accepted, as compact JSON."""


class EventIn(BaseModel):
    """A usage event as the seed front end sends it."""

    event_type: EventType
    event_time: dt.datetime | None = Field(None, description="ISO 8601; default: now (UTC).")
    meta: dict[str, Any] | None = None


class Logged(BaseModel):
    """The event was stored."""

    status: str = "logged"


def parse_event(raw: bytes) -> tuple[str, dt.datetime]:
    """Validate a request body; return (event type, naive UTC time) or raise a 400."""
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise HTTPException(400, f"The body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise HTTPException(400, "The body must be a JSON object with event_type.")
    event_type = body.get("event_type")
    if event_type not in EVENT_TYPES:
        raise HTTPException(
            400, f"event_type {event_type!r} is not one of: {', '.join(EVENT_TYPES)}."
        )
    meta = body.get("meta")
    if meta is not None and not isinstance(meta, dict):
        raise HTTPException(400, "meta must be a JSON object when given.")
    if meta is not None and len(orjson.dumps(meta)) > META_MAX_BYTES:
        raise HTTPException(400, f"meta is larger than {META_MAX_BYTES:,} bytes of JSON.")
    raw_time = body.get("event_time")
    if raw_time is None:
        return event_type, utcnow()
    if not isinstance(raw_time, str):
        raise HTTPException(400, "event_time must be an ISO 8601 date-time string.")
    try:
        when = dt.datetime.fromisoformat(raw_time.replace("Z", "+00:00"))
    except ValueError:
        raise HTTPException(400, f"event_time {raw_time!r} is not an ISO 8601 date-time.") from None
    return event_type, _in_range(when, raw_time)


def _in_range(when: dt.datetime, raw_time: str) -> dt.datetime:
    """`when` as naive UTC, or a 400 naming event_time when it is outside the sane range."""
    latest = utcnow() + LATEST_AHEAD
    try:
        if when.tzinfo is not None:
            when = when.astimezone(dt.UTC).replace(tzinfo=None)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+14:00 is before year 1 in UTC
        when = dt.datetime.min
    if not EARLIEST_EVENT <= when <= latest:
        raise HTTPException(
            400,
            f"event_time {raw_time!r} is outside {EARLIEST_EVENT:%Y-%m-%d} to "
            f"{latest:%Y-%m-%d %H:%M} UTC (now + 1 day).",
        )
    return when


async def incoming_event(
    raw: Annotated[bytes, Depends(guarded_event_body)],
) -> tuple[str, dt.datetime]:
    """The checked event of this request (a dependency: it runs before the write is queued)."""
    return parse_event(raw)


@router.post(
    "/api/events",
    response_model=Logged,
    responses={
        **problem_responses(400, 401, 413, 429, 503),
        200: {"description": "Stored"},
    },
    openapi_extra={
        "security": [{}],  # appended to the bearer requirement: the seed front end sends none
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": EventIn.model_json_schema()}},
        },
    },
)
async def log_event(
    event: Annotated[tuple[str, dt.datetime], Depends(incoming_event)],
    raw: Annotated[bytes, Depends(guarded_event_body)],  # the same body (dependencies are cached)
    _user: Reader,
    request: Request,
) -> Logged:
    """Store one usage event; unknown types or malformed bodies are a 400 with a message."""
    event_type, when = event
    batcher: EventBatcher = request.app.state.event_batcher
    await batcher.log(Event(event_type, when, raw))  # answered once its batch has committed
    return Logged()
