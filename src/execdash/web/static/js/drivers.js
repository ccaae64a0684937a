// "What drove this": the KPI's change against the previous window as a waterfall of drivers, the
// table behind it, and the top two drivers in a tile's "how is this computed" popover.
import { getJSON } from "./api.js";
import { h, fill } from "./dom.js";
import { chartCard } from "./charts.js";
import { tableCard } from "./tables.js";
import { formatValue } from "./format.js";
import { waterfallSpec, formatContribution, driverLabel, windowLabel } from "./waterfall.js";
import { humanLabel } from "./words.js";

/** KPIs whose change is split into slices, and the dimension a tile's popover explains them by. */
export const POPOVER_DIMENSION = { revenue: "industry", gm: "industry", arr: "customer", book_to_bill: "source" };

function driversCsv(d) {
  return {
    header: ["step", "kind", "status", "previous", "current", "contribution", "mix", "rate"],
    rows: [
      ["previous", "total", "", "", d.previous ?? "", "", "", ""],
      ...d.drivers.map((x) => [x.name, x.kind, x.status, x.previous, x.current, x.contribution, x.mix ?? "", x.rate ?? ""]),
      ["current", "total", "", "", d.current ?? "", d.change ?? "", "", ""],
    ],
  };
}

function namesOf(set, noun, dimension) {
  const plural = set.count === 1 ? dimension : dimension === "industry" ? "industries" : `${dimension}s`;
  if (!set.count) return `No ${noun} ${plural}.`;
  const more = set.count > set.names.length ? ` and ${set.count - set.names.length} more` : "";
  return `${set.count} ${noun} ${plural}: ${set.names.join(", ")}${more}.`;
}

function facts(d) {
  const c = d.concentration;
  const up = d.top_up.map((x) => `${x.name} ${formatContribution(x.contribution, d.unit, d.key)}`).join(", ") || "none";
  const down = d.top_down.map((x) => `${x.name} ${formatContribution(x.contribution, d.unit, d.key)}`).join(", ") || "none";
  const share = (v) => formatValue(v, "ratio");
  return h("ul", { class: "driver-facts" },
    h("li", {}, h("strong", { text: "Top movers up: " }), up),
    h("li", {}, h("strong", { text: "Top movers down: " }), down),
    h("li", { text: namesOf(d.new, "new", d.dimension) }),
    h("li", { text: namesOf(d.lost, "lost", d.dimension) }),
    h("li", { text: `Concentration of ${d.measure}: largest ${d.dimension} ${share(c.top1)}, top 5 ${share(c.top5)} (before: ${share(c.previous_top1)}, ${share(c.previous_top5)})${c.largest ? `; largest: ${c.largest}` : ""}.` }));
}

function tableOf(container, d) {
  const ratio = d.method === "mix_rate";
  const columns = [
    { key: "name", label: humanLabel(d.dimension), format: (_, r) => driverLabel(r, d.dimension) },
    { key: "previous", label: "Before", num: true, format: (v, r) => formatValue(v, d.measure_unit) },
    { key: "current", label: "Now", num: true, format: (v, r) => formatValue(v, d.measure_unit) },
    { key: "contribution", label: "Contribution", num: true, format: (v) => formatContribution(v, d.unit, d.key) },
  ];
  if (ratio) {
    columns.push({ key: "rate", label: "Rate part", num: true, format: (v) => formatContribution(v, d.unit, d.key) });
    columns.push({ key: "mix", label: "Mix part", num: true, format: (v) => formatContribution(v, d.unit, d.key) });
  }
  tableCard(container, {
    title: `Drivers: ${d.label} by ${d.dimension}, before and now in ${d.measure}`,
    filename: `${d.key}-drivers-by-${d.dimension}`,
    rows: d.drivers,
    columns,
    empty: d.note || "Nothing moved.",
  });
}

/** Drivers split a change between two periods by slice; the plan has no slices to split. */
const PLAN_NOTE = "Drivers explain a change between two periods: compare with the previous period or the same period last year to see them (the plan has no customers or products to split by).";

/** Render the "What drove this" section of an executive KPI into `section`. */
export async function renderDrivers(section, drill, params, dimension) {
  section.hidden = false;
  if (params.compare === "plan") {
    fill(section, h("header", { class: "card-head" }, h("h2", { id: "drivers-heading", text: "What drove this" })),
      h("p", { class: "muted", text: PLAN_NOTE }));
    return;
  }
  const d = await getJSON(`/api/v1/kpis/${encodeURIComponent(drill.key)}/drivers`, { ...params, by: dimension });
  const head = h("header", { class: "card-head" }, h("h2", { id: "drivers-heading", text: "What drove this" }));
  const summary = d.change === null || d.change === undefined
    ? h("p", { class: "muted", text: d.note || "The change cannot be computed for this window." })
    : h("p", { class: "driver-lead" },
      `${d.label} went from ${formatValue(d.previous, d.unit, d.key)} (${windowLabel(d.timeframe, true)}) to ${formatValue(d.current, d.unit, d.key)}: `,
      h("strong", { text: formatContribution(d.change, d.unit, d.key) }),
      `, split by ${d.dimension}.`);
  const chart = h("div", { class: "driver-chart" });
  const table = h("div", { class: "driver-table" });
  fill(section, head, summary, h("p", { class: "chart-note", text: d.explanation }), chart, d.drivers.length ? facts(d) : null, table);
  if (d.drivers.length) {
    const spec = waterfallSpec(`${d.label}: previous → current by ${d.dimension}`, d, {
      filename: `${d.key}-waterfall-by-${d.dimension}`,
      note: d.drivers.some((x) => x.kind === "unattributed") ? "Unattributed: the part of the tile no slice's data explain." : undefined,
    });
    spec.csv = driversCsv(d);
    chartCard(chart, spec);
  }
  tableOf(table, d);
  return d;
}

/** Render the "What drove this" section for a KPI without slices: the change as one step. */
export function renderUnexplained(section, kpi, timeframe) {
  section.hidden = false;
  if (timeframe?.compare === "plan") {
    // Against the plan the "previous" value is the plan's for this same window: no change to walk.
    fill(section, h("header", { class: "card-head" }, h("h2", { id: "drivers-heading", text: "What drove this" })),
      h("p", { class: "muted", text: "Drivers explain a change between two periods: compare with the previous period or the same period last year to see this KPI's change; the tile shows its gap to the plan." }));
    return;
  }
  const change = kpi.value !== null && kpi.previous !== null && kpi.value !== undefined && kpi.previous !== undefined
    ? kpi.value - kpi.previous : null;
  const head = h("header", { class: "card-head" }, h("h2", { id: "drivers-heading", text: "What drove this" }));
  const lead = change === null
    ? h("p", { class: "muted", text: `${kpi.label} has no value to compare with in the previous window.` })
    : h("p", { class: "driver-lead" }, `${kpi.label} went from ${formatValue(kpi.previous, kpi.unit, kpi.key)} (${windowLabel(timeframe, true)}) to ${formatValue(kpi.value, kpi.unit, kpi.key)}: `,
      h("strong", { text: formatContribution(change, kpi.unit, kpi.key) }), ".");
  const chart = h("div", { class: "driver-chart" });
  fill(section, head, lead, h("p", { class: "chart-note", text: "The data hold no customer, industry, source or product for this KPI, so its change has one driver: the KPI itself. Its inputs are under “How is this computed?”." }), chart);
  if (change !== null) {
    chartCard(chart, waterfallSpec(`${kpi.label}: previous → current`, {
      key: kpi.key, label: kpi.label, unit: kpi.unit, previous: kpi.previous, current: kpi.value, change, timeframe,
      drivers: [{ name: "change", kind: "slice", status: "continuing", contribution: change, members: 1 }],
    }, { filename: `${kpi.key}-waterfall` }));
  }
}

/** Fill a tile popover's "What drove it" list (top two drivers) the first time it opens. */
export async function fillPopoverDrivers(box, key, params) {
  if (box.dataset.filled) return;
  box.dataset.filled = "1";
  if (params.compare === "plan") {
    fill(box, h("p", { class: "muted", text: PLAN_NOTE }));
    return;
  }
  const by = POPOVER_DIMENSION[key];
  try {
    const d = await getJSON(`/api/v1/kpis/${encodeURIComponent(key)}/drivers`, { ...params, by, top: 2 });
    const top = [...d.top_up, ...d.top_down]
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
      .slice(0, 2);
    if (!top.length) {
      fill(box, h("p", { class: "muted", text: d.note || `No ${by} moved ${d.label.toLowerCase()}.` }));
      return;
    }
    fill(box,
      h("p", { class: "how-drivers-title", text: `Top drivers by ${by} (change ${formatContribution(d.change, d.unit, d.key)}):` }),
      h("ol", {}, top.map((x) => h("li", {}, `${driverLabel(x, d.dimension)} `,
        h("span", { class: "amount", text: formatContribution(x.contribution, d.unit, d.key) })))));
  } catch (error) {
    delete box.dataset.filled;
    fill(box, h("p", { class: "muted", text: `Drivers could not be loaded: ${error.message}` }));
  }
}
