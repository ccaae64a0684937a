"""Users, argon2 password hashes, bearer tokens and web sessions, stored as hashes only.

Tokens and session ids are random secrets handed out once; the database keeps their SHA-256 so a
leaked database copy cannot be replayed against the server.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from execdash.db.tables import ROLES, api_tokens, users, web_sessions

TOKEN_PREFIX = "edt_"  # noqa: S105 - a marker that helps secret scanners, not a secret
SESSION_LIFETIME = dt.timedelta(hours=12)
_HASHER = PasswordHasher()
# Verified against when the user does not exist, so timing does not reveal usernames.
_DUMMY_HASH = _HASHER.hash("execdash-no-such-user")


class AccountError(ValueError):
    """A user or token request that cannot be honoured (duplicate name, unknown user, bad role)."""


@dataclass(frozen=True, slots=True)
class User:
    """An authenticated person and how they got in (csrf_token only for cookie sessions)."""

    id: int
    username: str
    role: str
    via: str = "token"
    csrf_token: str | None = None

    def has_role(self, role: str) -> bool:
        """True when this user's role is at least `role` (viewer < editor < admin)."""
        return ROLES.index(self.role) >= ROLES.index(role)


def utcnow() -> dt.datetime:
    """Now in UTC as a naive datetime (how DATETIME columns store it on both databases)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def sha256_hex(secret: str) -> str:
    """The stored form of a token or session id."""
    return hashlib.sha256(secret.encode()).hexdigest()


def add_user(conn: sa.Connection, username: str, password: str, role: str = "viewer") -> int:
    """Create a user with an argon2id hash of `password`; return its id."""
    username = username.strip()
    if not username:
        raise AccountError("username must not be empty")
    if role not in ROLES:
        raise AccountError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if len(password) < 8:
        raise AccountError("password must be at least 8 characters")
    if conn.execute(sa.select(users.c.id).where(users.c.username == username)).first():
        raise AccountError(f"user {username!r} already exists")
    result = conn.execute(
        users.insert().values(
            username=username, password_hash=_HASHER.hash(password), role=role, created_at=utcnow()
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def list_users(conn: sa.Connection) -> list[sa.Row[Any]]:
    """Every user, by name, without password hashes."""
    query = sa.select(
        users.c.id, users.c.username, users.c.role, users.c.disabled, users.c.created_at
    ).order_by(users.c.username)
    return list(conn.execute(query))


def check_password(
    conn: sa.Connection, username: str, password: str
) -> tuple[User | None, str | None]:
    """(the enabled user whose password this is or None, a new hash to store or None).

    Only reads: the new hash (outdated argon2 parameters) is for the caller's write transaction.
    """
    row = conn.execute(
        sa.select(users.c.id, users.c.role, users.c.password_hash, users.c.disabled).where(
            users.c.username == username
        )
    ).first()
    if row is None:
        with contextlib.suppress(VerificationError):
            _HASHER.verify(_DUMMY_HASH, password)
        return None, None
    try:
        _HASHER.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None, None
    if row.disabled:
        return None, None
    rehash = _HASHER.hash(password) if _HASHER.check_needs_rehash(row.password_hash) else None
    return User(id=row.id, username=username, role=row.role, via="session"), rehash


def store_rehash(conn: sa.Connection, user: User, password_hash: str) -> None:
    """Replace a user's password hash by one with current argon2 parameters."""
    conn.execute(users.update().where(users.c.id == user.id).values(password_hash=password_hash))


def verify_password(conn: sa.Connection, username: str, password: str) -> User | None:
    """The enabled user whose password this is, or None; rehashes outdated argon2 parameters."""
    user, rehash = check_password(conn, username, password)
    if user is not None and rehash is not None:
        store_rehash(conn, user, rehash)
    return user


def create_token(
    conn: sa.Connection, username: str, name: str = "", expires_days: int | None = None
) -> str:
    """Create a bearer token for `username` and return it; only its hash is kept."""
    user_id = conn.execute(
        sa.select(users.c.id).where(users.c.username == username)
    ).scalar_one_or_none()
    if user_id is None:
        raise AccountError(f"no user named {username!r}")
    if expires_days is not None and expires_days < 1:
        raise AccountError("--expires-days must be at least 1")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    conn.execute(
        api_tokens.insert().values(
            user_id=user_id,
            name=name,
            token_hash=sha256_hex(token),
            created_at=now,
            expires_at=None if expires_days is None else now + dt.timedelta(days=expires_days),
        )
    )
    return token


def revoke_token(conn: sa.Connection, token_or_id: str) -> int:
    """Revoke a token given the token itself or its numeric id; return how many were revoked."""
    where = (
        api_tokens.c.id == int(token_or_id)
        if token_or_id.isdigit()
        else api_tokens.c.token_hash == sha256_hex(token_or_id)
    )
    return conn.execute(api_tokens.update().where(where).values(revoked=True)).rowcount


def user_for_token(conn: sa.Connection, token: str) -> User | None:
    """The enabled user owning an unexpired, unrevoked token, or None."""
    row = conn.execute(
        sa.select(users.c.id, users.c.username, users.c.role, api_tokens.c.expires_at)
        .join(users, users.c.id == api_tokens.c.user_id)
        .where(
            api_tokens.c.token_hash == sha256_hex(token),
            api_tokens.c.revoked == sa.false(),
            users.c.disabled == sa.false(),
        )
    ).first()
    if row is None or (row.expires_at is not None and row.expires_at <= utcnow()):
        return None
    return User(id=row.id, username=row.username, role=row.role, via="token")


def create_session(conn: sa.Connection, user: User) -> tuple[str, str, dt.datetime]:
    """Start a web session; return (cookie value, CSRF token, expiry)."""
    session_id = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = utcnow()
    expires = now + SESSION_LIFETIME
    conn.execute(web_sessions.delete().where(web_sessions.c.expires_at <= now))
    conn.execute(
        web_sessions.insert().values(
            session_hash=sha256_hex(session_id),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            expires_at=expires,
        )
    )
    return session_id, csrf, expires


def user_for_session(conn: sa.Connection, session_id: str) -> User | None:
    """The enabled user of an unexpired session (with its CSRF token), or None."""
    row = conn.execute(
        sa.select(
            users.c.id,
            users.c.username,
            users.c.role,
            web_sessions.c.csrf_token,
            web_sessions.c.expires_at,
        )
        .join(users, users.c.id == web_sessions.c.user_id)
        .where(
            web_sessions.c.session_hash == sha256_hex(session_id), users.c.disabled == sa.false()
        )
    ).first()
    if row is None or row.expires_at <= utcnow():
        return None
    return User(row.id, row.username, row.role, via="session", csrf_token=row.csrf_token)


def end_session(conn: sa.Connection, session_id: str) -> None:
    """Forget a web session (logout)."""
    conn.execute(web_sessions.delete().where(web_sessions.c.session_hash == sha256_hex(session_id)))
