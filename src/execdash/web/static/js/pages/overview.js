// Overview: six headline KPI tiles, four highlights, the revenue chart, newest alerts, open risks
// and at-risk customers. Every number comes from /api/v1/dashboard (and the at-risk list).
import { getJSON } from "../api.js";
import { h, fill } from "../dom.js";
import { kpiTile } from "../tiles.js";
import { chartCard } from "../charts.js";
import { tableCard } from "../tables.js";
import { viewParams, viewQuery } from "../state.js";
import { showTimeframe, showDataUpdated } from "../context.js";
import { formatDate, formatValue } from "../format.js";
import { severityBadge } from "./alerts.js";
import { trendRows, kpiSeriesValues } from "../shapes.js";
import { renderSummary } from "../summary.js";
import { printOverflow } from "../printing.js";
import { withLastYearLine } from "../lastyear.js";
import { withPlanLine, rankedByPlan, STATUS_WORDS, STATUS_TONES, formatVariance, landingText, planSpan } from "../plan.js";
import { humanLabel } from "../words.js";
import { annotate, toNotices } from "../annotations.js";

export const HEADLINE = ["revenue", "backlog", "uptime", "nrr", "gm", "payback"];
export const HIGHLIGHTS = ["book_to_bill", "coverage_months", "arr", "forecast"];

function drillHref(key, view) {
  return `/kpi/${encodeURIComponent(key)}?${viewQuery(view)}`;
}

function renderTiles(container, keys, kpis, view, sparks) {
  const byKey = new Map(kpis.map((k) => [k.key, k]));
  fill(container, keys.filter((k) => byKey.has(k)).map((key) =>
    kpiTile(byKey.get(key), { href: drillHref(key, view), values: sparks?.get(key) })));
  container.removeAttribute("aria-busy");
}

function renderRevenueChart(data, view) {
  const rows = trendRows(data);
  const plan = (data.plan_lines || []).find((s) => s.key === "plan_recognized");
  const lastYear = (data.comparison_lines || []).find((s) => s.key === "recognized");
  chartCard(document.getElementById("revenue-chart"), annotate(withLastYearLine(withPlanLine({
    title: "Revenue: recognized and booked, with backlog",
    filename: "revenue-trend",
    href: drillHref("revenue", view),
    drill: (key) => (key === "backlog" ? drillHref("backlog", view) : null),
    categories: rows.map((r) => r.period),
    partial: rows.map((r) => Boolean(r.partial)),
    months: rows.map((r) => r.months),
    axes: [{ unit: "currency" }], // one £ axis: backlog is read against the same scale as revenue
    series: [
      { name: "Recognized", key: "recognized", unit: "currency", type: "bar", data: rows.map((r) => r.recognized) },
      { name: "Booked", key: "booked", unit: "currency", type: "bar", data: rows.map((r) => r.booked) },
      { name: "Backlog (period end)", key: "backlog", unit: "currency", type: "line", data: rows.map((r) => r.backlog) },
    ],
    empty: "No revenue data in this window: revenue_trend has no rows for these months. Import revenue or pick an earlier as-of month.",
  }, plan, 0), lastYear, 0), toNotices(data.alerts, data.risks)));
}

/** The "vs plan" view: every KPI with a plan, ranked by how far its plan period lands off plan. */
function renderVsPlan(kpis, view) {
  const card = document.getElementById("plan-card");
  if (!card) return;
  const ranked = rankedByPlan(kpis);
  const any = kpis.find((k) => k.plan);
  card.hidden = !any;
  if (!any) return;
  tableCard(card, {
    title: `Against plan: ${any.plan.plan_name} v${any.plan.plan_version}, furthest off plan first`,
    filename: "kpis-vs-plan",
    rows: ranked.map(({ kpi }) => ({ kpi, key: kpi.key, label: kpi.label, status: kpi.plan.status, landing: landingText(kpi), months: planSpan(kpi.plan), plan: kpi.plan.plan, actual: kpi.plan.actual, variance: kpi.plan.variance, variance_pct: kpi.plan.variance_pct, attainment: kpi.plan.attainment })),
    empty: "No KPI has a target in this window.",
    columns: [
      { key: "label", label: "KPI", format: (v, r) => h("a", { href: drillHref(r.key, view), "data-keep-query": true, text: v }) },
      { key: "status", label: "Status", format: (v) => (v ? h("span", { class: `plan-status ${STATUS_TONES[v]}`, text: STATUS_WORDS[v] }) : "—") },
      { key: "landing", label: "Plan period", format: (v) => v || "—" },
      { key: "months", label: "Window months planned" },
      { key: "plan", label: "Plan", num: true, format: (v, r) => formatValue(v, r.kpi.unit, r.key) },
      { key: "actual", label: "Actual", num: true, format: (v, r) => formatValue(v, r.kpi.unit, r.key) },
      { key: "variance", label: "Variance", num: true, format: (v, r) => formatVariance(r.kpi.plan, r.key) },
      { key: "attainment", label: "Attainment", num: true, format: (v) => formatValue(v, "ratio") },
    ],
  });
}

function renderAlerts(alerts, total) {
  const list = document.getElementById("overview-alerts");
  if (!alerts.length) {
    fill(list, h("li", { class: "muted", text: "No open alerts." }));
    return;
  }
  fill(list, alerts.map((a) => h("li", { dataset: { id: a.id } },
    severityBadge(a.severity),
    h("div", { class: "item-main" },
      h("div", { class: "item-title", text: a.title }),
      h("div", { class: "item-meta", text: [humanLabel(a.type), formatDate(a.created_at), humanLabel(a.status)].filter(Boolean).join(" · ") })))));
  printOverflow([...list.children], list, ["open alert", "open alerts"], { total });
}

function renderRisks(risks, total) {
  const list = document.getElementById("overview-risks");
  const open = risks.filter((r) => (r.status || "open") !== "closed");
  if (!open.length) {
    fill(list, h("li", { class: "muted", text: "No open risks." }));
    return;
  }
  fill(list, open.map((r) => h("li", { dataset: { id: r.id } },
    h("span", { class: "badge", text: humanLabel(r.status || "open") }),
    h("div", { class: "item-main" },
      h("div", { class: "item-title", text: r.title }),
      h("div", { class: "item-meta" }, r.owner || "No owner", " · due ",
        h("span", { class: r.overdue ? "overdue" : null }, formatDate(r.due), r.overdue ? " (overdue)" : ""))))));
  printOverflow([...list.children], list, ["open risk", "open risks"], { total });
}

function renderWarnings(warnings) {
  const box = document.getElementById("data-warnings");
  if (!box) return;
  box.hidden = warnings.length === 0;
  fill(box, h("strong", { text: `Data-quality warnings (${warnings.length}): ` }),
    h("ul", {}, warnings.map((w) => h("li", { text: `${w.table}.${w.column}${w.period ? ` ${w.period}` : ""}: ${w.message}` }))));
}

function renderAtRisk(rows, total) {
  const card = document.getElementById("at-risk-table");
  tableCard(card, {
    title: "At-risk customers by expected loss",
    filename: "at-risk-customers",
    rows,
    empty: "No customers are flagged at risk (retention_at_risk is empty).",
    columns: [
      { key: "customer", label: "Customer" },
      { key: "mrr", label: "MRR", num: true, format: (v) => formatValue(v, "currency", "", { compact: false }) },
      { key: "risk", label: "Churn risk", num: true, format: (v) => formatValue(v, "ratio") },
      { key: "expected_loss", label: "Expected loss / month", num: true, format: (v) => formatValue(v, "currency", "", { compact: false }) },
      { key: "reason", label: "Reason", format: (v) => v || "—" },
    ],
  });
  const wrap = card.querySelector(".table-wrap");
  if (wrap) printOverflow([...wrap.querySelectorAll("tbody tr")], wrap, ["at-risk customer", "at-risk customers"], { total });
}

// Where each tile's sparkline comes from: the cheapest response that carries that KPI per period.
// The dashboard's own revenue trend covers three; one domain overview covers several more; only
// payback and coverage need their drill-down.
const SPARK_SOURCES = {
  revenue: ["trend", "recognized"],
  backlog: ["trend", "backlog"],
  forecast: ["trend", "recognized"],
  gm: ["/api/v1/finance", "gm"],
  book_to_bill: ["/api/v1/finance", "book_to_bill"],
  arr: ["/api/v1/finance", "arr"],
  nrr: ["/api/v1/retention", "nrr"],
  uptime: ["/api/v1/operations", "uptime"],
};

async function loadSparklines(kpis, view, data) {
  const params = viewParams(view);
  const sources = new Map([["trend", Promise.resolve({ series: data.revenue_trend || [] })]]);
  const fetchOnce = (path) => {
    if (!sources.has(path)) sources.set(path, getJSON(path, params).catch(() => null));
    return sources.get(path);
  };
  const sparks = new Map();
  await Promise.all(kpis.map(async (k) => {
    const [source, seriesKey] = SPARK_SOURCES[k.key] || [`/api/v1/kpis/${encodeURIComponent(k.key)}`, null];
    const body = await fetchOnce(source);
    const values = seriesKey
      ? body?.series?.find((s) => s.key === seriesKey)?.points.map((p) => p.value)
      : kpiSeriesValues(body);
    if (values) sparks.set(k.key, values);
  }));
  renderTiles(document.getElementById("headline-tiles"), HEADLINE, kpis, view, sparks);
  renderTiles(document.getElementById("highlight-tiles"), HIGHLIGHTS, kpis, view, sparks);
}

export async function load(view, painted = () => {}) {
  const params = viewParams(view);
  const data = await getJSON("/api/v1/dashboard", params);
  showTimeframe(data.timeframe);
  showDataUpdated(data.last_data_update);
  const kpis = data.kpis || [];
  renderTiles(document.getElementById("headline-tiles"), HEADLINE, kpis, view);
  renderTiles(document.getElementById("highlight-tiles"), HIGHLIGHTS, kpis, view);
  painted(); // the new numbers are on screen
  await new Promise((resolve) => requestAnimationFrame(resolve)); // paint the tiles before the chart
  renderRevenueChart(data, view);
  renderVsPlan(kpis, view);
  renderAlerts(data.alerts || [], data.alerts_total);
  renderRisks(data.risks || [], data.risks_total);
  renderAtRisk(data.at_risk || [], data.at_risk_total);
  renderWarnings(data.warnings || []);
  const summaryCard = document.getElementById("summary-card");
  await Promise.all([
    loadSparklines(kpis, view, data),
    renderSummary(summaryCard, params)
      .catch((error) => fill(summaryCard, h("p", { class: "error", text: `The summary could not be written: ${error.message}` })))
      .finally(() => summaryCard.removeAttribute("aria-busy")),
  ]);
}
