"""Authentication dependencies: bearer tokens for scripts, session cookies (+CSRF) for the page.

`require_role("editor")` is the dependency every write uses: 401 without valid credentials,
403 when the user's role is too weak or a cookie-authenticated write lacks its CSRF token.
`read_access` guards reads, which are open unless `Settings.read_requires_login` is set.
The dependencies are async (FastAPI runs a sync one in the thread pool): their checks are pure,
and only a lookup of credentials goes to a worker thread, so an anonymous request, such as
the seed front end's usage events, costs no thread hop.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

import anyio.to_thread
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.engine import Engine

from execdash.api.accounts import User, user_for_session, user_for_token
from execdash.api.deps import engine_of, settings_of
from execdash.db.tables import ROLES

SESSION_COOKIE = "execdash_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
USER_STATE_KEY = "execdash_user"
"""Where `guard.bodies` keeps the user it authenticated before the body, so routes look once."""

_bearer = HTTPBearer(auto_error=False, description="API token from `execdash tokens create`")


def unauthorized(detail: str) -> HTTPException:
    """A 401 that tells the client how to authenticate."""
    return HTTPException(401, detail, headers={"WWW-Authenticate": 'Bearer realm="execdash"'})


async def current_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User | None:
    """The user behind the bearer token or session cookie; None when neither was sent.

    Async so that an anonymous request (the seed front end's usage events) costs no worker
    thread; only a request with credentials looks them up, off the loop."""
    known: User | None = getattr(request.state, USER_STATE_KEY, None)
    if known is not None:
        return known
    session_id = request.cookies.get(SESSION_COOKIE)
    if credentials is None and not session_id:
        return None
    token = None if credentials is None else credentials.credentials
    return await anyio.to_thread.run_sync(_look_up, engine_of(request), token, session_id)


def _look_up(engine: Engine, token: str | None, session_id: str | None) -> User | None:
    """The user of `token` (401 when it is not valid), else of the session cookie (a worker
    thread: it reads the database)."""
    with engine.connect() as conn:
        if token is not None:
            user = user_for_token(conn, token)
            if user is None:
                raise unauthorized("The API token is invalid, expired or revoked.")
            return user
        if session_id:
            return user_for_session(conn, session_id)
    return None


CurrentUser = Annotated[User | None, Depends(current_user)]
"""The user behind the request's credentials, or None (an endpoint parameter type)."""


def _check_csrf(request: Request, user: User) -> None:
    if user.via != "session" or request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER, "")
    if not user.csrf_token or not hmac.compare_digest(sent.encode(), user.csrf_token.encode()):
        raise HTTPException(
            403, f"Missing or wrong {CSRF_HEADER} header for a cookie-authenticated write."
        )


def require_role(role: str) -> Callable[..., Coroutine[Any, Any, User]]:
    """A dependency returning the current user if their role is at least `role`."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    async def dependency(request: Request, user: CurrentUser) -> User:
        if user is None:
            raise unauthorized("Log in or send an API token (Authorization: Bearer ...).")
        _check_csrf(request, user)
        if not user.has_role(role):
            raise HTTPException(
                403, f"This needs the {role} role; {user.username} is a {user.role}."
            )
        return user

    dependency.__name__ = f"require_{role}"
    return dependency


async def read_access(request: Request, user: CurrentUser) -> User | None:
    """Allow a read: anyone on an open installation, logged-in users when reads are locked."""
    if user is None and settings_of(request).read_requires_login:
        raise unauthorized("Reads need a login on this installation.")
    return user


Reader = Annotated[User | None, Depends(read_access)]
"""Read permission (the user, or None on an open installation), as a parameter type."""

Editor = Annotated[User, Depends(require_role("editor"))]
"""An editor or admin, as an endpoint parameter type (what every data write requires)."""
