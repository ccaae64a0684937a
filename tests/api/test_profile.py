"""`/api/users/me…`: the signed-in user's profile and settings, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.db.compat_tables import profiles, user_settings
from tests.api.seed_front import UI, is_json_error, login, make_client, send

PROFILE = {"name": "Dana Exec", "email": "dana@example.com", "avatar_url": "", "role": "CFO",
           "department": "Finance", "phone": "", "timezone": "Europe/London"}  # fmt: skip
DEFAULTS = {"theme": "light", "notifications_enabled": True, "email_notifications": True,
            "language": "en", "date_format": "YYYY-MM-DD", "time_format": "24h"}  # fmt: skip


@pytest.fixture
def client(any_engine: Engine, any_url: str) -> Iterator[TestClient]:
    yield from make_client(any_engine, any_url)


def test_nobody_is_me_anonymously(client: TestClient) -> None:
    assert "Log in" in is_json_error(client.get("/api/users/me", headers=UI), 401)
    assert "Log in" in is_json_error(client.get("/api/users/me/settings"), 401)
    assert "Log in" in is_json_error(send(client, "PUT", "/api/users/me", PROFILE), 401)


def test_a_new_login_sees_its_name_then_saves_a_profile(
    client: TestClient, any_engine: Engine
) -> None:
    login(client)
    fresh = client.get("/api/users/me", headers=UI)
    assert fresh.status_code == 200
    assert fresh.headers["content-type"] == "application/json"
    assert fresh.json()["name"] == "editor"
    assert fresh.json()["created_at"].endswith("Z")
    saved = send(client, "PUT", "/api/users/me", PROFILE)
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert {k: body[k] for k in PROFILE} == {**PROFILE, "avatar_url": None, "phone": None}
    assert isinstance(body["id"], int)
    assert body["updated_at"].endswith("Z")
    assert client.get("/api/users/me").json() == body
    with any_engine.connect() as conn:
        stored = conn.execute(sa.select(profiles.c.name, profiles.c.role)).all()
    assert [tuple(r) for r in stored] == [("Dana Exec", "CFO")]


def test_each_login_has_its_own_profile(client: TestClient) -> None:
    login(client, "editor")
    send(client, "PUT", "/api/users/me", PROFILE)
    login(client, "admin")
    assert client.get("/api/users/me").json()["name"] == "admin"
    other = send(client, "PUT", "/api/users/me", {**PROFILE, "name": "Al"})
    assert "another profile" in is_json_error(other, 409)


def test_bad_profiles_are_refused_and_a_viewer_may_only_read(client: TestClient) -> None:
    login(client)
    bad_email = send(client, "PUT", "/api/users/me", {**PROFILE, "email": "dana at home"})
    assert is_json_error(bad_email, 422) == (
        "Invalid request: field 'email': must be an e-mail address, e.g. dana@example.com"
    )  # words, not the regular expression
    assert "field 'name': must not be blank" in is_json_error(
        send(client, "PUT", "/api/users/me", {**PROFILE, "name": " "}), 422
    )
    login(client, "viewer")
    assert client.get("/api/users/me").status_code == 200
    assert "editor role" in is_json_error(send(client, "PUT", "/api/users/me", PROFILE), 403)


def test_settings_default_then_are_replaced_whole(client: TestClient, any_engine: Engine) -> None:
    login(client)
    assert client.get("/api/users/me/settings").json() == DEFAULTS
    chosen = {"theme": "dark", "notifications_enabled": True, "email_notifications": False,
              "language": "fr", "date_format": "DD/MM/YYYY", "time_format": "12h"}  # fmt: skip
    saved = send(client, "PUT", "/api/users/me/settings", chosen)
    assert saved.status_code == 200, saved.text
    assert client.get("/api/users/me/settings").json() == chosen
    assert send(client, "PUT", "/api/users/me/settings", {"theme": "auto"}).json() == {
        **DEFAULTS, "theme": "auto"}  # fmt: skip
    bad = send(client, "PUT", "/api/users/me/settings", {"language": "tlh"})
    assert "language" in is_json_error(bad, 422)
    with any_engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(user_settings)).scalar() == 1
