"""The signed-in user's profile and settings (`/api/users/me…`), in the seed backend's
`users` and `user_settings` tables, so a profile kept by that system stays the user's."""

from __future__ import annotations

from typing import Literal

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from execdash.api import profiles
from execdash.api.accounts import User, utcnow
from execdash.api.deps import ReadConn, WriteConn
from execdash.api.errors import problem_responses
from execdash.api.fields import EMAIL, NOT_BLANK, UtcDateTime
from execdash.api.onethread import ReadRoute
from execdash.api.sameorigin import CookieEditor, SignedIn
from execdash.db import upsert
from execdash.db.compat_tables import PROFILE_FIELDS, user_settings
from execdash.db.compat_tables import profiles as profile_table

router = APIRouter(
    route_class=ReadRoute,
    prefix="/api/users/me",
    tags=["seed front end"],
    responses=problem_responses(400, 401, 403, 404, 409, 413, 415, 422),
)


class ProfileOut(BaseModel):
    """The profile as the top bar and the Profile page read it."""

    id: int | None
    name: str
    email: str
    avatar_url: str | None
    role: str | None = Field(description="A job title (e.g. CFO); not the execdash access role.")
    department: str | None
    phone: str | None
    timezone: str | None
    created_at: UtcDateTime | None
    updated_at: UtcDateTime | None


class ProfileIn(BaseModel):
    """Fields to save; absent or null ones stay as they are, `""` clears an optional one."""

    name: str | None = Field(None, max_length=200, pattern=NOT_BLANK)
    email: str | None = Field(None, max_length=320, pattern=EMAIL)
    avatar_url: str | None = Field(None, max_length=2000)
    role: str | None = Field(None, max_length=200)
    department: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=100)
    timezone: str | None = Field(None, max_length=100)


class UserSettings(BaseModel):
    """Display preferences; saving replaces them all (absent fields get their defaults)."""

    theme: Literal["light", "dark", "auto"] = "light"
    notifications_enabled: bool = True
    email_notifications: bool = True
    language: Literal["en", "zh", "es", "fr"] = "en"
    date_format: Literal["YYYY-MM-DD", "MM/DD/YYYY", "DD/MM/YYYY", "DD-MM-YYYY"] = "YYYY-MM-DD"
    time_format: Literal["24h", "12h"] = "24h"


def _profile(conn: sa.Connection, user: User) -> ProfileOut:
    profile_id = profiles.find(conn, user)
    if profile_id is None:
        return ProfileOut.model_validate(profiles.unsaved(conn, user))
    return ProfileOut.model_validate(profiles.read(conn, profile_id))


@router.get("", response_model=ProfileOut)
def get_profile(conn: ReadConn, user: SignedIn) -> ProfileOut:
    """Your profile (401 when nobody is signed in)."""
    return _profile(conn, user)


def _changes(body: ProfileIn) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    for field in PROFILE_FIELDS:
        value = getattr(body, field)
        if value is None:
            continue
        values[field] = value.strip() or None
    return values


@router.put("", response_model=ProfileOut)
def save_profile(body: ProfileIn, conn: WriteConn, user: CookieEditor) -> ProfileOut:
    """Save your profile and return it as stored."""
    values = _changes(body)
    profile_id = profiles.ensure(conn, user)
    if "email" in values:
        clash = conn.execute(
            sa.select(profile_table.c.id).where(
                profile_table.c.email == values["email"], profile_table.c.id != profile_id
            )
        ).first()
        if clash is not None:
            raise HTTPException(409, f"The e-mail {values['email']} is another profile's.")
    conn.execute(
        profile_table.update()
        .where(profile_table.c.id == profile_id)
        .values(**values, updated_at=utcnow())
    )
    return ProfileOut.model_validate(profiles.read(conn, profile_id))


def _settings(conn: sa.Connection, user: User) -> UserSettings:
    profile_id = profiles.find(conn, user)
    names = list(UserSettings.model_fields)
    row = (
        None
        if profile_id is None
        else conn.execute(
            sa.select(*(user_settings.c[n] for n in names)).where(
                user_settings.c.user_id == profile_id
            )
        ).first()
    )
    stored = {k: v for k, v in (row._asdict() if row else {}).items() if v is not None}
    try:
        return UserSettings.model_validate(stored)
    except ValueError:  # a value that system allowed and this contract does not: defaults for it
        valid = {k: v for k, v in stored.items() if _valid_setting(k, v)}
        return UserSettings.model_validate(valid)


def _valid_setting(name: str, value: object) -> bool:
    try:
        UserSettings.model_validate({name: value})
    except ValueError:
        return False
    return True


@router.get("/settings", response_model=UserSettings)
def get_settings(conn: ReadConn, user: SignedIn) -> UserSettings:
    """Your display preferences (defaults until you save some)."""
    return _settings(conn, user)


@router.put("/settings", response_model=UserSettings)
def save_settings(body: UserSettings, conn: WriteConn, user: CookieEditor) -> UserSettings:
    """Replace your display preferences."""
    profile_id = profiles.ensure(conn, user)
    values = body.model_dump()
    insert = upsert.insert(conn, user_settings).values(user_id=profile_id, **values)
    conn.execute(insert.on_conflict_do_update(index_elements=["user_id"], set_=values))
    return _settings(conn, user)
