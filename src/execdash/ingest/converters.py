"""Per-column converters: text to typed value with every per-value rule, fast on good values.

Each converter tries the cheap built-in parse first (float, int, date.fromisoformat) and only
falls back to the thorough parser of `values` (which also explains what is wrong) when that
fails, so a million good rows cost little more than the built-ins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from execdash.ingest import rules, values
from execdash.ingest.columns import ColumnSpec

Converter = Callable[[str], object]
EMPTY = "is empty; this column is required"
NEGATIVE = "is negative; this amount cannot be below zero"
BIGINT = 2**63


def _empty(nullable: bool) -> object:
    if nullable:
        return None
    raise ValueError(EMPTY)


def _number(col: ColumnSpec) -> Converter:
    nullable, non_negative, money = col.nullable, col.non_negative, col.kind == "money"

    def convert(text: str) -> object:
        if not text:
            return _empty(nullable)
        try:
            value = float(text)
        except ValueError:
            value = values.parse_number(text, money=money)
        else:
            if value - value != 0.0 or "_" in text:  # nan, inf or 1_000
                value = values.parse_number(text, money=money)
        if non_negative and value < 0:
            raise ValueError(NEGATIVE)
        return value

    return convert


def _integer(col: ColumnSpec) -> Converter:
    nullable, non_negative = col.nullable, col.non_negative

    def convert(text: str) -> object:
        if not text:
            return _empty(nullable)
        try:
            value = int(text)
        except ValueError:
            value = values.parse_integer(text)
        if not -BIGINT <= value < BIGINT:
            raise ValueError("is too large for a 64-bit integer column")
        if non_negative and value < 0:
            raise ValueError(NEGATIVE)
        return value

    return convert


def _date(col: ColumnSpec) -> Converter:
    nullable, fromisoformat = col.nullable, dt.date.fromisoformat

    def convert(text: str) -> object:
        if not text:
            return _empty(nullable)
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            try:
                fromisoformat(text)
            except ValueError:
                pass
            else:
                return text
        return values.parse_date(text)

    return convert


def _rate(col: ColumnSpec) -> Converter:
    nullable, rate = col.nullable, col.rate
    limit = rules.NRR_MAX * 100 if rate == "nrr" else 100.0

    def convert(text: str) -> object:
        if not text:
            return _empty(nullable)
        value = values.parse_number(text.strip().removesuffix("%"))
        if value < 0 and rate != "signed":
            raise ValueError("is negative; a rate lies in 0–1 (or 0–100 as percent)")
        if abs(value) > limit:
            raise ValueError(f"is above {limit:g}%; not a possible rate")
        return value

    return convert


def _text(col: ColumnSpec) -> Converter:
    if col.nullable:
        return lambda text: text or None

    def convert(text: str) -> object:
        if not text:
            raise ValueError(EMPTY)
        return text

    return convert


def _generic(col: ColumnSpec) -> Converter:
    nullable, parse = col.nullable, col.parse

    def convert(text: str) -> object:
        if not text:
            return _empty(nullable)
        return parse(text)

    return convert


def converter(col: ColumnSpec) -> Converter:
    """The converter for `col`; raises ValueError with the reason a value is refused."""
    if col.rate is not None:
        return _rate(col)
    if col.choices:
        return _generic(col)
    if col.kind in {"number", "money"}:
        return _number(col)
    if col.kind == "integer":
        return _integer(col)
    if col.kind == "date":
        return _date(col)
    if col.kind == "text":
        return _text(col)
    return _generic(col)
