"""Reads are answered from the response cache until a recorded write moves the data version."""

from __future__ import annotations

import gzip
import random

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api.cache import Entry, ResponseCache, make_entry
from execdash.api.versionprobe import VersionProbe
from tests.api.conftest import bearer


def _cache(client: TestClient) -> ResponseCache:
    cache: ResponseCache = client.app.state.response_cache  # type: ignore[attr-defined]
    return cache


def test_a_repeated_read_is_served_from_the_cache_with_the_same_body(
    client: TestClient, rows: Engine
) -> None:
    first = client.get("/api/v1/alerts")
    second = client.get("/api/v1/alerts")
    assert second.status_code == 200
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["content-type"] == first.headers["content-type"]
    assert (_cache(client).misses, _cache(client).hits) == (1, 1)


def test_an_uncached_read_asks_for_the_data_version_once(client: TestClient, rows: Engine) -> None:
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    probe: VersionProbe = client.app.state.version_probe  # type: ignore[attr-defined]
    statements: list[str] = []

    def record(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        statements.append(sql)

    client.get("/api/v1/alerts")  # catches up the rows the fixture wrote behind execdash's back
    reads = probe.reads
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get("/api/v1/risks").status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    # one read by the read layer's own connection; risks never read app_meta through the engine
    assert probe.reads - reads == 1
    assert sum("execdash_app_meta" in sql for sql in statements) == 0


def test_a_cache_hit_runs_no_query_through_the_engine(client: TestClient, rows: Engine) -> None:
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    statements: list[str] = []

    def record(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        statements.append(sql)

    client.get("/api/v1/risks")
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get("/api/v1/risks").status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert statements == []
    assert _cache(client).hits == 1


def test_a_cached_answer_still_honours_if_none_match(client: TestClient, rows: Engine) -> None:
    tag = client.get("/api/v1/alerts").headers["etag"]
    again = client.get("/api/v1/alerts", headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""


def test_parameters_and_format_are_cached_separately(client: TestClient, rows: Engine) -> None:
    plain = client.get("/api/v1/alerts")
    csv = client.get("/api/v1/alerts", headers={"Accept": "text/csv"})
    assert plain.content != csv.content
    assert client.get("/api/v1/alerts", headers={"Accept": "text/csv"}).content == csv.content
    assert _cache(client).hits == 1


def test_a_recorded_write_drops_the_cached_answers(
    client: TestClient, rows: Engine, tokens: dict[str, str]
) -> None:
    before = client.get("/api/v1/alerts/1").json()
    client.post("/api/v1/alerts/1/acknowledge", headers=bearer(tokens["editor"]))
    after = client.get("/api/v1/alerts/1").json()
    assert before["status"] == "open"
    assert after["status"] == "acknowledged"
    assert _cache(client).misses == 2


def test_reads_that_need_a_login_are_never_cached(
    locked_client: TestClient, rows: Engine, tokens: dict[str, str]
) -> None:
    assert locked_client.get("/api/v1/alerts", headers=bearer(tokens["viewer"])).status_code == 200
    assert locked_client.get("/api/v1/alerts").status_code == 401
    assert getattr(locked_client.app.state, "response_cache", None) is None


def _entry(body: bytes) -> Entry:
    return make_entry(body, [(b"content-type", b"application/json")])


def _tag(version: int, shape: str) -> str:
    return f'"v{version}-{shape}"'


def test_the_cache_evicts_the_least_recently_used_answer_beyond_its_bound() -> None:
    cache = ResponseCache()
    for i in range(513):
        cache.put(3, _tag(3, f"t{i}"), _entry(b"x"))
    assert cache.get(3, _tag(3, "t0")) is None
    assert cache.get(3, _tag(3, "t512")) is not None
    assert len(cache.entries) == 512


def test_a_newer_version_of_one_answer_replaces_it_and_leaves_the_others() -> None:
    cache = ResponseCache()
    cache.put(3, _tag(3, "kpis"), _entry(b"old kpis"))
    cache.put(8, _tag(8, "funnel"), _entry(b"funnel"))
    assert cache.get(4, _tag(4, "kpis")) is None  # the KPIs' tables changed: dropped
    assert list(cache.entries) == ['funnel"']  # keyed by the request shape
    assert cache.get(8, _tag(8, "funnel")) is not None  # other tables: still served


def test_the_byte_bound_counts_the_plain_and_the_gzip_body() -> None:
    body = random.Random(7).randbytes(3000) + b"a" * 1096  # 4096 bytes, gzip saves ~1 KB
    entry = _entry(body)
    assert entry.gzipped is not None
    assert entry.size == 4096 + len(entry.gzipped)
    cache = ResponseCache(max_bytes=10 * entry.size)  # ten entries; 17 if only plain counted
    for i in range(11):
        cache.put(1, _tag(1, f"t{i}"), entry)
    assert list(cache.entries) == [f't{i}"' for i in range(1, 11)]
    assert cache.size == 10 * entry.size


def test_an_answer_computed_before_a_newer_version_is_not_stored() -> None:
    cache = ResponseCache()
    cache.put(6, _tag(6, "kpis"), _entry(b"fresh"))
    cache.put(5, _tag(5, "kpis"), _entry(b"stale"))  # finished after the newer answer
    assert cache.get(6, _tag(6, "kpis")) == _entry(b"fresh")
    assert cache.get(5, _tag(5, "kpis")) is None


def test_small_bodies_are_not_compressed() -> None:
    entry = _entry(b"{}" * 511)  # 1022 bytes: under the 1024-byte floor
    assert entry.gzipped is None
    assert entry.for_client(accepts_gzip=True) == (entry.plain_headers, entry.body)
    assert (b"vary", b"Accept-Encoding") not in entry.plain_headers


def test_a_large_body_is_stored_with_both_encodings_and_their_headers() -> None:
    body = b'{"k": "' + b"v" * 2000 + b'"}'
    entry = _entry(body)
    assert entry.gzipped is not None
    assert gzip.decompress(entry.gzipped) == body
    headers, sent = entry.for_client(accepts_gzip=True)
    assert sent == entry.gzipped
    assert dict(headers) == {
        b"content-type": b"application/json",
        b"content-length": str(len(entry.gzipped)).encode(),
        b"content-encoding": b"gzip",
        b"vary": b"Accept-Encoding",
    }
    plain_headers, plain = entry.for_client(accepts_gzip=False)
    assert plain == body
    assert dict(plain_headers)[b"content-length"] == str(len(body)).encode()
    assert dict(plain_headers)[b"vary"] == b"Accept-Encoding"
    assert b"content-encoding" not in dict(plain_headers)
