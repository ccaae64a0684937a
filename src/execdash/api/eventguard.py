"""What keeps the anonymous `POST /api/events` from being a lever on the server.

Rate limits per client address and for all clients together (the `limits` library, sliding
window counters in memory, its asyncio flavour: the thread-based memory storage started a timer
thread for almost every event), answered 429 with `Retry-After`; and a cap on the body, read in
chunks so an oversized body is refused (413) before it is held in memory. Both run on the
event loop before the request queues for the database, so refused events cost no write.
"""

from __future__ import annotations

import asyncio
import math
import time

from fastapi import HTTPException, Request
from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import SlidingWindowCounterRateLimiter

from execdash.config import Settings

MAX_BODY_BYTES = 16 * 1024
"""The largest event body accepted; the seed front end sends a few hundred bytes."""


class EventLimits:
    """The per-client and total rate limits for events, counted in this process."""

    def __init__(self, per_client: str, total: str) -> None:
        self.per_client: list[RateLimitItem] = parse_many(per_client)
        self.total: list[RateLimitItem] = parse_many(total)
        self._limiter: SlidingWindowCounterRateLimiter | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> EventLimits:
        """The limits `settings` configure (EXECDASH_EVENTS_RATE_*)."""
        return cls(settings.events_rate_per_client, settings.events_rate_total)

    def _counters(self) -> SlidingWindowCounterRateLimiter:
        """The counters of the running loop: their storage expires keys with a task of that
        loop (a new loop, such as a new test client's, starts counting afresh)."""
        loop = asyncio.get_running_loop()
        if self._limiter is None or self._loop is not loop:
            self._limiter, self._loop = SlidingWindowCounterRateLimiter(MemoryStorage()), loop
        return self._limiter

    async def _retry_after(self, item: RateLimitItem, *key: str) -> int:
        reset = (await self._counters().get_window_stats(item, *key)).reset_time
        return max(1, math.ceil(reset - time.time()))

    async def check(self, client: str) -> None:
        """Count one event from `client`; raise 429 with `Retry-After` when over a limit."""
        counters = self._counters()
        for item in self.per_client:
            if not await counters.test(item, "client", client):
                after = await self._retry_after(item, "client", client)
                raise _too_many(f"from {client}", item, after)
        for item in self.total:
            if not await counters.hit(item, "total"):
                raise _too_many("from all clients", item, await self._retry_after(item, "total"))
        for item in self.per_client:
            await counters.hit(item, "client", client)


def _too_many(scope: str, item: RateLimitItem, retry_after: int) -> HTTPException:
    return HTTPException(
        429,
        f"Too many usage events {scope} (limit {item}); retry in {retry_after} s.",
        headers={"Retry-After": str(retry_after)},
    )


async def capped_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request body, or 413 as soon as it is known to be larger than `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> HTTPException:
    # The rest of the body is not read: close the connection rather than parse it as a request.
    return HTTPException(
        413,
        f"The body is larger than {limit:,} bytes, the most a usage event may have.",
        headers={"Connection": "close"},
    )


async def guarded_event_body(request: Request) -> bytes:
    """Rate-limit the client, then read the body within the cap (a FastAPI dependency)."""
    limits: EventLimits = request.app.state.event_limits
    client = request.client.host if request.client else "unknown"
    await limits.check(client)
    return await capped_body(request)
