// KPI drill-down: the tile, its series per period, a breakdown with a dimension switcher and the
// table behind it. Executive KPIs come from /api/v1/kpis/{key}; domain tiles from their domain.
import { getJSON } from "../api.js";
import { h, fill } from "../dom.js";
import { kpiTile } from "../tiles.js";
import { chartCard, seriesSpec, breakdownSpec } from "../charts.js";
import { tableCard } from "../tables.js";
import { viewParams } from "../state.js";
import { showTimeframe } from "../context.js";
import { formatValue, formatPeriod } from "../format.js";
import { EXECUTIVE_KPIS } from "./domain.js";
import { DOMAINS } from "./domains.js";
import { renderDrivers, renderUnexplained } from "../drivers.js";

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
  fill(select, dims.map((d) => h("option", { value: d, text: d, selected: d === current })));
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
      { key: "name", label: b.dimension },
      { key: "value", label: b.measure, num: true, format: money },
      { key: "share", label: "Share", num: true, format: (v) => formatValue(v, "ratio") },
    ];
    if (b.kind === "ratio") {
      const denominator = drill.key === "gm" ? "Revenue" : "Recognized";
      columns.push({ key: "denominator", label: denominator, num: true, format: money });
      columns.push({ key: "rate", label: drill.kpi.label, num: true, format: (v) => formatValue(v, "ratio", drill.key) });
    }
    tableCard(container, { title: `Table: ${drill.kpi.label} by ${b.dimension}`, filename: `${drill.key}-by-${b.dimension}-table`, rows: b.items, columns });
    return;
  }
  const points = drill.series?.points || [];
  tableCard(container, {
    title: `Table: ${drill.kpi.label} per period`,
    filename: `${drill.key}-series-table`,
    rows: points,
    empty: "No periods in this window.",
    columns: [
      { key: "period", label: "Period", format: (v, r) => `${formatPeriod(v)}${r.partial ? ` (partial, ${r.months} mo)` : ""}` },
      { key: "value", label: drill.kpi.label, num: true, format: (v) => formatValue(v, drill.series.unit, drill.key, { compact: false }) },
    ],
  });
}

export async function load(view) {
  const key = document.body.dataset.kpi;
  const domain = new URLSearchParams(location.search).get("domain");
  const drill = await fetchDrilldown(key, view, domain);
  showTimeframe(drill.timeframe);
  document.title = `${drill.kpi.label} · execdash`;
  document.getElementById("kpi-title").textContent = drill.kpi.label;
  document.getElementById("kpi-crumb").textContent = drill.kpi.label;
  const series = drill.series;
  fill(document.getElementById("kpi-tile"), kpiTile(drill.kpi, { values: series?.points.map((p) => p.value) }));
  const seriesBox = document.getElementById("kpi-series");
  if (series) {
    chartCard(seriesBox, seriesSpec(`${drill.kpi.label} per ${drill.timeframe.granularity}`, [series], {
      type: series.kind === "flow" ? "bar" : "line",
      filename: `${drill.key}-series`,
      empty: `No ${drill.kpi.label.toLowerCase()} data in this window.`,
    }));
  } else {
    fill(seriesBox, h("div", { class: "empty", text: `${drill.kpi.label} has no series per period.` }));
  }
  renderBreakdown(drill, () => load(view));
  renderTable(drill);
  const why = document.getElementById("kpi-drivers");
  const dims = drill.dimensions || [];
  if (dims.length) await renderDrivers(why, drill, viewParams(view), drill.breakdown?.dimension || chosenDimension(dims));
  else renderUnexplained(why, drill.kpi, drill.timeframe);
}
