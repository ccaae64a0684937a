"""The seed schema transcribed by hand from DB_SCHEMA.md: (column, type, not null, pk) per table.

Kept independent of `execdash.db.schema` so the tests compare two separate readings of the seed;
`test_seed_document_matches_transcription` checks this transcription against the document itself.
"""

from __future__ import annotations

INT, T, R, D, DT = "INTEGER", "TEXT", "REAL", "DATE", "DATETIME"

# table -> [(column, type, not_null, primary_key)]
SEED: dict[str, list[tuple[str, str, bool, bool]]] = {
    "timeframe_window": [("id", INT, True, True), ("range", T, False, False),
                         ("start_date", D, False, False), ("end_date", D, False, False),
                         ("granularity", T, False, False)],
    "executive_kpis": [("key", T, True, True), ("label", T, False, False),
                       ("value", R, False, False), ("unit", T, False, False),
                       ("delta", R, False, False), ("direction", T, False, False)],
    "revenue_trend": [("period", T, True, True), ("recognized", R, True, False),
                      ("booked", R, True, False), ("backlog", R, True, False)],
    "pipeline_stages": [("stage_name", T, True, True), ("value", INT, True, False)],
    "pipeline_stages_daily": [("period", D, True, True), ("stage_name", T, True, True),
                              ("value", INT, True, False)],
    "pipeline_winrate": [("period", T, True, True), ("win_rate_pct", R, True, False),
                         ("sales_cycle_days", INT, True, False)],
    "retention_nrr": [("period", T, True, True), ("nrr", R, True, False),
                      ("gross_churn", R, True, False), ("expansion", R, True, False)],
    "retention_at_risk": [("id", INT, True, True), ("customer", T, True, False),
                          ("mrr", R, True, False), ("risk", R, True, False),
                          ("reason", T, False, False)],
    "alerts": [("id", INT, True, True), ("type", T, True, False), ("title", T, True, False),
               ("description", T, False, False), ("severity", T, False, False),
               ("created_at", DT, False, False)],
    "risks": [("id", INT, True, True), ("title", T, True, False), ("owner", T, False, False),
              ("due", D, False, False), ("mitigation", T, False, False),
              ("status", T, False, False)],
    "ops_uptime": [("period", T, True, True), ("uptime", R, True, False)],
    "ops_reliability": [("period", T, True, True), ("mtbf_hours", R, True, False),
                        ("mttr_hours", R, True, False)],
    "ops_quality": [("period", T, True, True), ("doa_pct", R, True, False),
                    ("defect_pct", R, True, False), ("warranty_pct", R, True, False)],
    "ops_service_cost": [("period", T, True, True), ("cost_per_device", R, True, False)],
    "supply_cogs_breakdown": [("id", INT, True, True), ("component", T, True, False),
                              ("cost", R, True, False)],
    "supply_cogs_variance": [("period", T, True, True), ("variance_pct", R, True, False)],
    "supply_lead_time": [("period", T, True, True), ("lead_time_days", R, True, False)],
    "supply_inventory_turns": [("period", T, True, True), ("turns_per_year", R, True, False)],
    "telemetry_utilization": [("period", T, True, True),
                              ("avg_hours_per_device", R, True, False)],
    "telemetry_consumption": [("period", T, True, True), ("grams_per_cycle", R, True, False)],
    "telemetry_active_devices": [("period", T, True, True), ("active_devices", INT, True, False)],
    "top_products_daily": [("period", D, True, True), ("name", T, True, True),
                           ("revenue", R, True, False)],
    "top_products": [("name", T, True, True), ("revenue", R, True, False)],
    "customers": [("id", INT, True, True), ("name", T, True, False),
                  ("industry", T, False, False), ("source", T, False, False),
                  ("created_at", D, False, False)],
    "deals": [("id", INT, True, True), ("type", T, True, False)],
    "orders": [("id", INT, True, True), ("customer_id", INT, False, False),
               ("amount", R, True, False), ("profit", R, True, False),
               ("order_date", D, True, False), ("type", T, False, False)],
    "expenses": [("id", INT, True, True), ("cost", R, True, False), ("date", D, True, False)],
    "devices": [("id", INT, True, True), ("type", T, True, False),
                ("fault_type", T, False, False)],
    "repurchases": [("id", INT, True, True), ("device_type", T, True, False),
                    ("repurchase_rate", R, True, False)],
    "user_events": [("id", INT, True, True), ("event_type", T, True, False),
                    ("event_time", DT, True, False)],
    "page_visits": [("id", INT, True, True), ("visit_date", D, True, False),
                    ("page_name", T, True, False)],
    "product_feedback": [("id", INT, True, True), ("category", T, True, False),
                         ("type", T, True, False), ("created_at", DT, False, False)],
    "feedback_scores": [("id", INT, True, True), ("aspect", T, True, False),
                        ("score", R, True, False), ("created_at", DT, False, False)],
    "feedback": [("id", INT, True, True), ("customer_id", INT, False, False),
                 ("type", T, True, False), ("message", T, False, False),
                 ("created_at", DT, False, False)],
}  # fmt: skip

INDEXES = {
    "idx_orders_order_date": ("orders", ["order_date"]),
    "idx_orders_customer_id": ("orders", ["customer_id"]),
    "idx_expenses_date": ("expenses", ["date"]),
    "idx_user_events_time": ("user_events", ["event_time"]),
    "idx_page_visits_date": ("page_visits", ["visit_date"]),
    "idx_product_feedback_created": ("product_feedback", ["created_at"]),
    "idx_top_products_daily_period": ("top_products_daily", ["period"]),
    "idx_pipeline_stages_daily_period": ("pipeline_stages_daily", ["period"]),
}

# How each seed type is reported by SQLAlchemy inspection on each backend.
REFLECTED_TYPE = {
    "sqlite": {INT: "INTEGER", T: "TEXT", R: "REAL", D: "DATE", DT: "DATETIME"},
    "postgresql": {INT: "INTEGER", T: "TEXT", R: "DOUBLE PRECISION", D: "DATE", DT: "TIMESTAMP"},
}
