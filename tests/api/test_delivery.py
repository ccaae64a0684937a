"""The delivery API: editors manage channels and recipients, test-send, read the log, retry."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app
from execdash.api.accounts import add_user, create_token
from execdash.config import Settings
from execdash.delivery import signing, store
from execdash.delivery.formatting import format_value
from tests.api.conftest import bearer
from tests.delivery.conftest import Mailbox, Receiver, SmtpSettings, receiver, smtp_server

__all__ = ["receiver", "smtp_server"]  # fixtures shared with tests/delivery


@pytest.fixture(autouse=True)
def smtp_env(smtp_server: tuple[Mailbox, SmtpSettings], monkeypatch: pytest.MonkeyPatch) -> None:
    _, smtp = smtp_server
    monkeypatch.setenv("EXECDASH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("EXECDASH_SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("EXECDASH_SMTP_SECURITY", "none")
    monkeypatch.setenv("EXECDASH_SMTP_FROM", "dash@example.com")


def test_viewers_cannot_see_or_change_delivery(client: TestClient, tokens: dict[str, str]) -> None:
    assert client.get("/api/v1/delivery/channels").status_code == 401
    viewer = bearer(tokens["viewer"])
    assert client.get("/api/v1/delivery/channels", headers=viewer).status_code == 403
    body = {"name": "x", "kind": "slack", "target": "https://hooks.example/x"}
    assert client.post("/api/v1/delivery/channels", json=body, headers=viewer).status_code == 403


def test_a_webhook_channel_shows_its_secret_once_and_test_sends_signed(
    client: TestClient, tokens: dict[str, str], receiver: Receiver
) -> None:
    editor = bearer(tokens["editor"])
    made = client.post(
        "/api/v1/delivery/channels",
        headers=editor,
        json={"name": "erp", "kind": "webhook", "target": receiver.url},
    )
    assert made.status_code == 201, made.text
    secret = made.json()["secret"]
    listed = client.get("/api/v1/delivery/channels", headers=editor).json()
    assert listed[0]["signed"] is True
    assert "secret" not in listed[0]
    assert listed[0]["target"].endswith("/…")  # the path is not shown
    sent = client.post(f"/api/v1/delivery/channels/{made.json()['id']}/test", headers=editor)
    assert sent.json()["outcome"] == "sent"
    (request,) = receiver.requests
    assert signing.verify(
        secret,
        request.body,
        request.headers["x-execdash-timestamp"],
        request.headers["x-execdash-signature"],
    )
    assert json.loads(request.body)["data"]["requested_by"] == "editor"
    log = client.get("/api/v1/delivery/log", headers=editor).json()
    assert log[0]["status"] == "sent"
    assert log[0]["subject"] == "Test message to erp"
    assert log[0]["log"][0]["outcome"] == "sent"


def test_bad_input_names_the_field(client: TestClient, tokens: dict[str, str]) -> None:
    editor = bearer(tokens["editor"])
    bad = client.post(
        "/api/v1/delivery/channels",
        headers=editor,
        json={"name": "x", "kind": "webhook", "target": "ftp://nope"},
    )
    assert bad.status_code == 422
    assert "target" in bad.text
    assert "http:// or https://" in bad.text
    bad = client.post(
        "/api/v1/delivery/recipients", headers=editor, json={"name": "x", "email": "not-an-address"}
    )
    assert bad.status_code == 422
    assert "not an email address" in bad.text
    assert client.post("/api/v1/delivery/channels/999/test", headers=editor).status_code == 404


def test_a_failed_test_send_is_logged_and_can_be_retried(
    client: TestClient, tokens: dict[str, str], receiver: Receiver
) -> None:
    editor = bearer(tokens["editor"])
    made = client.post(
        "/api/v1/delivery/channels",
        headers=editor,
        json={"name": "slack", "kind": "slack", "target": receiver.url},
    ).json()
    receiver.statuses.append(500)
    first = client.post(f"/api/v1/delivery/channels/{made['id']}/test", headers=editor).json()
    assert first["outcome"] == "failed"
    assert "HTTP 500" in first["detail"]
    failed = client.get("/api/v1/delivery/log?status=failed", headers=editor).json()
    assert [d["id"] for d in failed] == [first["id"]]
    again = client.post(f"/api/v1/delivery/log/{first['id']}/retry", headers=editor).json()
    assert again["outcome"] == "sent"
    assert (
        client.post(f"/api/v1/delivery/log/{first['id']}/retry", headers=editor).status_code == 404
    )


def test_recipients_are_managed_and_an_email_channel_test_arrives(
    client: TestClient, tokens: dict[str, str], smtp_server: tuple[Mailbox, SmtpSettings]
) -> None:
    box, _ = smtp_server
    editor = bearer(tokens["editor"])
    added = client.post(
        "/api/v1/delivery/recipients",
        headers=editor,
        json={"name": "Carla", "email": "cfo@example.com", "role": "cfo"},
    )
    assert added.status_code == 201
    changed = client.patch(
        f"/api/v1/delivery/recipients/{added.json()['id']}",
        headers=editor,
        json={"frequency": "monthly"},
    )
    assert changed.json()["frequency"] == "monthly"
    mail = client.post(
        "/api/v1/delivery/channels",
        headers=editor,
        json={"name": "m", "kind": "email", "target": "ops@example.com"},
    ).json()
    assert (
        client.post(f"/api/v1/delivery/channels/{mail['id']}/test", headers=editor).json()[
            "outcome"
        ]
        == "sent"
    )
    assert box.messages[0]["Subject"] == "Test message from execdash to m"
    assert box.messages[0]["From"] == "dash@example.com"
    assert (
        client.delete(
            f"/api/v1/delivery/recipients/{added.json()['id']}", headers=editor
        ).status_code
        == 204
    )
    assert client.get("/api/v1/delivery/recipients", headers=editor).json() == []


def test_the_preview_is_the_digest_with_its_charts_embedded(demo_engine: Engine) -> None:
    with demo_engine.begin() as conn:
        add_user(conn, "ed", "correct horse battery", "editor")
        token = create_token(conn, "ed", name="t")
        recipient = store.add_recipient(conn, "Carla", "cfo@example.com", "cfo")
    with TestClient(create_app(Settings(database_url=str(demo_engine.url)))) as client:
        page = client.get(f"/api/v1/delivery/recipients/{recipient}/preview", headers=bearer(token))
        kpis = client.get("/api/v1/dashboard").json()["kpis"]
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.text.count('src="data:image/png;base64,') == 2
    revenue = next(k for k in kpis if k["key"] == "revenue")
    assert f">{format_value(revenue['value'], 'currency')}<" in page.text
