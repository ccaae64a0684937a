"""An in-process response cache for reads, keyed by the ETag (data version, path, query, format).

Every write bumps the data version, so a cached body can never be served for other data: the
key changes with it and the old entries are dropped. An entry keeps the body twice, plain and
gzip-compressed (compressed once, when stored), with the complete response headers of each, so
a hit is two ASGI messages and no work. The cache is bounded in entries and in bytes (both
bodies counted); the least recently used answers go first.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from dataclasses import dataclass, field

MAX_ENTRIES = 512
MAX_BYTES = 64 * 1024 * 1024
GZIP_MIN_SIZE = 1024  # as the GZipMiddleware: smaller bodies are not worth a header
GZIP_LEVEL = 6

RawHeaders = list[tuple[bytes, bytes]]
_OWN_HEADERS = {b"content-length", b"content-encoding", b"vary"}


def compress(body: bytes) -> bytes:
    """The gzip member of `body` (what `Content-Encoding: gzip` promises)."""
    packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return packer.compress(body) + packer.flush()


@dataclass(frozen=True, slots=True)
class Entry:
    """One 200 answer: the plain body, its gzip form (None when not worth it) and their headers."""

    body: bytes
    gzipped: bytes | None
    plain_headers: RawHeaders
    gzip_headers: RawHeaders

    @property
    def size(self) -> int:
        """Bytes held: both bodies."""
        return len(self.body) + len(self.gzipped or b"")

    def for_client(self, accepts_gzip: bool) -> tuple[RawHeaders, bytes]:
        """The headers and body to send to a client that does (not) accept gzip."""
        if accepts_gzip and self.gzipped is not None:
            return self.gzip_headers, self.gzipped
        return self.plain_headers, self.body


def make_entry(body: bytes, headers: RawHeaders) -> Entry:
    """An entry for `body` with the endpoint's `headers`, compressing it once if large enough."""
    kept = [(k, v) for k, v in headers if k.lower() not in _OWN_HEADERS]
    vary = [v for k, v in headers if k.lower() == b"vary"]
    plain = [*kept, (b"content-length", str(len(body)).encode())]
    plain += [(b"vary", v) for v in vary]
    if len(body) < GZIP_MIN_SIZE:
        return Entry(body, None, plain, plain)
    gzipped = compress(body)
    if len(gzipped) >= len(body):
        return Entry(body, None, plain, plain)
    tokens = [t.strip() for v in vary for t in v.split(b",") if t.strip()]
    if b"accept-encoding" not in {t.lower() for t in tokens}:
        tokens.append(b"Accept-Encoding")
    varies = [(b"vary", b", ".join(tokens))]
    return Entry(
        body,
        gzipped,
        [*kept, (b"content-length", str(len(body)).encode()), *varies],
        [
            *kept,
            (b"content-length", str(len(gzipped)).encode()),
            (b"content-encoding", b"gzip"),
            *varies,
        ],
    )


@dataclass
class ResponseCache:
    """Least-recently-used answers of one data version, bounded in count and bytes."""

    version: int = -1
    entries: OrderedDict[str, Entry] = field(default_factory=OrderedDict)
    size: int = 0
    hits: int = 0
    misses: int = 0
    max_entries: int = MAX_ENTRIES
    max_bytes: int = MAX_BYTES

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
        if version < self.version:
            return  # the data changed while this answer was computed: it is already outdated
        if version != self.version:
            self.clear(version)
        if entry.size > self.max_bytes // 8:
            return
        old = self.entries.pop(tag, None)
        self.size -= old.size if old else 0
        self.entries[tag] = entry
        self.size += entry.size
        while len(self.entries) > self.max_entries or self.size > self.max_bytes:
            _, dropped = self.entries.popitem(last=False)
            self.size -= dropped.size

    def clear(self, version: int) -> None:
        """Forget everything and start collecting answers of `version`."""
        self.version = version
        self.entries.clear()
        self.size = 0
