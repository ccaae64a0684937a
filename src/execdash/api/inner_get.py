"""A GET asked of the ASGI app from inside the process: the background warmer's requests."""

from __future__ import annotations

from starlette.types import Scope


def get_scope(path: str, query: str, headers: list[tuple[bytes, bytes]]) -> Scope:
    """The ASGI scope of `GET path?query` from 127.0.0.1, as a server would pass it."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": headers,
        "client": ("127.0.0.1", 0),
        "server": ("127.0.0.1", 0),
    }
