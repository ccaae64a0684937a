"""Parse one text cell into a typed value, or raise ValueError saying why it is not one."""

from __future__ import annotations

import datetime as dt
import math
import re

_CURRENCY = "£$€¥₹"
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}")


def parse_number(text: str, *, money: bool = False) -> float:
    """A finite number; money may carry a currency symbol and comma thousands separators."""
    try:
        value = float(text)
    except ValueError:
        return _parse_decorated(text, money=money)
    if "_" in text or not math.isfinite(value):
        raise ValueError("is not a finite number")
    return value


def _parse_decorated(text: str, *, money: bool) -> float:
    """Numbers such as `£1,234.50`, `-$1,234` or `1,200`: accepted only when unambiguous."""
    body = text.strip()
    negative = body.startswith("-")
    if negative:
        body = body[1:].lstrip()
    if body[:1] in _CURRENCY:
        if not money:
            raise ValueError("is not a number (a currency symbol is only allowed in amounts)")
        body = body[1:].lstrip()
        if body.startswith("-") and not negative:
            negative, body = True, body[1:]
    if _GROUPED.match(body):
        value = float(body.replace(",", ""))
        return -value if negative else value
    if "," in body and "." in body and body.index(".") < body.index(","):
        raise ValueError(
            "is ambiguous: '.' before ',' looks like European format "
            "(write 1234.50, with a decimal point and no thousands separator)"
        )
    if re.match(r"^[\d.]+,\d+$", body):
        raise ValueError(
            "is ambiguous: a comma followed by other than groups of three digits looks like a "
            "decimal comma (write 1234.50, with a decimal point)"
        )
    try:
        value = float(body)
    except ValueError:
        raise ValueError("is not a number") from None
    if "_" in body or not math.isfinite(value):
        raise ValueError("is not a finite number")
    return -value if negative else value


def parse_integer(text: str) -> int:
    """A whole number (`12`, `12.0`, `1,200`)."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = parse_number(text)
    except ValueError:
        raise ValueError("is not a whole number") from None
    if not value.is_integer():
        raise ValueError("is not a whole number")
    return int(value)


def parse_date(text: str) -> str:
    """A calendar date as `YYYY-MM-DD` (a datetime at exactly midnight is accepted too)."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError("is not a valid date (YYYY-MM-DD)") from None
        return text
    stripped = text.strip()
    if stripped != text:
        return parse_date(stripped)
    if _DATE_PREFIX.match(text) and len(text) > 10:
        moment = _parse_moment(text)
        if moment.time() == dt.time(0):
            return moment.date().isoformat()
        raise ValueError("is a date and time; this column holds a date (YYYY-MM-DD)")
    if _MONTH.match(text):
        raise ValueError("is a month; this column holds a date (YYYY-MM-DD, e.g. 2025-08-01)")
    raise ValueError("is not a date in the form YYYY-MM-DD")


def _parse_moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("is not an ISO date-time (YYYY-MM-DD HH:MM[:SS])") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def parse_datetime(text: str) -> str:
    """An ISO date-time (space or T, optional seconds and zone; zones become UTC), or a date."""
    text = text.strip()
    if not _DATE_PREFIX.match(text):
        raise ValueError("is not an ISO date-time (YYYY-MM-DD HH:MM[:SS])")
    if len(text) == 10:
        return parse_date(text) + "T00:00:00"
    return _parse_moment(text).isoformat()


def parse_month(text: str) -> str:
    """A month as `YYYY-MM`; the first day of a month (e.g. an Excel date) is taken as it."""
    if _MONTH.match(text):
        return text
    text = text.strip()
    if _MONTH.match(text):
        return text
    if _DATE_PREFIX.match(text):
        try:
            day = parse_date(text)
        except ValueError:
            day = ""
        if day.endswith("-01"):
            return day[:7]
    raise ValueError("is not a month in the form YYYY-MM")
