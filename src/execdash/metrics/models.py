"""Result models of the metrics engine; the API serves them as they are (they are its schemas).

They live by idea in `kpi_models` (window, KPI tile, series), `drill_models` (breakdowns and
drill-downs) and `overview_models` (domain pages); this module names them all in one place.
"""

from __future__ import annotations

from execdash.metrics.drill_models import (
    Breakdown,
    BreakdownItem,
    KpiBreakdown,
    KpiDrilldown,
)
from execdash.metrics.kpi_models import (
    Coverage,
    DataQualityWarning,
    Direction,
    ForecastDetail,
    ForecastMethod,
    Kind,
    Kpi,
    Provenance,
    ProvenanceInput,
    Series,
    SeriesPoint,
    Timeframe,
    Unit,
    seed_unit,
)
from execdash.metrics.overview_models import (
    AtRiskCustomer,
    DomainOverview,
    FeedbackOverview,
    FinanceOverview,
    FunnelStage,
    OperationsOverview,
    ProductsOverview,
    RepurchaseRate,
    RetentionOverview,
    SalesOverview,
    SupplyOverview,
    TelemetryOverview,
)

__all__ = [
    "AtRiskCustomer",
    "Breakdown",
    "BreakdownItem",
    "Coverage",
    "DataQualityWarning",
    "Direction",
    "DomainOverview",
    "FeedbackOverview",
    "FinanceOverview",
    "ForecastDetail",
    "ForecastMethod",
    "FunnelStage",
    "Kind",
    "Kpi",
    "KpiBreakdown",
    "KpiDrilldown",
    "OperationsOverview",
    "ProductsOverview",
    "Provenance",
    "ProvenanceInput",
    "RepurchaseRate",
    "RetentionOverview",
    "SalesOverview",
    "Series",
    "SeriesPoint",
    "SupplyOverview",
    "TelemetryOverview",
    "Timeframe",
    "Unit",
    "seed_unit",
]
