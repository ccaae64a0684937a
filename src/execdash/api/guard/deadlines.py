"""Deadlines for slow clients: uvicorn's httptools protocol with header and body timeouts.

uvicorn only times out an idle kept-alive connection; a client that opens a socket and sends
its request header one byte at a time (slowloris) holds the connection for ever, and no ASGI
middleware can see a request before its header is complete. This protocol subclass arms a
timer when a connection opens and when a new request starts: the whole header must arrive
within `EXECDASH_HEADER_TIMEOUT` seconds (default 10). While a body is being received, a gap of
`EXECDASH_BODY_TIMEOUT` seconds (default 30) without a byte ends it too (not while the app
itself has paused reading), and so does a body still arriving slower than 1 KiB/s on average
once that many seconds have passed. The client gets `408 Request Timeout` when nothing was
answered yet, and the connection is closed.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from execdash.config import seconds_setting

HEADER_TIMEOUT_VARIABLE = "EXECDASH_HEADER_TIMEOUT"
BODY_TIMEOUT_VARIABLE = "EXECDASH_BODY_TIMEOUT"
DEFAULT_HEADER_TIMEOUT = 10.0
DEFAULT_BODY_TIMEOUT = 30.0
MIN_BODY_RATE = 1024
"""Bytes a second a body must average once it has taken longer than the body timeout."""
PROTOCOL = "execdash.api.guard.deadlines:DeadlineProtocol"
"""uvicorn's `http` setting for this protocol (an import string, so workers can load it)."""

log = logging.getLogger("execdash.security")


def timeouts() -> tuple[float, float]:
    """(header, body idle) timeouts in seconds, from the environment or the defaults."""
    return (
        seconds_setting(os.environ, HEADER_TIMEOUT_VARIABLE, DEFAULT_HEADER_TIMEOUT),
        seconds_setting(os.environ, BODY_TIMEOUT_VARIABLE, DEFAULT_BODY_TIMEOUT),
    )


def _timeout_response(message: str) -> bytes:
    body = message.encode()
    return (
        b"HTTP/1.1 408 Request Timeout\r\n"
        b"content-type: text/plain; charset=utf-8\r\n"
        b"connection: close\r\n"
        b"content-length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )


class DeadlineProtocol(HttpToolsProtocol):
    """HttpToolsProtocol that closes connections whose request arrives too slowly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout, self.body_timeout = timeouts()
        self._deadline: asyncio.TimerHandle | None = None
        self._waiting_for = ""
        self._body_started = 0.0
        self._body_bytes = 0

    def _arm(self, seconds: float, waiting_for: str) -> None:
        self._disarm()
        self._waiting_for = waiting_for
        self._deadline = self.loop.call_later(seconds, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _idle(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.header_timeout, "header")

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._idle():
            self._arm(self.header_timeout, "header")

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()
        self._body_started, self._body_bytes = self.loop.time(), 0
        self._arm(self.body_timeout, "body")

    def on_body(self, body: bytes) -> None:
        super().on_body(body)
        self._body_bytes += len(body)
        elapsed = self.loop.time() - self._body_started
        if elapsed > self.body_timeout and self._body_bytes < MIN_BODY_RATE * elapsed:
            self._expired()
            return
        self._arm(self.body_timeout, "body")

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def _expired(self) -> None:
        self._deadline = None
        if self.transport is None or self.transport.is_closing():
            return
        if self._waiting_for == "body" and self.flow is not None and self.flow.read_paused:
            self._arm(self.body_timeout, "body")  # the app is not reading: not the client's fault
            return
        seconds = self.header_timeout if self._waiting_for == "header" else self.body_timeout
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "a client"
        log.warning(
            "closed the connection from %s: request %s not received in time (%g s)",
            client,
            self._waiting_for,
            seconds,
        )
        if self._waiting_for == "header" or not self.cycle.response_started:
            message = f"The request {self._waiting_for} took too long (limit {seconds:g} s)."
            self.transport.write(_timeout_response(message))
        self.transport.close()
