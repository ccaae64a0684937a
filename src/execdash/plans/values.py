"""One plan target's cells checked: KPI, month, segment and value, with the percent rules of
imported data (a rate column with a value above 1 is a percent; NRR above 5). Pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from execdash.ingest import values
from execdash.ingest.rules import NRR_MAX
from execdash.plans.catalog import PLANNABLE, Plannable

SEGMENT_KINDS = ("industry", "product")
SIGNED = frozenset({"gm"})
"""Targets that may be negative (a margin can be)."""


def kpi_of(text: str) -> Plannable:
    """The plannable KPI named by key or label, case-insensitively; ValueError listing them."""
    wanted = text.strip().lower()
    for spec in PLANNABLE.values():
        if wanted in (spec.key, spec.label.lower()):
            return spec
    raise ValueError("is not a KPI a plan can hold; valid: " + ", ".join(PLANNABLE))


def segment_of(spec: Plannable, kind_text: str, name_text: str) -> tuple[str, str]:
    """(segment_kind, segment) for the KPI; ('', '') for the company; ValueError if not allowed."""
    kind = kind_text.strip().lower()
    name = name_text.strip()
    if not kind and not name:
        return "", ""
    if kind not in SEGMENT_KINDS:
        raise ValueError("segment_kind must be empty (the company), industry or product")
    if kind not in spec.segments:
        allowed = " or ".join(spec.segments)
        raise ValueError(
            f"{spec.key} can be planned by {allowed}" if allowed else f"{spec.key} has no segments"
        )
    if not name:
        raise ValueError(f"segment_kind {kind} needs the {kind} in the segment column")
    return kind, name


@dataclass(frozen=True, slots=True)
class RawTarget:
    """A target as written: its number, and whether it carried a % sign."""

    value: float
    percent_sign: bool


def target_of(spec: Plannable, text: str) -> RawTarget:
    """The number in a target cell (money for currency KPIs; a trailing % marks a percent)."""
    body = text.strip()
    sign = body.endswith("%")
    if sign:
        if spec.percent is None:
            raise ValueError(f"is a percent, but {spec.key} is not a rate")
        body = body[:-1].strip()
    value = values.parse_number(body, money=spec.unit == "currency")
    if value < 0 and spec.key not in SIGNED:
        raise ValueError("is negative; this target cannot be below zero")
    return RawTarget(value, sign)


def percent_scale(spec: Plannable, raws: Sequence[RawTarget]) -> bool:
    """True when the KPI's targets without a % sign are written as percents (any above 1; NRR:
    above 5), as for imported rate columns."""
    if spec.percent is None:
        return False
    limit = NRR_MAX if spec.percent == "nrr" else 1.0
    return any(abs(r.value) > limit for r in raws if not r.percent_sign)


def ratio_of(spec: Plannable, raw: RawTarget, scaled: bool) -> float:
    """The target as stored (rates as 0–1); ValueError for a percent above 100% (NRR: 500%)."""
    value = raw.value / 100 if raw.percent_sign or scaled else raw.value
    if spec.percent == "unit" and abs(value) > 1:
        raise ValueError("is above 100%")
    if spec.percent == "nrr" and value > NRR_MAX:
        raise ValueError(f"is above {NRR_MAX * 100:g}%")
    return value
