// The layout of each domain page: which API endpoint, which series share a chart, which breakdowns.
import { chartCard } from "../charts.js";
import { tableCard } from "../tables.js";
import { formatValue } from "../format.js";
import { mrrMovements } from "./movements.js";

function funnel(container, data) {
  const stages = data.funnel || [];
  chartCard(container, {
    title: "Sales funnel with conversion rates",
    kind: "funnel",
    filename: "sales-funnel",
    unit: "count",
    dimension: "stage",
    measure: "count",
    items: stages.map((s) => ({
      name: s.stage, value: s.count, share: s.conversion,
      note: s.conversion === null || s.conversion === undefined ? "" : `${formatValue(s.conversion, "ratio")} of previous`,
    })),
    empty: "No pipeline data in this window (pipeline_stages_daily has no rows for these months).",
  });
}

function atRisk(container, data) {
  tableCard(container, {
    title: "At-risk customers by expected loss",
    filename: "at-risk-customers",
    rows: data.at_risk || [],
    empty: "No customers are flagged at risk (retention_at_risk is empty).",
    columns: [
      { key: "customer", label: "Customer" },
      { key: "mrr", label: "MRR", num: true, format: (v) => formatValue(v, "currency", "", { compact: false }) },
      { key: "risk", label: "Churn risk", num: true, format: (v) => formatValue(v, "ratio") },
      { key: "expected_loss", label: "Expected loss / month", num: true, format: (v) => formatValue(v, "currency", "", { compact: false }) },
      { key: "reason", label: "Reason", format: (v) => v || "—" },
    ],
  });
}

function repurchase(container, data) {
  tableCard(container, {
    title: "Repurchase rate by device type",
    filename: "repurchase-by-device-type",
    rows: data.repurchase_by_device_type || [],
    empty: "No repurchase data (the repurchases table is empty).",
    columns: [
      { key: "device_type", label: "Device type" },
      { key: "repurchase_rate", label: "Repurchase rate", num: true, format: (v) => formatValue(v, "ratio") },
    ],
  });
}

export const DOMAINS = {
  finance: {
    endpoint: "/api/v1/finance",
    charts: [
      // One axis per chart: measures in different units get charts of their own, and MRR (ARR ÷ 12)
      // is in the ARR chart's tooltip and CSV rather than on a second axis.
      { title: "Revenue: recognized and booked, with backlog", series: ["recognized", "booked", "backlog"], types: ["bar", "bar", "line"], axes: [{ unit: "currency" }], wide: true, filename: "revenue-trend", source: "revenue_trend" },
      { title: "Gross margin", series: ["gm"], type: "line", source: "orders" },
      { title: "Book-to-bill", series: ["book_to_bill"], type: "line", axes: [{ unit: "ratio", key: "book_to_bill" }], source: "orders, revenue_trend" },
      { title: "Recurring revenue (ARR)", series: ["arr"], also: ["mrr"], type: "bar", note: "MRR (ARR ÷ 12) is in the tooltip and the CSV.", source: "subscription/recurring orders" },
      { title: "Expenses", series: ["expenses"], source: "expenses" },
    ],
  },
  sales: {
    endpoint: "/api/v1/sales",
    charts: [
      { title: "Sales funnel", custom: funnel },
      { title: "Pipeline by stage (number of deals)", series: ["leads", "mql", "sql", "won"], axes: [{ unit: "count", name: "Deals" }], note: "A count of deals at each stage per period, not their value.", filename: "pipeline-by-stage", source: "pipeline_stages_daily" },
      { title: "Stage conversion rates", series: ["mql_per_lead", "sql_per_mql", "won_per_sql"], type: "line", axes: [{ unit: "ratio" }], source: "pipeline_stages_daily" },
      { title: "Win rate", series: ["win_rate"], type: "bar", source: "pipeline_winrate" },
      { title: "Sales cycle", series: ["sales_cycle"], type: "line", source: "sales_cycle" },
      { title: "New customers", series: ["new_customers"], source: "customers.created_at" },
      { title: "Average deal size", series: ["avg_deal"], wide: true, source: "deals" },
    ],
  },
  retention: {
    endpoint: "/api/v1/retention",
    charts: [
      { title: "Net revenue retention", series: ["nrr"], type: "line", source: "retention_nrr" },
      { title: "Gross churn and expansion", series: ["gross_churn", "expansion"], type: "line", axes: [{ unit: "ratio" }], source: "retention_churn" },
      { title: "MRR movements", custom: mrrMovements, wide: true },
      { title: "At-risk customers", custom: atRisk, wide: true },
    ],
  },
  operations: {
    endpoint: "/api/v1/operations",
    charts: [
      { title: "Uptime against plan", series: ["uptime"], type: "line", wide: true, source: "ops_uptime" },
      { title: "Mean time between failures (MTBF)", series: ["mtbf"], type: "bar", filename: "mtbf", source: "ops_reliability" },
      { title: "Mean time to repair (MTTR)", series: ["mttr"], type: "line", filename: "mttr", source: "ops_reliability" },
      { title: "DOA, defect and warranty rates", series: ["doa", "defect", "warranty"], type: "line", axes: [{ unit: "ratio" }], source: "ops_quality" },
      { title: "Service cost per device", series: ["service_cost"], source: "ops_service_cost" },
      { title: "Faults by type", breakdown: "faults_by_type", filename: "faults-by-type", empty: "No device has a fault_type recorded." },
      { title: "Repurchase rate by device type", custom: repurchase },
    ],
  },
  supply: {
    endpoint: "/api/v1/supply",
    charts: [
      { title: "COGS breakdown by component", breakdown: "cogs_breakdown", pie: true, filename: "cogs-breakdown", empty: "No COGS components (cogs_breakdown is empty)." },
      { title: "COGS variance", series: ["cogs_variance"], type: "line", source: "supply_cogs_variance" },
      { title: "Supplier lead time", series: ["lead_time"], type: "line", source: "supply_lead_time" },
      { title: "Inventory turns", series: ["inventory_turns"], type: "line", source: "supply_inventory_turns" },
    ],
  },
  telemetry: {
    endpoint: "/api/v1/telemetry",
    charts: [
      { title: "Active devices", series: ["active_devices"], wide: true, source: "telemetry" },
      { title: "Utilisation per device", series: ["utilization"], type: "line", source: "telemetry" },
      { title: "Consumption per cycle", series: ["consumption"], type: "line", source: "telemetry" },
    ],
  },
  products: {
    endpoint: "/api/v1/products",
    charts: [
      { title: "Top products by revenue", breakdown: "top_products", filename: "top-products", drillTo: "revenue", by: "product", empty: "No product revenue in this window (top_products_daily has no rows for these months)." },
      { title: "Top products with shares", breakdown: "top_products", table: true, filename: "top-products-table", empty: "No product revenue in this window." },
      { title: "Product revenue", series: ["product_revenue"], wide: true, source: "top_products_daily" },
    ],
  },
  marketing: {
    endpoint: "/api/v1/marketing",
    charts: [
      { title: "Page visits", series: ["page_visits"], wide: true, source: "page_visits" },
      { title: "Visit → lead conversion", series: ["visit_to_lead"], type: "line", source: "page_visits, pipeline_stages_daily" },
      { title: "Net promoter score (NPS)", series: ["nps"], type: "line", axes: [{ unit: "score", key: "nps" }], filename: "nps", source: "feedback_scores" },
      { title: "Customer satisfaction (CSAT)", series: ["csat"], type: "line", axes: [{ unit: "score", key: "csat" }], filename: "csat", source: "feedback_scores" },
      { title: "Product feedback by type", breakdown: "feedback_by_type", pie: true, filename: "feedback-by-type", empty: "No product feedback in this window." },
      { title: "Product feedback by category", breakdown: "feedback_by_category", filename: "feedback-by-category", empty: "No product feedback in this window." },
      { title: "Customer feedback by type", breakdown: "customer_feedback_by_type", pie: true, filename: "customer-feedback-by-type", empty: "No customer feedback in this window." },
      { title: "Customer mix by industry", breakdown: "customers_by_industry", pie: true, filename: "customers-by-industry", empty: "No customers yet." },
      { title: "Customer mix by source", breakdown: "customers_by_source", pie: true, filename: "customers-by-source", empty: "No customers yet." },
    ],
  },
};
