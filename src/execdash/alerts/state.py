"""Hysteresis: a rule starts firing when its signal crosses the line, and stops only once the
signal is back by a margin (`hysteresis` × |line|), so a metric hovering at the line never flaps.
"""

from __future__ import annotations

from execdash.alerts.rules import Check


def clear_line(check: Check, hysteresis: float) -> float:
    """The line the signal must get back past before a firing rule resolves."""
    margin = abs(hysteresis * check.line)
    return check.line - margin if check.above else check.line + margin


def firing(check: Check, was_firing: bool, hysteresis: float) -> bool:
    """Whether the rule fires on `check`, given whether it was firing before."""
    if was_firing:
        back = clear_line(check, hysteresis)
        return check.signal > back if check.above else check.signal < back
    return check.beyond and not check.small
