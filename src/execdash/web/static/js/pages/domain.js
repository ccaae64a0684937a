// A page per domain: its KPI tiles and the charts of docs/web.md, from /api/v1/<domain>.
// Series the layout does not name still get a chart of their own, so nothing the API sends is lost.
import { getJSON } from "../api.js";
import { h, fill } from "../dom.js";
import { kpiTile } from "../tiles.js";
import { chartCard } from "../charts.js";
import { seriesSpec, breakdownSpec } from "../chart_specs.js";
import { withLastYearLine } from "../lastyear.js";
import { tableCard } from "../tables.js";
import { viewParams, viewQuery } from "../state.js";
import { showTimeframe, showDataUpdated } from "../context.js";
import { formatValue } from "../format.js";
import { seriesByKey } from "../shapes.js";
import { DOMAINS } from "./domains.js";
import { withPlanLine } from "../plan.js";
import { humanLabel, humanName } from "../words.js";
import { annotate, fetchNotices } from "../annotations.js";

/** The executive KPIs, which have a drill-down endpoint of their own. */
export const EXECUTIVE_KPIS = new Set([
  "revenue", "backlog", "uptime", "nrr", "gm", "payback", "book_to_bill", "coverage_months", "arr", "forecast",
]);

export function kpiHref(key, view, domain) {
  const query = viewQuery(view);
  // The domain rides along for executive KPIs too, so the drill-down's breadcrumb leads back to it.
  return `/kpi/${key}?${query}&domain=${domain}`;
}

function breakdownChart(container, title, breakdown, options = {}) {
  const items = breakdown?.items || [];
  if (options.pie) {
    chartCard(container, {
      title, kind: "pie", unit: breakdown?.unit, items, filename: options.filename,
      dimension: breakdown?.dimension, measure: breakdown?.measure, empty: options.empty, href: options.href,
    });
    return;
  }
  chartCard(container, breakdownSpec(title, breakdown, options));
}

function breakdownTable(container, title, breakdown, options = {}) {
  tableCard(container, {
    title, filename: options.filename, rows: breakdown?.items || [], empty: options.empty,
    columns: [
      { key: "name", label: humanLabel(breakdown?.dimension || "name"), format: (v) => humanName(v) },
      { key: "value", label: humanLabel(breakdown?.measure || "value"), num: true, format: (v) => formatValue(v, breakdown.unit, "", { compact: false }) },
      { key: "share", label: "Share", num: true, format: (v) => formatValue(v, "ratio") },
    ],
  });
}

function card(grid, wide) {
  const section = h("section", { class: wide ? "card span-2" : "card" });
  grid.append(section);
  return section;
}

/** Series drawn under another KPI's name: recognized revenue is the Revenue tile. */
const SERIES_KPI = { recognized: "revenue", product_revenue: "revenue" };

/** The drill-down a series opens (its own tile's, or an executive KPI's), or null. */
function seriesHref(key, data, view) {
  const domain = document.body.dataset.domain;
  const tiles = new Set((data.kpis || []).map((k) => k.key));
  const target = tiles.has(key) || EXECUTIVE_KPIS.has(key) ? key : SERIES_KPI[key];
  return target ? kpiHref(target, view, domain) : null;
}

/** Render one chart entry of a domain layout into the grid. */
function renderEntry(grid, entry, data, byKey, used, view, notices) {
  if (entry.breakdown) {
    const value = data[entry.breakdown];
    if (value === undefined) return;
    const target = card(grid, entry.wide);
    const href = entry.drillTo ? `${kpiHref(entry.drillTo, view, document.body.dataset.domain)}&by=${entry.by}` : undefined;
    if (entry.table) breakdownTable(target, entry.title, value, entry);
    else breakdownChart(target, entry.title, value, { ...entry, href });
    return;
  }
  if (entry.custom) {
    return entry.custom(card(grid, entry.wide), data, view);
  }
  const list = entry.series.map((k) => byKey.get(k)).filter(Boolean);
  if (!list.length) return;
  const also = (entry.also || []).map((k) => byKey.get(k)).filter(Boolean);
  for (const s of [...list, ...also]) used.add(s.key);
  const planned = list.findIndex((s) => byKey.has(`plan_${s.key}`));
  if (planned >= 0) used.add(`plan_${list[planned].key}`);
  const lastYear = byKey.get(`last_year_${list[0].key}`);
  if (lastYear) used.add(lastYear.key);
  chartCard(card(grid, entry.wide), annotate(withLastYearLine(withPlanLine(seriesSpec(entry.title, list, {
    also,
    drill: (key) => seriesHref(key, data, view),
    href: list.map((s) => seriesHref(s.key, data, view)).find(Boolean),
    type: entry.type,
    types: entry.types,
    axisOf: entry.axisOf,
    axes: entry.axes,
    targets: entry.targets,
    stack: entry.stack,
    filename: entry.filename,
    note: entry.note,
    empty: entry.empty || `No ${entry.title.toLowerCase()} data in this window (${entry.source || "no rows for these months"}).`,
  }), planned >= 0 ? byKey.get(`plan_${list[planned].key}`) : null, Math.max(planned, 0)), lastYear, 0), notices));
}

export async function load(view) {
  const domain = document.body.dataset.domain;
  const layout = DOMAINS[domain];
  const [data, notices] = await Promise.all([getJSON(layout.endpoint, viewParams(view)), fetchNotices()]);
  showTimeframe(data.timeframe);
  showDataUpdated(data.last_data_update);
  const byKey = seriesByKey(data.series);
  const tiles = document.getElementById("domain-tiles");
  fill(tiles, (data.kpis || []).map((k) => kpiTile(k, {
    href: kpiHref(k.key, view, domain),
    values: byKey.get(k.key)?.points.map((p) => p.value),
  })));
  tiles.removeAttribute("aria-busy");
  const grid = fill(document.getElementById("domain-charts"));
  const used = new Set();
  const waits = layout.charts.map((entry) => renderEntry(grid, entry, data, byKey, used, view, notices));
  for (const s of data.series || []) {
    if (!used.has(s.key) && !s.key.startsWith("plan_") && !s.key.startsWith("last_year_")) renderEntry(grid, { title: s.label, series: [s.key] }, data, byKey, used, view, notices);
  }
  await Promise.all(waits);
}
