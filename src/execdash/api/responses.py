"""JSON responses serialised by orjson: fast, and dates/datetimes come out as ISO 8601."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import JSONResponse


class OrjsonResponse(JSONResponse):
    """A JSON response rendered with orjson (non-str dict keys allowed, NaN refused)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)
