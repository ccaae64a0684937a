"""The seed front end's inbox: `/api/messages…`, stored in that system's `messages` table."""

from __future__ import annotations

from typing import Annotated, Literal

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Query, Response
from pydantic import BaseModel, Field

from execdash.api.accounts import utcnow
from execdash.api.auth import Reader
from execdash.api.deps import ReadConn, WriteConn
from execdash.api.errors import problem_responses
from execdash.api.fields import MAX_ID, NOT_BLANK, RowId, UtcDateTime
from execdash.api.onethread import ReadRoute
from execdash.api.sameorigin import CookieEditor
from execdash.db.compat_tables import messages

router = APIRouter(
    route_class=ReadRoute,
    prefix="/api/messages",
    tags=["seed front end"],
    responses=problem_responses(400, 401, 403, 404, 409, 413, 415, 422),
)

Priority = Literal["low", "normal", "high", "urgent"]
MAX_LIST = 500


class MessageOut(BaseModel):
    """One message, as the seed front end reads it."""

    id: int
    title: str
    content: str
    sender: str | None
    recipient_id: int | None
    priority: str
    read: bool
    archived: bool
    created_at: UtcDateTime | None
    updated_at: UtcDateTime | None


class MessageIn(BaseModel):
    """A new message; the sender is the signed-in user."""

    title: str = Field(max_length=500, pattern=NOT_BLANK)
    content: str = Field(max_length=20_000, pattern=NOT_BLANK)
    priority: Priority = "normal"
    recipient_id: int | None = Field(None, ge=1, le=MAX_ID, description="The recipient's id.")


class MessageChange(BaseModel):
    """Fields to change; absent ones stay as they are."""

    title: str | None = Field(None, max_length=500, pattern=NOT_BLANK)
    content: str | None = Field(None, max_length=20_000, pattern=NOT_BLANK)
    priority: Priority | None = None
    read: bool | None = None
    archived: bool | None = None


class UnreadCount(BaseModel):
    """Messages neither read nor archived."""

    count: int


class Done(BaseModel):
    """A bulk change: how many messages it touched."""

    status: str = "success"
    message: str
    updated: int


COLUMNS = [messages.c[name] for name in MessageOut.model_fields]


def _one(conn: sa.Connection, message_id: int) -> MessageOut:
    row = conn.execute(sa.select(*COLUMNS).where(messages.c.id == message_id)).first()
    if row is None:
        raise HTTPException(404, f"Message {message_id} not found.")
    return MessageOut.model_validate(row._asdict())


@router.get("", response_model=list[MessageOut])
def list_messages(
    conn: ReadConn,
    _user: Reader,
    read: Annotated[
        bool | None, Query(description="Only read (true) or unread (false) messages.")
    ] = None,
    archived: Annotated[
        bool | None, Query(description="Only archived or only live messages.")
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIST, description="At most this many, newest first.")
    ] = 100,
) -> list[MessageOut]:
    """Messages, newest first, filtered by read and archived state."""
    query = sa.select(*COLUMNS).order_by(messages.c.created_at.desc(), messages.c.id.desc())
    if read is not None:
        query = query.where(messages.c.read == read)
    if archived is not None:
        query = query.where(messages.c.archived == archived)
    rows = conn.execute(query.limit(limit))
    return [MessageOut.model_validate(r._asdict()) for r in rows]


@router.get("/unread-count", response_model=UnreadCount)
def unread_count(conn: ReadConn, _user: Reader) -> UnreadCount:
    """How many messages are neither read nor archived (the top bar's badge)."""
    query = sa.select(sa.func.count()).where(
        messages.c.read == sa.false(), messages.c.archived == sa.false()
    )
    return UnreadCount(count=int(conn.execute(query).scalar_one()))


@router.get("/{message_id}", response_model=MessageOut)
def get_message(message_id: RowId, conn: ReadConn, _user: Reader) -> MessageOut:
    """One message."""
    return _one(conn, message_id)


@router.post("", response_model=MessageOut, status_code=201)
def create_message(body: MessageIn, conn: WriteConn, user: CookieEditor) -> MessageOut:
    """Post a message: unread, not archived, sent by the signed-in user."""
    now = utcnow()
    new_id = conn.execute(
        messages.insert().values(
            title=body.title,
            content=body.content,
            priority=body.priority,
            recipient_id=body.recipient_id,
            sender=user.username,
            read=False,
            archived=False,
            created_at=now,
            updated_at=now,
        )
    ).inserted_primary_key
    assert new_id is not None
    return _one(conn, int(new_id[0]))


def _update(conn: sa.Connection, message_id: int, **values: object) -> MessageOut:
    changed = conn.execute(
        messages.update().where(messages.c.id == message_id).values(**values, updated_at=utcnow())
    )
    if changed.rowcount == 0:
        raise HTTPException(404, f"Message {message_id} not found.")
    return _one(conn, message_id)


@router.put("/{message_id}", response_model=MessageOut)
def update_message(
    message_id: RowId, body: MessageChange, conn: WriteConn, _user: CookieEditor
) -> MessageOut:
    """Change a message's text, priority, read or archived state (absent fields unchanged)."""
    values = body.model_dump(exclude_none=True)
    return _update(conn, message_id, **values)


@router.post("/{message_id}/mark-read", response_model=MessageOut)
def mark_read(message_id: RowId, conn: WriteConn, _user: CookieEditor) -> MessageOut:
    """Mark one message read."""
    return _update(conn, message_id, read=True)


@router.post("/{message_id}/archive", response_model=MessageOut)
def archive(message_id: RowId, conn: WriteConn, _user: CookieEditor) -> MessageOut:
    """Archive one message (it leaves the inbox and the unread count)."""
    return _update(conn, message_id, archived=True)


@router.post("/mark-all-read", response_model=Done)
def mark_all_read(conn: WriteConn, _user: CookieEditor) -> Done:
    """Mark every unread message read."""
    changed = conn.execute(
        messages.update()
        .where(messages.c.read == sa.false())
        .values(read=True, updated_at=utcnow())
    ).rowcount
    return Done(message=f"{changed} message(s) marked as read", updated=changed)


@router.delete("/{message_id}", status_code=204)
def delete_message(message_id: RowId, conn: WriteConn, _user: CookieEditor) -> Response:
    """Delete one message for good."""
    if conn.execute(messages.delete().where(messages.c.id == message_id)).rowcount == 0:
        raise HTTPException(404, f"Message {message_id} not found.")
    return Response(status_code=204, media_type="application/json")
