"""What each importable table accepts, derived from the schema (`execdash.db.schema`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import sqlalchemy as sa

from execdash.db import schema
from execdash.ingest import rules, values

Parser = Callable[[str], object]

_IN_LIST = re.compile(r"^\s*(\w+)\s+IN\s*\((.*)\)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column: how to parse it and which rules its values obey."""

    name: str
    kind: str  # integer | number | money | text | date | datetime | month
    nullable: bool
    required: bool  # must be present in the file's header
    choices: tuple[str, ...] | None
    rate: str | None  # None | "unit" (0–1) | "signed" (−1…1) | "nrr"
    non_negative: bool
    parse: Parser


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One seed table: its columns in order, primary key and foreign keys."""

    name: str
    columns: tuple[ColumnSpec, ...]
    primary_key: tuple[str, ...]
    serial_id: bool  # an integer `id` the database can assign (optional on append)
    foreign_keys: tuple[tuple[str, str, str], ...]  # (column, parent table, parent column)

    def column(self, name: str) -> ColumnSpec:
        """The column called `name` (KeyError if none)."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


def _choices(table: sa.Table) -> dict[str, tuple[str, ...]]:
    """Allowed values from `col IN ('a','b')` CHECK constraints of `table`."""
    found: dict[str, tuple[str, ...]] = {}
    for constraint in table.constraints:
        if isinstance(constraint, sa.CheckConstraint):
            match = _IN_LIST.match(str(constraint.sqltext))
            if match:
                found[match.group(1)] = tuple(re.findall(r"'([^']*)'", match.group(2)))
    return found


def _kind(table: str, column: sa.Column[object]) -> str:
    type_ = column.type
    if column.name == "period" and isinstance(type_, sa.Text):
        return "month"
    if isinstance(type_, sa.DateTime):
        return "datetime"
    if isinstance(type_, sa.Date):
        return "date"
    if isinstance(type_, sa.Integer):
        return "integer"
    if isinstance(type_, sa.Float | sa.Numeric):
        return "money" if (table, column.name) in rules.MONEY_COLUMNS else "number"
    return "text"


def _choice_parser(choices: tuple[str, ...]) -> Parser:
    canonical = {c.lower(): c for c in choices}

    def parse(text: str) -> str:
        try:
            return canonical[text.strip().lower()]
        except KeyError:
            raise ValueError(f"is not one of {', '.join(choices)}") from None

    return parse


def _parser(kind: str, choices: tuple[str, ...] | None) -> Parser:
    if choices:
        return _choice_parser(choices)
    parsers: dict[str, Parser] = {
        "integer": values.parse_integer,
        "number": values.parse_number,
        "money": lambda text: values.parse_number(text, money=True),
        "date": values.parse_date,
        "datetime": values.parse_datetime,
        "month": values.parse_month,
        "text": str,
    }
    return parsers[kind]


def _rate(key: tuple[str, str]) -> str | None:
    if key in rules.NRR_COLUMNS:
        return "nrr"
    if key in rules.SIGNED_RATE_COLUMNS:
        return "signed"
    if key in rules.RATE_COLUMNS:
        return "unit"
    return None


@cache
def table_spec(name: str) -> TableSpec:
    """The import rules for seed table `name` (KeyError if it is not a seed table)."""
    table = schema.metadata.tables[name]
    choices = _choices(table)
    pk = tuple(c.name for c in table.primary_key.columns)
    serial = pk == ("id",) and isinstance(table.c.id.type, sa.Integer)
    columns = []
    for col in table.columns:
        kind = _kind(name, col)
        has_default = col.server_default is not None
        is_serial = serial and col.name == "id"
        nullable = bool(col.nullable) and not col.primary_key
        columns.append(
            ColumnSpec(
                name=col.name,
                kind=kind,
                nullable=nullable or is_serial,
                required=not nullable and not has_default and not is_serial,
                choices=choices.get(col.name),
                rate=_rate((name, col.name)),
                non_negative=kind in {"integer", "number", "money"}
                and (name, col.name) not in rules.SIGNED_COLUMNS
                and not col.primary_key
                and not col.foreign_keys
                and _rate((name, col.name)) is None,
                parse=_parser(kind, choices.get(col.name)),
            )
        )
    fks = tuple((fk.parent.name, fk.column.table.name, fk.column.name) for fk in table.foreign_keys)
    return TableSpec(name, tuple(columns), pk, serial, fks)


def load_order(names: set[str]) -> list[str]:
    """`names` with parents before children (the schema's own dependency order)."""
    return [t.name for t in schema.metadata.sorted_tables if t.name in names]
