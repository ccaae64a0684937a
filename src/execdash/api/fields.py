"""Field types shared by the API's models."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator, BeforeValidator, Strict

MAX_ID = 2_147_483_647

NOT_BLANK = r"\S"
"""A text field's pattern: at least one character that is not white space."""
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
"""An e-mail address's pattern: something, `@`, a domain with a dot."""
PATTERN_WORDS = {
    NOT_BLANK: "must not be blank",
    EMAIL: "must be an e-mail address, e.g. dana@example.com",
}
"""What a field with one of these patterns must be, in words (a 422 says this, not the regex)."""


def _as_utc(value: dt.datetime) -> dt.datetime:
    """Stored DATETIMEs are naive UTC; say so, so clients read `...Z` (valid RFC 3339)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


UtcDateTime = Annotated[dt.datetime, AfterValidator(_as_utc)]
"""A date-time served with its UTC offset (`2025-06-01T09:00:00Z`)."""


RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="Row id.")]
"""A row id in a path: positive and within a 32-bit INTEGER (PostgreSQL's limit)."""


def _date_text(value: object) -> object:
    """Only a `YYYY-MM-DD` string (or a date) is a date; 0 is not 1970-01-01."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return value
    raise ValueError("must be a date written YYYY-MM-DD, e.g. 2026-03-31")


IsoDate = Annotated[dt.date, BeforeValidator(_date_text)]
"""A date in a request body: the text `YYYY-MM-DD`, never a number."""

Number = Annotated[float, Strict()]
"""A number in a request body: an integer or a decimal, never `true`/`false` or a string."""
