"""Errors are problem+json with a message, never a stack trace; unknown parameters are ignored."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from execdash.api import create_app
from execdash.config import Settings


def test_unknown_path_is_problem_404(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank", "title": "Not Found", "status": 404,
        "detail": "No resource at /api/v1/nothing-here", "instance": "/api/v1/nothing-here",
    }  # fmt: skip


def test_wrong_method_is_problem_405(client: TestClient) -> None:
    response = client.delete("/api/health")
    assert response.status_code == 405
    assert response.json()["detail"] == "DELETE is not allowed on /api/health"


def test_unknown_query_parameters_are_ignored(client: TestClient) -> None:
    assert client.get("/api/v1/alerts?colour=blue").status_code == 200


def test_bad_page_is_422_naming_it(client: TestClient) -> None:
    response = client.get("/api/v1/alerts?page=0")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "location": "query",
            "name": "page",
            "message": "Input should be greater than or equal to 1",
        }
    ]
    assert response.json()["detail"].startswith("Invalid request: query parameter 'page'")


def test_server_error_hides_the_stack_trace(settings: Settings) -> None:
    app: FastAPI = create_app(settings)

    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("secret internals at /srv/app.py line 3")

    response = TestClient(app, raise_server_exceptions=False).get("/api/v1/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "secret" not in response.text
    assert "Traceback" not in response.text
    assert response.json()["title"] == "Internal Server Error"
    # The server drops the connection after a 500: say so, or a kept-alive next request is reset.
    assert response.headers["Connection"] == "close"


def test_client_errors_keep_the_connection(client: TestClient) -> None:
    assert "connection" not in client.get("/api/v1/nothing-here").headers


def test_openapi_documents_problem_schema(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "Problem" in spec["components"]["schemas"]
    responses = spec["paths"]["/api/v1/alerts"]["post"]["responses"]
    assert "application/problem+json" in responses["403"]["content"]


def test_a_database_never_upgraded_answers_503_saying_what_to_run(tmp_path: Path) -> None:
    """The app created straight from the factory on an empty file (no `execdash serve`, which
    upgrades first): every data route says what to run, none answers 500."""
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    settings = Settings(database_url=f"sqlite:///{empty}")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        for method, path, body in (
            ("GET", "/api/v1/kpis", None),
            ("GET", "/api/executive-dashboard", None),
            ("GET", "/api/v1/imports", None),
            ("POST", "/api/v1/auth/login", {"username": "a", "password": "b"}),
            ("POST", "/api/events", {"event_type": "drilldown"}),
        ):
            answer = client.request(method, path, json=body)
            assert answer.status_code == 503, (path, answer.text)
            text = answer.json().get("detail") or answer.json()["message"]
            assert "run `execdash db upgrade`" in text, path
            assert answer.headers["retry-after"] == "60"
        assert client.get("/api/health").status_code == 200
