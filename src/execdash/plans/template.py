"""The plan template for a window: every plannable KPI × month, with the active plan's targets."""

from __future__ import annotations

from execdash.metrics.windows import Window, month_key
from execdash.plans.attach import Targets
from execdash.plans.catalog import PLANNABLE

COLUMNS = ("kpi", "month", "target", "segment_kind", "segment")


def template_rows(window: Window, targets: Targets | None) -> list[dict[str, object]]:
    """One row per plannable KPI and month of the window; the target filled from `targets`
    (the active plan's company targets) where it has one, else empty to fill in."""
    rows: list[dict[str, object]] = []
    for key in PLANNABLE:
        monthly = (targets or {}).get(key, {})
        for month in window.months:
            rows.append(
                {
                    "kpi": key,
                    "month": month_key(month),
                    "target": monthly.get(month),
                    "segment_kind": "",
                    "segment": "",
                }
            )
    return rows
