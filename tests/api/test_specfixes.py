"""The OpenAPI document promises what the server does: body errors, and `by` per KPI."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from execdash.metrics.breakdowns import DIMENSIONS
from execdash.metrics.formulas import KPI_KEYS
from tests.api.conftest import bearer


@pytest.fixture
def spec(client: TestClient) -> dict[str, Any]:
    return dict(client.get("/openapi.json").json())


def _by_values(operation: dict[str, Any]) -> list[str]:
    for parameter in operation.get("parameters", []):
        if parameter["name"] == "by":
            schema = parameter["schema"]
            options = schema.get("anyOf", [schema])
            return [v for option in options for v in option.get("enum", [])]
    return []


@pytest.mark.parametrize("key", KPI_KEYS)
def test_each_kpi_path_offers_only_the_dimensions_the_server_accepts(
    spec: dict[str, Any], client: TestClient, key: str
) -> None:
    offered = _by_values(spec["paths"][f"/api/v1/kpis/{key}"]["get"])
    assert offered == list(DIMENSIONS[key])
    for by in ("customer", "industry", "source", "product"):
        status = client.get(f"/api/v1/kpis/{key}", params={"by": by}).status_code
        assert (status == 200) == (by in offered), (key, by, status)


def test_the_templated_kpi_path_is_gone(spec: dict[str, Any]) -> None:
    assert "/api/v1/kpis/{key}" not in spec["paths"]
    assert "/api/v1/kpis/{key}/drivers" not in spec["paths"]


def test_every_body_operation_documents_400_and_422(spec: dict[str, Any]) -> None:
    bodies = [
        (path, method, operation)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    ]
    assert len(bodies) >= 8
    for path, method, operation in bodies:
        assert {"400", "422"} <= operation["responses"].keys(), (method, path)


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/api/v1/alerts"), ("PATCH", "/api/v1/alerts/1"), ("POST", "/api/v1/risks"),
     ("PATCH", "/api/v1/risks/1"), ("POST", "/api/v1/risks/1/status"),
     ("POST", "/api/v1/at-risk-customers"), ("PATCH", "/api/v1/at-risk-customers/1"),
     ("POST", "/api/v1/auth/login")],
)  # fmt: skip
def test_malformed_json_is_a_422_naming_the_body(
    client: TestClient, tokens: dict[str, str], method: str, path: str
) -> None:
    response = client.request(
        method,
        path,
        content=b'{"title": "x",',
        headers={**bearer(tokens["editor"]), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "not valid JSON" in response.json()["detail"]
