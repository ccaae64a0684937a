"""Refuse request bodies before they cost anything: credentials first, then a size cap.

FastAPI reads a body before it runs the route's dependencies, so an anonymous 150 MB POST would
be parsed in full just to be told 401. This ASGI middleware runs before that: for an operation
whose OpenAPI entry requires credentials it looks the token or session up (in a worker thread)
and answers 401 without reading a byte of the body; then it refuses a declared Content-Length
above the cap at once, and counts streamed (chunked) bodies, answering 413 as soon as the cap
is passed. Uploads (multipart operations) get the larger upload cap, everything else the JSON
cap; both come from `Settings` and the 413 names the limit and the variable that sets it.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from execdash.api.accounts import User, user_for_session, user_for_token
from execdash.api.auth import SESSION_COOKIE, USER_STATE_KEY
from execdash.api.errors import problem_response
from execdash.config import Settings

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
WWW_AUTHENTICATE = 'Bearer realm="execdash"'


def mebibytes(size: int) -> str:
    """A byte count the way the 413 message and the docs write it (e.g. 1 MiB, 512 KiB)."""
    if size >= 1 << 20 and size % (1 << 20) == 0:
        return f"{size >> 20} MiB"
    if size >= 1 << 10 and size % (1 << 10) == 0:
        return f"{size >> 10} KiB"
    return f"{size} bytes"


class BodyTooLarge(HTTPException):
    """A 413 naming the cap that was passed and the setting that raises it."""

    def __init__(self, method: str, path: str, cap: int, variable: str) -> None:
        super().__init__(
            413,
            f"The request body of {method} {path} is larger than this server accepts: the limit "
            f"is {mebibytes(cap)} ({cap} bytes; set by {variable}).",
        )


@dataclass(frozen=True, slots=True)
class Operation:
    """What the guard needs to know of one documented write operation."""

    method: str
    pattern: re.Pattern[str]
    needs_credentials: bool
    is_upload: bool


def path_pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching the paths of an OpenAPI path template."""
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile(
        "^" + "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$"
    )


def operations_of(spec: dict[str, Any]) -> list[Operation]:
    """Every write operation of an OpenAPI document, with its credential and upload flags."""
    found = []
    for template, entries in spec.get("paths", {}).items():
        for method, entry in entries.items():
            if method.upper() not in BODY_METHODS:
                continue
            security = entry.get("security") or []
            content = entry.get("requestBody", {}).get("content", {})
            found.append(
                Operation(
                    method=method.upper(),
                    pattern=path_pattern(template),
                    needs_credentials=bool(security) and {} not in security,
                    is_upload="multipart/form-data" in content,
                )
            )
    return found


def _credentials(headers: Headers) -> tuple[str | None, str | None]:
    """(bearer token, session id) as sent; either may be None."""
    token = None
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        token = value.strip()
    session = None
    raw_cookie = headers.get("cookie")
    if raw_cookie:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(raw_cookie)
        except CookieError:  # an unparsable cookie header is just no session
            jar = SimpleCookie()
        if SESSION_COOKIE in jar:
            session = jar[SESSION_COOKIE].value or None
    return token, session


class BodyGuard:
    """ASGI middleware: 401 before the body for protected writes, 413 past the caps."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self._operations: list[Operation] | None = None
        self._building: asyncio.Lock | None = None
        self._building_loop: asyncio.AbstractEventLoop | None = None

    async def _operation(self, scope: Scope) -> Operation | None:
        if self._operations is None:
            # Building the OpenAPI document takes a second or more: never on the event loop,
            # and once: the first burst of writes must not fill every worker thread with it.
            if self._building is None or self._building_loop is not asyncio.get_running_loop():
                self._building, self._building_loop = asyncio.Lock(), asyncio.get_running_loop()
            async with self._building:
                if self._operations is None:
                    spec = await run_in_threadpool(scope["app"].openapi)
                    self._operations = operations_of(spec)
        method, path = scope["method"], scope["path"]
        for operation in self._operations:
            if operation.method == method and operation.pattern.match(path):
                return operation
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        operation = await self._operation(scope)
        headers = Headers(scope=scope)
        if operation is not None and operation.needs_credentials:
            refusal = await self._authenticate(scope, headers)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        if operation is not None and operation.is_upload:
            cap, variable = self.settings.max_upload_bytes, "EXECDASH_MAX_UPLOAD_BYTES"
        else:
            cap, variable = self.settings.max_body_bytes, "EXECDASH_MAX_BODY_BYTES"
        too_large = BodyTooLarge(scope["method"], scope["path"], cap, variable)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            await self._refuse(scope, receive, send, too_large)
            return
        await self._run_counted(scope, receive, send, cap, too_large)

    async def _run_counted(
        self, scope: Scope, receive: Receive, send: Send, cap: int, too_large: BodyTooLarge
    ) -> None:
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    raise too_large
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge as exc:
            if started:
                raise
            await self._refuse(scope, receive, send, exc)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, exc: BodyTooLarge) -> None:
        response = problem_response(
            413, str(exc.detail), scope["path"], headers={"Connection": "close"}
        )
        await response(scope, receive, send)

    async def _authenticate(self, scope: Scope, headers: Headers) -> Any:
        """None when the credentials are good (the user is kept in the state), else a 401."""
        token, session = _credentials(headers)
        if token is None and session is None:
            detail = "Log in or send an API token (Authorization: Bearer ...)."
        else:
            engine = scope["app"].state.engine
            user = await run_in_threadpool(_lookup, engine, token, session)
            if user is not None:
                scope.setdefault("state", {})[USER_STATE_KEY] = user
                return None
            detail = (
                "The API token is invalid, expired or revoked."
                if token is not None
                else "Log in or send an API token (Authorization: Bearer ...)."
            )
        return problem_response(
            401,
            detail,
            scope["path"],
            headers={"WWW-Authenticate": WWW_AUTHENTICATE, "Connection": "close"},
        )


def _lookup(engine: Any, token: str | None, session: str | None) -> User | None:
    with engine.connect() as conn:
        if token is not None:
            return user_for_token(conn, token)
        assert session is not None
        return user_for_session(conn, session)
