"""An in-process response cache for reads, keyed by the ETag (data version, path, query, format).

Every write bumps the data version, so a cached body can never be served for other data: the
key changes with it and the old entries are dropped. A hit costs one tiny query (the version,
read once per request and shared with the ETag layer) and no metric computation. Installations
where reads need a login are not cached, so every read is authorised by its endpoint.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from fastapi import Request
from fastapi.responses import Response

from execdash.api.deps import settings_of
from execdash.api.etag import UNTAGGED_PREFIXES, matches, not_modified, request_tag

MAX_ENTRIES = 512
MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Entry:
    """One cached 200 answer: its body and headers (ETag included)."""

    body: bytes
    headers: tuple[tuple[str, str], ...]


@dataclass
class ResponseCache:
    """Least-recently-used answers of one data version, bounded in count and bytes."""

    version: int = -1
    entries: OrderedDict[str, Entry] = field(default_factory=OrderedDict)
    size: int = 0
    hits: int = 0
    misses: int = 0

    def get(self, version: int, tag: str) -> Entry | None:
        """The answer stored for `tag`, if it belongs to `version`."""
        if version != self.version:
            self.clear(version)
            return None
        entry = self.entries.get(tag)
        if entry is not None:
            self.entries.move_to_end(tag)
        return entry

    def put(self, version: int, tag: str, entry: Entry) -> None:
        """Store an answer, evicting the least recently used ones beyond the bounds."""
        if version != self.version:
            self.clear(version)
        if len(entry.body) > MAX_BYTES // 8:
            return
        old = self.entries.pop(tag, None)
        self.size -= len(old.body) if old else 0
        self.entries[tag] = entry
        self.size += len(entry.body)
        while len(self.entries) > MAX_ENTRIES or self.size > MAX_BYTES:
            _, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped.body)

    def clear(self, version: int) -> None:
        """Forget everything and start collecting answers of `version`."""
        self.version = version
        self.entries.clear()
        self.size = 0


def cache_of(request: Request) -> ResponseCache:
    """The application's cache (created on first use)."""
    cache: ResponseCache | None = getattr(request.app.state, "response_cache", None)
    if cache is None:
        cache = ResponseCache()
        request.app.state.response_cache = cache
    return cache


def _cacheable(request: Request) -> bool:
    path = request.url.path
    return (
        request.method == "GET"
        and path.startswith("/api/")
        and not path.startswith(UNTAGGED_PREFIXES)
        and not settings_of(request).read_requires_login
    )


async def cache_middleware(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Serve a stored answer for this exact request and data version, or store the fresh one."""
    if not _cacheable(request):
        return await call_next(request)
    version, tag = request_tag(request)
    cache = cache_of(request)
    entry = cache.get(version, tag)
    if entry is not None:
        cache.hits += 1
        if matches(request, tag):
            return not_modified(tag)
        return Response(content=entry.body, status_code=200, headers=dict(entry.headers))
    cache.misses += 1
    response = await call_next(request)
    if response.status_code != 200 or response.headers.get("etag") != tag:
        return response
    body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
    headers = tuple((k, v) for k, v in response.headers.items() if k != "content-length")
    cache.put(version, tag, Entry(body, headers))
    return Response(content=body, status_code=200, headers=dict(headers))
