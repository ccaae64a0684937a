"""Cookie writes from the seed front end: same-origin and JSON instead of a CSRF header.

That front end sends no token and no CSRF header, only the session cookie of an editor who
logged in through `/login` on the same origin. Its writes are allowed when the request says it
comes from this very origin (`Origin`, else `Referer`, equal to the `Host` it was sent to) and
carries `Content-Type: application/json`. A cross-site page cannot forge either: browsers set
`Origin` themselves, and a JSON content type makes a cross-site request preflighted, which this
server never approves (it sends no CORS headers). Token-authenticated scripts are not affected.
"""

from __future__ import annotations

import hmac
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request

from execdash.api.accounts import User
from execdash.api.auth import CSRF_HEADER, SAFE_METHODS, CurrentUser, unauthorized

JSON = "application/json"


def check_same_origin(request: Request) -> None:
    """Refuse (403/415) a cookie write that is not same-origin JSON."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != JSON:
        raise HTTPException(415, f"This write needs Content-Type: {JSON} (got {media or 'none'}).")
    source = request.headers.get("origin") or request.headers.get("referer") or ""
    host = request.headers.get("host", "").lower()
    sent = urlsplit(source).netloc.lower() if source != "null" else ""
    if not sent or sent != host:
        shown = source or "no Origin or Referer header"
        raise HTTPException(
            403,
            f"Cross-origin write refused: the request came from {shown}, not from this server "
            f"({host or 'unknown host'}). Use the dashboard on this server, or an API token.",
        )


def _has_csrf(request: Request, user: User) -> bool:
    sent = request.headers.get(CSRF_HEADER, "")
    return bool(sent and user.csrf_token) and hmac.compare_digest(
        sent.encode(), (user.csrf_token or "").encode()
    )


async def require_editor_same_origin(request: Request, user: CurrentUser) -> User:
    """An editor or admin; a cookie write must be same-origin JSON (or carry the CSRF token)."""
    if user is None:
        raise unauthorized("Log in (at /login) or send an API token (Authorization: Bearer ...).")
    if not user.has_role("editor"):
        raise HTTPException(403, f"This needs the editor role; {user.username} is a {user.role}.")
    if (
        user.via == "session"
        and request.method not in SAFE_METHODS
        and not _has_csrf(request, user)
    ):
        check_same_origin(request)
    return user


async def require_login(user: CurrentUser) -> User:
    """Any signed-in user (the profile is personal: no one is `me` anonymously)."""
    if user is None:
        raise unauthorized("Log in (at /login) to see your profile and settings.")
    return user


CookieEditor = Annotated[User, Depends(require_editor_same_origin)]
"""An editor or admin, allowed to write with only the session cookie from this origin."""

SignedIn = Annotated[User, Depends(require_login)]
"""Whoever is signed in, by cookie or token; 401 for anonymous requests."""
