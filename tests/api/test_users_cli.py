"""`execdash users` / `execdash tokens`: accounts made on the command line work against the API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from execdash.cli import app
from tests.api.conftest import bearer


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> CliRunner:
    monkeypatch.setenv("EXECDASH_DATABASE_URL", sqlite_url)
    return CliRunner()


def test_user_and_token_made_on_the_cli_can_write(runner: CliRunner, client: TestClient) -> None:
    added = runner.invoke(
        app, ["users", "add", "alice", "--role", "editor", "--password-stdin"],
        input="long enough pw\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["users", "list"])
    assert "alice" in listed.output
    assert "editor" in listed.output
    created = runner.invoke(app, ["tokens", "create", "alice", "--name", "ci"])
    token = created.stdout.strip().splitlines()[0]
    assert token.startswith("edt_")
    alert = {"type": "ops", "title": "From a script"}
    assert client.post("/api/v1/alerts", json=alert, headers=bearer(token)).status_code == 201
    assert runner.invoke(app, ["tokens", "revoke", token]).exit_code == 0
    assert client.post("/api/v1/alerts", json=alert, headers=bearer(token)).status_code == 401


def test_bad_input_fails_with_a_message(runner: CliRunner, client: TestClient) -> None:
    del client
    short = runner.invoke(app, ["users", "add", "bob", "--password-stdin"], input="short\n")
    assert short.exit_code == 1
    assert "at least 8 characters" in short.output
    role = runner.invoke(app, ["users", "add", "bob", "--role", "boss", "--password-stdin"])
    assert role.exit_code == 1
    assert "not one of viewer, editor, admin" in role.output
    assert runner.invoke(app, ["tokens", "create", "nobody"]).exit_code == 1
    assert runner.invoke(app, ["tokens", "revoke", "12345"]).exit_code == 1
