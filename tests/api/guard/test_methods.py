"""A 405 names every method the path answers, for OPTIONS and any other unsupported method."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from execdash.api.guard.methods import allowed, method_index


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("OPTIONS", "/api/v1/alerts", "GET, POST"),
        ("OPTIONS", "/api/v1/alerts/3", "GET, PATCH"),
        ("PUT", "/api/v1/at-risk-customers/2", "DELETE, GET, PATCH"),
        ("DELETE", "/api/health", "GET"),
        ("OPTIONS", "/api/v1/kpis/revenue", "GET"),
    ],
)
def test_405_lists_every_method_of_the_path(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert method in response.json()["detail"]


def test_pages_outside_the_api_keep_their_allow_header(client: TestClient) -> None:
    response = client.options("/")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"


def test_method_index_matches_templates() -> None:
    index = method_index({"paths": {"/a/{id}": {"get": {}, "patch": {}}, "/a": {"post": {}}}})
    assert allowed(index, "/a/7") == ["GET", "PATCH"]
    assert allowed(index, "/a") == ["POST"]
    assert allowed(index, "/b") == []
