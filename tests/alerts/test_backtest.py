"""Replaying a draft rule month by month: episodes, firing months, hysteresis included."""

from __future__ import annotations

import datetime as dt

from execdash.alerts import offplan
from execdash.alerts.backtest import replay
from execdash.alerts.rules import RuleSpec


def month(i: int) -> dt.date:
    return dt.date(2025 + i // 12, i % 12 + 1, 1)


def test_replay_counts_episodes_and_firing_months() -> None:
    values = [120, 95, 101, 104, 110, 120, 90, 90, 120, 130, 80, 120]
    monthly = {month(i): float(v) for i, v in enumerate(values)}
    rule = RuleSpec("revenue", "threshold", "below", value=100, hysteresis=0.05)
    result = replay(rule, monthly, [month(i) for i in range(12)], "currency")
    firing = [m.firing for m in result.months]
    # 95 fires; 101 and 104 stay (clear at 105); 110 clears; 90, 90 fire; 80 fires
    assert firing == [False, True, True, True, False, False, True, True, False, False, True, False]
    assert [(e.start, e.end, e.months) for e in result.episodes] == [
        ("2025-02", "2025-04", 3), ("2025-07", "2025-08", 2), ("2025-11", "2025-11", 1),
    ]  # fmt: skip
    assert result.alerts == 3
    assert result.firing_months == 6
    assert [m.period for m in result.months if m.started] == ["2025-02", "2025-07", "2025-11"]
    assert (result.first, result.last, result.evaluable) == ("2025-01", "2025-12", 12)


def test_an_episode_still_open_at_the_end_is_counted() -> None:
    monthly = {month(i): float(v) for i, v in enumerate([120, 90, 90])}
    rule = RuleSpec("revenue", "threshold", "below", value=100)
    result = replay(rule, monthly, [month(i) for i in range(3)], "currency")
    assert [(e.start, e.end, e.months) for e in result.episodes] == [("2025-02", "2025-03", 2)]


def test_months_without_data_keep_the_state_and_are_not_evaluable() -> None:
    monthly = {month(0): 90.0, month(2): 120.0}
    rule = RuleSpec("revenue", "threshold", "below", value=100)
    result = replay(rule, monthly, [month(i) for i in range(3)], "currency")
    assert [m.firing for m in result.months] == [True, True, False]
    assert result.evaluable == 2
    assert result.months[1].value is None


def test_off_plan_replay_uses_each_months_gap_with_hysteresis() -> None:
    actual = [1000, 940, 952, 960, 900, 1000]
    monthly = {month(i): float(v) for i, v in enumerate(actual)}
    plan = {month(i): 1000.0 for i in range(5)}  # no plan for the sixth month
    gaps = offplan.gaps("revenue", "currency", monthly, plan)
    rule = RuleSpec("revenue", "off_plan", "below", value=0.05, hysteresis=0.05)
    result = replay(rule, monthly, [month(i) for i in range(6)], "currency", gaps)
    # 0%; −6% fires; −4.8% stays (it clears only within 4.75%); −4% clears; −10% fires;
    # the unplanned sixth month keeps the state and is not evaluable
    assert [m.firing for m in result.months] == [False, True, True, False, True, True]
    assert [m.plan for m in result.months] == [1000.0] * 5 + [None]
    assert [(e.start, e.end) for e in result.episodes] == [("2025-02", "2025-03"),
                                                            ("2025-05", "2025-06")]  # fmt: skip
    assert result.evaluable == 5
