"""Corrections to the generated OpenAPI document so that it promises exactly what the server does.

- Every operation with a request body documents 400 (a body that cannot be read at all) and
  422 (malformed JSON or an invalid field), both as problem documents.
- `compare=plan` is listed only where a route offers it, and those routes document the 409
  they answer while no plan is active.
- A KPI's breakdown dimensions depend on the KPI (`metrics.breakdowns.DIMENSIONS`), which one
  templated path cannot say; the KPI drill-down and drivers paths are listed once per KPI key,
  each offering only the `by` values that KPI accepts.
"""

from __future__ import annotations

import copy
from http import HTTPStatus
from typing import Any

from execdash.metrics.breakdowns import DIMENSIONS
from execdash.metrics.formulas import KPI_KEYS

PER_KPI_PATHS = ("/api/v1/kpis/{key}", "/api/v1/kpis/{key}/drivers")
"""Templated paths whose `by` values depend on the KPI key."""

_BODY_ERRORS = {
    "400": "The body could not be read (not UTF-8 text, or a broken multipart upload).",
    "422": "The body is not valid JSON, or a field is missing or invalid (each is named).",
}


def compare_where_offered(spec: dict[str, Any], offered: set[str], plan: str) -> None:
    """Drop `plan` from the `compare` values of routes not in `offered`; document the 409 of
    those in it (run before `kpi_paths_per_key`, which copies the templated paths)."""
    problem = {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in spec.get("paths", {}).items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("name") != "compare":
                    continue
                if path in offered:
                    operation.setdefault("responses", {}).setdefault(
                        "409",
                        {
                            "description": f"compare={plan} while no plan is active.",
                            "content": problem,
                        },
                    )
                    continue
                schema = parameter.get("schema", {})
                if "enum" in schema:
                    schema["enum"] = [v for v in schema["enum"] if v != plan]
                if "examples" in parameter:
                    parameter["examples"] = [v for v in parameter["examples"] if v != plan]
                if isinstance(schema.get("examples"), list):
                    schema["examples"] = [v for v in schema["examples"] if v != plan]


def document_body_errors(spec: dict[str, Any]) -> None:
    """Add the 400 and 422 answers to every operation that takes a request body."""
    problem = {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            if "requestBody" not in operation:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in _BODY_ERRORS.items():
                responses.setdefault(status, {"description": description, "content": problem})
                if not responses[status].get("description"):
                    responses[status]["description"] = HTTPStatus(int(status)).phrase


def _for_key(operations: dict[str, Any], key: str, dimensions: tuple[str, ...]) -> dict[str, Any]:
    concrete = copy.deepcopy(operations)
    for operation in concrete.values():
        if "operationId" in operation:
            operation["operationId"] += f"_{key}"
        kept = []
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "path" and parameter.get("name") == "key":
                continue
            if parameter.get("name") == "by":
                if not dimensions:
                    continue
                parameter["schema"] = _by_schema(parameter["schema"], dimensions)
            kept.append(parameter)
        operation["parameters"] = kept
    return concrete


def _by_schema(schema: dict[str, Any], dimensions: tuple[str, ...]) -> dict[str, Any]:
    limited = {"type": "string", "enum": list(dimensions)}
    if "anyOf" in schema:  # optional: `by` may be left out (null)
        return {**schema, "anyOf": [limited, {"type": "null"}]}
    return {**schema, **limited}


def kpi_paths_per_key(spec: dict[str, Any]) -> None:
    """Replace each templated KPI path by one path per key with only its dimensions."""
    paths = spec.get("paths", {})
    for template in PER_KPI_PATHS:
        operations = paths.pop(template, None)
        if operations is None:
            continue
        explains_only = template.endswith("/drivers")
        for key in KPI_KEYS:
            dimensions = DIMENSIONS.get(key, ())
            if explains_only and not dimensions:
                continue
            paths[template.replace("{key}", key)] = _for_key(operations, key, dimensions)
