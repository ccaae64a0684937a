"""Which profile (a row of the seed backend's `users` table) belongs to which execdash login.

A login's profile is, in order: the row linked to it; else an unlinked row whose name, or
e-mail before the `@`, is its username; else, for the first login ever created, the table's
first row (that system's single "me", so an adopted profile keeps its data); else none yet.
Reads never write: a link is made, or a row created, only when the user saves a profile or
settings.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from fastapi import HTTPException

from execdash.api.accounts import User, utcnow
from execdash.db.compat_tables import PROFILE_FIELDS, profiles
from execdash.db.tables import profile_links, users

PLACEHOLDER_DOMAIN = "users.execdash.invalid"
"""E-mail domain of a created profile (the column is NOT NULL UNIQUE); the user can change it."""


def _linked(conn: sa.Connection, user: User) -> int | None:
    found = conn.execute(
        sa.select(profiles.c.id)
        .join(profile_links, profile_links.c.profile_id == profiles.c.id)
        .where(profile_links.c.user_id == user.id)
    ).scalar_one_or_none()
    return None if found is None else int(found)


def _unlinked() -> sa.ColumnElement[bool]:
    return profiles.c.id.not_in(sa.select(profile_links.c.profile_id))


def _matching(conn: sa.Connection, user: User) -> int | None:
    name = user.username.lower()
    found = conn.execute(
        sa.select(profiles.c.id)
        .where(
            _unlinked(),
            sa.or_(
                sa.func.lower(profiles.c.name) == name,
                sa.func.lower(profiles.c.email).like(
                    name.replace("%", r"\%").replace("_", r"\_") + "@%", escape="\\"
                ),
            ),
        )
        .order_by(profiles.c.id)
        .limit(1)
    ).scalar_one_or_none()
    return None if found is None else int(found)


def _inherited(conn: sa.Connection, user: User) -> int | None:
    first_login = conn.execute(sa.select(sa.func.min(users.c.id))).scalar_one_or_none()
    any_link = conn.execute(sa.select(profile_links.c.user_id).limit(1)).first()
    if first_login != user.id or any_link is not None:
        return None
    found = conn.execute(sa.select(sa.func.min(profiles.c.id))).scalar_one_or_none()
    return None if found is None else int(found)


def find(conn: sa.Connection, user: User) -> int | None:
    """The id of `user`'s profile row, or None when it has none yet (nothing is written)."""
    return _linked(conn, user) or _matching(conn, user) or _inherited(conn, user)


def ensure(conn: sa.Connection, user: User) -> int:
    """The id of `user`'s profile row, linking or creating it (in the caller's transaction)."""
    if (linked := _linked(conn, user)) is not None:
        return linked
    conn.execute(profile_links.delete().where(profile_links.c.user_id == user.id))
    profile_id = _matching(conn, user) or _inherited(conn, user)
    if profile_id is None:
        now = utcnow()
        email = f"{user.username.lower()}@{PLACEHOLDER_DOMAIN}"
        taken = conn.execute(sa.select(profiles.c.id).where(profiles.c.email == email)).first()
        new = conn.execute(
            profiles.insert().values(
                name=user.username,
                email=f"{user.username.lower()}+{user.id}@{PLACEHOLDER_DOMAIN}" if taken else email,
                created_at=now,
                updated_at=now,
            )
        ).inserted_primary_key
        assert new is not None
        profile_id = int(new[0])
    conn.execute(profile_links.insert().values(user_id=user.id, profile_id=profile_id))
    return profile_id


def read(conn: sa.Connection, profile_id: int) -> dict[str, object]:
    """The stored profile fields with its id and timestamps."""
    row = conn.execute(
        sa.select(
            profiles.c.id,
            *(profiles.c[f] for f in PROFILE_FIELDS),
            profiles.c.created_at,
            profiles.c.updated_at,
        ).where(profiles.c.id == profile_id)
    ).first()
    if row is None:
        raise HTTPException(404, "Your profile was deleted; save it again to recreate it.")
    return row._asdict()


def unsaved(conn: sa.Connection, user: User) -> dict[str, object]:
    """What a login without a profile row sees: its username, nothing else yet."""
    created = conn.execute(
        sa.select(users.c.created_at).where(users.c.id == user.id)
    ).scalar_one_or_none()
    when = created if isinstance(created, dt.datetime) else None
    return {"id": None, "name": user.username, "email": "", "avatar_url": None, "role": None,
            "department": None, "phone": None, "timezone": None,
            "created_at": when, "updated_at": when}  # fmt: skip
