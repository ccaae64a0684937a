"""Writes need the right role, tokens and sessions expire, cookie writes need the CSRF header."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app
from execdash.api.accounts import (
    AccountError,
    add_user,
    create_token,
    revoke_token,
    verify_password,
)
from execdash.config import Settings
from execdash.db import schema
from execdash.db.tables import api_tokens, users, web_sessions
from tests.api.conftest import PASSWORD, bearer

NEW_ALERT = {"type": "ops", "title": "Line 3 stopped", "severity": "high"}


def test_write_without_credentials_is_401_problem(client: TestClient) -> None:
    response = client.post("/api/v1/alerts", json=NEW_ALERT)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


def test_viewer_writing_is_403(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.post("/api/v1/alerts", json=NEW_ALERT, headers=bearer(tokens["viewer"]))
    assert response.status_code == 403
    assert "editor role" in response.json()["detail"]


def test_editor_and_admin_may_write(client: TestClient, tokens: dict[str, str]) -> None:
    for role in ("editor", "admin"):
        response = client.post("/api/v1/alerts", json=NEW_ALERT, headers=bearer(tokens[role]))
        assert response.status_code == 201, response.text


def test_expired_token_is_401(client: TestClient, tokens: dict[str, str], engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(api_tokens.update().values(expires_at=dt.datetime(2020, 1, 1)))
    response = client.post("/api/v1/alerts", json=NEW_ALERT, headers=bearer(tokens["editor"]))
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_revoked_token_is_401(client: TestClient, tokens: dict[str, str], engine: Engine) -> None:
    with engine.begin() as conn:
        assert revoke_token(conn, tokens["editor"]) == 1
    response = client.post("/api/v1/alerts", json=NEW_ALERT, headers=bearer(tokens["editor"]))
    assert response.status_code == 401


def test_unknown_token_is_401_even_on_reads(client: TestClient) -> None:
    assert client.get("/api/v1/alerts", headers=bearer("edt_nonsense")).status_code == 401


def test_disabled_user_token_is_401(
    client: TestClient, tokens: dict[str, str], engine: Engine
) -> None:
    with engine.begin() as conn:
        conn.execute(users.update().where(users.c.username == "editor").values(disabled=True))
    response = client.post("/api/v1/alerts", json=NEW_ALERT, headers=bearer(tokens["editor"]))
    assert response.status_code == 401


def test_only_token_hashes_and_argon2_hashes_are_stored(
    tokens: dict[str, str], engine: Engine
) -> None:
    with engine.connect() as conn:
        stored = set(conn.execute(sa.select(api_tokens.c.token_hash)).scalars())
        hashes = list(conn.execute(sa.select(users.c.password_hash)).scalars())
    assert tokens["editor"] not in stored
    assert all(len(h) == 64 for h in stored)
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert PASSWORD not in "".join(hashes)


def test_wrong_password_does_not_log_in(client: TestClient, tokens: dict[str, str]) -> None:
    del tokens
    response = client.post("/api/v1/auth/login", json={"username": "editor", "password": "nope"})
    assert response.status_code == 401
    assert "execdash_session" not in response.cookies


def _login(client: TestClient, username: str = "editor") -> str:
    response = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["username"] == username
    csrf: str = body["csrf_token"]
    return csrf


def test_login_sets_httponly_lax_cookie(client: TestClient, tokens: dict[str, str]) -> None:
    del tokens
    response = client.post("/api/v1/auth/login", json={"username": "editor", "password": PASSWORD})
    cookie = response.headers["set-cookie"].lower()
    assert "execdash_session=" in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie


def test_cookie_is_secure_when_configured(settings: Settings, tokens: dict[str, str]) -> None:
    del tokens
    secure = Settings(database_url=settings.database_url, cookie_secure=True)
    with TestClient(create_app(secure)) as client:
        response = client.post(
            "/api/v1/auth/login", json={"username": "editor", "password": PASSWORD}
        )
    assert "secure" in response.headers["set-cookie"].lower()


def test_cookie_write_without_csrf_is_403(client: TestClient, tokens: dict[str, str]) -> None:
    del tokens
    _login(client)
    response = client.post("/api/v1/alerts", json=NEW_ALERT)
    assert response.status_code == 403
    assert "X-CSRF-Token" in response.json()["detail"]


def test_cookie_write_with_csrf_succeeds(client: TestClient, tokens: dict[str, str]) -> None:
    del tokens
    csrf = _login(client)
    response = client.post("/api/v1/alerts", json=NEW_ALERT, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 201


def test_me_returns_the_session_user_and_csrf(client: TestClient, tokens: dict[str, str]) -> None:
    del tokens
    assert client.get("/api/v1/auth/me").status_code == 401
    csrf = _login(client, "viewer")
    assert client.get("/api/v1/auth/me").json() == {
        "username": "viewer", "role": "viewer", "csrf_token": csrf, "expires_at": None,
    }  # fmt: skip


def test_logout_ends_the_session(
    client: TestClient, tokens: dict[str, str], engine: Engine
) -> None:
    del tokens
    csrf = _login(client)
    assert client.post("/api/v1/auth/logout").status_code == 403
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/api/v1/auth/me").status_code == 401
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(web_sessions)).scalar() == 0


def test_expired_session_is_anonymous(
    client: TestClient, tokens: dict[str, str], engine: Engine
) -> None:
    del tokens
    _login(client)
    with engine.begin() as conn:
        conn.execute(web_sessions.update().values(expires_at=dt.datetime(2020, 1, 1)))
    assert client.get("/api/v1/auth/me").status_code == 401


def test_user_disabled_while_signed_in_loses_the_session(
    client: TestClient, tokens: dict[str, str], engine: Engine
) -> None:
    del tokens
    csrf = _login(client)
    assert client.get("/api/v1/auth/me").status_code == 200
    with engine.begin() as conn:
        conn.execute(users.update().where(users.c.username == "editor").values(disabled=True))
    assert client.get("/api/v1/auth/me").status_code == 401
    write = client.post("/api/v1/alerts", json=NEW_ALERT, headers={"X-CSRF-Token": csrf})
    assert write.status_code == 401
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.alerts)).scalar() == 0


def test_locked_reads_need_a_login(settings: Settings, tokens: dict[str, str]) -> None:
    locked = Settings(database_url=settings.database_url, read_requires_login=True)
    with TestClient(create_app(locked)) as client:
        assert client.get("/api/v1/alerts").status_code == 401
        assert client.get("/api/v1/alerts", headers=bearer(tokens["viewer"])).status_code == 200
        assert client.get("/api/health").status_code == 200


def test_account_rules(engine: Engine) -> None:
    with engine.begin() as conn:
        add_user(conn, "ann", PASSWORD, "admin")
        for bad in (
            ("ann", PASSWORD, "admin"),
            ("bob", "short", "viewer"),
            ("cy", PASSWORD, "boss"),
        ):
            with pytest.raises(AccountError):
                add_user(conn, *bad)
        assert verify_password(conn, "ann", PASSWORD) is not None
        assert verify_password(conn, "ann", "wrong password") is None
        assert verify_password(conn, "nobody", PASSWORD) is None
        token = create_token(conn, "ann", expires_days=1)
        assert token.startswith("edt_")


def test_login_upgrades_an_outdated_hash_in_its_session_write(
    client: TestClient, engine: Engine
) -> None:
    from argon2 import PasswordHasher

    from execdash.api import accounts

    old = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1).hash(PASSWORD)
    with engine.begin() as conn:
        add_user(conn, "olga", PASSWORD, "viewer")
        conn.execute(users.update().where(users.c.username == "olga").values(password_hash=old))
    answer = client.post("/api/v1/auth/login", json={"username": "olga", "password": PASSWORD})
    assert answer.status_code == 200
    with engine.connect() as conn:
        stored = conn.execute(
            sa.select(users.c.password_hash).where(users.c.username == "olga")
        ).scalar_one()
    assert stored != old
    assert accounts._HASHER.verify(stored, PASSWORD)
    assert not accounts._HASHER.check_needs_rehash(stored)
