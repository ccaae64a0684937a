"""`execdash serve --workers N`: N processes, each its own app over the one database."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from execdash.api.app import create_app
from execdash.api.factory import app_from_env
from execdash.config import Settings

EXECDASH = str(Path(sys.executable).parent / "execdash")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _workers(pid: int) -> list[str]:
    """Command lines of the worker processes started by `pid` (not its resource tracker)."""
    found: list[str] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            if "spawn_main" in cmdline:
                found.append(cmdline)
    return found


def test_the_factory_serves_the_database_named_by_the_environment(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXECDASH_DATABASE_URL", sqlite_url)
    app = app_from_env()
    assert str(app.state.engine.url) == sqlite_url


def test_a_served_app_has_its_openapi_document_before_the_first_request(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXECDASH_DATABASE_URL", sqlite_url)
    app = app_from_env()
    assert app.openapi_schema is None
    with TestClient(app):  # the lifespan ran: the server is ready to accept requests
        assert app.openapi_schema is not None
        assert "/api/events" in app.openapi_schema["paths"]


def test_an_app_for_tests_builds_its_openapi_document_only_when_asked(sqlite_url: str) -> None:
    app = create_app(Settings(database_url=sqlite_url))
    with TestClient(app) as client:
        assert app.openapi_schema is None
        assert client.get("/openapi.json").status_code == 200
        assert app.openapi_schema is not None


def test_two_workers_answer_on_one_port(sqlite_url: str, tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "EXECDASH_DATABASE_URL": sqlite_url}
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [EXECDASH, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 240  # two app imports on a busy machine
        health = None
        while time.monotonic() < deadline and health is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as r:
                    health = json.loads(r.read())
            except OSError:
                time.sleep(0.2)
        assert health is not None, (tmp_path / "serve.log").read_text()
        while time.monotonic() < deadline and len(_workers(server.pid)) < 2:
            time.sleep(0.2)
        workers = _workers(server.pid)
        assert len(workers) == 2, workers
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
