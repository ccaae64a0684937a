"""Signed webhooks: a receiver can check the body and the time it was signed."""

from __future__ import annotations

import hashlib
import hmac

from execdash.delivery import signing


def test_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    body = b'{"event":"test"}'
    expected = hmac.new(b"k3y", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert signing.signature("k3y", 1700000000, body) == "sha256=" + expected


def test_verify_accepts_the_signed_body_and_rejects_tampering_and_replays() -> None:
    body = b'{"a":1}'
    headers = signing.signed_headers("s3cret", body, now=1_700_000_000)
    ts, sig = headers[signing.TIMESTAMP_HEADER], headers[signing.SIGNATURE_HEADER]
    assert signing.verify("s3cret", body, ts, sig, now=1_700_000_010)
    assert not signing.verify("s3cret", b'{"a":2}', ts, sig, now=1_700_000_010)
    assert not signing.verify("other", body, ts, sig, now=1_700_000_010)
    assert not signing.verify("s3cret", body, ts, sig, now=1_700_000_000 + 301)
    assert not signing.verify("s3cret", body, "not-a-number", sig, now=1_700_000_000)


def test_new_secrets_are_long_and_distinct() -> None:
    assert len({signing.new_secret() for _ in range(50)}) == 50
    assert len(signing.new_secret()) >= 43
