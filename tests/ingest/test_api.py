"""`POST /api/v1/imports`: editors import files over HTTP and get the CLI's report."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import create_app
from execdash.api.accounts import add_user, create_token
from execdash.config import Settings
from tests.ingest.conftest import file_fingerprint, rows


@pytest.fixture
def client(sqlite_url: str, engine: Engine) -> Iterator[TestClient]:
    del engine  # migrated before the app opens the file
    with TestClient(create_app(Settings(database_url=sqlite_url))) as test_client:
        yield test_client


@pytest.fixture
def headers(engine: Engine) -> dict[str, dict[str, str]]:
    found = {}
    with engine.begin() as conn:
        for role in ("viewer", "editor"):
            add_user(conn, role, "correct horse battery", role)
            found[role] = {"Authorization": f"Bearer {create_token(conn, role, name='t')}"}
    return found


RISK = b"id,customer,mrr,risk\n1,Acme,100,85\n2,Beta,50,40\n"


def test_editor_imports_and_gets_the_report(
    client: TestClient, headers: dict[str, dict[str, str]], engine: Engine
) -> None:
    response = client.post(
        "/api/v1/imports",
        files=[("files", ("retention_at_risk.csv", RISK, "text/csv"))],
        headers=headers["editor"],
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ok"] is True
    assert body["files"][0]["notes"] == ["retention_at_risk.risk: read as percent, divided by 100"]
    assert [(r[0], r[3]) for r in rows(engine, "retention_at_risk")] == [(1, 0.85), (2, 0.4)]
    assert rows(engine, "execdash_import_log")[0][6] == "editor"


def test_bad_file_answers_422_with_problems_and_writes_nothing(
    client: TestClient, headers: dict[str, dict[str, str]], engine: Engine
) -> None:
    before = file_fingerprint(engine)
    response = client.post(
        "/api/v1/imports",
        files=[("files", ("costs.csv", b"id,cost,date\n1,5,2025-31-01\n", "text/csv"))],
        data={"table": "expenses", "mode": "upsert"},
        headers=headers["editor"],
    )
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {
            "file": "costs.csv",
            "row": 2,
            "column": "date",
            "value": "2025-31-01",
            "message": "is not a valid date (YYYY-MM-DD)",
        }
    ]
    assert file_fingerprint(engine) == before


def test_viewer_is_forbidden_and_anonymous_unauthorised(
    client: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    upload = [("files", ("retention_at_risk.csv", RISK, "text/csv"))]
    assert client.post("/api/v1/imports", files=upload).status_code == 401
    viewer = client.post("/api/v1/imports", files=upload, headers=headers["viewer"])
    assert viewer.status_code == 403


def test_bad_mode_and_unsafe_file_names_are_refused(
    client: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    upload = [("files", ("retention_at_risk.csv", RISK, "text/csv"))]
    bad_mode = client.post(
        "/api/v1/imports", files=upload, data={"mode": "merge"}, headers=headers["editor"]
    )
    assert bad_mode.status_code == 400
    hidden = client.post(
        "/api/v1/imports",
        files=[("files", (".orders.csv", RISK, "text/csv"))],
        headers=headers["editor"],
    )
    assert hidden.status_code == 422
