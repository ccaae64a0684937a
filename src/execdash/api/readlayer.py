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

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from execdash.api.cache import Entry, RawHeaders, ResponseCache, make_entry
from execdash.api.etag import Tagger, is_tagged, matches, wants_csv
from execdash.api.versionprobe import VersionProbe

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

    def __init__(self, app: ASGIApp, probe: VersionProbe, cache: ResponseCache | None) -> None:
        self.app = app
        self.probe = probe
        self.cache = cache
        self.tagger = Tagger()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle a tagged read; pass everything else through untouched."""
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                receive = self._closing_probe_on_shutdown(receive)
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if not is_tagged(scope["method"], path):
            await self.app(scope, receive, send)
            return
        accept = if_none_match = encodings = b""
        for name, value in scope["headers"]:
            if name == b"accept":
                accept += value
            elif name == b"if-none-match":
                if_none_match += b"," + value
            elif name == b"accept-encoding":
                encodings += value
        version = await self.probe.read()
        tag = self.tagger.tag(version, path, scope["query_string"], wants_csv(accept))
        cache = self.cache
        if cache is None:
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
        if entry is not None:
            cache.hits += 1
            await _send_entry(send, entry, accepts_gzip)
            return
        cache.misses += 1
        await self._miss(scope, receive, send, version, tag, accepts_gzip)

    async def _miss(
        self, scope: Scope, receive: Receive, send: Send, version: int, tag: str, gzip: bool
    ) -> None:
        """Run the endpoint with a plain body; tag, store and send a 200, pass anything else."""
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
                    entry = make_entry(b"".join(chunks), headers)
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

        await self.app(scope, receive, after_auth)

    def _closing_probe_on_shutdown(self, receive: Receive) -> Receive:
        """Close the probe's connection when the server shuts the application down."""

        async def closing() -> Message:
            message = await receive()
            if message["type"] == "lifespan.shutdown":
                await self.probe.aclose()
            return message

        return closing
