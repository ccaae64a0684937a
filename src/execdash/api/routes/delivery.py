"""Delivery: channels, digest recipients, the delivery log, test-sends and digest previews.

Every endpoint needs an editor. Sending (a test, a retry) happens in the endpoint's worker
thread with its own short transactions, never in the request's write transaction and never on
the event loop; scheduled deliveries are sent by the background worker (`execdash.delivery`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from execdash.api.auth import Editor
from execdash.api.deps import ReadConn, WriteConn, engine_of, settings_of
from execdash.api.errors import problem_responses
from execdash.api.fields import RowId
from execdash.api.onethread import ReadRoute
from execdash.api.window import invalid_parameter
from execdash.config import SettingsError
from execdash.db.tables import delivery_channels, delivery_log, delivery_outbox
from execdash.delivery import digests, outbox, render, store, testsend
from execdash.delivery.settings import DeliverySettings

router = APIRouter(route_class=ReadRoute, prefix="/api/v1/delivery", tags=["delivery"])
ERRORS = problem_responses(401, 403, 404, 422)
SEND_ERRORS = problem_responses(401, 403, 404, 409, 422, 503)
"""Sending also answers 409 (being sent by the worker, or no data for a digest) and 503
(delivery settings in the environment are unusable)."""

ChannelKind = Literal["email", "slack", "webhook"]
Severity = Literal["low", "medium", "high"]
Role = Literal["ceo", "cfo", "coo", "cro", "board"]
Frequency = Literal["weekly", "monthly"]
Range = Literal["3m", "6m", "12m", "24m", "ytd"]
State = Literal["pending", "sending", "sent", "failed"]


class Channel(BaseModel):
    """A channel; a webhook URL's path is not shown (it is the credential)."""

    id: int
    name: str
    kind: ChannelKind
    target: str
    signed: bool = Field(description="True for a generic webhook with a signing secret.")
    min_severity: Severity
    enabled: bool
    created_at: dt.datetime | None


class ChannelCreated(Channel):
    """A new channel; `secret` (generic webhooks) is shown this once."""

    secret: str | None = Field(description="HMAC-SHA256 key of X-Execdash-Signature.")


class ChannelCreate(BaseModel):
    """A new channel."""

    name: str = Field(min_length=1, max_length=100, examples=["ops-slack"])
    kind: ChannelKind
    target: str = Field(min_length=1, max_length=2000, description="Addresses or URL.")
    min_severity: Severity = "low"


class ChannelUpdate(BaseModel):
    """Fields of a channel to change."""

    target: str | None = Field(None, min_length=1, max_length=2000)
    min_severity: Severity | None = None
    enabled: bool | None = None


class Recipient(BaseModel):
    """Who gets the digest."""

    id: int
    name: str
    email: str
    role: Role
    frequency: Frequency
    range: Range
    enabled: bool
    created_at: dt.datetime | None


class RecipientCreate(BaseModel):
    """A new digest recipient."""

    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=320)
    role: Role = "ceo"
    frequency: Frequency = "weekly"
    range: Range = "12m"


class RecipientUpdate(BaseModel):
    """Fields of a recipient to change."""

    role: Role | None = None
    frequency: Frequency | None = None
    range: Range | None = None
    enabled: bool | None = None


class Attempt(BaseModel):
    """One attempt at a delivery."""

    attempt: int
    at: dt.datetime
    outcome: Literal["sent", "retry", "failed"]
    detail: str
    duration_ms: int


class Delivery(BaseModel):
    """A queued, sent or failed delivery with its attempts, newest first."""

    id: int
    kind: Literal["alert", "digest", "test"]
    event: str
    subject: str
    channel: str | None
    recipient_id: int | None
    status: State
    attempts: int
    next_attempt_at: dt.datetime | None
    last_error: str | None
    created_at: dt.datetime
    sent_at: dt.datetime | None
    log: list[Attempt]


class SendResult(BaseModel):
    """What a test-send or retry did."""

    id: int = Field(description="The delivery's id in the log.")
    outcome: Literal["sent", "retry", "failed"]
    detail: str


def _delivery_settings() -> DeliverySettings:
    try:
        return DeliverySettings.from_env()
    except SettingsError as exc:
        raise HTTPException(503, f"Delivery is misconfigured: {exc}.") from None


def _bad(exc: store.InvalidInput) -> Exception:
    return invalid_parameter(exc.field, str(exc), "body")


def _channel(conn: sa.Connection, channel_id: int) -> Channel:
    for row in store.list_channels(conn):
        if row["id"] == channel_id:
            return Channel.model_validate(row)
    raise HTTPException(404, f"No channel with id {channel_id}.")


@router.get("/channels", response_model=list[Channel], responses=ERRORS)
def list_channels(conn: ReadConn, _user: Editor) -> list[Channel]:
    """Every channel."""
    return [Channel.model_validate(r) for r in store.list_channels(conn)]


@router.post("/channels", response_model=ChannelCreated, status_code=201, responses=ERRORS)
def create_channel(body: ChannelCreate, conn: WriteConn, _user: Editor) -> ChannelCreated:
    """Add a channel; a generic webhook's signing secret is in this answer only."""
    try:
        made = store.add_channel(conn, body.name, body.kind, body.target, body.min_severity)
    except store.InvalidInput as exc:
        raise _bad(exc) from None
    return ChannelCreated(**_channel(conn, made.id).model_dump(), secret=made.secret)


@router.patch("/channels/{channel_id}", response_model=Channel, responses=ERRORS)
def update_channel(
    channel_id: RowId, body: ChannelUpdate, conn: WriteConn, _user: Editor
) -> Channel:
    """Change a channel's target, minimum severity or enabled flag."""
    _channel(conn, channel_id)
    try:
        store.set_channel(conn, channel_id, **body.model_dump(exclude_none=True))
    except store.InvalidInput as exc:
        raise _bad(exc) from None
    return _channel(conn, channel_id)


@router.delete("/channels/{channel_id}", status_code=204, responses=ERRORS)
def delete_channel(channel_id: RowId, conn: WriteConn, _user: Editor) -> None:
    """Remove a channel and its queued deliveries."""
    if not store.remove_channel(conn, channel_id):
        raise HTTPException(404, f"No channel with id {channel_id}.")


@router.post("/channels/{channel_id}/test", response_model=SendResult, responses=SEND_ERRORS)
def test_channel(channel_id: RowId, request: Request, user: Editor) -> SendResult:
    """Send a test message to the channel now; the answer says whether it arrived."""
    try:
        result = testsend.send_test(
            engine_of(request),
            settings_of(request),
            _delivery_settings(),
            channel_id,
            user.username,
        )
    except LookupError:
        raise HTTPException(404, f"No channel with id {channel_id}.") from None
    return SendResult(id=result.id, outcome=result.outcome, detail=result.detail)


@router.get("/recipients", response_model=list[Recipient], responses=ERRORS)
def list_recipients(conn: ReadConn, _user: Editor) -> list[Recipient]:
    """Every digest recipient."""
    return [Recipient.model_validate(r) for r in store.list_recipients(conn)]


def _recipient(conn: sa.Connection, recipient_id: int) -> Recipient:
    for row in store.list_recipients(conn):
        if row["id"] == recipient_id:
            return Recipient.model_validate(row)
    raise HTTPException(404, f"No recipient with id {recipient_id}.")


@router.post("/recipients", response_model=Recipient, status_code=201, responses=ERRORS)
def create_recipient(body: RecipientCreate, conn: WriteConn, _user: Editor) -> Recipient:
    """Add a digest recipient."""
    try:
        new_id = store.add_recipient(
            conn, body.name, body.email, body.role, body.frequency, body.range
        )
    except store.InvalidInput as exc:
        raise _bad(exc) from None
    return _recipient(conn, new_id)


@router.patch("/recipients/{recipient_id}", response_model=Recipient, responses=ERRORS)
def update_recipient(
    recipient_id: RowId, body: RecipientUpdate, conn: WriteConn, _user: Editor
) -> Recipient:
    """Change a recipient's role, frequency, range or enabled flag."""
    _recipient(conn, recipient_id)
    store.set_recipient(conn, recipient_id, **body.model_dump(exclude_none=True))
    return _recipient(conn, recipient_id)


@router.delete("/recipients/{recipient_id}", status_code=204, responses=ERRORS)
def delete_recipient(recipient_id: RowId, conn: WriteConn, _user: Editor) -> None:
    """Remove a recipient and their queued digests."""
    if not store.remove_recipient(conn, recipient_id):
        raise HTTPException(404, f"No recipient with id {recipient_id}.")


@router.get(
    "/recipients/{recipient_id}/preview",
    response_class=HTMLResponse,
    responses=SEND_ERRORS,
    description="The recipient's digest for the current period as one HTML page (charts "
    "embedded), exactly as it would be sent.",
)
def preview_digest(
    recipient_id: RowId, request: Request, conn: ReadConn, _user: Editor
) -> HTMLResponse:
    """Preview a recipient's digest."""
    who = _recipient(conn, recipient_id)
    settings = _delivery_settings()
    try:
        digest = digests.build(
            conn,
            digests.Recipient(who.id, who.name, who.email, who.role, who.frequency, who.range),
            symbol=settings_of(request).currency_symbol,
            public_url=settings.public_url,
            hour=settings.digest_hour,
        )
    except digests.DigestError as exc:
        raise HTTPException(409, f"{exc}.") from None
    page = render.html(digest, render.chart_images(digest), inline=True)
    # The preview shows images from data: URIs; the page CSP allows nothing else to load.
    return HTMLResponse(
        page,
        headers={
            "Content-Security-Policy": "default-src 'none'; "
            "img-src data:; style-src 'unsafe-inline'"
        },
    )


def _subject(kind: str, payload: dict[str, Any], channel: str | None) -> str:
    if kind == "digest":
        return f"{payload.get('frequency', '').capitalize()} digest {payload.get('period', '')}"
    if kind == "test":
        return f"Test message to {channel or 'a removed channel'}"
    alert = payload.get("alert") or {}
    return f"{alert.get('title', '')} ({alert.get('severity') or 'unrated'})"


@router.get("/log", response_model=list[Delivery], responses=ERRORS)
def delivery_log_list(
    conn: ReadConn,
    _user: Editor,
    status: Annotated[State | None, Query(description="Only deliveries in this state.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[Delivery]:
    """The newest deliveries with every attempt: what was sent, what waits, what failed."""
    import json

    out = delivery_outbox
    query = (
        sa.select(out, delivery_channels.c.name.label("channel"))
        .select_from(out.outerjoin(delivery_channels, delivery_channels.c.id == out.c.channel_id))
        .order_by(out.c.id.desc())
        .limit(limit)
    )
    if status is not None:
        query = query.where(out.c.status == status)
    rows = conn.execute(query).all()
    attempts: dict[int, list[Attempt]] = {r.id: [] for r in rows}
    if rows:
        for a in conn.execute(
            sa.select(delivery_log)
            .where(delivery_log.c.outbox_id.in_(list(attempts)))
            .order_by(delivery_log.c.id.desc())
        ):
            attempts[a.outbox_id].append(Attempt.model_validate(a._mapping, from_attributes=True))
    result = []
    for r in rows:
        payload = json.loads(r.payload)
        result.append(
            Delivery(
                id=r.id,
                kind=r.kind,
                event=payload.get("event", r.kind),
                subject=_subject(r.kind, payload, r.channel),
                channel=r.channel,
                recipient_id=r.recipient_id,
                status=r.status,
                attempts=r.attempts,
                next_attempt_at=r.next_attempt_at if r.status == "pending" else None,
                last_error=r.last_error,
                created_at=r.created_at,
                sent_at=r.sent_at,
                log=attempts[r.id],
            )
        )
    return result


@router.post("/log/{delivery_id}/retry", response_model=SendResult, responses=SEND_ERRORS)
def retry_delivery(delivery_id: RowId, request: Request, _user: Editor) -> SendResult:
    """Send a failed delivery again now (its attempts start over)."""
    from execdash.db.engine import begin_write
    from execdash.delivery import worker

    engine = engine_of(request)
    with begin_write(engine) as conn:
        if not outbox.retry(conn, delivery_id):
            raise HTTPException(404, f"No failed delivery with id {delivery_id}.")
    result = worker.deliver(engine, settings_of(request), _delivery_settings(), only=delivery_id)
    if result is None:
        raise HTTPException(409, f"Delivery {delivery_id} is being sent by the background worker.")
    return SendResult(id=result.id, outcome=result.outcome, detail=result.detail)
