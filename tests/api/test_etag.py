"""Reads carry an ETag from the data version; If-None-Match gets a 304 until data change."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app, etag, reads
from execdash.api.etag import Tagger, matches
from execdash.config import Settings
from execdash.db.changes import data_version
from tests.api.conftest import bearer


def test_same_version_gives_304_without_body(client: TestClient, rows: Engine) -> None:
    first = client.get("/api/v1/alerts")
    tag = first.headers["etag"]
    with rows.connect() as conn:  # the version of what /api/v1/alerts reads
        assert tag.startswith(f'"v{data_version(conn, reads.ALERTS)}-')
    again = client.get("/api/v1/alerts", headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag


def test_a_write_changes_the_tag(client: TestClient, rows: Engine, tokens: dict[str, str]) -> None:
    tag = client.get("/api/v1/alerts").headers["etag"]
    client.post("/api/v1/alerts/1/acknowledge", headers=bearer(tokens["editor"]))
    response = client.get("/api/v1/alerts", headers={"If-None-Match": tag})
    assert response.status_code == 200
    new = response.headers["etag"]
    assert int(new[2:].split("-")[0]) > int(tag[2:].split("-")[0])
    assert new.split("-")[1] == tag.split("-")[1]  # same request, newer data


def test_query_and_format_are_part_of_the_tag(client: TestClient, rows: Engine) -> None:
    plain = client.get("/api/v1/alerts").headers["etag"]
    filtered = client.get("/api/v1/alerts?type=ops").headers["etag"]
    csv = client.get("/api/v1/alerts?format=csv").headers["etag"]
    accept_csv = client.get("/api/v1/alerts", headers={"Accept": "text/csv"}).headers["etag"]
    assert len({plain, filtered, csv, accept_csv}) == 4
    reordered = client.get("/api/v1/alerts?type=ops&sort=id").headers["etag"]
    assert client.get("/api/v1/alerts?sort=id&type=ops").headers["etag"] == reordered


def test_errors_and_health_are_not_tagged(client: TestClient) -> None:
    assert "etag" not in client.get("/api/v1/alerts?page=0").headers
    assert "etag" not in client.get("/api/health").headers


def test_locked_reads_check_auth_before_304(settings: Settings, tokens: dict[str, str]) -> None:
    locked = Settings(database_url=settings.database_url, read_requires_login=True)
    with TestClient(create_app(locked)) as client:
        tag = client.get("/api/v1/alerts", headers=bearer(tokens["viewer"])).headers["etag"]
        assert client.get("/api/v1/alerts", headers={"If-None-Match": tag}).status_code == 401
        cached = client.get(
            "/api/v1/alerts", headers={"If-None-Match": tag, **bearer(tokens["viewer"])}
        )
        assert cached.status_code == 304


def test_dashboard_and_compat_reads_answer_304(client: TestClient, company: Engine) -> None:
    for path in ("/api/v1/dashboard?range=6m", "/api/executive-dashboard", "/api/v1/kpis/gm"):
        tag = client.get(path).headers["etag"]
        assert client.get(path, headers={"If-None-Match": tag}).status_code == 304, path
        assert client.get(path, headers={"If-None-Match": f'W/{tag}, "other"'}).status_code == 304


def test_the_tag_changes_with_the_month(monkeypatch: pytest.MonkeyPatch) -> None:
    tagger = Tagger()
    june = tagger.tag(7, "/api/v1/dashboard", b"range=6m", csv=False)
    monkeypatch.setattr(etag, "current_month", lambda: "2099-07")
    july = tagger.tag(7, "/api/v1/dashboard", b"range=6m", csv=False)
    assert june != july
    assert june.startswith('"v7-')
    assert july.startswith('"v7-')


def test_the_tag_ignores_query_order_but_not_values() -> None:
    tagger = Tagger()
    one = tagger.tag(1, "/api/v1/alerts", b"type=ops&sort=id", csv=False)
    assert tagger.tag(1, "/api/v1/alerts", b"sort=id&type=ops", csv=False) == one
    assert tagger.tag(1, "/api/v1/alerts", b"sort=id&type=sales", csv=False) != one
    assert tagger.tag(1, "/api/v1/alerts", b"sort=id&type=ops", csv=True) != one
    assert tagger.tag(2, "/api/v1/alerts", b"sort=id&type=ops", csv=False) != one


def test_if_none_match_accepts_lists_weak_tags_and_star_only() -> None:
    tag = '"v3-abc"'
    assert matches(b'"v1-x", W/"v3-abc"', tag)
    assert matches(b"*", tag)
    assert not matches(b'"v3-abcd", "v4-abc"', tag)
    assert not matches(b"", tag)
