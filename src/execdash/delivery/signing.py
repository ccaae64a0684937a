"""Signed webhooks: HMAC-SHA256 over the timestamp and the exact body, checked in constant time.

The receiver gets `X-Execdash-Timestamp: <unix seconds>` and `X-Execdash-Signature:
sha256=<hex>` where hex = HMAC-SHA256(secret, "<timestamp>." + body). It recomputes the HMAC over
the raw body, compares in constant time, and rejects timestamps older than a few minutes, so a
captured request cannot be replayed later (docs/delivery.md has a receiver in ten lines).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

TIMESTAMP_HEADER = "X-Execdash-Timestamp"
SIGNATURE_HEADER = "X-Execdash-Signature"
DELIVERY_HEADER = "X-Execdash-Delivery"
TOLERANCE_S = 300


def new_secret() -> str:
    """A random signing secret (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>." + body)."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signed_headers(secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    """The timestamp and signature headers for `body`."""
    timestamp = int(time.time() if now is None else now)
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: signature(secret, timestamp, body)}


def verify(secret: str, body: bytes, timestamp: str, header: str, now: float | None = None) -> bool:
    """True when `header` signs `body` at `timestamp` and that is within the tolerance."""
    if not timestamp.isdigit():
        return False
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > TOLERANCE_S:
        return False
    return hmac.compare_digest(signature(secret, int(timestamp), body), header)
