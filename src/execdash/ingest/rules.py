"""Domain rules the schema cannot express: which columns are rates, money or never negative."""

from __future__ import annotations

RATE_COLUMNS: frozenset[tuple[str, str]] = frozenset(
    {
        ("pipeline_winrate", "win_rate_pct"),
        ("retention_nrr", "gross_churn"),
        ("retention_nrr", "expansion"),
        ("retention_at_risk", "risk"),
        ("ops_uptime", "uptime"),
        ("ops_quality", "doa_pct"),
        ("ops_quality", "defect_pct"),
        ("ops_quality", "warranty_pct"),
        ("supply_cogs_variance", "variance_pct"),
        ("repurchases", "repurchase_rate"),
    }
)
"""Stored as 0–1 ratios; imported as percent when any value of the batch is above 1."""

NRR_COLUMNS: frozenset[tuple[str, str]] = frozenset({("retention_nrr", "nrr")})
"""A ratio that may exceed 1; imported as percent when any value of the batch is above 5."""

SIGNED_RATE_COLUMNS: frozenset[tuple[str, str]] = frozenset(
    {("supply_cogs_variance", "variance_pct")}
)
"""Rates that may be negative (a variance): allowed in −1…1, i.e. −100%…100%."""

NRR_MAX = 5.0
"""Largest plausible NRR ratio (500%); above it a percent-scaled value is rejected."""

MONEY_COLUMNS: frozenset[tuple[str, str]] = frozenset(
    {
        ("revenue_trend", "recognized"),
        ("revenue_trend", "booked"),
        ("revenue_trend", "backlog"),
        ("retention_at_risk", "mrr"),
        ("ops_service_cost", "cost_per_device"),
        ("supply_cogs_breakdown", "cost"),
        ("top_products_daily", "revenue"),
        ("top_products", "revenue"),
        ("orders", "amount"),
        ("orders", "profit"),
        ("expenses", "cost"),
    }
)
"""Amounts in the configured currency: currency symbols and thousands separators accepted."""

SIGNED_COLUMNS: frozenset[tuple[str, str]] = frozenset(
    {
        ("orders", "amount"),  # a credit note or refund is a negative order
        ("orders", "profit"),
        ("executive_kpis", "value"),
        ("executive_kpis", "delta"),
    }
)
"""Numeric columns where a negative value makes sense; every other number must be ≥ 0."""
