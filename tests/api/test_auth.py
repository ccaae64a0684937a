"""Writes need the right role, tokens and sessions expire, cookie writes need the CSRF header."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Iterator
from types import SimpleNamespace
from typing import TypeVar

import pytest
import sqlalchemy as sa
from fastapi import HTTPException
from fastapi.security import HTTPAuthorizationCredentials
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from starlette.requests import Request

from execdash.api import accounts, auth, create_app
from execdash.api.accounts import (
    AccountError,
    User,
    add_user,
    create_token,
    revoke_token,
    verify_password,
)
from execdash.config import Settings
from execdash.db import schema
from execdash.db.tables import api_tokens, app_metadata, users, web_sessions
from tests.api.conftest import PASSWORD, bearer

T = TypeVar("T")

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


def test_a_locked_read_accepts_the_session_cookie(
    settings: Settings, tokens: dict[str, str]
) -> None:
    del tokens  # the users exist
    locked = Settings(database_url=settings.database_url, read_requires_login=True)
    with TestClient(create_app(locked)) as client:
        login = client.post("/api/v1/auth/login", json={"username": "viewer", "password": PASSWORD})
        assert login.status_code == 200
        assert client.get("/api/v1/alerts").status_code == 200  # the cookie the login set
        client.cookies.clear()
        assert client.get("/api/v1/alerts").status_code == 401


def test_reads_document_one_optional_bearer_scheme(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["paths"]["/api/v1/alerts"]["get"]["security"] == [{"HTTPBearer": []}, {}]
    schemes = spec["components"]["securitySchemes"]
    assert schemes == {
        "HTTPBearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "API token from `execdash tokens create`",
        }
    }


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


# The dependencies called directly, on a request built by hand: fast, and they reach the code
# `require_role(...)` returns (routes build theirs at import, out of reach of the API tests above).


def _request(
    method: str = "POST",
    headers: dict[str, str] | None = None,
    engine: Engine | None = None,
    read_requires_login: bool = False,
) -> Request:
    settings = Settings(database_url="sqlite://", read_requires_login=read_requires_login)
    app = SimpleNamespace(state=SimpleNamespace(engine=engine, settings=settings))
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    return Request({"type": "http", "method": method, "headers": raw, "app": app})


def _run(call: Awaitable[T]) -> T:
    """The result of an async dependency called directly, outside a request."""

    async def wait() -> T:
        return await call

    return asyncio.run(wait())


def _refused(call: Callable[[], Awaitable[object]]) -> HTTPException:
    with pytest.raises(HTTPException) as refused:
        _run(call())
    return refused.value


@pytest.fixture
def accounts_db() -> Iterator[Engine]:
    """A memory database with only the account tables, shared with the lookup's worker thread."""
    memory = sa.create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    app_metadata.create_all(memory, tables=[users, api_tokens, web_sessions])
    yield memory
    memory.dispose()


VIEWER = User(1, "vic", "viewer")
EDITOR = User(2, "eve", "editor")
SESSION_EDITOR = User(2, "eve", "editor", via="session", csrf_token="s3cret")


def test_a_401_tells_the_client_to_send_a_bearer_token() -> None:
    answer = auth.unauthorized("Why.")
    assert (answer.status_code, answer.detail) == (401, "Why.")
    assert answer.headers == {"WWW-Authenticate": 'Bearer realm="execdash"'}


def test_require_role_refuses_an_unknown_role_and_names_its_dependency() -> None:
    with pytest.raises(ValueError, match=r"^unknown role 'boss'$"):
        auth.require_role("boss")
    assert auth.require_role("editor").__name__ == "require_editor"


def test_require_role_without_a_user_is_401_asking_for_credentials() -> None:
    refused = _refused(lambda: auth.require_role("viewer")(_request(), None))
    assert (refused.status_code, refused.detail) == (
        401, "Log in or send an API token (Authorization: Bearer ...).",
    )  # fmt: skip
    assert refused.headers == {"WWW-Authenticate": 'Bearer realm="execdash"'}


def test_require_role_lets_the_role_and_stronger_ones_through_and_names_the_gap() -> None:
    editor_only = auth.require_role("editor")
    assert _run(editor_only(_request(), EDITOR)) is EDITOR
    assert _run(editor_only(_request(), User(3, "ada", "admin"))) is not None
    refused = _refused(lambda: editor_only(_request(), VIEWER))
    assert (refused.status_code, refused.detail) == (
        403, "This needs the editor role; vic is a viewer.",
    )  # fmt: skip


def test_a_cookie_write_needs_the_sessions_exact_csrf_token() -> None:
    write = auth.require_role("viewer")
    for sent in ({}, {"X-CSRF-Token": "wrong"}, {"X-CSRF-Token": "s3cret "}):
        refused = _refused(lambda sent=sent: write(_request("POST", sent), SESSION_EDITOR))
        assert (refused.status_code, refused.detail) == (
            403, "Missing or wrong X-CSRF-Token header for a cookie-authenticated write.",
        )  # fmt: skip
    assert (
        _run(write(_request("POST", {"X-CSRF-Token": "s3cret"}), SESSION_EDITOR)) is SESSION_EDITOR
    )
    no_token = User(2, "eve", "editor", via="session", csrf_token=None)
    assert _refused(lambda: write(_request("POST", {"X-CSRF-Token": ""}), no_token))


def test_safe_methods_and_token_writes_need_no_csrf_token() -> None:
    for method in ("GET", "HEAD", "OPTIONS"):
        assert _run(auth.require_role("viewer")(_request(method), SESSION_EDITOR)) is SESSION_EDITOR
    assert _run(auth.require_role("editor")(_request("DELETE"), EDITOR)) is EDITOR
    assert _refused(lambda: auth.require_role("viewer")(_request("PATCH"), SESSION_EDITOR))


def test_reads_are_open_unless_the_installation_locks_them() -> None:
    assert _run(auth.read_access(_request("GET"), None)) is None
    assert _run(auth.read_access(_request("GET", read_requires_login=True), VIEWER)) is VIEWER
    refused = _refused(lambda: auth.read_access(_request("GET", read_requires_login=True), None))
    assert (refused.status_code, refused.detail) == (
        401,
        "Reads need a login on this installation.",
    )


def test_current_user_comes_from_the_token_the_cookie_or_nobody(accounts_db: Engine) -> None:
    with accounts_db.begin() as conn:
        add_user(conn, "eve", PASSWORD, "editor")
        token = create_token(conn, "eve")
        session_id, csrf, _ = accounts.create_session(conn, User(1, "eve", "editor"))
    bearer_token = HTTPAuthorizationCredentials(scheme="Bearer", credentials=token)
    by_token = _run(auth.current_user(_request(engine=accounts_db), bearer_token))
    assert by_token == User(1, "eve", "editor", via="token")
    cookie = {"Cookie": f"execdash_session={session_id}"}
    by_cookie = _run(auth.current_user(_request(headers=cookie, engine=accounts_db), None))
    assert by_cookie == User(1, "eve", "editor", via="session", csrf_token=csrf)
    assert _run(auth.current_user(_request(engine=accounts_db), None)) is None
    empty = {"Cookie": "execdash_session="}
    assert _run(auth.current_user(_request(headers=empty, engine=accounts_db), None)) is None
    stale = {"Cookie": "execdash_session=gone"}
    assert _run(auth.current_user(_request(headers=stale, engine=accounts_db), None)) is None


def test_a_bad_token_is_401_even_beside_a_good_cookie(accounts_db: Engine) -> None:
    with accounts_db.begin() as conn:
        add_user(conn, "eve", PASSWORD, "editor")
        session_id, _, _ = accounts.create_session(conn, User(1, "eve", "editor"))
    cookie = {"Cookie": f"execdash_session={session_id}"}
    bad = HTTPAuthorizationCredentials(scheme="Bearer", credentials="edt_nonsense")
    refused = _refused(lambda: auth.current_user(_request(headers=cookie, engine=accounts_db), bad))
    assert (refused.status_code, refused.detail) == (
        401, "The API token is invalid, expired or revoked.",
    )  # fmt: skip
    assert refused.headers == {"WWW-Authenticate": 'Bearer realm="execdash"'}


def test_a_request_without_credentials_is_anonymous_without_touching_the_database() -> None:
    # No engine: a lookup (the worker thread every anonymous event used to cost) would fail.
    assert _run(auth.current_user(_request(), None)) is None
    assert _run(auth.current_user(_request(headers={"Cookie": "theme=dark"}), None)) is None


def test_a_user_already_authenticated_by_the_body_guard_is_not_looked_up_again() -> None:
    request = _request()  # no engine: a lookup would fail
    setattr(request.state, auth.USER_STATE_KEY, EDITOR)
    bad = HTTPAuthorizationCredentials(scheme="Bearer", credentials="edt_nonsense")
    assert _run(auth.current_user(request, bad)) is EDITOR
