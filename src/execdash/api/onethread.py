"""Run a read endpoint's database work in one worker thread: its connection, window and answer.

FastAPI runs every sync dependency and a sync endpoint in a worker thread of their own, a
generator dependency in two (open, close), and it validates a sync endpoint's answer in one more:
a read taking `ReadConn` and `WindowParam` paid five thread hops, about 0.1 ms of CPU each, more
than the numbers of a small answer cost. `ReadRoute` (a router's `route_class`) registers such an
endpoint as an async one with the same query parameters, which opens the connection, resolves
the window and runs the endpoint in a single `anyio.to_thread.run_sync` call. FastAPI still
parses, validates and documents every parameter (the window's through the pure `window_ask`);
the endpoint's body is unchanged, and its connection is closed before the answer is serialised.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from functools import partial
from typing import Any

import anyio.to_thread
from fastapi import Request
from fastapi.routing import APIRoute

from execdash.api.deps import ReadConn, engine_of, reading
from execdash.api.window import WindowAsk, WindowAskParam, WindowParam, window_for

REQUEST = "_one_thread_request"
"""The parameter added to an endpoint that does not take the request itself."""


def _run(
    endpoint: Callable[..., Any],
    request: Request,
    values: dict[str, Any],
    conns: tuple[str, ...],
    windows: tuple[str, ...],
) -> Any:
    """Open the read connection, resolve the windows and run `endpoint` (in a worker thread)."""
    with reading(engine_of(request)) as conn:
        for name in conns:
            values[name] = conn
        for name in windows:
            ask: WindowAsk = values[name]
            values[name] = window_for(request, conn, ask)
        return endpoint(**values)


def in_one_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """`endpoint` run in one worker thread with its connection and windows, when it takes a
    `ReadConn` or a `WindowParam`; any other endpoint unchanged."""
    hints = typing.get_type_hints(endpoint, include_extras=True)
    signature = inspect.signature(endpoint)
    conns = tuple(name for name in signature.parameters if hints.get(name) == ReadConn)
    windows = tuple(name for name in signature.parameters if hints.get(name) == WindowParam)
    if not conns and not windows:
        return endpoint
    if inspect.iscoroutinefunction(endpoint):
        raise TypeError(f"{endpoint.__qualname__} reads the database: it must be a plain def")
    parameters = []
    for parameter in signature.parameters.values():
        if parameter.name in conns:
            continue
        annotation = hints.get(parameter.name, parameter.annotation)
        if parameter.name in windows:
            annotation = WindowAskParam
        parameters.append(parameter.replace(annotation=annotation))
    request = next((p.name for p in parameters if p.annotation is Request), None)
    if request is None:
        request = REQUEST
        parameters.append(
            inspect.Parameter(REQUEST, inspect.Parameter.KEYWORD_ONLY, annotation=Request)
        )

    async def one_thread(**values: Any) -> Any:
        asked = values[request] if request != REQUEST else values.pop(REQUEST)
        work = partial(_run, endpoint, asked, values, conns, windows)
        return await anyio.to_thread.run_sync(work)

    one_thread.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=parameters, return_annotation=hints.get("return", signature.empty)
    )
    for attribute in ("__name__", "__qualname__", "__doc__", "__module__"):
        setattr(one_thread, attribute, getattr(endpoint, attribute))
    return one_thread


class ReadRoute(APIRoute):
    """A route whose endpoint, if it reads the database, runs in one worker thread."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, in_one_thread(endpoint), **kwargs)
