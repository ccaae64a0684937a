"""Serve the static folder: hashed names immutable for a year, plain names revalidated.

`/static/js/app.<hash>.js` never changes (a new content is a new name), so browsers keep it for
a year without asking again. The plain `/static/js/app.js` still answers (tools, old links) with
`no-cache` and an ETag, so it is always checked. Text files are gzipped once and kept.
"""

from __future__ import annotations

import gzip
import threading
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from execdash.web.assets.manifest import Asset, Assets

STATIC_DIR = Path(__file__).parents[1] / "static"
ASSETS = Assets(STATIC_DIR)
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
_MIN_GZIP = 1024

router = APIRouter(include_in_schema=False)
_gzipped: dict[tuple[str, str], bytes] = {}
_gzip_lock = threading.Lock()


def _compressible(asset: Asset) -> bool:
    kind = asset.media_type
    return len(asset.body) >= _MIN_GZIP and (
        kind.startswith("text/") or kind in {"image/svg+xml", "application/json"}
    )


def _gzip(asset: Asset) -> bytes:
    """The gzipped body of `asset`, compressed on first use and kept (assets are few)."""
    key = (asset.path, asset.fingerprint)
    with _gzip_lock:
        body = _gzipped.get(key)
        if body is None:
            body = _gzipped[key] = gzip.compress(asset.body, 6, mtime=0)
        return body


@router.api_route("/static/{path:path}", methods=["GET", "HEAD"])
def static_file(path: str, request: Request) -> Response:
    """One static file; a hashed name is immutable, a plain one revalidates by ETag."""
    found = ASSETS.manifest().lookup(path)
    if found is None:
        raise HTTPException(status_code=404, detail=f"No static file {path}")
    asset, immutable = found
    zipped = _compressible(asset) and "gzip" in request.headers.get("accept-encoding", "")
    etag = f'"{asset.fingerprint}{"-gzip" if zipped else ""}"'
    headers = {
        "ETag": etag,
        "Cache-Control": IMMUTABLE if immutable else REVALIDATE,
        "Vary": "Accept-Encoding",
    }
    if asset.fingerprint in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if zipped:
        headers["Content-Encoding"] = "gzip"
        return Response(_gzip(asset), media_type=asset.media_type, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)
