"""The health endpoint answers for load balancers and the seed front end."""

from __future__ import annotations

from fastapi.testclient import TestClient

from execdash.api import create_app
from execdash.config import Settings


def test_health_answers_ok(sqlite_url: str) -> None:
    client = TestClient(create_app(Settings(database_url=sqlite_url)))
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
