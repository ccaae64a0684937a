"""Every error leaves the API as `application/problem+json` (RFC 9457) with a human message.

The seed front end's routes (`/api/...` outside `/api/v1`) send the same document as
`application/json` with the sentence also in `message`: that front end only parses bodies whose
content type contains `application/json` and shows their `message` field.

Validation errors name the parameter or field and where it was (query, path, body); unexpected
exceptions are logged server-side and answered with a generic 500, never a stack trace. A write
that could not get the database in time (other writers, lock or statement timeouts) is a 503
with `Retry-After`. Every 5xx carries `Connection: close`, so a client never reuses a
connection the server is about to drop.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

import orjson
import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from execdash.api import sidetables
from execdash.api.fields import PATTERN_WORDS
from execdash.api.guard.headers import add_security_headers
from execdash.api.writes import RETRY_AFTER_SECONDS, WriteBusy
from execdash.db.engine import is_contention, is_missing_schema

PROBLEM_JSON = "application/problem+json"
OWN_API = "/api/v1"
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
    message: str | None = Field(
        default=None, description="The detail again, on the seed front end's routes only."
    )


def seed_contract_path(path: str | None) -> bool:
    """Whether `path` is one of the seed front end's routes (`/api/...` but not `/api/v1`)."""
    if path is None or not path.startswith("/api/"):
        return False
    return not (path == OWN_API or path.startswith(OWN_API + "/"))


def problem_response(
    status: int,
    detail: str,
    instance: str | None = None,
    errors: Sequence[ProblemField] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A problem+json response with the standard title for `status` (plain JSON plus `message`
    on the seed front end's routes, named by `instance`)."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors is not None:
        body["errors"] = [e.model_dump() for e in errors]
    if status >= 500:
        headers = {**(headers or {}), "Connection": "close"}
    media_type = PROBLEM_JSON
    if seed_contract_path(instance):
        body["message"] = detail
        media_type = "application/json"
    response = Response(orjson.dumps(body), status, headers=headers, media_type=media_type)
    # The 500 handler answers outside every middleware, so the headers are set here too.
    add_security_headers(response.headers)
    return response


PATTERN_MESSAGES = {"as_of": "must be a month written YYYY-MM (years 1900–2999), e.g. 2025-08"}
"""Human wording for parameters whose rule is a regular expression."""


_UNION_TAGS = frozenset({"none", "str", "int", "float", "bool", "date", "datetime"})
"""Names pydantic puts in an error's location for the branch of a union that failed."""


def _is_union_tag(part: str) -> bool:
    return part in _UNION_TAGS or "-" in part or "[" in part


def _field(error: Any) -> ProblemField:
    raw = [str(part) for part in error.get("loc", ())]
    loc = raw[:2] + [part for part in raw[2:] if not _is_union_tag(part)]
    location = loc[0] if loc else "request"
    name = ".".join(loc[1:]) if len(loc) > 1 else location
    message = str(error.get("msg", "invalid"))
    if error.get("type") == "string_pattern_mismatch":
        pattern = str((error.get("ctx") or {}).get("pattern"))
        message = PATTERN_MESSAGES.get(name) or PATTERN_WORDS.get(pattern, message)
    if error.get("type") == "json_invalid":  # loc is ("body", character offset)
        reason = (error.get("ctx") or {}).get("error", "malformed")
        at = f" at character {loc[1]}" if len(loc) > 1 else ""
        return ProblemField(
            location="body", name="body", message=f"is not valid JSON: {reason}{at}"
        )
    return ProblemField(location=location, name=name, message=message)


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    fields = list({(f.location, f.name): f for f in map(_field, reversed(exc.errors()))}.values())
    fields.reverse()  # one entry per field (a union reports each branch), in the original order
    described = "; ".join(f"{f.location} parameter {f.name!r}: {f.message}" for f in fields[:5])
    if fields and fields[0].location == "body":
        described = "; ".join(f"field {f.name!r}: {f.message}" for f in fields[:5])
    return problem_response(422, f"Invalid request: {described}", request.url.path, fields or None)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"No resource at {request.url.path}"
    if exc.status_code == 400 and detail == "There was an error parsing the body":
        detail = "The request body could not be read: send UTF-8 JSON text."
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


def busy_response(instance: str, why: str) -> Response:
    """503: the write did not run (nothing changed); try again after `Retry-After` seconds."""
    return problem_response(
        503,
        f"The database is busy with other writes ({why}); nothing was changed, "
        f"please retry in {RETRY_AFTER_SECONDS} s.",
        instance,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _write_busy(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, WriteBusy)
    log.warning("write refused on %s %s: %s", request.method, request.url.path, exc)
    return busy_response(request.url.path, str(exc))


NOT_UPGRADED = (
    "The database has no execdash tables yet: run `execdash db upgrade` (`execdash serve` "
    "does it at start), then retry."
)


def not_upgraded_response(instance: str) -> Response:
    """503: the server runs on a database that was never upgraded to execdash's schema."""
    return problem_response(503, NOT_UPGRADED, instance, headers={"Retry-After": "60"})


async def _database(request: Request, exc: Exception) -> Response:
    if not is_contention(exc) and seed_contract_path(request.url.path):
        statement = getattr(exc, "statement", None)
        try:
            sentence = await run_in_threadpool(
                sidetables.conflict, request.app.state.engine, statement
            )
        except Exception:  # the check must never turn one error into another
            log.exception("could not inspect the side tables after %s", exc)
            sentence = None
        if sentence:
            log.error("%s %s: %s (%s)", request.method, request.url.path, sentence, exc)
            return problem_response(409, sentence, request.url.path)
    if is_missing_schema(exc):
        log.error("%s %s: %s (%s)", request.method, request.url.path, NOT_UPGRADED, exc)
        return not_upgraded_response(request.url.path)
    if is_contention(exc):
        log.warning("database busy on %s %s: %s", request.method, request.url.path, exc)
        return busy_response(request.url.path, type(getattr(exc, "orig", exc)).__name__)
    return await _unexpected(request, exc)


def install_error_handlers(app: FastAPI) -> None:
    """Route validation, HTTP, busy-database and unexpected errors through problem+json."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(WriteBusy, _write_busy)
    app.add_exception_handler(DBAPIError, _database)
    app.add_exception_handler(PoolTimeout, _database)
    app.add_exception_handler(sqlite3.OperationalError, _database)
    app.add_exception_handler(psycopg.Error, _database)
    app.add_exception_handler(Exception, _unexpected)


def _problem_content() -> dict[str, Any]:
    return {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries documenting problem+json answers for `statuses`."""
    return {
        status: {"description": HTTPStatus(status).phrase, "content": _problem_content()}
        for status in statuses
    }
