"""Pure MRR movements: how each month's recurring revenue moved from the month before.

A customer's MRR in a month is the Σ of its subscription/recurring orders dated that month.
Compared with the month before, each paying customer is exactly one of: new (first recurring
month ever), reactivation (back after at least one month without), expansion (more), contraction
(less), churn (nothing this month after something last month) or unchanged. Orders without a
customer and a customer's net-credit month (Σ amount ≤ 0 counts as not paying) make up one
"unattributed" line. Contraction and churn are negative amounts, so for every month
opening + new + reactivation + expansion + contraction + churn + unattributed = closing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

NO_CUSTOMER = 0
MOVES = ("new", "reactivation", "expansion", "contraction", "churn")

MonthAmounts = Mapping[int, float]
"""customer id → MRR in one month (a customer without recurring orders that month is absent)."""


@dataclass(frozen=True, slots=True)
class Month:
    """One month's MRR bridge with the customers behind each movement."""

    month: str
    opening: float
    closing: float
    amounts: dict[str, float]
    """Movement → Σ amount (contraction and churn ≤ 0), plus "unattributed"."""
    customers: dict[str, frozenset[int]]
    """Movement → the customers who made it."""
    opening_customers: int
    closing_customers: int

    @property
    def counts(self) -> dict[str, int]:
        """Movement → how many customers made it."""
        return {m: len(s) for m, s in self.customers.items()}


@dataclass(frozen=True, slots=True)
class MonthTotals:
    """One month's bridge as sums and counts only: what the movements kept at write time hold."""

    month: str
    opening: float
    closing: float
    amounts: dict[str, float]
    """Movement → Σ amount (contraction and churn ≤ 0), plus "unattributed"."""
    counts: dict[str, int]
    """Movement → how many customers made it."""
    opening_customers: int
    closing_customers: int


class Figures(Protocol):
    """What the monthly rates read of a month, with or without its customers' ids."""

    @property
    def month(self) -> str: ...
    @property
    def opening(self) -> float: ...
    @property
    def closing(self) -> float: ...
    @property
    def closing_customers(self) -> int: ...
    @property
    def opening_customers(self) -> int: ...
    @property
    def amounts(self) -> dict[str, float]: ...
    @property
    def counts(self) -> dict[str, int]: ...


@dataclass(frozen=True, slots=True)
class Bridge:
    """Movements summed over several months, opening at the first and closing at the last."""

    opening: float
    closing: float
    amounts: dict[str, float]
    customers: dict[str, int]
    """Movement → distinct customers who made it in any of the months."""
    opening_customers: int
    closing_customers: int
    months: Sequence[Figures] = field(default_factory=list)

    @property
    def movements_total(self) -> float:
        """Σ of every movement (closing − opening)."""
        return math.fsum(self.amounts.values())


def _active(amounts: MonthAmounts) -> dict[int, float]:
    """Customers paying something (a net credit month counts as not paying)."""
    return {c: a for c, a in amounts.items() if a > 0 and c != NO_CUSTOMER}


def month_movements(
    month: str,
    before: MonthAmounts,
    now: MonthAmounts,
    first_month: Mapping[int, str],
) -> Month:
    """Classify every customer's change from `before` to `now` (pure).

    `first_month` gives each customer's first month with recurring revenue (`YYYY-MM`); a customer
    appearing in `month` is new if that is its first month, else a reactivation.
    """
    prev, cur = _active(before), _active(now)
    amounts = dict.fromkeys(MOVES, 0.0)
    customers: dict[str, set[int]] = {m: set() for m in MOVES}
    parts: dict[str, list[float]] = {m: [] for m in MOVES}
    for customer in prev.keys() | cur.keys():
        p, c = prev.get(customer), cur.get(customer)
        if p is None and c is not None:
            move = "new" if first_month.get(customer, month) >= month else "reactivation"
            change = c
        elif c is None and p is not None:
            move, change = "churn", -p
        elif p is not None and c is not None and c != p:
            move, change = ("expansion" if c > p else "contraction"), c - p
        else:
            continue
        parts[move].append(change)
        customers[move].add(customer)
    for move in MOVES:
        amounts[move] = math.fsum(parts[move])
    opening, closing = math.fsum(before.values()), math.fsum(now.values())
    amounts["unattributed"] = closing - opening - math.fsum(amounts[m] for m in MOVES)
    return Month(
        month=month,
        opening=opening,
        closing=closing,
        amounts=amounts,
        customers={m: frozenset(s) for m, s in customers.items()},
        opening_customers=len(prev),
        closing_customers=len(cur),
    )


def bridge(
    months: Sequence[str],
    history: Mapping[str, MonthAmounts],
    first_month: Mapping[int, str],
    opening_month: str,
) -> Bridge:
    """Month-by-month movements over `months`, starting from `opening_month`'s MRR (pure)."""
    out: list[Month] = []
    before = history.get(opening_month, {})
    for month in months:
        now = history.get(month, {})
        out.append(month_movements(month, before, now, first_month))
        before = now
    amounts = {m: math.fsum(x.amounts[m] for x in out) for m in (*MOVES, "unattributed")}
    customers = {m: len(frozenset().union(*(x.customers[m] for x in out))) for m in MOVES}
    opening = math.fsum(history.get(opening_month, {}).values())
    closing = out[-1].closing if out else opening
    return Bridge(
        opening=opening,
        closing=closing,
        amounts=amounts,
        customers=customers,
        opening_customers=len(_active(history.get(opening_month, {}))),
        closing_customers=out[-1].closing_customers if out else 0,
        months=out,
    )


def rate(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, None when the denominator is not positive."""
    return numerator / denominator if denominator > 0 else None


def logo_churn_rate(months: Sequence[Figures]) -> float | None:
    """Churned customers ÷ customers at each month's opening, over the months (mean monthly)."""
    churned = sum(m.counts["churn"] for m in months)
    return rate(churned, sum(m.opening_customers for m in months))


def revenue_churn_rate(months: Sequence[Figures]) -> float | None:
    """(churn + contraction) lost ÷ opening MRR of each month, over the months (mean monthly)."""
    lost = -math.fsum(m.amounts["churn"] + m.amounts["contraction"] for m in months)
    return rate(lost, math.fsum(m.opening for m in months))


def expansion_rate(months: Sequence[Figures]) -> float | None:
    """Expansion ÷ opening MRR of each month, over the months (mean monthly)."""
    return rate(
        math.fsum(m.amounts["expansion"] for m in months), math.fsum(m.opening for m in months)
    )


@dataclass(frozen=True, slots=True)
class Cohort:
    """Trailing retention of the customers paying at a start month, measured at an end month."""

    nrr: float | None
    gross_churn: float | None
    expansion: float | None
    customers: int
    base: float


def cohort_retention(history: Mapping[str, MonthAmounts], start: str, end: str) -> Cohort:
    """NRR, gross churn and expansion at `end` of the customers active at `start` (pure).

    nrr = their MRR at `end` ÷ their MRR at `start`; gross churn = MRR they lost (churn and
    contraction) ÷ base; expansion = MRR they added ÷ base; so nrr = 1 − gross churn + expansion.
    """
    base = _active(history.get(start, {}))
    later = history.get(end, {})
    lost: list[float] = []
    gained: list[float] = []
    for customer, then in base.items():
        change = later.get(customer, 0.0) - then
        (gained if change > 0 else lost).append(change)
    return cohort_of(len(base), math.fsum(base.values()), math.fsum(gained), math.fsum(lost))


def cohort_of(customers: int, base: float, gained: float, lost: float) -> Cohort:
    """The cohort's rates from its customers, their MRR at the start (`base`) and the Σ of their
    gains and of their losses (≤ 0) by the end."""
    return Cohort(
        nrr=rate(base + gained + lost, base),
        gross_churn=rate(-lost, base),
        expansion=rate(gained, base),
        customers=customers,
        base=base,
    )
