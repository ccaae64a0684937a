"""ETags for reads: the data version plus everything else that shapes the body.

A GET under `/api/` (except health and auth) is tagged with a hash of the data version, the path,
the sorted query string and the negotiated format. A matching `If-None-Match` gets a 304: on an
open installation before the endpoint runs (a poll costs one tiny query), when reads need a login
only after the endpoint has authorised the request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl, urlencode

from fastapi import Request
from fastapi.responses import Response

from execdash.api.deps import engine_of, settings_of
from execdash.db.changes import data_version

UNTAGGED_PREFIXES = ("/api/health", "/api/v1/auth/")


def _taggable(request: Request) -> bool:
    path = request.url.path
    return (
        request.method == "GET"
        and path.startswith("/api/")
        and not path.startswith(UNTAGGED_PREFIXES)
    )


def compute_etag(version: int, request: Request) -> str:
    """A strong tag for this data version and this exact request."""
    query = urlencode(sorted(parse_qsl(request.url.query, keep_blank_values=True)))
    accept = "csv" if "text/csv" in request.headers.get("accept", "") else "json"
    month = dt.datetime.now(dt.UTC).strftime("%Y-%m")  # the default window on an empty database
    key = f"{request.url.path}?{query}|{accept}|{month}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    return f'"v{version}-{digest}"'


def request_tag(request: Request) -> tuple[int, str]:
    """The data version and this request's tag, read once per request and shared by middlewares."""
    known: tuple[int, str] | None = getattr(request.state, "etag", None)
    if known is None:
        with engine_of(request).connect() as conn:
            version = data_version(conn)
        known = (version, compute_etag(version, request))
        request.state.etag = known
    return known


def matches(request: Request, tag: str) -> bool:
    """True when the client's If-None-Match already names `tag`."""
    header = request.headers.get("if-none-match", "")
    candidates = {part.strip().removeprefix("W/") for part in header.split(",")}
    return tag in candidates or "*" in candidates


def not_modified(tag: str) -> Response:
    """A 304 carrying the tag, so the client keeps its copy."""
    return Response(status_code=304, headers={"ETag": tag, "Cache-Control": "no-cache"})


async def etag_middleware(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Tag successful reads and answer 304 when the client already has this version."""
    if not _taggable(request):
        return await call_next(request)
    _, tag = request_tag(request)
    locked = settings_of(request).read_requires_login
    if not locked and matches(request, tag):
        return not_modified(tag)
    response = await call_next(request)
    if response.status_code != 200:
        return response
    if locked and matches(request, tag):
        return not_modified(tag)
    response.headers["ETag"] = tag
    response.headers["Cache-Control"] = "no-cache"
    return response
