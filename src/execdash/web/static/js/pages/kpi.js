// KPI drill-down: the tile, its series per period, a breakdown with a dimension switcher and the
// table behind it. Executive KPIs come from /api/v1/kpis/{key}; domain tiles from their domain.
import { getJSON } from "../api.js";
import { h, fill } from "../dom.js";
import { kpiTile } from "../tiles.js";
import { chartCard } from "../charts.js";
import { seriesSpec, breakdownSpec, withBand } from "../chart_specs.js";
import { tableCard } from "../tables.js";
import { viewParams, viewQuery } from "../state.js";
import { showTimeframe } from "../context.js";
import { formatValue, formatPeriod, formatDelta, formatPoints } from "../format.js";
import { EXECUTIVE_KPIS } from "./domain.js";
import { DOMAINS } from "./domains.js";
import { renderDrivers, renderUnexplained } from "../drivers.js";
import { withLastYearLine } from "../lastyear.js";
import { withPlanLine } from "../plan.js";
import { humanLabel, humanName } from "../words.js";
import { annotate, fetchNotices } from "../annotations.js";

const BY_KEY = "by";

function chosenDimension(dimensions) {
  const wanted = new URLSearchParams(location.search).get(BY_KEY);
  return dimensions.includes(wanted) ? wanted : dimensions[0] || null;
}

function remember(dimension) {
  const url = new URL(location.href);
  if (dimension) url.searchParams.set(BY_KEY, dimension);
  else url.searchParams.delete(BY_KEY);
  history.replaceState(null, "", url);
}

async function fetchDrilldown(key, view, domain) {
  if (EXECUTIVE_KPIS.has(key)) {
    const first = await getJSON(`/api/v1/kpis/${encodeURIComponent(key)}`, viewParams(view));
    const by = chosenDimension(first.dimensions || []);
    if (!by) return first;
    return getJSON(`/api/v1/kpis/${encodeURIComponent(key)}`, { ...viewParams(view), by });
  }
  const layout = DOMAINS[domain];
  if (!layout) throw new Error(`${key} is not an executive KPI and no domain was named`);
  const data = await getJSON(layout.endpoint, viewParams(view));
  const kpi = (data.kpis || []).find((k) => k.key === key);
  if (!kpi) throw new Error(`The ${domain} page has no KPI called ${key}`);
  const series = (data.series || []).find((s) => s.key === key) || null;
  return { key, timeframe: data.timeframe, kpi, series, dimensions: [], breakdown: null };
}

function renderBreakdown(drill, reload) {
  const select = document.getElementById("breakdown-by");
  const card = document.getElementById("kpi-breakdown-card");
  const dims = drill.dimensions || [];
  if (!dims.length) {
    card.hidden = true;
    return;
  }
  card.hidden = false;
  const current = drill.breakdown?.dimension || chosenDimension(dims);
  fill(select, dims.map((d) => h("option", { value: d, text: humanLabel(d), selected: d === current })));
  select.onchange = () => {
    remember(select.value);
    reload();
  };
  const b = drill.breakdown;
  const container = document.getElementById("kpi-breakdown");
  const wrapper = fill(container, breakdownNote(b), h("div"));
  chartCard(wrapper.lastChild, breakdownSpec(`${b?.measure || drill.kpi.label} by ${current}`, b, {
    filename: `${drill.key}-by-${current}`,
    empty: `Nothing to break down by ${current} in this window.`,
  }));
}

/** One line saying what the slices are over, and whether they account for the whole tile. */
export function breakdownNote(b) {
  if (!b) return null;
  const over = `Over ${b.over}.`;
  if (b.reconciles) {
    return h("p", { class: "breakdown-over", id: "breakdown-over" }, over, " The slices add up to the tile.");
  }
  if (b.difference === null || b.difference === undefined) {
    return h("p", { class: "breakdown-over", id: "breakdown-over" }, over, " The tile has no value for this window.");
  }
  const gap = formatValue(b.difference, b.unit, "", { compact: false });
  return h("p", { class: "breakdown-over warn", id: "breakdown-over" }, over, " ",
    h("strong", { text: `${gap} unattributed` }),
    ": the summary the tile reads holds more (or less) than these rows, shown as its own slice.");
}

function renderTable(drill) {
  const container = document.getElementById("kpi-table");
  const b = drill.breakdown;
  if (b && b.items?.length) {
    const money = (v) => formatValue(v, b.unit, "", { compact: false });
    const columns = [
      { key: "name", label: humanLabel(b.dimension), format: (v) => humanName(v) },
      { key: "value", label: humanLabel(b.measure), num: true, format: money },
      { key: "share", label: "Share", num: true, format: (v) => formatValue(v, "ratio") },
    ];
    if (b.kind === "ratio") {
      const denominator = drill.key === "gm" ? "Revenue" : "Recognized";
      columns.push({ key: "denominator", label: denominator, num: true, format: money });
      columns.push({ key: "rate", label: drill.kpi.label, num: true, format: (v) => formatValue(v, "ratio", drill.key) });
    }
    // The last row reproduces the tile: Σ values (and for a ratio Σ numerators / Σ denominators).
    const total = { name: "Total (the tile)", value: b.total, share: b.total ? 1 : null, denominator: b.denominator, rate: b.kind === "ratio" ? b.tile : null };
    tableCard(container, { title: `Table: ${drill.kpi.label} by ${b.dimension}`, filename: `${drill.key}-by-${b.dimension}-table`, rows: [...b.items, total], columns });
    return;
  }
  const points = drill.series?.points || [];
  tableCard(container, {
    title: `Table: ${drill.series?.label || drill.kpi.label} per period`,
    filename: `${drill.key}-series-table`,
    rows: points,
    empty: "No periods in this window.",
    columns: [
      { key: "period", label: "Period", format: (v, r) => `${formatPeriod(v)}${r.partial ? ` (partial, ${r.months} mo)` : ""}` },
      { key: "value", label: drill.series?.label || drill.kpi.label, num: true, format: (v) => formatValue(v, drill.series.unit, drill.key, { compact: false }) },
    ],
  });
}

const METHODS = {
  holt_damped: "Damped-trend exponential smoothing (Holt)",
  trailing_3m_mean: "Mean of the last 3 months × 1.02",
  none: "No history to forecast from",
};

function forecastFacts(drill) {
  const f = drill.kpi.forecast;
  const money = (v) => formatValue(v, "currency", "", { compact: false });
  const inputs = new Map((drill.kpi.provenance?.inputs || []).map((i) => [i.name, i.value]));
  const params = f.method === "holt_damped"
    ? `α = ${f.alpha}, β = ${f.beta}, φ = ${f.phi}; ${f.history_months} months of history`
    : `${f.history_months} months of history`;
  const rows = [
    ["Forecast for", formatPeriod(f.month)],
    ["Expected recognized revenue", money(f.value)],
    ["80% interval", f.lower !== null && f.lower !== undefined ? `${money(f.lower)} – ${money(f.upper)}` : "— (no interval for this method)"],
    ["Method", METHODS[f.method] || f.method],
    ["Parameters", params],
  ];
  const pipeline = inputs.get("pipeline (SQL, end month)");
  const win = inputs.get("win rate (end month)");
  const size = inputs.get("mean won deal size");
  const estimate = f.pipeline_estimate;
  const second = h("dl", { class: "facts", id: "pipeline-estimate" },
    h("dt", { text: "Pipeline × win rate × deal size" }),
    h("dd", { text: estimate === null || estimate === undefined ? "— (needs pipeline, win rate and won deals)" : money(estimate) }),
    h("dt", { text: "Pipeline (SQL stage, end month)" }), h("dd", { text: formatValue(pipeline, "count") }),
    h("dt", { text: "Win rate (end month)" }), h("dd", { text: formatValue(win, "ratio") }),
    h("dt", { text: "Mean won deal size" }), h("dd", { text: money(size) }));
  return h("div", { class: "forecast-facts" },
    h("div", {}, h("h3", { text: "Time-series forecast" }),
      h("dl", { class: "facts", id: "forecast-method" }, rows.flatMap(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })]))),
    h("div", {}, h("h3", { text: "Second estimate from the pipeline" }), second));
}

/** The forecast month after the monthly actuals, its 80% interval as a band, and how it was made. */
function renderForecast(drill) {
  const card = document.getElementById("kpi-forecast");
  const f = drill.kpi.forecast;
  if (!card) return;
  card.hidden = !f;
  if (!f) return;
  const actual = drill.actuals?.points || [];
  const n = actual.length;
  const lastValue = n ? actual[n - 1].value : null;
  const at = (i, v) => [...Array(n).fill(null), null].map((_, j) => (j === i ? v : null));
  const join = (v) => { const row = at(n, v); if (n) row[n - 1] = lastValue; return row; };
  const hasBand = f.lower !== null && f.lower !== undefined && f.upper !== null && f.upper !== undefined;
  const series = [
    { name: "Recognized revenue (actuals)", key: "recognized", unit: "currency", type: "line", data: [...actual.map((p) => p.value), null] },
    { name: "Forecast", key: "forecast", unit: "currency", type: "line", dashed: true, sparse: true, symbolSize: 9, data: join(f.value) },
  ];
  if (hasBand) {
    series.push(
      { name: "80% interval low", key: "lower", unit: "currency", type: "line", stack: "band", band: "base", data: join(f.lower) },
      { name: "80% interval", key: "upper", unit: "currency", type: "line", stack: "band", band: "fill", sparse: true,
        data: join(f.upper - f.lower).map((v, i) => (i === n - 1 ? 0 : v)),
        csv: at(n, f.upper),
        shown: at(n, `${formatValue(f.lower, "currency")} – ${formatValue(f.upper, "currency")}`) },
    );
  }
  if (f.pipeline_estimate !== null && f.pipeline_estimate !== undefined) {
    series.push({ name: "Pipeline estimate", key: "pipeline_estimate", unit: "currency", type: "line", symbol: "diamond", dashed: true, sparse: true, symbolSize: 12, data: join(f.pipeline_estimate) });
  }
  const chart = h("div");
  fill(card, chart, forecastFacts(drill));
  chartCard(chart, {
    title: `Revenue forecast for ${formatPeriod(f.month)}`,
    filename: "forecast",
    categories: [...actual.map((p) => p.period), f.month],
    axes: [{ unit: "currency", name: "Recognized revenue", scale: true }],
    series,
    empty: "No recognized revenue history to forecast from.",
    note: hasBand ? `The shaded band is the 80% interval: ${formatValue(f.lower, "currency")} – ${formatValue(f.upper, "currency")}.` : undefined,
  });
}

/** The periods furthest off plan, worst first, with plan, actual and variance. */
function renderOffPlan(drill) {
  const card = document.getElementById("kpi-off-plan");
  if (!card) return;
  const rows = drill.off_plan || [];
  card.hidden = !drill.plan_series;
  if (!drill.plan_series) return;
  const unit = drill.kpi.unit;
  const points = drill.kpi.plan?.variance_unit === "points";
  const fmt = (v) => formatValue(v, unit, drill.key, { compact: false });
  tableCard(card, {
    title: `${drill.key === "forecast" ? "Months" : "Periods"} furthest off plan (${drill.plan_series.label})`,
    filename: `${drill.key}-off-plan`,
    rows: rows.slice(0, 6),
    empty: "No period of this window has both a plan and an actual.",
    columns: [
      { key: "period", label: "Period", format: (v) => formatPeriod(v) },
      { key: "plan", label: "Plan", num: true, format: fmt },
      { key: "actual", label: "Actual", num: true, format: fmt },
      { key: "variance", label: "Variance", num: true, format: (v, r) => h("span", { class: `plan-variance ${r.favourable ? "good" : "bad"}`, text: `${points ? formatPoints(v, drill.key) : formatDelta(r.variance_pct)} (${formatValue(v, unit, drill.key)})` }) },
      { key: "favourable", label: "Against plan", format: (v) => (v ? "at or better than plan" : "worse than plan") },
    ],
  });
}

/** The metric's expected band per month (alert rules' anomaly band), or null where there is none. */
async function expectedBand(key, view) {
  if (view.granularity !== "month" || key === "forecast") return null;
  // The band does not depend on the comparison, and the bands route does not offer the plan one.
  const params = viewParams(view);
  if (params.compare === "plan") delete params.compare;
  try {
    return await getJSON(`/api/v1/bands/${encodeURIComponent(key)}`, params);
  } catch {
    return null; // a tile no rule can watch, or too little history: the chart simply has no band
  }
}

/** The breadcrumb's first step: the domain page the tile came from (Sales), else the overview. */
function showCrumb(domain, view) {
  const link = document.getElementById("kpi-crumb-parent");
  const nav = domain && DOMAINS[domain] ? document.querySelector(`.site-nav a[href^="/${domain}"]`) : null;
  link.textContent = nav ? nav.textContent.trim() : "Overview";
  link.setAttribute("href", `${nav ? `/${domain}` : "/"}?${viewQuery(view)}`);
}

export async function load(view) {
  const key = document.body.dataset.kpi;
  const domain = new URLSearchParams(location.search).get("domain");
  const [drill, notices] = await Promise.all([fetchDrilldown(key, view, domain), fetchNotices()]);
  showTimeframe(drill.timeframe);
  document.title = `${drill.kpi.label} · execdash`;
  document.getElementById("kpi-title").textContent = drill.kpi.label;
  document.getElementById("kpi-crumb").textContent = drill.kpi.label;
  showCrumb(domain, view);
  const series = drill.series;
  fill(document.getElementById("kpi-tile"), kpiTile(drill.kpi, { values: series?.points.map((p) => p.value) }));
  const seriesBox = document.getElementById("kpi-series");
  if (series) {
    const spec = withLastYearLine(withPlanLine(seriesSpec(`${series.label || drill.kpi.label} per ${drill.timeframe.granularity}`, [series], {
      type: series.kind === "flow" ? "bar" : "line",
      filename: `${drill.key}-series`,
      empty: `No ${drill.kpi.label.toLowerCase()} data in this window.`,
    }), drill.key === "forecast" ? null : drill.plan_series, 0), drill.comparison_series, 0);
    chartCard(seriesBox, annotate(withBand(spec, await expectedBand(key, view)), notices));
  } else {
    fill(seriesBox, h("div", { class: "empty", text: `${drill.kpi.label} has no series per period.` }));
  }
  renderForecast(drill);
  renderOffPlan(drill);
  renderBreakdown(drill, () => load(view));
  renderTable(drill);
  const why = document.getElementById("kpi-drivers");
  const dims = drill.dimensions || [];
  if (dims.length) await renderDrivers(why, drill, viewParams(view), drill.breakdown?.dimension || chosenDimension(dims));
  else renderUnexplained(why, drill.kpi, drill.timeframe);
}
