"""Security headers for the dashboard's HTML pages: a strict Content-Security-Policy and friends.

Scripts only come from this server as files (no inline script, no inline event handler, no
eval), so an injected `<img onerror=...>` can never run. Styles allow inline `style` attributes
because ECharts positions its tooltips with them; scripts never get `unsafe-inline`.
"""

from __future__ import annotations

from fastapi.responses import Response

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-cache",
}


def secure(response: Response) -> Response:
    """Add the page security headers to `response` and return it."""
    response.headers.update(PAGE_HEADERS)
    return response
