"""API fixtures: an app over a migrated SQLite file, users of each role and their tokens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app
from execdash.api.accounts import add_user, create_token
from execdash.config import Settings

PASSWORD = "correct horse battery"


@pytest.fixture
def settings(sqlite_url: str, engine: Engine) -> Settings:
    """Settings for the migrated SQLite database of this test."""
    del engine  # requested so the schema exists before the app opens the file
    return Settings(database_url=sqlite_url)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """A client on an open installation; server errors become 500 responses, not exceptions."""
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def tokens(engine: Engine) -> dict[str, str]:
    """A bearer token per role: viewer, editor, admin (users named after the role)."""
    found: dict[str, str] = {}
    with engine.begin() as conn:
        for role in ("viewer", "editor", "admin"):
            add_user(conn, role, PASSWORD, role)
            found[role] = create_token(conn, role, name="tests")
    return found


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for `token`."""
    return {"Authorization": f"Bearer {token}"}
