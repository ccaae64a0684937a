"""Damped Holt with ≥ 12 months, trailing 3-month mean × 1.02 below, and the pipeline estimate."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from execdash.metrics.forecast import (
    GRID,
    forecast_next,
    grid_sse,
    holt_damped,
    holt_sse,
    pipeline_estimate,
    trailing_mean,
)


def test_holt_recursion_matches_a_hand_computation() -> None:
    sse, nxt = holt_sse([1.0, 2.0, 4.0], alpha=0.5, beta=0.5, phi=0.9)
    assert sse == pytest.approx(0.01 + 1.2175**2)
    assert nxt == pytest.approx(4.4144375)


def test_constant_history_forecasts_the_constant_with_a_zero_width_interval() -> None:
    result = holt_damped([50.0] * 12)
    assert result.method == "holt_damped"
    assert result.value == pytest.approx(50.0)
    assert result.lower == pytest.approx(50.0)
    assert result.upper == pytest.approx(50.0)


def test_linear_growth_is_continued_but_damped() -> None:
    result = holt_damped([10.0 * i for i in range(1, 13)])  # 10 … 120
    assert result.value is not None
    assert 125.0 < result.value < 130.0
    assert result.lower is not None
    assert result.upper is not None
    assert result.lower < result.value < result.upper
    assert result.phi in {0.8, 0.85, 0.9, 0.95, 0.98}


def test_twelve_months_switch_to_holt_and_eleven_use_the_trailing_mean() -> None:
    assert forecast_next([100.0] * 12).method == "holt_damped"
    eleven = forecast_next([100.0] * 8 + [90.0, 100.0, 110.0])
    assert eleven.method == "trailing_3m_mean"
    assert eleven.value == pytest.approx(102.0)  # mean(90, 100, 110) × 1.02
    assert eleven.lower is None


def test_short_history_uses_what_there_is_and_no_history_gives_none() -> None:
    assert trailing_mean([100.0, 200.0]).value == pytest.approx(153.0)
    assert trailing_mean([100.0] * 5 + [200.0]).history == 6  # months behind the forecast
    assert trailing_mean([10.0, 20.0, 30.0, 40.0]).value == pytest.approx(30.0 * 1.02)  # last 3
    empty = forecast_next([])
    assert (empty.method, empty.value) == ("none", None)


def test_pipeline_estimate_is_pipeline_times_win_rate_times_mean_won_deal() -> None:
    assert pipeline_estimate(10.0, 0.25, 4.0, 400.0) == pytest.approx(250.0)
    assert pipeline_estimate(10.0, 0.25, 0.0, 400.0) is None
    assert pipeline_estimate(None, 0.25, 4.0, 400.0) is None


def test_project_continues_the_chosen_holt_model_step_by_step() -> None:
    from execdash.metrics.forecast import holt_damped, holt_path, project

    values = [100.0 + 4 * i + (i % 3) for i in range(18)]
    method, path = project(values, 3)
    fit = holt_damped(values)
    assert method == "holt_damped"
    assert path[0] == pytest.approx(fit.value)
    assert fit.alpha is not None
    assert fit.beta is not None
    assert fit.phi is not None
    assert path == holt_path(values, fit.alpha, fit.beta, fit.phi, 3)
    # each step adds the next damped share of the trend: φ^h × trend
    assert (path[2] - path[1]) == pytest.approx((path[1] - path[0]) * fit.phi)


def test_project_with_short_history_holds_the_trailing_mean() -> None:
    from execdash.metrics.forecast import project

    assert project([10.0, 20.0, 30.0, 40.0], 2) == ("trailing_3m_mean", [pytest.approx(30.6)] * 2)
    assert project([10.0, 20.0, 30.0, 40.0], 2, growth=1.0) == (
        "trailing_3m_mean",
        [pytest.approx(30.0)] * 2,
    )
    assert project([], 3) == ("none", [])
    assert project([1.0], 0) == ("trailing_3m_mean", [])
    assert project([10.0, 20.0], 1) == ("trailing_3m_mean", [pytest.approx(15.3)])


def test_project_names_its_method_even_for_no_steps_and_none_without_history() -> None:
    from execdash.metrics.forecast import project

    assert project([], 0) == ("none", [])
    assert project([100.0] * 11, 0) == ("trailing_3m_mean", [])
    assert project([100.0] * 12, 0) == ("holt_damped", [])


def test_twelve_months_of_history_are_enough_to_project_with_holt() -> None:
    from execdash.metrics.forecast import project

    # A flat history: Holt continues it exactly; the trailing mean would add 2 % (102).
    assert project([100.0] * 12, 2) == ("holt_damped", [pytest.approx(100.0)] * 2)


def test_holt_path_continues_a_hand_computed_fit_with_a_damped_trend() -> None:
    from execdash.metrics.forecast import holt_path

    # [1, 2, 4] with α = β = 0.5, φ = 0.9 ends at level 3.39125, trend 1.136875 (worked by hand
    # in test_holt_recursion_matches_a_hand_computation); step h adds (φ + … + φ^h) × trend.
    assert holt_path([1.0, 2.0, 4.0], 0.5, 0.5, 0.9, 3) == [
        pytest.approx(3.39125 + 0.9 * 1.136875),  # 4.4144375
        pytest.approx(3.39125 + 1.71 * 1.136875),  # 5.33530625
        pytest.approx(3.39125 + 2.439 * 1.136875),  # 6.164088125
    ]


def _scan(values: list[float]) -> tuple[float, float, float, float, float]:
    """The grid search one parameter set at a time, keeping the first strict minimum."""
    best: tuple[float, float, float, float, float] | None = None
    for alpha, beta, phi in GRID:
        sse, nxt = holt_sse(values, alpha, beta, phi)
        if best is None or sse < best[0]:
            best = (sse, nxt, alpha, beta, phi)
    assert best is not None
    return best


@settings(max_examples=60)
@given(
    st.lists(
        st.floats(min_value=-1e7, max_value=1e7, allow_nan=False, allow_infinity=False),
        min_size=12,
        max_size=60,
    )
)
def test_the_grid_at_once_gives_exactly_the_numbers_of_one_set_at_a_time(
    values: list[float],
) -> None:
    _sse, nxt, alpha, beta, phi = _scan(values)
    fit = holt_damped(values)
    assert (fit.alpha, fit.beta, fit.phi, fit.value) == (alpha, beta, phi, nxt)
    sses, nexts = grid_sse(values)
    assert [float(x) for x in sses] == [holt_sse(values, *p)[0] for p in GRID]
    assert [float(x) for x in nexts] == [holt_sse(values, *p)[1] for p in GRID]


def test_the_demo_revenue_history_fits_exactly_as_before() -> None:
    history = [100.0 + 7.5 * i + (13.0 if i % 3 == 0 else -4.0) for i in range(36)]
    _sse, nxt, alpha, beta, phi = _scan(history)
    fit = holt_damped(history)
    assert (fit.value, fit.alpha, fit.beta, fit.phi) == (nxt, alpha, beta, phi)
