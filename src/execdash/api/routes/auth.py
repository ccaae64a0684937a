"""Login, logout and "who am I" for the web page's session cookie."""

from __future__ import annotations

import datetime as dt
import hmac

import anyio
import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from execdash.api import accounts
from execdash.api.auth import CSRF_HEADER, SESSION_COOKIE, CurrentUser, unauthorized
from execdash.api.deps import WriteConn, engine_of, settings_of, write_gate_of
from execdash.api.errors import problem_responses
from execdash.api.fields import UtcDateTime
from execdash.api.guard.logins import HashingBusy, LoginGuard, LoginThrottled

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], responses=problem_responses(401, 403, 422))


class Credentials(BaseModel):
    """Username and password typed into the login page."""

    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1000)


class Me(BaseModel):
    """The logged-in user; `csrf_token` is what cookie-authenticated writes send back."""

    username: str
    role: str
    csrf_token: str | None = None
    expires_at: UtcDateTime | None = None


def _check_password(
    engine: Engine, username: str, password: str
) -> tuple[accounts.User | None, str | None]:
    """The argon2 check, in a worker thread on a read connection: no write lock while hashing."""
    with engine.connect() as conn:
        return accounts.check_password(conn, username, password)


def _start_session(
    conn: sa.Connection, user: accounts.User, rehash: str | None
) -> tuple[str, str, dt.datetime]:
    if rehash is not None:
        accounts.store_rehash(conn, user, rehash)
    return accounts.create_session(conn, user)


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post(
    "/login",
    response_model=Me,
    responses=problem_responses(429, 503),
)
async def login(body: Credentials, request: Request, response: Response) -> Me:
    """Check the password and start a session (HttpOnly, SameSite=Lax cookie); throttled."""
    guard: LoginGuard = request.app.state.login_guard
    address = _client_address(request)
    try:
        guard.check(body.username, address)
        async with guard.hashing_slot():
            with anyio.CancelScope(shield=True):  # a dropped client must not free the slot early
                user, rehash = await run_in_threadpool(
                    _check_password, engine_of(request), body.username, body.password
                )
    except (LoginThrottled, HashingBusy) as refused:
        throttled = isinstance(refused, LoginThrottled)
        raise HTTPException(
            429 if throttled else 503,
            f"Too many failed logins; try again in {refused.retry_after} s."
            if throttled
            else "Too many logins are being checked right now; try again in a moment.",
            headers={"Retry-After": str(refused.retry_after)},
        ) from None
    if user is None:
        guard.failed(body.username, address)
        raise unauthorized("Wrong username or password, or the account is disabled.")
    guard.succeeded(body.username)
    async with write_gate_of(request).transaction() as conn:  # queued with the other writes
        session_id, csrf, expires = await run_in_threadpool(_start_session, conn, user, rehash)
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=int(accounts.SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings_of(request).cookie_secure,
        path="/",
    )
    return Me(username=user.username, role=user.role, csrf_token=csrf, expires_at=expires)


@router.post("/logout", status_code=204, response_class=Response)
def logout(request: Request, conn: WriteConn) -> Response:
    """End the cookie session (needs the CSRF header) and clear the cookie; 204 either way."""
    session_id = request.cookies.get(SESSION_COOKIE)
    user = accounts.user_for_session(conn, session_id) if session_id else None
    if user is not None and session_id:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), (user.csrf_token or "").encode()):
            raise HTTPException(403, f"Missing or wrong {CSRF_HEADER} header for logout.")
        accounts.end_session(conn, session_id)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/me", response_model=Me)
async def me(user: CurrentUser) -> Me:
    """Who is logged in (401 when nobody), with the CSRF token for the page's writes."""
    if user is None:
        raise unauthorized("Not logged in.")
    return Me(username=user.username, role=user.role, csrf_token=user.csrf_token)
