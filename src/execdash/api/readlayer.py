"""One pure ASGI layer for reads: ETag, 304, `Cache-Control`, and the response cache.

For a tagged GET (see `etag.is_tagged`) the layer reads the data version once, computes the tag
and then:

- open installation: answers 304 at once when `If-None-Match` names the tag; serves a cached
  answer (plain or its stored gzip form, by `Accept-Encoding`) without calling the endpoint; on a
  miss runs the endpoint, tags a 200, stores it (compressed once) and sends it;
- reads need a login (`cache is None`): always runs the endpoint, so it authorises the request,
  and only then turns a 200 into a 304 when the tag matches; nothing is cached.

The layer sits outside `GZipMiddleware`. On the open path it removes `Accept-Encoding` from
the request it passes inwards, so the endpoint's body arrives plain and is compressed here once
per data version, never twice; locked reads and untagged requests are compressed by
`GZipMiddleware` as before. A hit builds no Request and parses no header beyond three raw ones.
"""

from __future__ import annotations

import asyncio
import logging
import time

import anyio.to_thread
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from execdash.api import reads
from execdash.api.cache import Entry, RawHeaders, ResponseCache, make_entry
from execdash.api.catchups import catch_up_giving_way
from execdash.api.errors import NOT_UPGRADED, not_upgraded_response
from execdash.api.etag import Tagger, is_tagged, matches, wants_csv
from execdash.api.inner_get import get_scope
from execdash.api.partcache import VERSIONS
from execdash.api.versionprobe import DataVersions, VersionProbe
from execdash.api.warmer import Warmer
from execdash.db.engine import is_missing_schema

log = logging.getLogger(__name__)

COMPRESS_OFF_LOOP = 16 * 1024
"""Bodies at least this large are compressed in a worker thread, so hits never wait on zlib."""
CATCH_UP_RETRY_S = 1.0
"""After a catch-up could not run (the database was busy), wait this long before another try."""
CATCH_UP_WAIT_S = 0.2
"""The longest a miss waits for a running catch-up; after that it answers from the raw rows
(right, only slower), so an import holding the derived tables never stalls the dashboard."""
CATCH_UP_SHUTDOWN_S = 10.0
"""At shutdown, how long a running catch-up is given to finish."""
WATCH_S = 1.0
"""How often the server looks for writes by other programs when no request comes."""
BACKGROUND = "execdash.background"
"""Scope key of the warmer's own requests: a list that `_miss` sets to [True] if it computed."""

NO_CACHE = (b"cache-control", b"no-cache")


def _tag_headers(tag: str) -> RawHeaders:
    return [(b"etag", tag.encode()), NO_CACHE]


async def _send_not_modified(send: Send, tag: str) -> None:
    await send({"type": "http.response.start", "status": 304, "headers": _tag_headers(tag)})
    await send({"type": "http.response.body", "body": b""})


async def _send_entry(send: Send, entry: Entry, accepts_gzip: bool) -> None:
    headers, body = entry.for_client(accepts_gzip)
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class ReadLayer:
    """The ASGI middleware; `cache=None` means reads need a login (see the module docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        probe: VersionProbe,
        cache: ResponseCache | None,
        engine: Engine | None = None,
        salt: str = "",
        concurrency: int = 2,
    ) -> None:
        self.app = app
        self.concurrency = concurrency
        self._slots: asyncio.Semaphore | None = None
        self._slots_loop: asyncio.AbstractEventLoop | None = None
        self.probe = probe
        self.cache = cache
        self.engine = engine
        self.tagger = Tagger(salt)
        self.computed = 0  # endpoint runs for cacheable misses (what single flight saves)
        self._inflight: dict[str, asyncio.Event] = {}
        self._catching_up: asyncio.Task[None] | None = None
        self._catch_up_after = 0.0
        self._foreground = 0  # foreground misses being computed
        self._writing = 0  # writes through this server in progress
        self._seen: DataVersions | None = None
        self._app_ref: object = None  # the application, for the warmer's own scopes
        self._watching: asyncio.Task[None] | None = None
        self.warmer = None if cache is None else Warmer(self._fetch, lambda: self._foreground > 0)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle a tagged read; pass everything else through untouched."""
        self._app_ref = self._app_ref or scope.get("app")
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                receive = self._following_lifespan(receive)
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if not is_tagged(scope["method"], path):
            if scope["method"] == "GET" or not path.startswith("/api/"):
                await self.app(scope, receive, send)
                return
            await self._write(scope, receive, send)
            return
        accept = if_none_match = encodings = b""
        for name, value in scope["headers"]:
            if name == b"accept":
                accept += value
            elif name == b"if-none-match":
                if_none_match += b"," + value
            elif name == b"accept-encoding":
                encodings += value
        try:
            versions = await self.probe.read()
        except Exception as exc:
            if not is_missing_schema(exc):
                raise
            log.error("%s: %s (%s)", path, NOT_UPGRADED, exc)
            await not_upgraded_response(path)(scope, receive, send)
            return
        if versions.stale:
            self._start_catch_up()  # only a miss waits for it (briefly): a hit is still right
        self._observe(versions)
        scope[VERSIONS] = versions  # the endpoint keys the parts it shares by them (partcache)
        version = versions.version(reads.tables_for(path))
        tag = self.tagger.tag(version, path, scope["query_string"], wants_csv(accept))
        cache = self.cache
        if cache is None:
            if versions.stale:
                await self._wait_for_catch_up()
            await self._locked(scope, receive, send, tag, if_none_match)
            return
        if matches(if_none_match, tag):
            known = cache.get(version, tag) is not None  # keeps the LRU order and counters
            cache.hits += known
            cache.misses += not known
            await _send_not_modified(send, tag)
            return
        entry = cache.get(version, tag)
        accepts_gzip = b"gzip" in encodings
        counted = BACKGROUND not in scope  # the counters are the clients' hits and misses
        if entry is not None:
            cache.hits += counted
            await _send_entry(send, entry, accepts_gzip)
            return
        cache.misses += counted
        leader = self._inflight.get(tag)
        if leader is not None:  # single flight: wait for the same answer being computed
            await leader.wait()
            entry = cache.get(version, tag)
            if entry is not None:
                await _send_entry(send, entry, accepts_gzip)
                return
        done = self._inflight[tag] = asyncio.Event()
        try:
            if versions.stale:
                await self._wait_for_catch_up()
            await self._miss(scope, receive, send, version, tag, accepts_gzip)
        finally:
            done.set()
            if self._inflight.get(tag) is done:
                del self._inflight[tag]

    async def _write(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass a write through, never beside a catch-up; then warm what it outdated."""
        if self._catching_up is not None and not self._catching_up.done():
            await asyncio.shield(self._catching_up)  # both write: one at a time
        self._writing += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self._writing -= 1
        self._observe(await self.probe.read())

    def _observe(self, versions: DataVersions) -> None:
        """Note the versions a request saw; a change starts the background recompute."""
        seen, self._seen = self._seen, versions
        if seen is None or seen is versions or self.warmer is None:
            return
        if seen.by_table != versions.by_table:
            self.warmer.changed(seen, versions)

    async def _fetch(self, path: str, query: str) -> bool:
        """The warmer's request for one answer; True when it had to be computed."""
        computed: list[bool] = [False]
        scope: Scope = {
            **get_scope(path, query, [(b"host", b"localhost"), (b"accept", b"application/json")]),
            "app": self._app_ref,
            BACKGROUND: computed,
        }

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(_message: Message) -> None:
            return None

        await self(scope, receive, send)
        return computed[0]

    async def _watch(self) -> None:
        """Look for writes by other programs when no request comes, so they are seen and the
        likely answers recomputed before anyone asks."""
        while True:
            await asyncio.sleep(WATCH_S)
            try:
                versions = await self.probe.read()
                self.probe.reads -= 1  # `reads` counts the requests' reads, not the watcher's
                if versions.stale:
                    self._start_catch_up()
                self._observe(versions)
            except Exception:  # e.g. the database is being replaced: try again later
                log.exception("watching for data changes failed")

    def _start_catch_up(self) -> None:
        """Start recomputing what other programs' writes left stale, once however many requests
        see it; readers use the raw rows of a stale rollup meanwhile (still right, slower)."""
        if self.engine is None or time.monotonic() < self._catch_up_after:
            return
        if self._catching_up is None or self._catching_up.done():
            self._catching_up = asyncio.create_task(self._run_catch_up(self.engine))

    async def _wait_for_catch_up(self) -> None:
        """Give a running catch-up at most `CATCH_UP_WAIT_S` before a miss is computed from the
        raw rows; never while this server writes (the catch-up lets those writes finish first)."""
        running = self._catching_up
        if running is not None and not running.done() and not self._writing:
            await asyncio.wait({running}, timeout=CATCH_UP_WAIT_S)

    async def _run_catch_up(self, engine: Engine) -> None:
        deadline = time.monotonic() + CATCH_UP_RETRY_S
        while self._writing and time.monotonic() < deadline:  # let this server's writes finish
            await asyncio.sleep(0.005)
        if self._writing:
            self._catch_up_after = time.monotonic() + CATCH_UP_RETRY_S
            return
        try:
            if not await anyio.to_thread.run_sync(catch_up_giving_way, engine):
                # another transaction (an import) holds the derived tables: try again later
                self._catch_up_after = time.monotonic() + CATCH_UP_RETRY_S
        except sa.exc.OperationalError as exc:  # busy: another writer holds the database
            log.info("catch-up postponed: %s", exc.orig)
            self._catch_up_after = time.monotonic() + CATCH_UP_RETRY_S
        except Exception:  # never fail a read for it: the raw rows still give right answers
            log.exception("catch-up failed; reads use the raw rows until the next try")
            self._catch_up_after = time.monotonic() + CATCH_UP_RETRY_S

    async def _miss(
        self, scope: Scope, receive: Receive, send: Send, version: int, tag: str, gzip: bool
    ) -> None:
        """Run the endpoint with a plain body; tag, store and send a 200, pass anything else."""
        self.computed += 1
        background = scope.get(BACKGROUND)
        if background is not None:
            background[0] = True
        else:
            self._foreground += 1
        try:
            await self._compute(scope, receive, send, version, tag, gzip)
        finally:
            if background is None:
                self._foreground -= 1

    def _compute_slots(self) -> asyncio.Semaphore:
        """The semaphore of this loop bounding the answers computed at once (a new loop, such
        as a new test client, gets its own)."""
        loop = asyncio.get_running_loop()
        if self._slots is None or self._slots_loop is not loop:
            self._slots, self._slots_loop = asyncio.Semaphore(self.concurrency), loop
        return self._slots

    async def _compute(
        self, scope: Scope, receive: Receive, send: Send, version: int, tag: str, gzip: bool
    ) -> None:
        """Compute the answer when a slot is free: waiting costs no thread, and fewer threads
        fighting for the interpreter leave the loop (health, writes, hits) answering quickly."""
        async with self._compute_slots():
            await self._compute_now(scope, receive, send, version, tag, gzip)

    async def _compute_now(
        self, scope: Scope, receive: Receive, send: Send, version: int, tag: str, gzip: bool
    ) -> None:
        assert self.cache is not None
        cache = self.cache
        inner = {
            **scope,
            "headers": [h for h in scope["headers"] if h[0] != b"accept-encoding"],
        }
        start: Message | None = None
        chunks: list[bytes] = []
        passing = False

        async def capture(message: Message) -> None:
            nonlocal start, passing
            kind = message["type"]
            if kind == "http.response.start":
                headers: RawHeaders = message.get("headers", [])
                encoded = any(k.lower() == b"content-encoding" for k, _ in headers)
                if message["status"] != 200 or encoded:
                    passing = True
                    if message["status"] == 200:
                        message["headers"] = [*headers, *_tag_headers(tag)]
                    await send(message)
                else:
                    start = message
            elif passing or kind != "http.response.body" or start is None:
                await send(message)
            else:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    headers = [*start.get("headers", []), *_tag_headers(tag)]
                    body = b"".join(chunks)
                    if len(body) >= COMPRESS_OFF_LOOP:
                        entry = await anyio.to_thread.run_sync(make_entry, body, headers)
                    else:
                        entry = make_entry(body, headers)
                    cache.put(version, tag, entry)
                    await _send_entry(send, entry, gzip)

        await self.app(inner, receive, capture)

    async def _locked(
        self, scope: Scope, receive: Receive, send: Send, tag: str, if_none_match: bytes
    ) -> None:
        """Let the endpoint authorise the read first; then tag its 200, or 304 if it matches."""
        swallow = False

        async def after_auth(message: Message) -> None:
            nonlocal swallow
            if message["type"] == "http.response.start" and message["status"] == 200:
                if matches(if_none_match, tag):
                    swallow = True
                    await _send_not_modified(send, tag)
                    return
                message["headers"] = [*message.get("headers", []), *_tag_headers(tag)]
            elif swallow:
                return
            await send(message)

        async with self._compute_slots():
            await self.app(scope, receive, after_auth)

    def _following_lifespan(self, receive: Receive) -> Receive:
        """Watch for changes while the server runs; stop and close the probe at shutdown."""

        async def following() -> Message:
            message = await receive()
            if message["type"] == "lifespan.startup" and self.warmer is not None:
                self._watching = asyncio.create_task(self._watch())
            elif message["type"] == "lifespan.shutdown":
                if self._watching is not None:
                    self._watching.cancel()
                if self.warmer is not None:
                    await self.warmer.aclose()
                if self._catching_up is not None and not self._catching_up.done():
                    await asyncio.wait({self._catching_up}, timeout=CATCH_UP_SHUTDOWN_S)
                await self.probe.aclose()
            return message

        return following
