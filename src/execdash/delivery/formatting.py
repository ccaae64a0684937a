"""The page's number formatting (web/static/js/format.js) in Python, so the digest reads the same.

Every function mirrors the one of the same name in format.js, including JavaScript's
`toFixed` rounding (half away from zero on the exact binary value); tests run both on the same
inputs and compare the strings.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

MINUS = "\u2212"
DASH = "\u2014"
MULTIPLE_KEYS = frozenset({"book_to_bill"})
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def to_fixed(value: float, digits: int) -> str:
    """JavaScript's `Number.prototype.toFixed` for finite values."""
    exact = Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f"{exact:f}"
    return "0" + text[2:] if text.startswith("-0") and Decimal(text) == 0 else text


def _grouped(value: float) -> str:
    """`toLocaleString("en-GB", {maximumFractionDigits: 0})` of a non-negative value."""
    whole = int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return f"{whole:,}"


def _missing(value: float | None) -> bool:
    return value is None or not math.isfinite(value)


def _with_symbol(text: str, symbol: str) -> str:
    return f"{symbol}\u00a0{text}" if len(symbol) > 1 else f"{symbol}{text}"


def _compact(size: float) -> str:
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if size >= scale * 0.9995:
            scaled = size / scale
            return f"{to_fixed(scaled, 0 if scaled >= 99.95 else 1)}{suffix}"
    return to_fixed(size, 0)


def format_currency(value: float | None, symbol: str = "£", *, compact: bool = True) -> str:
    """£12.4M (compact) or £12,400,000 (full); an amount under £1 in pence (£0.20), as the page."""
    if value is None or _missing(value):
        return DASH
    size = abs(value)
    body = to_fixed(size, 2) if 0 < size < 1 else _compact(size) if compact else _grouped(size)
    return (MINUS if value < 0 else "") + _with_symbol(body, symbol)


def format_percent(ratio: float | None, digits: int = 1) -> str:
    """37.0% from 0.37."""
    if ratio is None or _missing(ratio):
        return DASH
    text = to_fixed(abs(ratio) * 100, digits)
    return f"{MINUS if ratio < 0 and float(text) != 0 else ''}{text}%"


def format_count(value: float | None) -> str:
    """12,345 (or 1.2M from a million up)."""
    if value is None or _missing(value):
        return DASH
    if abs(value) >= 1e6:
        return (MINUS if value < 0 else "") + _compact(abs(value))
    rounded = math.floor(value + 0.5)  # Math.round, which gives −0 for values in [−0.5, 0)
    return (MINUS if rounded < 0 or value < 0 else "") + f"{abs(rounded):,}"


def _fixed(value: float | None, digits: int, suffix: str) -> str:
    if value is None or _missing(value):
        return DASH
    return f"{MINUS if value < 0 else ''}{to_fixed(abs(value), digits)}{suffix}"


def format_value(value: float | None, unit: str, key: str = "", symbol: str = "£") -> str:
    """A value in its unit: currency, ratio, months, days, hours, count, score, …"""
    if unit in ("currency", "£", "GBP"):
        return format_currency(value, symbol)
    if unit == "ratio":
        return _fixed(value, 2, "×") if key in MULTIPLE_KEYS else format_percent(value)
    suffixes = {
        "multiple": (2, "×"),
        "months": (1, " mo"),
        "mo": (1, " mo"),
        "days": (1, " d"),
        "hours": (1, " h"),
        "grams": (1, " g"),
        "per_year": (2, "/yr"),
    }
    if unit in suffixes:
        digits, suffix = suffixes[unit]
        return _fixed(value, digits, suffix)
    if unit == "count":
        return format_count(value)
    if unit == "score":
        if key == "nps":
            if value is None or _missing(value):
                return DASH
            sign = "+" if value > 0 else MINUS if value < 0 else ""
            return f"{sign}{to_fixed(abs(value * 100), 0)}"
        return _fixed(value, 2, "")
    if value is None or _missing(value):
        return DASH
    text = f"{Decimal(value).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,f}"
    return re.sub(r"\.?0+$", "", text) if "." in text else text


def format_delta(delta: float | None) -> str:
    """+4.2% / −3.1% (a relative change), or — when unknown."""
    if delta is None or _missing(delta):
        return DASH
    text = to_fixed(abs(delta) * 100, 1)
    if float(text) == 0:
        return "0.0%"
    return f"{MINUS if delta < 0 else '+'}{text}%"


def format_points(change: float | None, key: str = "") -> str:
    """−3.3 pts (a ratio's change in percentage points; a multiple's: −0.05×)."""
    if change is None or _missing(change):
        return DASH
    if key in MULTIPLE_KEYS:
        text = to_fixed(abs(change), 2)
        return "0.00×" if float(text) == 0 else f"{MINUS if change < 0 else '+'}{text}×"
    text = to_fixed(abs(change) * 100, 1)
    if float(text) == 0:
        return "0.0 pts"
    return f"{MINUS if change < 0 else '+'}{text} pts"


def format_change(change_unit: str, change: float | None, delta: float | None, key: str) -> str:
    """A KPI's change as the tile shows it: points for ratios, relative for money and counts."""
    return format_points(change, key) if change_unit == "points" else format_delta(delta)


def format_date(value: str | None) -> str:
    """'2026-09-06' (or an ISO date-time) → '6 Sep 2026'."""
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value or "")
    if not match:
        return str(value) if value else DASH
    return f"{int(match[3])} {MONTHS[int(match[2]) - 1]} {match[1]}"


def format_period(period: str | None) -> str:
    """'2025-08' → 'Aug 2025', '2025-Q3' → 'Q3 2025'."""
    month = re.fullmatch(r"(\d{4})-(\d{2})", period or "")
    if month and 1 <= int(month[2]) <= 12:
        return f"{MONTHS[int(month[2]) - 1]} {month[1]}"
    quarter = re.fullmatch(r"(\d{4})-Q([1-4])", period or "")
    if quarter:
        return f"Q{quarter[2]} {quarter[1]}"
    return "" if period is None else str(period)
