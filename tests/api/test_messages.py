"""`/api/messages…`: the seed front end's inbox on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.db.compat_tables import messages
from tests.api.seed_front import UI, client_for, is_json_error, login, make_client, send

FIELDS = {"id": int, "title": str, "content": str, "priority": str, "read": bool,
          "archived": bool, "created_at": str}  # fmt: skip


@pytest.fixture
def client(any_engine: Engine, any_url: str) -> Iterator[TestClient]:
    yield from make_client(any_engine, any_url)


def _post(client: TestClient, title: str, priority: str = "normal") -> dict[str, object]:
    response = send(
        client, "POST", "/api/messages", {"title": title, "content": "Body", "priority": priority}
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


@pytest.mark.parametrize("recipient", [2**70, 2**31, 0, -1])
def test_a_recipient_id_no_database_row_can_have_is_refused_by_name_and_nothing_is_written(
    client: TestClient, any_engine: Engine, recipient: int
) -> None:
    """An id beyond a 32-bit integer used to reach SQLite and answer 500."""
    login(client)
    body = {"title": "Hi", "content": "Body", "recipient_id": recipient}
    response = send(client, "POST", "/api/messages", body)
    assert "recipient_id" in is_json_error(response, 422)
    with any_engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(messages)).scalar_one() == 0


def test_an_empty_database_has_an_empty_inbox(client: TestClient) -> None:
    assert client.get("/api/messages?archived=false", headers=UI).json() == []
    count = client.get("/api/messages/unread-count", headers=UI)
    assert count.headers["content-type"] == "application/json"
    assert count.json() == {"count": 0}


def test_an_editor_posts_reads_archives_and_deletes_with_the_cookie_alone(
    client: TestClient,
) -> None:
    login(client)
    first = _post(client, "Contract probe")
    second = _post(client, "Second", "urgent")
    for field, kind in FIELDS.items():
        assert isinstance(first[field], kind), field
    assert first["sender"] == "editor"
    assert first["read"] is False
    assert first["archived"] is False
    assert str(first["created_at"]).endswith("Z")

    top_bar = client.get("/api/messages?read=false&archived=false&limit=5", headers=UI).json()
    assert [m["id"] for m in top_bar] == [second["id"], first["id"]]  # newest first
    assert client.get("/api/messages/unread-count").json() == {"count": 2}

    assert send(client, "POST", f"/api/messages/{first['id']}/mark-read").json()["read"] is True
    assert client.get("/api/messages/unread-count").json() == {"count": 1}
    archived = send(client, "POST", f"/api/messages/{second['id']}/archive").json()
    assert archived["archived"] is True
    assert client.get("/api/messages/unread-count").json() == {"count": 0}
    assert [m["id"] for m in client.get("/api/messages?archived=true").json()] == [second["id"]]

    changed = send(
        client, "PUT", f"/api/messages/{second['id']}", {"archived": False, "read": False}
    )
    assert (changed.json()["archived"], changed.json()["read"]) == (False, False)
    done = send(client, "POST", "/api/messages/mark-all-read")
    assert done.json()["updated"] == 1
    assert client.get("/api/messages/unread-count").json() == {"count": 0}

    deleted = send(client, "DELETE", f"/api/messages/{first['id']}")
    assert deleted.status_code == 204
    assert is_json_error(send(client, "DELETE", f"/api/messages/{first['id']}"), 404) == (
        f"Message {first['id']} not found."
    )


def test_bad_messages_are_refused_with_a_sentence(client: TestClient, any_engine: Engine) -> None:
    login(client)
    blank = send(client, "POST", "/api/messages", {"title": "  ", "content": "x"})
    assert "field 'title': must not be blank" in is_json_error(blank, 422)
    odd = send(client, "POST", "/api/messages", {"title": "t", "content": "x", "priority": "asap"})
    assert "priority" in is_json_error(odd, 422)
    with any_engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(messages)).scalar() == 0


def test_writes_need_an_editor_and_reads_follow_the_read_setting(
    client: TestClient, any_url: str
) -> None:
    anonymous = send(client, "POST", "/api/messages", {"title": "t", "content": "x"})
    assert "Log in" in is_json_error(anonymous, 401)
    assert client.get("/api/messages/unread-count").status_code == 200  # reads are open
    login(client, "viewer")
    assert "editor role" in is_json_error(send(client, "POST", "/api/messages/mark-all-read"), 403)
    for locked in client_for(any_url, read_requires_login=True):
        assert "need a login" in is_json_error(locked.get("/api/messages/unread-count"), 401)
        login(locked, "viewer")
        assert locked.get("/api/messages/unread-count").json() == {"count": 0}
