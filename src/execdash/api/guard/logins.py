"""Login throttling: failed attempts per account and per address, and a bound on argon2 hashing.

Failures are counted in moving windows (the `limits` library, in memory) under the account name
as typed, whether or not such a user exists, and under the client address. Each name has tiers
(by default 5 a minute, 10 in 15 minutes, 20 an hour), so the wait grows from seconds to minutes
to an hour's lockout as failures go on; a successful login clears the account's count. A
throttled attempt is refused with 429 and `Retry-After` before any password is hashed, with the
same words for every account.

Hashing is what costs: argon2id takes 64 MiB and four threads for tens of milliseconds per
attempt. At most `slots` hashes run at once (cores / 4 by default, at least one), so hashing
never takes every core from the event loop; a few more attempts may wait briefly for a slot,
and anything beyond answers 503 with `Retry-After` at once instead of queueing.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

ACCOUNT_LIMITS = "5/minute;10/15 minutes;20/hour"
"""Failed logins allowed per account name, by window (the waits grow tier by tier)."""
ADDRESS_LIMITS = "20/minute;100/hour"
"""Failed logins allowed per client address (higher: offices share one address)."""
HASH_WAIT_SECONDS = 2.0
"""How long an attempt may wait for a free hashing slot before it is answered 503."""
RETRY_BUSY_SECONDS = 1

log = logging.getLogger("execdash.security")


class LoginThrottled(Exception):
    """Too many failed logins for this account or address; retry after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins; retry in {retry_after} s")
        self.retry_after = retry_after


class HashingBusy(Exception):
    """Every hashing slot is taken and the short queue is full; retry in a second."""

    retry_after = RETRY_BUSY_SECONDS


def default_slots(parallelism: int = 4) -> int:
    """Hashing slots for the cores this process may run on: each argon2 hash uses
    `parallelism` threads (argon2-cffi's default 4), so a 4-core machine hashes one at a time."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores // max(1, parallelism))


def _account_key(username: str) -> str:
    return username.strip().casefold()


class LoginGuard:
    """The throttle and the hashing bound of one application (see the module docstring)."""

    def __init__(
        self,
        account_limits: str = ACCOUNT_LIMITS,
        address_limits: str = ADDRESS_LIMITS,
        slots: int | None = None,
        hash_wait: float = HASH_WAIT_SECONDS,
    ) -> None:
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.account_limits: list[RateLimitItem] = parse_many(account_limits)
        self.address_limits: list[RateLimitItem] = parse_many(address_limits)
        self.slots = slots or default_slots()
        self.queue = 2 * self.slots
        self.hash_wait = hash_wait
        self.hashing = 0
        """Hashes running now."""
        self.waiting = 0
        """Attempts waiting for a hashing slot now."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots = asyncio.Semaphore(self.slots)

    def _keys(self, username: str, address: str) -> list[tuple[RateLimitItem, str, str]]:
        account = [(item, "account", _account_key(username)) for item in self.account_limits]
        return account + [(item, "address", address) for item in self.address_limits]

    def check(self, username: str, address: str) -> None:
        """Raise LoginThrottled when this account or address must wait before another try."""
        now = time.time()
        waits = [
            self.limiter.get_window_stats(item, kind, key).reset_time - now
            for item, kind, key in self._keys(username, address)
            if not self.limiter.test(item, kind, key)
        ]
        if waits:
            retry_after = max(1, math.ceil(max(waits)))
            log.info(
                "login refused while throttled: account=%r address=%s retry_after=%ds",
                username,
                address,
                retry_after,
            )
            raise LoginThrottled(retry_after)

    def failed(self, username: str, address: str) -> None:
        """Count a wrong password (or unknown or disabled account) against name and address."""
        for item, kind, key in self._keys(username, address):
            self.limiter.hit(item, kind, key)
            if not self.limiter.test(item, kind, key):
                log.warning(
                    "login throttled: %s %r reached %s failed logins (last from %s)",
                    kind,
                    key,
                    item,
                    address,
                )
        log.info("login failed: account=%r address=%s", username, address)

    def succeeded(self, username: str) -> None:
        """Forget the account's failures (the address keeps its count)."""
        for item in self.account_limits:
            self.limiter.clear(item, "account", _account_key(username))

    def _semaphore(self) -> asyncio.Semaphore:
        """Asyncio primitives belong to one loop; a new loop (a new test client) gets its own."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop, self._slots = loop, asyncio.Semaphore(self.slots)
        return self._slots

    @asynccontextmanager
    async def hashing_slot(self) -> AsyncIterator[None]:
        """Hold one of the hashing slots; HashingBusy when none comes free soon."""
        slots = self._semaphore()
        if self.hashing >= self.slots and self.waiting >= self.queue:
            log.warning("login refused: %d hashes running, %d waiting", self.hashing, self.waiting)
            raise HashingBusy
        self.waiting += 1
        try:
            await asyncio.wait_for(slots.acquire(), timeout=self.hash_wait)
        except TimeoutError:
            log.warning("login refused: no hashing slot free within %.1f s", self.hash_wait)
            raise HashingBusy from None
        finally:
            self.waiting -= 1
        self.hashing += 1
        try:
            yield
        finally:
            self.hashing -= 1
            slots.release()
