"""ETags for reads: the data version plus everything else that shapes the body.

A GET under `/api/` (except health and auth) is tagged `"v<version>-<digest>"`, the digest
hashing the path, the sorted query string (with `compare`), the negotiated format (csv/json),
the current month (the default window on an empty database) and the installation's settings
that shape answers (the fiscal year's start month and the currency), so a restart with another
fiscal year never answers 304 to a body computed under the old one. These functions work on
the raw ASGI values so a cache hit never builds a Request; `readlayer.ReadLayer` decides when
to use them.
"""

from __future__ import annotations

import hashlib
import time
from urllib.parse import parse_qsl, urlencode

UNTAGGED_PREFIXES = (
    "/api/health",
    "/api/v1/auth/",
    # The seed front end's inbox, calendar and profile: per-user or small and changed by their
    # own writes, which are not data changes (no data version bump), so never cached.
    "/api/messages",
    "/api/meetings",
    "/api/users/me",
    # Delivery state is changed by the background worker, not by data writes: never cached.
    "/api/v1/delivery",
)
MAX_MEMO = 4096


def is_tagged(method: str, path: str) -> bool:
    """True for the reads that carry an ETag (and may be cached)."""
    return method == "GET" and path.startswith("/api/") and not path.startswith(UNTAGGED_PREFIXES)


def wants_csv(accept: bytes) -> bool:
    """True when the Accept header negotiates CSV (as the endpoints do)."""
    return b"text/csv" in accept


def current_month() -> str:
    """`YYYY-MM` in UTC, part of every tag."""
    now = time.gmtime()
    return f"{now.tm_year:04d}-{now.tm_mon:02d}"


def _digest(path: str, query: bytes, csv: bool, month: str, salt: str) -> str:
    pairs = sorted(parse_qsl(query.decode("latin-1"), keep_blank_values=True))
    key = f"{path}?{urlencode(pairs)}|{'csv' if csv else 'json'}|{month}|{salt}"
    return hashlib.sha256(key.encode()).hexdigest()[:20]


class Tagger:
    """Computes tags, remembering the version-free digest of each request shape it has seen;
    `salt` names the settings that shape every answer (e.g. `fy4|GBP`)."""

    def __init__(self, salt: str = "") -> None:
        self.salt = salt
        self._memo: dict[tuple[str, bytes, bool, str], str] = {}

    def tag(self, version: int, path: str, query: bytes, csv: bool) -> str:
        """A strong tag for this data version and this exact request."""
        key = (path, query, csv, current_month())
        digest = self._memo.get(key)
        if digest is None:
            if len(self._memo) >= MAX_MEMO:
                self._memo.clear()
            digest = self._memo[key] = _digest(*key, self.salt)
        return f'"v{version}-{digest}"'


def matches(if_none_match: bytes, tag: str) -> bool:
    """True when the client's If-None-Match already names `tag` (weak or strong, or `*`)."""
    if not if_none_match:
        return False
    candidates = {part.strip().removeprefix(b"W/") for part in if_none_match.split(b",")}
    return tag.encode() in candidates or b"*" in candidates
