"""Helpers for the seed front end's routes: an app on either backend and how that UI calls it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app
from execdash.api.accounts import add_user
from execdash.config import Settings
from tests.api.conftest import PASSWORD

ORIGIN = "http://testserver"
UI = {"Accept": "application/json", "Origin": ORIGIN}
"""Headers the seed UI's fetch helper sends (the browser adds Origin); JSON bodies add the type."""


def add_roles(engine: Engine) -> None:
    """A viewer, an editor and an admin (named after their roles) who can log in."""
    with engine.begin() as conn:
        for role in ("viewer", "editor", "admin"):
            add_user(conn, role, PASSWORD, role)


def make_client(engine: Engine, url: str, **settings: Any) -> Iterator[TestClient]:
    """A client on `url` with a viewer, an editor and an admin who can log in."""
    add_roles(engine)
    yield from client_for(url, **settings)


def client_for(url: str, **settings: Any) -> Iterator[TestClient]:
    """A client on the database at `url`, whose accounts exist already."""
    app = create_app(Settings(database_url=url, **settings))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def login(client: TestClient, username: str = "editor") -> None:
    """Sign in the way /login does: the session cookie is all the client keeps."""
    response = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text


def send(client: TestClient, method: str, path: str, body: object | None = None) -> Any:
    """A write as the seed UI sends it: JSON body (`{}` when none), same origin, no token."""
    return client.request(method, path, json={} if body is None else body, headers=UI)


def is_json_error(response: Any, status: int) -> str:
    """Assert a JSON error the UI can show; return its sentence."""
    assert response.status_code == status, response.text
    assert "application/json" in response.headers["content-type"]
    message: str = response.json()["message"]
    assert message == response.json()["detail"]
    assert len(message) > 10, message
    return message
