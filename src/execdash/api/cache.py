"""An in-process response cache for reads, keyed by the ETag (data version, path, query, format).

The data version in a tag is the version of the tables that answer reads (`api.reads`), so a
cached body can never be served for other data, and a write to other tables leaves it valid.
An entry keeps the body twice, plain and gzip-compressed (compressed once, when stored), with
the complete response headers of each, so a hit is two ASGI messages and no work. The cache is
bounded in entries and in bytes (both bodies counted); the least recently used answers go first.
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


def _shape(tag: str) -> str:
    """The part of a tag that names the request, not the data version (`"v<n>-<shape>"`)."""
    return tag.partition("-")[2]


@dataclass
class ResponseCache:
    """Least-recently-used answers, one per request shape at the newest version seen for it.

    `version` is the version of the tables the answer reads (`reads.tables_for`), so a write
    to another table leaves it in place; an answer of an older version is replaced by the
    first newer one and never served again.
    """

    entries: OrderedDict[str, tuple[int, str, Entry]] = field(default_factory=OrderedDict)
    size: int = 0
    hits: int = 0
    misses: int = 0
    max_entries: int = MAX_ENTRIES
    max_bytes: int = MAX_BYTES

    def get(self, version: int, tag: str) -> Entry | None:
        """The answer stored for `tag` (which carries `version`), if any."""
        shape = _shape(tag)
        found = self.entries.get(shape)
        if found is None:
            return None
        stored_version, stored_tag, entry = found
        if stored_tag != tag:
            if stored_version < version:  # outdated by a change to one of its tables
                self._drop(shape)
            return None
        self.entries.move_to_end(shape)
        return entry

    def put(self, version: int, tag: str, entry: Entry) -> None:
        """Store an answer, evicting the least recently used ones beyond the bounds."""
        shape = _shape(tag)
        found = self.entries.get(shape)
        if found is not None and found[0] > version:
            return  # the data changed while this answer was computed: it is already outdated
        if entry.size > self.max_bytes // 8:
            return
        self._drop(shape)
        self.entries[shape] = (version, tag, entry)
        self.size += entry.size
        while len(self.entries) > self.max_entries or self.size > self.max_bytes:
            _, (_, _, dropped) = self.entries.popitem(last=False)
            self.size -= dropped.size

    def _drop(self, shape: str) -> None:
        found = self.entries.pop(shape, None)
        if found is not None:
            self.size -= found[2].size

    def clear(self) -> None:
        """Forget every answer."""
        self.entries.clear()
        self.size = 0
