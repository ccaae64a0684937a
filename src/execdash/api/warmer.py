"""Recompute, in the background, the answers an executive is likely to open after a data change.

The likely answers are the overview and every domain page, for every range × granularity at the
latest as-of (what the page asks for without `as_of`). After a change, one background task asks
the read layer for each of them that reads a changed table, as a request would: the answer is
recomputed in a worker thread and stored (or is a hit, if a request got there first). Answers
outdated by the newest change come first, the default view before the other windows.

It never delays foreground requests on purpose: it starts an answer only when no foreground miss
is being computed, runs one answer at a time, and rests three times as long as it worked (at
most a quarter of one core). A newer change goes to the front of the queue. It runs after the
writer committed, outside its transaction, in reads of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

from execdash.api import reads
from execdash.api.routes.domains import DOMAINS
from execdash.api.versionprobe import DataVersions
from execdash.metrics.windows import GRANULARITIES, RANGES

log = logging.getLogger(__name__)

PAGES = ("/api/v1/dashboard", *(f"/api/v1/{domain[0]}" for domain in DOMAINS))
DEFAULT = ("12m", "month")
REST_FACTOR = 3.0
"""Seconds of rest per second of work: the warmer uses at most 1 / (1 + 3) of one core."""
IDLE_POLL_S = 0.005


def likely_next() -> list[tuple[str, str]]:
    """(path, query) of every answer to keep warm: default view first, then shorter ranges."""
    windows = sorted(
        ((r, g) for r in RANGES for g in GRANULARITIES),
        key=lambda w: (w != DEFAULT, RANGES.index(w[0]), GRANULARITIES.index(w[1])),
    )
    return [(page, f"range={r}&granularity={g}") for r, g in windows for page in PAGES]


def _reads_any(path: str, tables: set[str]) -> bool:
    declared = reads.tables_for(path)
    return declared is None or bool(declared & tables)


Fetch = Callable[[str, str], Awaitable[bool]]
"""Ask the read layer for (path, query); True when the answer had to be computed."""


class Warmer:
    """The single background worker; `changed` queues the answers a change made outdated."""

    def __init__(self, fetch: Fetch, busy: Callable[[], bool]) -> None:
        self._fetch = fetch
        self._busy = busy
        self._task: asyncio.Task[None] | None = None
        self._pending: list[tuple[str, str]] = []
        self.computed = 0  # answers recomputed in the background (tests and logs)

    def changed(self, before: DataVersions, after: DataVersions) -> None:
        """The data changed from `before` to `after`: queue what it outdated, newest first.

        Answers that read none of the changed tables are still valid and are not queued (a
        usage event queues nothing); what an earlier change queued follows, not yet redone.
        """
        moved = {t for t, v in after.by_table.items() if before.by_table.get(t) != v}
        touched = [url for url in likely_next() if _reads_any(url[0], moved)]
        if not touched:
            return
        self._pending = touched + [url for url in self._pending if url not in touched]
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        try:
            while self._pending:
                while self._busy():
                    await asyncio.sleep(IDLE_POLL_S)
                path, query = self._pending.pop(0)
                started = time.monotonic()
                if await self._fetch(path, query):
                    self.computed += 1
                    await asyncio.sleep((time.monotonic() - started) * REST_FACTOR)
        except asyncio.CancelledError:
            raise
        except Exception:  # never let a background failure reach a request
            log.exception("background recompute stopped")

    async def idle(self) -> None:
        """Wait until the current round, if any, is finished (tests, shutdown)."""
        while self._task is not None and not self._task.done():
            await asyncio.sleep(0.01)

    async def aclose(self) -> None:
        """Cancel the worker."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
