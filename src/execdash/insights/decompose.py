"""Pure decompositions of a KPI's change into per-slice contributions that add up to the change.

Sums (revenue, ARR): a slice contributes its own change. Ratios of sums (gross margin = Σ profit /
Σ amount, book-to-bill = Σ booked / Σ recognized): a slice's contribution is split into a mix and
a rate part. In every case the part of the tile no slice explains is an "unattributed" slice, so
the contributions always sum to the tile's change.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

SliceKind = Literal["slice", "other", "unattributed"]
Status = Literal["new", "lost", "continuing", "absent"]

UNATTRIBUTED = "unattributed"
OTHER = "other"


@dataclass(frozen=True, slots=True)
class Contribution:
    """One slice's part of a KPI's change, with its measure in both windows."""

    name: str
    kind: SliceKind
    previous: float
    current: float
    contribution: float
    status: Status
    mix: float | None = None
    rate: float | None = None
    previous_rate: float | None = None
    current_rate: float | None = None
    members: int = 1


@dataclass(frozen=True, slots=True)
class Decomposition:
    """A KPI's change split into contributions (slices, then other/unattributed/denominator)."""

    previous: float
    current: float
    change: float
    contributions: tuple[Contribution, ...]

    @property
    def total(self) -> float:
        """Σ contributions, which equals `change` up to float rounding."""
        return math.fsum(c.contribution for c in self.contributions)


def status_of(previous: float, current: float) -> Status:
    """new (only in the current window), lost (only in the previous), continuing or absent."""
    if previous == 0 and current == 0:
        return "absent"
    if previous == 0:
        return "new"
    if current == 0:
        return "lost"
    return "continuing"


def _presence(n0: float, d0: float, n1: float, d1: float) -> Status:
    """A ratio slice is present in a window when its numerator or its denominator is non-zero."""
    return status_of(float(n0 != 0 or d0 != 0), float(n1 != 0 or d1 != 0))


def _material(rest_p: float, rest_c: float, total_p: float, total_c: float) -> bool:
    """True when a remainder is more than float noise next to the totals it was taken from."""
    scale = max(abs(total_p), abs(total_c), 1.0)
    return max(abs(rest_p), abs(rest_c)) > 1e-9 * scale


def _names(*maps: Mapping[str, object]) -> list[str]:
    return sorted({name for m in maps for name in m})


def sum_drivers(
    previous: Mapping[str, float],
    current: Mapping[str, float],
    total_previous: float,
    total_current: float,
) -> Decomposition:
    """Each slice's own change, plus the tile's change the slices do not explain."""
    out = []
    for name in _names(previous, current):
        p, c = previous.get(name, 0.0), current.get(name, 0.0)
        out.append(Contribution(name, "slice", p, c, c - p, status_of(p, c)))
    rest_p = total_previous - math.fsum(previous.values())
    rest_c = total_current - math.fsum(current.values())
    if _material(rest_p, rest_c, total_previous, total_current):
        out.append(
            Contribution(
                UNATTRIBUTED, "unattributed", rest_p, rest_c, rest_c - rest_p, "continuing"
            )
        )
    return Decomposition(total_previous, total_current, total_current - total_previous, tuple(out))


def _margin(num: float, den: float) -> float | None:
    return num / den if den != 0 else None


def ratio_drivers(
    previous: Mapping[str, tuple[float, float]],
    current: Mapping[str, tuple[float, float]],
    total_previous: tuple[float, float],
    total_current: tuple[float, float],
) -> Decomposition:
    """Mix/rate decomposition of Σ num / Σ den (e.g. gross margin) over (num, den) slices.

    With weights wᵢ = dᵢ/D, rates mᵢ = nᵢ/dᵢ and R̄ the mean of the two windows' ratios, slice i
    contributes (nᵢ₁/D₁ − nᵢ₀/D₀) − R̄(wᵢ₁ − wᵢ₀): its rate part is w̄ᵢ(mᵢ₁ − mᵢ₀) and its mix
    part (wᵢ₁ − wᵢ₀)(m̄ᵢ − R̄), so a slice gaining weight with a margin below the average pulls
    the ratio down. Since Σwᵢ = 1 in both windows the contributions sum to R₁ − R₀ exactly. A
    slice present in one window only has no rate part. Both denominators must be non-zero.
    """
    num_p, den_p = total_previous
    num_c, den_c = total_current
    if den_p == 0 or den_c == 0:
        raise ValueError("a ratio's change needs a non-zero denominator in both windows")
    ratio_p, ratio_c = num_p / den_p, num_c / den_c
    mean_ratio = (ratio_p + ratio_c) / 2
    rest = (
        (num_p - math.fsum(n for n, _ in previous.values()),
         den_p - math.fsum(d for _, d in previous.values())),
        (num_c - math.fsum(n for n, _ in current.values()),
         den_c - math.fsum(d for _, d in current.values())),
    )  # fmt: skip
    rows: list[tuple[str, SliceKind, tuple[float, float], tuple[float, float]]] = [
        (name, "slice", previous.get(name, (0.0, 0.0)), current.get(name, (0.0, 0.0)))
        for name in _names(previous, current)
    ]
    if _material(rest[0][0], rest[1][0], num_p, num_c) or _material(
        rest[0][1], rest[1][1], den_p, den_c
    ):
        rows.append((UNATTRIBUTED, "unattributed", rest[0], rest[1]))
    out = []
    for name, kind, (n0, d0), (n1, d1) in rows:
        w0, w1 = d0 / den_p, d1 / den_c
        contribution = (n1 / den_c - n0 / den_p) - mean_ratio * (w1 - w0)
        m0, m1 = _margin(n0, d0), _margin(n1, d1)
        rate = (w0 + w1) / 2 * (m1 - m0) if m0 is not None and m1 is not None else 0.0
        out.append(
            Contribution(
                name,
                kind,
                d0,
                d1,
                contribution,
                _presence(n0, d0, n1, d1) if kind == "slice" else "continuing",
                mix=contribution - rate,
                rate=rate,
                previous_rate=m0,
                current_rate=m1,
            )
        )
    return Decomposition(ratio_p, ratio_c, ratio_c - ratio_p, tuple(out))


def concentration(values: Iterable[float], top: int) -> float | None:
    """Share of the `top` largest positive slices in the total of positive slices (None if 0)."""
    positive = sorted((v for v in values if v > 0), reverse=True)
    total = math.fsum(positive)
    return math.fsum(positive[:top]) / total if total > 0 else None


def condense(contributions: Iterable[Contribution], top: int) -> list[Contribution]:
    """The `top` slices by |contribution|, the rest summed into one "other", then the non-slices.

    The condensed list's contributions sum to the same total as the input's.
    """
    items = list(contributions)
    slices = sorted(
        (c for c in items if c.kind == "slice" and c.status != "absent"),
        key=lambda c: (-abs(c.contribution), c.name),
    )
    zero = [c for c in items if c.kind == "slice" and c.status == "absent"]
    head, tail = slices[:top], slices[top:] + zero
    ups = sorted((c for c in head if c.contribution >= 0), key=lambda c: (-c.contribution, c.name))
    downs = sorted((c for c in head if c.contribution < 0), key=lambda c: (c.contribution, c.name))
    out = ups + downs
    if tail:
        out.append(_merge(tail))
    out += [c for c in items if c.kind != "slice"]
    return out


def _merge(items: list[Contribution]) -> Contribution:
    def total(values: Iterable[float | None]) -> float | None:
        listed = [v for v in values if v is not None]
        return math.fsum(listed) if listed else None

    return Contribution(
        OTHER,
        "other",
        math.fsum(c.previous for c in items),
        math.fsum(c.current for c in items),
        math.fsum(c.contribution for c in items),
        "continuing",
        mix=total(c.mix for c in items),
        rate=total(c.rate for c in items),
        members=len(items),
    )
