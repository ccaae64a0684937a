"""Every kind of response carries nosniff, a referrer policy and a CSP; pages keep their own."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from execdash.api.guard.headers import NON_HTML_POLICY
from execdash.web.security import CONTENT_SECURITY_POLICY

NON_HTML = [
    ("GET", "/api/health", 200),
    ("GET", "/api/v1/alerts?format=csv", 200),
    ("GET", "/api/v1/alerts", 200),
    ("GET", "/api/v1/no-such-thing", 404),
    ("GET", "/api/v1/kpis/revenue?as_of=nonsense", 422),
    ("POST", "/api/v1/alerts", 401),
    ("GET", "/static/js/app.js", 200),
    ("GET", "/static/css/app.css", 200),
    ("GET", "/openapi.json", 200),
    ("DELETE", "/api/health", 405),
]


@pytest.mark.parametrize(("method", "path", "status"), NON_HTML)
def test_non_html_answers_carry_the_deny_all_policy(
    client: TestClient, method: str, path: str, status: int
) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["content-security-policy"] == NON_HTML_POLICY


def test_cached_and_not_modified_reads_carry_the_headers(client: TestClient) -> None:
    first = client.get("/api/v1/dashboard")
    assert first.status_code == 200
    again = client.get("/api/v1/dashboard", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    for response in (first, again):
        assert response.headers["content-security-policy"] == NON_HTML_POLICY
        assert response.headers["x-content-type-options"] == "nosniff"


def test_pages_keep_their_own_policy(client: TestClient) -> None:
    response = client.get("/")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"


def test_api_docs_page_loads_everything_from_this_server(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "http" not in CONTENT_SECURITY_POLICY
    sources = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    bundle = r"/static/vendor/swagger-ui/swagger-ui-bundle\.[0-9a-f]{12}\.js"
    assert any(re.fullmatch(bundle, s) for s in sources)
    assert [s for s in sources if not s.startswith("/")] == []
    assert client.get("/redoc").status_code == 404


def test_server_errors_carry_the_headers(client: TestClient) -> None:
    app = client.app

    @app.get("/boom")  # type: ignore[attr-defined]
    def boom() -> None:
        raise RuntimeError("kaput")

    response = client.get("/boom")
    assert response.status_code == 500
    assert response.headers["content-security-policy"] == NON_HTML_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
