"""One server writer at a time: a FIFO gate on the event loop, then a write transaction in a thread.

Waiting for the gate costs no thread, so hundreds of queued writers leave the thread pool to
reads and health checks. The holder opens its transaction in a worker thread (`BEGIN
IMMEDIATE` on SQLite, with the rest of the wait as busy timeout), so it waits for another
process's write, such as an import, instead of failing. A write that cannot start within
`wait_seconds` raises `WriteBusy`, which the API answers with 503 and `Retry-After`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

import anyio
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from execdash.db.engine import WRITE, is_sqlite

RETRY_AFTER_SECONDS = 5
T = TypeVar("T")


class WriteBusy(Exception):
    """No write could start in time because other writes held the database."""

    def __init__(self, waited: float) -> None:
        super().__init__(f"the database was busy with other writes for {waited:.0f} s")
        self.retry_after = RETRY_AFTER_SECONDS


class WriteGate:
    """Serialises the server's write transactions (see the module docstring)."""

    def __init__(self, engine: Engine, wait_seconds: float) -> None:
        self.engine = engine
        self.wait_seconds = wait_seconds
        self._lock = asyncio.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.waiting = 0
        """How many writes are queued for the gate right now."""

    def _lock_for_this_loop(self) -> asyncio.Lock:
        """A lock belongs to one event loop; a new loop (a new test client) gets a new one."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop, self._lock = loop, asyncio.Lock()
        return self._lock

    def _open(self, seconds_left: float) -> sa.Connection:
        """Connect and begin the write, waiting at most `seconds_left` for other processes."""
        conn = self.engine.connect()
        try:
            if is_sqlite(self.engine):
                raw = conn.connection.driver_connection
                assert raw is not None
                raw.execute(f"PRAGMA busy_timeout={max(1, int(seconds_left * 1000))}")
            conn.execution_options(**{WRITE: True})
            conn.begin()
        except BaseException:
            conn.close()
            raise
        return conn

    @staticmethod
    def _finish(conn: sa.Connection, commit: bool) -> None:
        try:
            if commit:
                conn.commit()
            else:
                conn.rollback()
        finally:
            conn.close()

    async def _acquire(self, lock: asyncio.Lock) -> float:
        """Wait for the gate (at most `wait_seconds`); return the seconds of the wait left."""
        started = time.monotonic()
        self.waiting += 1
        try:
            await asyncio.wait_for(lock.acquire(), timeout=self.wait_seconds)
        except TimeoutError:
            raise WriteBusy(time.monotonic() - started) from None
        finally:
            self.waiting -= 1
        return self.wait_seconds - (time.monotonic() - started)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[sa.Connection]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        lock = self._lock_for_this_loop()
        left = await self._acquire(lock)
        try:
            with anyio.CancelScope(shield=True):
                conn = await anyio.to_thread.run_sync(self._open, left)
            try:
                yield conn
            except BaseException:
                with anyio.CancelScope(shield=True):
                    await anyio.to_thread.run_sync(self._finish, conn, False)
                raise
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(self._finish, conn, True)
        finally:
            lock.release()

    async def run(self, work: Callable[[sa.Connection], T]) -> T:
        """Run `work` in one write transaction, opened, run and committed (or rolled back) in a
        single worker-thread call: a small write, such as a batch of usage events, then costs
        one thread hop where `transaction()` costs three."""
        lock = self._lock_for_this_loop()
        left = await self._acquire(lock)
        try:
            with anyio.CancelScope(shield=True):
                result = await anyio.to_thread.run_sync(self._open_run_finish, work, left)
        finally:
            lock.release()
        return result

    def _open_run_finish(self, work: Callable[[sa.Connection], T], seconds_left: float) -> T:
        conn = self._open(seconds_left)
        try:
            result = work(conn)
        except BaseException:
            self._finish(conn, False)
            raise
        self._finish(conn, True)
        return result
