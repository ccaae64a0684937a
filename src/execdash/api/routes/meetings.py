"""The seed front end's calendar: `/api/meetings…`, stored in that system's `meetings` table."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Query, Response
from pydantic import BaseModel, Field

from execdash.api.accounts import utcnow
from execdash.api.auth import Reader
from execdash.api.deps import ReadConn, WriteConn
from execdash.api.errors import problem_responses
from execdash.api.fields import NOT_BLANK, RowId, UtcDateTime
from execdash.api.onethread import ReadRoute
from execdash.api.sameorigin import CookieEditor
from execdash.db.compat_tables import meetings, parse_timestamp

router = APIRouter(
    route_class=ReadRoute,
    prefix="/api/meetings",
    tags=["seed front end"],
    responses=problem_responses(400, 401, 403, 404, 409, 413, 415, 422),
)
MAX_LIST = 2000
MAX_DAYS = 400

Category = Literal["meeting", "personal"]


class MeetingOut(BaseModel):
    """One meeting, as the seed front end reads it."""

    id: int
    title: str
    description: str | None
    start_time: UtcDateTime
    end_time: UtcDateTime
    location: str | None
    attendees: str | None
    category: str | None
    created_at: UtcDateTime | None
    updated_at: UtcDateTime | None


class MeetingChange(BaseModel):
    """A meeting's fields; on update, absent ones stay as they are."""

    title: str | None = Field(None, max_length=500, pattern=NOT_BLANK)
    description: str | None = Field(None, max_length=20_000)
    start_time: dt.datetime | None = None
    end_time: dt.datetime | None = None
    location: str | None = Field(None, max_length=500)
    attendees: str | None = Field(None, max_length=5_000)
    category: Category | None = None


class MeetingIn(MeetingChange):
    """A new meeting: title, start and end are required."""

    title: str = Field(max_length=500, pattern=NOT_BLANK)
    start_time: dt.datetime
    end_time: dt.datetime
    category: Category = "meeting"


COLUMNS = [meetings.c[name] for name in MeetingOut.model_fields]


def _out(row: sa.Row[tuple[object, ...]]) -> MeetingOut | None:
    """A stored meeting, or None when its times are unreadable (it would crash the calendar)."""
    values = row._asdict()
    if values["start_time"] is None or values["end_time"] is None:
        return None
    return MeetingOut.model_validate(values)


def _one(conn: sa.Connection, meeting_id: int) -> MeetingOut:
    row = conn.execute(sa.select(*COLUMNS).where(meetings.c.id == meeting_id)).first()
    meeting = _out(row) if row is not None else None
    if meeting is None:
        raise HTTPException(404, f"Meeting {meeting_id} not found.")
    return meeting


def _utc(value: dt.datetime) -> dt.datetime:
    return parse_timestamp(value) or value


def _check(start: dt.datetime, end: dt.datetime) -> None:
    if _utc(end) <= _utc(start):
        raise HTTPException(
            400, f"end_time ({end.isoformat()}) must be after start_time ({start.isoformat()})."
        )


@router.get("", response_model=list[MeetingOut])
def list_meetings(
    conn: ReadConn,
    _user: Reader,
    start_date: Annotated[dt.date | None, Query(description="First day (UTC), YYYY-MM-DD.")] = None,
    end_date: Annotated[
        dt.date | None, Query(description="Last day (UTC), inclusive; default: start.")
    ] = None,
) -> list[MeetingOut]:
    """Meetings starting on a day from `start_date` to `end_date` inclusive, by start time."""
    query = sa.select(*COLUMNS).order_by(meetings.c.start_time, meetings.c.id)
    if start_date is not None or end_date is not None:
        first = start_date or end_date
        last = end_date or start_date
        assert first is not None
        assert last is not None
        if last < first:
            raise HTTPException(400, f"end_date {last} is before start_date {first}.")
        if (last - first).days > MAX_DAYS:
            raise HTTPException(400, f"Ask for at most {MAX_DAYS} days of meetings at a time.")
        lo = dt.datetime.combine(first, dt.time())
        hi = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
        query = query.where(meetings.c.start_time >= lo, meetings.c.start_time < hi)
    found = (_out(r) for r in conn.execute(query.limit(MAX_LIST)))
    return [m for m in found if m is not None]


@router.get("/{meeting_id}", response_model=MeetingOut)
def get_meeting(meeting_id: RowId, conn: ReadConn, _user: Reader) -> MeetingOut:
    """One meeting."""
    return _one(conn, meeting_id)


@router.post("", response_model=MeetingOut, status_code=201)
def create_meeting(body: MeetingIn, conn: WriteConn, _user: CookieEditor) -> MeetingOut:
    """Add a meeting; its end must be after its start."""
    _check(body.start_time, body.end_time)
    now = utcnow()
    values = body.model_dump()
    values.update(start_time=_utc(body.start_time), end_time=_utc(body.end_time))
    new_id = conn.execute(
        meetings.insert().values(**values, created_at=now, updated_at=now)
    ).inserted_primary_key
    assert new_id is not None
    return _one(conn, int(new_id[0]))


@router.put("/{meeting_id}", response_model=MeetingOut)
def update_meeting(
    meeting_id: RowId, body: MeetingChange, conn: WriteConn, _user: CookieEditor
) -> MeetingOut:
    """Change a meeting (absent fields unchanged); the result's end must be after its start."""
    current = _one(conn, meeting_id)
    start = body.start_time or current.start_time
    end = body.end_time or current.end_time
    _check(start, end)
    values = body.model_dump(exclude_none=True)
    values.update(start_time=_utc(start), end_time=_utc(end), updated_at=utcnow())
    conn.execute(meetings.update().where(meetings.c.id == meeting_id).values(**values))
    return _one(conn, meeting_id)


@router.delete("/{meeting_id}", status_code=204)
def delete_meeting(meeting_id: RowId, conn: WriteConn, _user: CookieEditor) -> Response:
    """Delete a meeting."""
    if conn.execute(meetings.delete().where(meetings.c.id == meeting_id)).rowcount == 0:
        raise HTTPException(404, f"Meeting {meeting_id} not found.")
    return Response(status_code=204, media_type="application/json")
