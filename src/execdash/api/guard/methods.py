"""`405 Method Not Allowed` lists every method the path answers, as HTTP requires.

Starlette's 405 names the methods of the first route whose path matched, so `OPTIONS
/api/v1/alerts` was told `Allow: GET` although `POST` works too. This middleware rewrites the
`Allow` header of a 405 from the OpenAPI document: every documented method of every path
template matching the request.
"""

from __future__ import annotations

import re

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from execdash.api.guard.bodies import path_pattern

MethodIndex = list[tuple[re.Pattern[str], frozenset[str]]]


def method_index(spec: dict[str, object]) -> MethodIndex:
    """(path pattern, methods) for each path of an OpenAPI document."""
    paths = spec.get("paths", {})
    assert isinstance(paths, dict)
    return [
        (path_pattern(template), frozenset(m.upper() for m in operations))
        for template, operations in paths.items()
    ]


def allowed(index: MethodIndex, path: str) -> list[str]:
    """The methods documented for `path`, sorted; empty when none."""
    methods: set[str] = set()
    for pattern, found in index:
        if pattern.match(path):
            methods |= found
    return sorted(methods)


class CompleteAllow:
    """ASGI middleware replacing the `Allow` header of 405 answers (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._index: MethodIndex | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                if self._index is None:
                    spec = await run_in_threadpool(scope["app"].openapi)
                    self._index = method_index(spec)
                methods = allowed(self._index, scope["path"])
                if methods:
                    MutableHeaders(scope=message)["Allow"] = ", ".join(methods)
            await send(message)

        await self.app(scope, receive, send_with_allow)
