"""How the written summary shows numbers: £27.7M, +41.6%, 0.3 pts, 1.09×, 6.4 mo, Oct 2026."""

from __future__ import annotations

import datetime as dt

from execdash.metrics.models import Unit

MINUS = "\u2212"
MULTIPLES = frozenset({"book_to_bill"})
"""Ratio KPIs read as a multiple (1.09×) rather than a percentage."""
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _sign(value: float, signed: bool) -> str:
    if value < 0:
        return MINUS
    return "+" if signed and value > 0 else ""


def money(value: float, symbol: str = "£", *, signed: bool = False) -> str:
    """£27.7M, £193.0K, £950, £0.20 (compact, like the page's tiles: pence under £1)."""
    size = abs(value)
    if 0 < size < 1:
        return f"{_sign(value, signed)}{symbol}{size:.2f}"
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if size >= scale * 0.9995:
            scaled = size / scale
            body = f"{scaled:.{0 if scaled >= 99.95 else 1}f}{suffix}"
            break
    else:
        body = f"{size:.0f}"
    return f"{_sign(value, signed)}{symbol}{body}"


def percent(ratio: float, *, signed: bool = False, digits: int = 1) -> str:
    """41.6% (a 0–1 ratio shown as a percentage)."""
    text = f"{abs(ratio) * 100:.{digits}f}"
    return f"{_sign(ratio, signed) if float(text) else ''}{text}%"


def points(change: float, *, signed: bool = False) -> str:
    """0.3 pts: a change of a ratio in percentage points."""
    text = f"{abs(change) * 100:.1f}"
    return f"{_sign(change, signed) if float(text) else ''}{text} pts"


def value(amount: float, unit: Unit, key: str = "", symbol: str = "£") -> str:
    """A KPI value in its unit, the way the tiles show it."""
    if unit == "currency":
        return money(amount, symbol)
    if unit == "ratio":
        return f"{amount:.2f}×" if key in MULTIPLES else percent(amount)
    if unit == "months":
        return f"{amount:.1f} mo"
    if unit == "count":
        return f"{amount:,.0f}"
    return f"{amount:,.2f}"


def change(amount: float, unit: Unit, key: str = "", symbol: str = "£") -> str:
    """An absolute change in the KPI's unit, unsigned: £8.1M, 0.3 pts, 0.05×, 1.2 mo."""
    if unit == "currency":
        return money(abs(amount), symbol)
    if unit == "ratio":
        return f"{abs(amount):.2f}×" if key in MULTIPLES else points(abs(amount))
    return value(abs(amount), unit, key, symbol)


def signed(amount: float, unit: Unit, key: str = "", symbol: str = "£") -> str:
    """A contribution with its sign: +£2.1M, −0.12 pts, +0.07×; no sign when it shows as 0."""
    body = change(amount, unit, key, symbol)
    shows_zero = not any(ch in "123456789" for ch in body)
    return body if shows_zero else f"{_sign(amount, True)}{body}"


def tile_change(
    value: float | None, previous: float | None, delta: float | None, unit: Unit, key: str = ""
) -> str | None:
    """The change as a KPI's tile states it: +0.1 pts or −0.01× for ratios, +1.2% otherwise."""
    if value is None or previous is None:
        return None
    if unit == "ratio":
        return signed(value - previous, unit, key)
    return None if delta is None else percent(delta, signed=True)


def month(key: str) -> str:
    """'2026-10' → 'Oct 2026'."""
    year, number = key.split("-")[:2]
    return f"{MONTHS[int(number) - 1]} {year}"


def day(date: dt.date) -> str:
    """31 Jan 2020."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def listed(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
