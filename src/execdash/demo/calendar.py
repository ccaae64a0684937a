"""The demo company's calendar: the months of history, their days, and mild seasonality."""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import math
from dataclasses import dataclass


def add_months(month: dt.date, count: int) -> dt.date:
    """The first day of the month `count` months after `month` (negative goes back)."""
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def iso_datetime(day: dt.date, seconds: int) -> str:
    """A DATETIME value as SQLAlchemy stores it on SQLite (and PostgreSQL parses in COPY)."""
    hour, rest = divmod(seconds, 3600)
    return f"{day.isoformat()} {hour:02d}:{rest // 60:02d}:{rest % 60:02d}.000000"


@dataclass(frozen=True)
class Calendar:
    """Months ending with `end_month` plus every day in them, with ISO strings precomputed."""

    months: tuple[dt.date, ...]
    days: tuple[dt.date, ...]
    day_iso: tuple[str, ...]
    first_day: tuple[int, ...]
    """Index into `days` of each month's first day."""
    month_len: tuple[int, ...]

    @classmethod
    def ending(cls, end_month: dt.date, months: int) -> Calendar:
        """The `months` calendar months ending with the month of `end_month`."""
        if months < 1:
            raise ValueError(f"months must be at least 1, got {months}")
        end = end_month.replace(day=1)
        firsts = tuple(add_months(end, k - months + 1) for k in range(months))
        days: list[dt.date] = []
        first_day: list[int] = []
        lengths: list[int] = []
        for month in firsts:
            length = _cal.monthrange(month.year, month.month)[1]
            first_day.append(len(days))
            lengths.append(length)
            days.extend(month.replace(day=d) for d in range(1, length + 1))
        return cls(
            months=firsts,
            days=tuple(days),
            day_iso=tuple(d.isoformat() for d in days),
            first_day=tuple(first_day),
            month_len=tuple(lengths),
        )

    @property
    def periods(self) -> tuple[str, ...]:
        """Each month as `YYYY-MM`."""
        return tuple(m.strftime("%Y-%m") for m in self.months)

    def month_days(self, m: int) -> range:
        """Indices into `days` of month `m`."""
        return range(self.first_day[m], self.first_day[m] + self.month_len[m])


def growth(m: int, annual: float) -> float:
    """Compound growth factor after `m` months at `annual` rate."""
    return float((1.0 + annual) ** (m / 12.0))


def season(month: dt.date, amplitude: float, peak_month: int = 10) -> float:
    """Mild yearly seasonality: 1 ± amplitude, highest in `peak_month`."""
    return 1.0 + amplitude * math.cos(2.0 * math.pi * (month.month - peak_month) / 12.0)


def month_weights(cal: Calendar, annual_growth: float, amplitude: float) -> list[float]:
    """Relative activity of each month: growth × seasonality × days in the month."""
    return [
        growth(m, annual_growth) * season(month, amplitude) * cal.month_len[m] / 30.0
        for m, month in enumerate(cal.months)
    ]


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainder, exact sum)."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts
