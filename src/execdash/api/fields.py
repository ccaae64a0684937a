"""Field types shared by the API's models."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator

MAX_ID = 2_147_483_647


def _as_utc(value: dt.datetime) -> dt.datetime:
    """Stored DATETIMEs are naive UTC; say so, so clients read `...Z` (valid RFC 3339)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


UtcDateTime = Annotated[dt.datetime, AfterValidator(_as_utc)]
"""A date-time served with its UTC offset (`2025-06-01T09:00:00Z`)."""


RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="Row id.")]
"""A row id in a path: positive and within a 32-bit INTEGER (PostgreSQL's limit)."""
