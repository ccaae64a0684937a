"""Security headers on every response: nosniff, a referrer policy and a deny-all CSP for non-HTML.

HTML pages (the API reference at /docs included) set their own page policy in
`execdash.web.security`; this middleware only fills in what a response lacks, so JSON, CSV,
problem+json, static files, 304s and the OpenAPI document all carry the same protection without
each route remembering it.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

NON_HTML_POLICY = "default-src 'none'; frame-ancestors 'none'"
"""The CSP of anything that is not a page: nothing may load, nothing may frame it."""

BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
"""Headers every response carries."""


def add_security_headers(headers: MutableHeaders) -> None:
    """Fill in the headers a response lacks (an HTML page's own CSP is kept)."""
    for name, value in BASE_HEADERS.items():
        if name not in headers:
            headers[name] = value
    if "content-security-policy" not in headers:
        headers["Content-Security-Policy"] = NON_HTML_POLICY


class SecurityHeaders:
    """ASGI middleware adding `add_security_headers` to every HTTP response start."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                add_security_headers(MutableHeaders(scope=message))
            await send(message)

        await self.app(scope, receive, send_with_headers)
