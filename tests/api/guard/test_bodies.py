"""Bodies are refused before they are read: 401 for anonymous writes, 413 past the caps."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI

from execdash.api import create_app
from execdash.api.guard.bodies import mebibytes, operations_of
from execdash.config import Settings

MB = 1 << 20


@dataclasses.dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    chunks_pulled: int

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    app: FastAPI,
    method: str,
    path: str,
    headers: dict[str, str],
    chunks: Iterator[bytes],
) -> Answer:
    """Run one request through the ASGI app, counting how many body chunks it pulled."""
    pulled = 0
    pending = list(chunks)  # references to one shared chunk: cheap even for 150 chunks of 1 MB
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        if pulled < len(pending):
            pulled += 1
            return {"type": "http.request", "body": pending[pulled - 1],
                    "more_body": pulled < len(pending)}  # fmt: skip
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()], "state": {},
    }  # fmt: skip
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return Answer(
        start["status"],
        {k.decode(): v.decode() for k, v in start["headers"]},
        body,
        pulled,
    )


def _megabytes(count: int, size: int = MB) -> Iterator[bytes]:
    chunk = b" " * size
    return iter([chunk] * count)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(dataclasses.replace(settings, max_body_bytes=MB, max_upload_bytes=4 * MB))


def test_anonymous_150_mb_alert_post_is_refused_unread(app: FastAPI) -> None:
    headers = {"content-type": "application/json", "content-length": str(150 * MB)}
    answer = call(app, "POST", "/api/v1/alerts", headers, _megabytes(150))
    assert answer.status == 401
    assert answer.chunks_pulled == 0
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert answer.headers["connection"] == "close"


def test_anonymous_chunked_upload_is_refused_unread(app: FastAPI) -> None:
    headers = {"content-type": "multipart/form-data; boundary=x"}
    answer = call(app, "POST", "/api/v1/imports", headers, _megabytes(200))
    assert answer.status == 401
    assert answer.chunks_pulled == 0


def test_a_revoked_token_is_refused_before_the_body(app: FastAPI) -> None:
    headers = {"authorization": "Bearer edt_not-a-real-token", "content-length": str(5 * MB)}
    answer = call(app, "PATCH", "/api/v1/risks/1", headers, _megabytes(5))
    assert answer.status == 401
    assert "invalid, expired or revoked" in answer.json()["detail"]
    assert answer.chunks_pulled == 0


def test_declared_oversize_json_gets_413_naming_the_cap(
    app: FastAPI, tokens: dict[str, str]
) -> None:
    headers = {"authorization": f"Bearer {tokens['editor']}", "content-length": str(2 * MB),
               "content-type": "application/json"}  # fmt: skip
    answer = call(app, "POST", "/api/v1/alerts", headers, _megabytes(2))
    assert answer.status == 413
    assert answer.chunks_pulled == 0
    detail = answer.json()["detail"]
    assert "1 MiB" in detail
    assert "EXECDASH_MAX_BODY_BYTES" in detail


def test_streamed_oversize_json_is_cut_off_at_the_cap(app: FastAPI, tokens: dict[str, str]) -> None:
    headers = {"authorization": f"Bearer {tokens['editor']}", "content-type": "application/json"}
    answer = call(app, "POST", "/api/v1/alerts", headers, _megabytes(64, 64 << 10))
    assert answer.status == 413
    assert answer.chunks_pulled == 17  # 17 × 64 KiB is the first count past 1 MiB


def test_uploads_get_the_larger_cap_and_are_cut_off_past_it(
    app: FastAPI, tokens: dict[str, str]
) -> None:
    auth = {"authorization": f"Bearer {tokens['editor']}"}
    boundary = "b0undary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
            f"filename=\"alerts.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode()  # fmt: skip
    rows = b"".join(b"%d,ops,Line stop,low\n" % i for i in range(100_000))
    tail = f"\r\n--{boundary}--\r\n".encode()
    content_type = {"content-type": f"multipart/form-data; boundary={boundary}"}
    small = head + b"id,type,title,severity\n" + rows[: 2 * MB] + tail
    big = head + b"id,type,title,severity\n" + rows * 3 + tail
    assert MB < len(small) < 4 * MB < len(big)
    answer = call(app, "POST", "/api/v1/imports", auth | content_type, iter([small]))
    assert answer.status != 413
    step = 256 << 10
    pieces = iter([big[i : i + step] for i in range(0, len(big), step)])
    answer = call(app, "POST", "/api/v1/imports", auth | content_type, pieces)
    assert answer.status == 413
    assert "4 MiB" in answer.json()["detail"]
    assert "EXECDASH_MAX_UPLOAD_BYTES" in answer.json()["detail"]
    assert answer.chunks_pulled == 17


def test_anonymous_writes_that_are_meant_to_be_open_still_read_their_body(app: FastAPI) -> None:
    body = json.dumps({"username": "nobody", "password": "wrong password"}).encode()
    headers = {"content-type": "application/json", "content-length": str(len(body))}
    answer = call(app, "POST", "/api/v1/auth/login", headers, iter([body]))
    assert answer.status == 401
    assert answer.chunks_pulled == 1


def test_operations_are_read_from_the_spec() -> None:
    spec = {
        "paths": {
            "/a/{id}": {
                "patch": {"security": [{"HTTPBearer": []}], "requestBody": {"content": {}}},
                "get": {},
            },
            "/up": {"post": {"security": [{"HTTPBearer": []}],
                             "requestBody": {"content": {"multipart/form-data": {}}}}},
            "/open": {"post": {"security": [{"HTTPBearer": []}, {}]}},
        }
    }  # fmt: skip
    found = {(o.method, o.pattern.pattern): o for o in operations_of(spec)}
    assert len(found) == 3
    patch = found[("PATCH", "^/a/[^/]+$")]
    assert patch.needs_credentials
    assert not patch.is_upload
    assert found[("POST", "^/up$")].is_upload
    assert not found[("POST", "^/open$")].needs_credentials


@pytest.mark.parametrize(
    ("size", "text"),
    [(MB, "1 MiB"), (256 * MB, "256 MiB"), (512 << 10, "512 KiB"), (1000, "1000 bytes")],
)
def test_sizes_are_written_in_binary_units(size: int, text: str) -> None:
    assert mebibytes(size) == text
