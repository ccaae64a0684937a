"""Next month's recognized revenue: damped-trend Holt with an 80% interval, or a trailing mean.

Pure Python: alpha, beta and phi are chosen by a small grid search minimising the one-step-ahead
squared error, which is plenty for a few dozen monthly points.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from execdash.memo import kept
from execdash.metrics.models import ForecastMethod

MIN_HOLT_MONTHS = 12
Z_80 = 1.2815515655446004
"""Two-sided 80% normal quantile."""
TRAILING_GROWTH = 1.02

ALPHAS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
BETAS = (0.01, 0.05, 0.1, 0.2, 0.3)
PHIS = (0.8, 0.85, 0.9, 0.95, 0.98)


@dataclass(frozen=True, slots=True)
class Forecast:
    """A one-month-ahead forecast and how it was made."""

    method: ForecastMethod
    value: float | None
    lower: float | None = None
    upper: float | None = None
    alpha: float | None = None
    beta: float | None = None
    phi: float | None = None
    history: int = 0


def holt_sse(values: Sequence[float], alpha: float, beta: float, phi: float) -> tuple[float, float]:
    """One-step squared error over `values` and the next-step forecast, for given parameters."""
    level, trend = values[0], values[1] - values[0]
    keep_level, keep_trend = 1 - alpha, (1 - beta) * phi  # run 675 times per dashboard: hoisted
    sse = 0.0
    for y in values[1:]:
        predicted = level + phi * trend
        error = y - predicted
        sse += error * error
        new_level = alpha * y + keep_level * predicted
        trend = beta * (new_level - level) + keep_trend * trend
        level = new_level
    return sse, level + phi * trend


def holt_damped(values: Sequence[float]) -> Forecast:
    """Damped Holt forecast with an 80% interval from the one-step residuals' RMSE."""
    return _holt_fit(tuple(values))


GRID = tuple((a, b, p) for a in ALPHAS for b in BETAS for p in PHIS)
"""Every (alpha, beta, phi) tried, in the order the first best one is kept."""
_ALPHA, _BETA, _PHI = (np.array(column) for column in zip(*GRID, strict=True))


def grid_sse(values: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """`holt_sse` for every parameter set of `GRID` at once (the same float operations in the same
    order per set, so the same numbers): squared errors and next-step forecasts."""
    level = np.full(len(GRID), values[0])
    trend = np.full(len(GRID), values[1] - values[0])
    keep_level, keep_trend = 1 - _ALPHA, (1 - _BETA) * _PHI
    sse = np.zeros(len(GRID))
    for y in values[1:]:
        predicted = level + _PHI * trend
        error = y - predicted
        sse = sse + error * error
        new_level = _ALPHA * y + keep_level * predicted
        trend = _BETA * (new_level - level) + keep_trend * trend
        level = new_level
    return sse, level + _PHI * trend


def _make_holt_fit(values: tuple[float, ...]) -> Forecast:
    """`holt_damped` of exactly these values, fitted once: one answer fits the same revenue
    history for its forecast tile and for every plan landing that reads it."""
    sses, nexts = grid_sse(values)
    best = int(np.argmin(sses))  # the first smallest, as a strict `<` scan in GRID order keeps
    sse, nxt = float(sses[best]), float(nexts[best])
    alpha, beta, phi = GRID[best]
    sigma = math.sqrt(sse / (len(values) - 1))
    return Forecast(
        "holt_damped",
        nxt,
        nxt - Z_80 * sigma,
        nxt + Z_80 * sigma,
        alpha,
        beta,
        phi,
        len(values),
    )


_holt_fit = kept(256)(_make_holt_fit)
"""`_make_holt_fit`, fitted once per history (`execdash.memo`)."""


def trailing_mean(values: Sequence[float]) -> Forecast:
    """Mean of the last three months × 1.02 (fewer months if that is all there is)."""
    if not values:
        return Forecast("none", None)
    last = values[-3:]
    return Forecast(
        "trailing_3m_mean", sum(last) / len(last) * TRAILING_GROWTH, history=len(values)
    )


def forecast_next(values: Sequence[float]) -> Forecast:
    """Holt when at least 12 months of history exist, else the trailing 3-month mean × 1.02."""
    if len(values) >= MIN_HOLT_MONTHS:
        return holt_damped(values)
    return trailing_mean(values)


def holt_path(
    values: Sequence[float], alpha: float, beta: float, phi: float, steps: int
) -> list[float]:
    """The next `steps` values of a fitted damped Holt model: level + (φ + … + φ^h) × trend."""
    level, trend = values[0], values[1] - values[0]
    for y in values[1:]:
        predicted = level + phi * trend
        new_level = alpha * y + (1 - alpha) * predicted
        trend = beta * (new_level - level) + (1 - beta) * phi * trend
        level = new_level
    path, damping = [], 0.0
    for h in range(1, steps + 1):
        damping += phi**h
        path.append(level + damping * trend)
    return path


def project(
    values: Sequence[float], steps: int, growth: float = TRAILING_GROWTH
) -> tuple[ForecastMethod, list[float]]:
    """The next `steps` monthly values by the revenue forecast's own method: damped Holt with
    the parameters `holt_damped` chooses (12+ months), else the trailing 3-month mean × `growth`
    (1.02 for revenue; 1 for a rate or a stock) held flat; `none` and no values without history."""
    if not values:
        return "none", []
    if steps <= 0:
        return ("holt_damped" if len(values) >= MIN_HOLT_MONTHS else "trailing_3m_mean"), []
    if len(values) >= MIN_HOLT_MONTHS:
        fit = holt_damped(values)
        assert fit.alpha is not None
        assert fit.beta is not None
        assert fit.phi is not None
        return "holt_damped", holt_path(values, fit.alpha, fit.beta, fit.phi, steps)
    last = values[-3:]
    return "trailing_3m_mean", [sum(last) / len(last) * growth] * steps


def pipeline_estimate(
    pipeline: float | None,
    win_rate: float | None,
    won_deals: float | None,
    won_amount: float | None,
) -> float | None:
    """Pipeline × win rate × mean won deal size (won amount / won deals); None if anything lacks."""
    if pipeline is None or win_rate is None or not won_deals or won_amount is None:
        return None
    return pipeline * win_rate * (won_amount / won_deals)
