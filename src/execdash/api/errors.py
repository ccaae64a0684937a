"""Every error leaves the API as `application/problem+json` (RFC 9457) with a human message.

Validation errors name the parameter or field and where it was (query, path, body); unexpected
exceptions are logged server-side and answered with a generic 500, never a stack trace.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from execdash.api.guard.headers import add_security_headers

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("execdash.api")


class ProblemField(BaseModel):
    """One invalid input: where it was, which parameter or field, and what is wrong."""

    location: str
    name: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemField] | None = None


def problem_response(
    status: int,
    detail: str,
    instance: str | None = None,
    errors: Sequence[ProblemField] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A problem+json response with the standard title for `status`."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors is not None:
        body["errors"] = [e.model_dump() for e in errors]
    response = Response(orjson.dumps(body), status, headers=headers, media_type=PROBLEM_JSON)
    # The 500 handler answers outside every middleware, so the headers are set here too.
    add_security_headers(response.headers)
    return response


PATTERN_MESSAGES = {"as_of": "must be a month written YYYY-MM (years 1900–2999), e.g. 2025-08"}
"""Human wording for parameters whose rule is a regular expression."""


def _field(error: Any) -> ProblemField:
    loc = [str(part) for part in error.get("loc", ())]
    location = loc[0] if loc else "request"
    name = ".".join(loc[1:]) if len(loc) > 1 else location
    message = str(error.get("msg", "invalid"))
    if error.get("type") == "string_pattern_mismatch" and name in PATTERN_MESSAGES:
        message = PATTERN_MESSAGES[name]
    return ProblemField(location=location, name=name, message=message)


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    fields = [_field(e) for e in exc.errors()]
    described = "; ".join(f"{f.location} parameter {f.name!r}: {f.message}" for f in fields[:5])
    if fields and fields[0].location == "body":
        described = "; ".join(f"field {f.name!r}: {f.message}" for f in fields[:5])
    return problem_response(422, f"Invalid request: {described}", request.url.path, fields or None)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"No resource at {request.url.path}"
    if exc.status_code == 405 and detail == "Method Not Allowed":
        detail = f"{request.method} is not allowed on {request.url.path}"
    return problem_response(
        exc.status_code, detail, request.url.path, headers=dict(exc.headers or {}) or None
    )


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(
        500, "An unexpected error occurred; it has been logged on the server.", request.url.path
    )


def install_error_handlers(app: FastAPI) -> None:
    """Route validation, HTTP and unexpected errors through problem+json."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)


def _problem_content() -> dict[str, Any]:
    return {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries documenting problem+json answers for `statuses`."""
    return {
        status: {"description": HTTPStatus(status).phrase, "content": _problem_content()}
        for status in statuses
    }
